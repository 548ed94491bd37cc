/**
 * The sudrf.ru replica of one sandbox: a request handler per court host. Routes (TARGETS.md §1.2):
 * `/` home; `/modules.php?name=sud_delo&name_op=sf` search form; `…&name_op=r` search results
 * (captcha-gated on courts with `hasSearchCaptcha`); `…&name_op=case&case_id=&case_uid=` (or the
 * vnkod form `_id=&_uid=`) the card, never gated. Query values are CP1251 percent-encoded; every
 * page is sent as windows-1251 bytes.
 *
 * Answers to odd requests (documented assumptions, not observed byte for byte):
 * - `name=sud_delo` without `name_op`: the search form (the module's start page).
 * - `srv_num` not a server of the court: «Указанный сервер СДП не найден.» (wording seen in scrapers).
 * - cartotekas (cartotekas.ts): `delo_id` (+`new`) names the register in the primary form, `_deloId`
 *   `case__case_type` `_new` in the vnkod form; a register the court does not keep or an unknown id: the
 *   honest empty answer. Each court answers ONE URL form (`SudrfCourt.urlForm`): a search or card asked
 *   in the other form gets «Данных по запросу не обнаружено», as a real court answers a URL it does not
 *   serve. The search form (`name_op=sf`) is the court's own form whatever was asked (the robot reads
 *   the court's URL form off it). Searches are counted per court and register (`/__sandbox/sudrf/searches`).
 * - `name_op=r` with a malformed date: «НЕВЕРНЫЙ ФОРМАТ ЗАПРОСА!».
 * - `name_op=r` without `captcha`/`captchaid` on a gated court: the search form with a fresh captcha;
 *   with a wrong, burnt, foreign or expired pair: the real «Неверно указан проверочный код с картинки.» page.
 * - a card that does not exist, and other `name_op`s (`doc`): «Данных по запросу не обнаружено».
 * - `name_op=r_juid&judicial_uid=…`: the UID search across courts, first column «Суд» (real page:
 *   sudrf_search_rjuid_komi_…_cross_court_sanitized.html); no match: «Данных по запросу не обнаружено».
 * Page kinds switched on by faults (sandbox-state.ts FaultSpec): the anti-bruteforce page
 * «Информация временно недоступна» (`antiBruteforceRate`), the server-choice landing «Выберите сервер»
 * for a request without `srv_num` (`serverChoice`), and the cards' real layout variants (`layoutVariant`).
 */
import type { CaptchaLedger } from '../captcha-ledger.ts';
import type { SandboxCase, SandboxWorld, SudrfCartotekaKey, SudrfCourt } from '../data/world.types.ts';
import { cartotekaByKey, readCartotekaRequest } from './cartotekas.ts';
import { drawSudrfCaptcha } from './captcha-image.ts';
import { CaptchaStore } from './captcha.store.ts';
import { renderCaseCardNew } from './case-card-new.page.ts';
import { renderCaseCardOld } from './case-card-old.page.ts';
import { readCaseQuery, searchCases } from './case-search.ts';
import { esc, parseCp1251Query, ruDate, toCp1251 } from './html.ts';
import { sudrfPage } from './layout.page.ts';
import {
  renderBadRequest, renderNoData, renderNoServer, renderSearchForm, renderServerChoice, renderTemporarilyUnavailable, renderWrongCode,
} from './search-form.page.ts';
import { renderSearchResults, renderUidResults } from './search-results.page.ts';
import type { CourtLayoutVariant } from '../sandbox-state.ts';

import type { SandboxContext, SandboxSite, SiteResponse } from '../site.ts';
import { jsonResponse } from '../site.ts';
import { createPrng, deriveSeed } from '../data/prng.ts';

export type { SiteResponse } from '../site.ts';

/** Shared state the site reads. */
export interface SudrfSiteContext {
  world: SandboxWorld;
  captchas: CaptchaStore;
  /** Serve cards with changed markup (renamed ids/classes) so robots can detect drift. */
  isLayoutDrift(host: string): boolean;
  /** The real layout variant cards are served in (default `none`). */
  layoutVariant?(host: string): CourtLayoutVariant;
  /** Whether this request gets the anti-bruteforce page instead (one seeded draw per request). */
  isTemporarilyUnavailable?(host: string): boolean;
  /** Whether a request without `srv_num` gets the server-choice landing. */
  isServerChoice?(host: string): boolean;
  /** Where the captcha pictures sent are noted (the sandbox's solving-service replica reads them). */
  captchaLedger?: CaptchaLedger;
  /** Notes one answered search (past the captcha gate) of `host` in the registers it named. */
  noteSearch?(host: string, keys: readonly SudrfCartotekaKey[]): void;
}

const HTML_HEADERS = { 'content-type': 'text/html; charset=windows-1251' };
const GIF_1PX = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

function page(court: SudrfCourt, world: SandboxWorld, inner: string, status = 200): SiteResponse {
  return { status, headers: { ...HTML_HEADERS }, body: toCp1251(sudrfPage(court, inner, { hearingDate: ruDate(world.asOf) })) };
}

/** Handle one GET/HEAD for `court`. `rawQuery` is the undecoded query string (without `?`). */
export async function handleSudrf(
  ctx: SudrfSiteContext, court: SudrfCourt, path: string, rawQuery: string,
): Promise<SiteResponse> {
  const { world } = ctx;
  if (path === '/672349fc084a15183dc31c93.js') return { status: 200, headers: { 'content-type': 'application/javascript' }, body: Buffer.from('/* sandbox */\n') };
  if (path === '/492e939b2c17838216bb152871fa21ea.gif') return { status: 200, headers: { 'content-type': 'image/gif' }, body: GIF_1PX };
  if (path === '/' || path === '/index.php') return page(court, world, homeContent(court));
  if (path !== '/modules.php') {
    return page(court, world, `<div id='content'><h1>404 Not Found</h1><p>Запрашиваемая страница не найдена.</p></div>`, 404);
  }
  const q = parseCp1251Query(rawQuery);
  if (q.get('name') !== 'sud_delo') return page(court, world, homeContent(court));
  if (ctx.isTemporarilyUnavailable?.(court.host)) return page(court, world, renderTemporarilyUnavailable());
  if (!q.has('srv_num') && ctx.isServerChoice?.(court.host)) {
    return page(court, world, renderServerChoice(court.srvNum, rawQuery.split('&').filter((kv) => kv && !/^srv_num=/i.test(kv)).join('&')));
  }
  if (q.get('name_op') === 'r_juid') {
    const uid = (q.get('judicial_uid') ?? '').trim().toUpperCase();
    const rows = [...world.cases, ...world.cartotekaCases].filter((c) => uid && c.uid === uid)
      .map((c) => { const k = world.courts.find((x) => x.host === c.host)!; return { courtName: k.name, c, form: k.urlForm }; });
    return page(court, world, rows.length ? renderUidResults(rows) : renderNoData());
  }
  const srvNum = Number(q.get('srv_num') ?? '1');
  const op = q.get('name_op') ?? 'sf';
  if (!Number.isInteger(srvNum) || srvNum < 1 || srvNum > court.srvNum) return page(court, world, renderNoServer());
  const asked = readCartotekaRequest(q);
  // A register the court keeps, asked in the court's own URL form; anything else finds nothing.
  const keys = asked.form === court.urlForm ? asked.keys.filter((k) => court.cartotekas.includes(k)) : [];
  const serverCases = [...world.cases, ...world.cartotekaCases].filter((c) => c.host === court.host && c.srvNum === srvNum && keys.includes(c.cartoteka));

  if (op === 'sf') return page(court, world, await formContent(ctx, court, srvNum, asked.keys[0]));
  if (op === 'case') {
    const c = findCard(serverCases, q);
    if (!c) return page(court, world, `<div id='content'><div align='center'>Данных по запросу не обнаружено</div></div>`);
    let html = court.template === 'old' ? renderCaseCardOld(world, court, c, ctx.layoutVariant?.(court.host)) : renderCaseCardNew(world, court, c);
    if (ctx.isLayoutDrift(court.host)) html = drift(html);
    return page(court, world, html);
  }
  if (op !== 'r') return page(court, world, `<div id='content'><div align='center'>Данных по запросу не обнаружено</div></div>`);

  if (court.hasSearchCaptcha) {
    const verdict = ctx.captchas.check(court.host, q.get('captchaid'), q.get('captcha'));
    if (verdict === 'missing') return page(court, world, await formContent(ctx, court, srvNum, asked.keys[0]));
    if (verdict === 'wrong') return page(court, world, renderWrongCode(srvNum));
  }
  ctx.noteSearch?.(court.host, keys);
  if (keys.length === 0) return page(court, world, renderNoData(srvNum));
  const query = readCaseQuery(q, asked.table ?? 'g1_case');
  if (!query.ok) return page(court, world, renderBadRequest());
  const matches = searchCases(serverCases, query);
  if (matches.length === 0) return page(court, world, renderNoData(srvNum));
  // The vnkod form pages with `_page` (its search link starts at `_page=1`), the primary form with `page`.
  const pageNo = Math.max(1, Math.floor(Number(q.get(asked.form === 'vnkod' ? '_page' : 'page') ?? '1')) || 1);
  const baseQuery = rawQuery.split('&').filter((kv) => kv && !/^_?page=/i.test(kv)).join('&');
  return page(court, world, renderSearchResults(court, { matches, page: pageNo, baseQuery, cartoteka: matches[0]!.cartoteka, pageParam: asked.form === 'vnkod' ? '_page' : 'page' }));
}

async function formContent(ctx: SudrfSiteContext, court: SudrfCourt, srvNum: number, key: SudrfCartotekaKey = 'civil1'): Promise<string> {
  const register = { cartoteka: cartotekaByKey(court.cartotekas.includes(key) ? key : 'civil1'), vnkod: court.urlForm === 'vnkod' ? court.code : null };
  if (!court.hasSearchCaptcha) return renderSearchForm(null, srvNum, register);
  const { id, answer } = ctx.captchas.issue(court.host);
  const png = await drawSudrfCaptcha(answer);
  ctx.captchaLedger?.note(png, answer);
  return renderSearchForm({ id, png }, srvNum, register);
}

function findCard(cases: SandboxCase[], q: Map<string, string>): SandboxCase | undefined {
  const id = q.get('case_id') ?? q.get('_id');
  const uid = q.get('case_uid') ?? q.get('_uid');
  if (!id) return undefined;
  return cases.find((c) => String(c.caseId) === id && (!uid || c.caseUid === uid.toLowerCase()));
}

/** The "layout drift" fault: the same card with renamed ids and classes. */
function drift(html: string): string {
  return html
    .replaceAll('class="casenumber"', 'class="case-number-title"')
    .replaceAll('id="tablcont"', 'class="tablcont-v2"')
    .replaceAll('<ul class="tabs">', '<ul class="case-tabs">')
    .replaceAll('class="case-num"', 'class="case-number"')
    .replaceAll('law-case-table', 'lawcase-table-v2')
    .replaceAll('id="case_bookmarks"', 'id="case-tabs"');
}

function homeContent(court: SudrfCourt): string {
  return `<div id='content'>
	<h1>${esc(court.name)}</h1>
	<p><a href="/modules.php?name=sud_delo&srv_num=1&name_op=sf&delo_id=1540005">Судебное делопроизводство: поиск информации по делам</a></p>
	<p>${esc(court.regionName)}, г. ${esc(court.city)}</p>
</div>`;
}

/** The sudrf replica as a sandbox site: every generated court on its own host. */
export function sudrfSite(shared: SandboxContext): SandboxSite & { captchas: CaptchaStore; searches: SearchCounter } {
  const captchas = new CaptchaStore({ seed: deriveSeed(shared.world.seed, 'captcha'), now: shared.now });
  const courts = new Map(shared.world.courts.map((c) => [c.host, c]));
  const unavailable = createPrng(deriveSeed(shared.world.seed, 'sudrf-anti-bruteforce'));
  const searches = new SearchCounter();
  const ctx: SudrfSiteContext = {
    world: shared.world,
    captchas,
    isLayoutDrift: (h) => shared.faults.get(h).layoutDrift,
    layoutVariant: (h) => shared.faults.get(h).layoutVariant,
    isTemporarilyUnavailable: (h) => {
      const rate = shared.faults.get(h).antiBruteforceRate;
      return rate > 0 && unavailable.next() < rate;
    },
    isServerChoice: (h) => shared.faults.get(h).serverChoice,
    captchaLedger: shared.captchaLedger,
    noteSearch: (h, keys) => searches.note(h, keys),
  };
  return {
    name: 'court-sudrf',
    captchas,
    searches,
    matches: (vhost) => courts.has(vhost),
    async handle(req) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, headers: { allow: 'GET, HEAD' }, body: Buffer.alloc(0) };
      return handleSudrf(ctx, courts.get(req.vhost)!, req.path, req.rawQuery);
    },
    async admin(path) {
      if (path === '/sudrf/searches') return jsonResponse(200, searches.snapshot());
      const m = /^\/captcha\/([a-z0-9]+)$/.exec(path);
      if (!m) return null;
      const answer = captchas.answer(m[1] as string);
      return answer ? jsonResponse(200, { id: m[1], answer }) : jsonResponse(404, { error: 'unknown captcha id' });
    },
  };
}

/**
 * Searches answered (past the captcha gate) per court host and register: a robot that reports a
 * number not found must have asked every register the court keeps. `GET /__sandbox/sudrf/searches`.
 */
export class SearchCounter {
  readonly #byHost = new Map<string, Map<SudrfCartotekaKey, number>>();
  note(host: string, keys: readonly SudrfCartotekaKey[]): void {
    let m = this.#byHost.get(host);
    if (!m) this.#byHost.set(host, (m = new Map()));
    for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  }
  snapshot(): Record<string, Partial<Record<SudrfCartotekaKey, number>>> {
    return Object.fromEntries([...this.#byHost].map(([h, m]) => [h, Object.fromEntries(m)]));
  }
}
