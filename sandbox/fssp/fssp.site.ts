/**
 * The FSSP replica: `fssp.gov.ru` (and `www.`) serves `/iss/ip`, the search page (windows-1251);
 * `is.fssp.gov.ru` serves `/ajax_search` (JSONP, UTF-8 parameters) with the four states of the real
 * answers — captcha challenge, wrong code, empty, results — behind a cookie session gate
 * (fssp-session.store.ts). Data: fssp.data.ts, derived from the world.
 *
 * Query rules (variant = `is[variant]`):
 * 1 person: `is[last_name]` and `is[first_name]` required; `is[patronymic]`, `is[date]`, region optional.
 *   The birth date is not validated (the real site accepted 19.06.4021); one that is not a date matches nothing.
 * 2 legal entity: `is[drtr_name]` required (substring), `is[address]` words, region.
 * 3 ИП number: `is[ip_number]` `N/YY/RRDDD-ИП` (or -СД: the whole consolidated group) or legacy `N/YY/DD/RR`; no region.
 * 4 executive document: `is[id_number]` required, `is[id_type][0]` and `is[id_issuer]` narrow, region.
 * Assumption (no real sample): a query missing its required field, an unknown variant or region, or a
 * malformed ИП number is answered `{"data":"","err":"<message>"}` (not gated by the captcha).
 *
 * Admin (`GET /__sandbox/fssp/…`): `captcha/<session id | sha256 of the JPEG>` → the answer;
 * `stats` → gate counters. Tests may also call `site.captchas.answer(id)` and change `site.settings`.
 */
import { toCp1251 } from '../sudrf/html.ts';
import { deriveSeed } from '../data/prng.ts';
import { fromRuDate } from '../data/dates.ts';
import { jsonResponse, type SandboxContext, type SandboxSite, type SiteRequest, type SiteResponse } from '../site.ts';
import { jsonpResponse, renderCaptchaPopup, renderEmpty, renderResults, renderWrongCode } from './ajax-search.page.ts';
import { drawFsspCaptcha } from './captcha-image.ts';
import { isFsspRegionCode } from './fssp-dictionaries.ts';
import { FsspBank, type SandboxProceeding } from './fssp.data.ts';
import { FSSP_SESSION_COOKIE, FsspSessionStore, type FsspSessionOptions } from './fssp-session.store.ts';
import { renderIssIpPage } from './iss-ip.page.ts';

/** Hosts of the replica. */
export const FSSP_HOSTS = { site: 'fssp.gov.ru', search: 'is.fssp.gov.ru' } as const;

/** Options of {@link createFsspSite}. */
export interface FsspSiteOptions extends Omit<FsspSessionOptions, 'now' | 'seed'> {
  /** Rows per results page. Default 20 (the real page 32 of a broad search holds 20 rows). */
  pageSize?: number;
}

/** The FSSP site object: the sandbox contract plus what tests use. */
export interface FsspSite extends SandboxSite {
  bank: FsspBank;
  captchas: FsspSessionStore;
  settings: { passTtlMs: number; passQueries: number; pageSize: number };
}

const IP_RE = /^\d{1,8}\/\d{2}\/\d{5}-(ИП|СД|IP)$/i;
const IP_LEGACY_RE = /^\d{1,8}\/\d{2}\/\d{2}\/\d{2}$/;

type Search = { ok: true; rows: SandboxProceeding[] } | { ok: false; err: string };

/** Runs the query of `is[...]` parameters against the bank (validation as in the header comment). */
export function searchBank(bank: FsspBank, q: URLSearchParams): Search {
  const get = (name: string) => (q.get(`is[${name}]`) ?? '').trim();
  const variant = get('variant') || '1';
  const region = get('region_id][0') || '-1';
  if (variant !== '3' && !isFsspRegionCode(region)) return { ok: false, err: 'Неверно указан регион' };
  switch (variant) {
    case '1': {
      if (!get('last_name') || !get('first_name')) return { ok: false, err: 'Не заполнены обязательные поля: Фамилия, Имя' };
      const dateText = get('date');
      const birthDate = dateText ? fromRuDate(dateText) : null;
      if (dateText && !birthDate) return { ok: true, rows: [] };
      return { ok: true, rows: bank.byPerson({ lastName: get('last_name'), firstName: get('first_name'), middleName: get('patronymic'), birthDate, region }) };
    }
    case '2':
      if (!get('drtr_name')) return { ok: false, err: 'Не заполнено обязательное поле: Наименование' };
      return { ok: true, rows: bank.byLegalEntity({ name: get('drtr_name'), address: get('address'), region }) };
    case '3': {
      const number = get('ip_number').replace(/\s+/g, '');
      if (!IP_RE.test(number) && !IP_LEGACY_RE.test(number)) return { ok: false, err: 'Неверный формат номера исполнительного производства' };
      return { ok: true, rows: bank.byIpNumber(number) };
    }
    case '4':
      if (!get('id_number')) return { ok: false, err: 'Не заполнено обязательное поле: Номер исполнительного документа' };
      return { ok: true, rows: bank.byExecutiveDocument({ number: get('id_number'), typeId: get('id_type][0') || get('id_type') || undefined, issuer: get('id_issuer') || undefined, region }) };
    default:
      return { ok: false, err: 'Неверный тип поиска' };
  }
}

function cookieOf(req: SiteRequest, name: string): string | undefined {
  const raw = req.headers.cookie;
  const text = Array.isArray(raw) ? raw.join('; ') : raw ?? '';
  for (const part of text.split(/;\s*/)) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at) === name) return decodeURIComponent(part.slice(at + 1));
  }
  return undefined;
}

/** Builds the FSSP site factory with options (the registry uses the defaults: {@link fsspSite}). */
export function createFsspSite(options: FsspSiteOptions = {}) {
  return (shared: SandboxContext): FsspSite => {
    const bank = new FsspBank(shared.world);
    const captchas = new FsspSessionStore({ ...options, seed: deriveSeed(shared.world.seed, 'fssp-captcha'), now: shared.now });
    const settings = Object.assign(captchas.settings, { pageSize: options.pageSize ?? 20 });
    let imageSeed = deriveSeed(shared.world.seed, 'fssp-image');

    async function ajaxSearch(req: SiteRequest): Promise<SiteResponse> {
      const q = new URLSearchParams(req.rawQuery);
      const callback = q.get('callback');
      const session = captchas.session(cookieOf(req, FSSP_SESSION_COOKIE));
      const extra: Record<string, string> = { date: new Date(shared.now()).toUTCString() };
      if (session.isNew) extra['set-cookie'] = `${FSSP_SESSION_COOKIE}=${encodeURIComponent(session.id)}; Path=/; HttpOnly`;
      const search = searchBank(bank, q);
      if (!search.ok) return jsonpResponse(callback, '', search.err, extra);
      const verdict = captchas.gate(session.id, q.has('code') ? (q.get('code') ?? '') : undefined);
      if (verdict.kind !== 'pass') {
        imageSeed = (imageSeed + 0x9e3779b9) >>> 0;
        const jpeg = await drawFsspCaptcha(verdict.answer, imageSeed);
        captchas.noteImage(jpeg, verdict.answer);
        shared.captchaLedger?.note(jpeg, verdict.answer);
        const html = verdict.kind === 'challenge' ? renderCaptchaPopup(req.rawQuery, jpeg) : renderWrongCode(req.rawQuery, jpeg);
        return jsonpResponse(callback, html, null, extra);
      }
      if (search.rows.length === 0) return jsonpResponse(callback, renderEmpty(), null, extra);
      const pages = Math.ceil(search.rows.length / settings.pageSize);
      const page = Math.min(pages, Math.max(1, Math.floor(Number(q.get('page') ?? '1')) || 1));
      const rows = search.rows.slice((page - 1) * settings.pageSize, page * settings.pageSize);
      return jsonpResponse(callback, renderResults({ rows, total: search.rows.length, page, pages, rawQuery: req.rawQuery }), null, extra);
    }

    return {
      name: 'fssp',
      bank,
      captchas,
      settings,
      matches: (vhost) => vhost === FSSP_HOSTS.site || vhost === `www.${FSSP_HOSTS.site}` || vhost === FSSP_HOSTS.search,
      async handle(req) {
        if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, headers: { allow: 'GET, HEAD' }, body: Buffer.alloc(0) };
        if (req.vhost === FSSP_HOSTS.search) {
          if (req.path === '/ajax_search') return ajaxSearch(req);
          return { status: 404, headers: { 'content-type': 'text/html; charset=utf-8', server: 'nginx' }, body: Buffer.from('<html><body><h1>404 Not Found</h1></body></html>') };
        }
        if (req.path === '/iss/ip' || req.path === '/iss/ip/' || req.path === '/') {
          return { status: 200, headers: { 'content-type': 'text/html; charset=windows-1251' }, body: toCp1251(renderIssIpPage(new URLSearchParams(req.rawQuery))) };
        }
        return { status: 404, headers: { 'content-type': 'text/html; charset=windows-1251' }, body: toCp1251('<html><body><h1>Страница не найдена</h1></body></html>') };
      },
      async admin(path) {
        if (path === '/fssp/stats') return jsonResponse(200, { ...captchas.counters, proceedings: bank.proceedings.length });
        const m = /^\/fssp\/captcha\/([^/]+)$/.exec(path);
        if (!m) return null;
        const id = decodeURIComponent(m[1] as string);
        const answer = captchas.answer(id);
        return answer ? jsonResponse(200, { id, answer }) : jsonResponse(404, { error: 'unknown captcha' });
      },
    };
  };
}

/** The registered FSSP site with default settings. */
export const fsspSite = createFsspSite();
