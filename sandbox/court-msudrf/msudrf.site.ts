/**
 * The `*.msudrf.ru` replica (TARGETS.md §2.1): every derived magistrate court on its own host.
 * Routes: `/modules.php?name=sud_delo&op=cs&case_id=<int>&delo_id=1540005` the card (layout B or C by
 * region); `…&name_op=r&…` the search results; `/captcha.php` a new kcaptcha image per request;
 * anything else under modules.php the module start page. Pages are windows-1251 bytes.
 *
 * The gate: on a gated court, a modules.php request of a session that has not passed the kcaptcha
 * (no `PHPSESSID` cookie, or an unverified one) gets the gate page instead of the content (status
 * 200, cookie set). A POST with `captcha-response` checks the last drawn answer: right → the
 * session is verified and the POST answers with the requested content (the gate page's script puts
 * it in place, no navigation); wrong → the gate again (a new image).
 */
import iconv from 'iconv-lite';
import { createPrng, deriveSeed } from '../data/prng.ts';
import type { CourtLayoutVariant } from '../sandbox-state.ts';
import type { SandboxContext, SandboxSite, SiteRequest, SiteResponse } from '../site.ts';
import { jsonResponse } from '../site.ts';
import { parseCp1251Query, toCp1251 } from '../sudrf/html.ts';
import { renderMsudrfCard } from './case-card.page.ts';
import { KcaptchaSessions, SESSION_COOKIE } from './kcaptcha.ts';
import { kcaptchaGate, msudrfHome, msudrfNoData, msudrfPage } from './msudrf-layout.page.ts';
import { msudrfWorld, type MsudrfCourt, type MsudrfWorld } from './msudrf.data.ts';
import { readMsudrfQuery, renderMsudrfEmpty, renderMsudrfResults, searchMsudrfCases } from './search-results.page.ts';

const HTML = 'text/html; charset=windows-1251';
const GIF_1PX = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

/** The msudrf site plus its gate state (tests read `sessions`). */
export type MsudrfSite = SandboxSite & { sessions: KcaptchaSessions; data: MsudrfWorld };

/** The msudrf replica as a sandbox site. */
export function msudrfSite(shared: SandboxContext): MsudrfSite {
  const data = msudrfWorld(shared.world);
  const courts = new Map(data.courts.map((c) => [c.host, c]));
  const sessions = new KcaptchaSessions(deriveSeed(shared.world.seed, 'msudrf:kcaptcha'), shared.now);
  const unavailable = createPrng(deriveSeed(shared.world.seed, 'msudrf:anti-bruteforce'));
  return {
    name: 'court-msudrf',
    sessions,
    data,
    matches: (vhost) => courts.has(vhost),
    handle: (req) => handle(data, sessions, courts.get(req.vhost)!, req, {
      variant: shared.faults.get(req.vhost).layoutVariant,
      unavailable: () => { const rate = shared.faults.get(req.vhost).antiBruteforceRate; return rate > 0 && unavailable.next() < rate; },
      noteCaptcha: (image, answer) => shared.captchaLedger?.note(image, answer),
    }),
    async admin(path, req) {
      // GET /__sandbox/answer?host=…&sid=… → the session's current kcaptcha answer.
      if (path !== '/answer') return null;
      const q = new URLSearchParams(req.rawQuery);
      return jsonResponse(200, { answer: sessions.answerOf(q.get('host') ?? '', q.get('sid') ?? '') });
    },
  };
}

/** Per-request fault switches (sandbox-state.ts FaultSpec): the card's layout variant, the anti-bruteforce page. */
interface MsudrfFaults {
  variant: CourtLayoutVariant;
  unavailable(): boolean;
  /** Notes a kcaptcha picture sent with its answer (sandbox/captcha-ledger.ts). */
  noteCaptcha(image: Buffer, answer: string): void;
}

async function handle(data: MsudrfWorld, sessions: KcaptchaSessions, court: MsudrfCourt, req: SiteRequest, faults: MsudrfFaults): Promise<SiteResponse> {
  if (req.path === '/672349fc084a15183dc31c93.js') return { status: 200, headers: { 'content-type': 'application/javascript' }, body: Buffer.from('/* sandbox */\n') };
  if (req.path.startsWith('/492e939b2c17838216bb152871fa21ea.gif')) return { status: 200, headers: { 'content-type': 'image/gif' }, body: GIF_1PX };
  const session = sessions.open(court.host, KcaptchaSessions.idFrom(req.headers.cookie));
  const cookie: Record<string, string> = session.created ? { 'set-cookie': `${SESSION_COOKIE}=${session.id}; path=/` } : {};
  const page = (inner: string, status = 200): SiteResponse =>
    ({ status, headers: { 'content-type': HTML, 'cache-control': 'no-store', ...cookie }, body: toCp1251(msudrfPage(court, inner)) });

  if (req.path === '/captcha.php') {
    const answer = sessions.issue(court.host, session.id);
    const png = await sessions.draw(answer);
    faults.noteCaptcha(png, answer);
    return { status: 200, headers: { 'content-type': 'image/png', 'cache-control': 'no-store', ...cookie }, body: png };
  }
  if (req.path === '/' || req.path === '/index.php') return page(msudrfHome(court));
  if (req.path !== '/modules.php') return page('<h1>404 Not Found</h1>', 404);
  if (req.method === 'POST') {
    const form = new URLSearchParams(iconv.decode(req.body, 'win1251'));
    const response = form.get('captcha-response');
    if (response !== null && !sessions.check(court.host, session.id, response)) return page(kcaptchaGate(true));
  } else if (req.method !== 'GET' && req.method !== 'HEAD') {
    return { status: 405, headers: { allow: 'GET, HEAD, POST' }, body: Buffer.alloc(0) };
  }
  if (court.hasGate && !sessions.isVerified(court.host, session.id)) return page(kcaptchaGate());

  const q = parseCp1251Query(req.rawQuery);
  if (q.get('name') !== 'sud_delo') return page(msudrfHome(court));
  // Same wording as sudrf's (issue #14); the markup is an assumption.
  if (faults.unavailable()) return page(`<div align="center" id="error">Информация временно недоступна. Повторите запрос через несколько минут.</div>`);
  const cases = data.cases.filter((c) => c.host === court.host);
  if (q.get('op') === 'cs') {
    const c = cases.find((k) => String(k.caseId) === q.get('case_id') && q.get('delo_id') === '1540005');
    return page(c ? renderMsudrfCard(court, c, faults.variant) : msudrfNoData());
  }
  if (q.get('name_op') === 'r') {
    if (q.get('delo_id') !== '1540005') return page(renderMsudrfEmpty());
    const query = readMsudrfQuery(q);
    if (!query.ok) return page('<div align="center">НЕВЕРНЫЙ ФОРМАТ ЗАПРОСА!</div>');
    const rows = searchMsudrfCases(cases, query);
    if (rows.length === 0) return page(renderMsudrfEmpty());
    const pageNo = Math.max(0, Math.floor(Number(q.get('pagenum_recordset1') ?? '0')) || 0);
    const base = req.rawQuery.split('&').filter((kv) => kv && !/^pageNum_Recordset1=/i.test(kv)).join('&');
    return page(renderMsudrfResults(rows, pageNo, base));
  }
  return page(msudrfHome(court));
}
