/**
 * The EPGU replica: `esia.gosuslugi.ru` (login: password, then an SMS or TOTP code) and
 * `www.gosuslugi.ru` (the FSSP application wizard, status pages, «Мои заявления», and the ГЭПС
 * feed API of TARGETS.md §4). Time runs on {@link EpguClock}; answers arrive days later (sandbox
 * days) as PDFs from sandbox/epgu/documents/. Every `feedFailEvery`-th feed API call answers 504,
 * as the real one often does.
 *
 * Admin (`/__sandbox/epgu/…`): `GET sms/<login>` → the last SMS code; `GET|POST clock`
 * (`{"advanceDays":n,"advanceMs":n,"factor":f}`) → sandbox time; `GET applications` → all
 * applications (tests count them: the never-twice rule); `POST sessions/drop` → ends every session.
 */
import { epguRequestKindOf, EPGU_REQUEST_KINDS } from '../../core/epgu-kinds.ts';
import { isIpNumber, normalizeIpNumber } from '../../core/identifiers.ts';
import { jsonResponse, type SandboxContext, type SandboxSite, type SiteRequest, type SiteResponse } from '../site.ts';
import { EpguClock } from './epgu-clock.ts';
import { EpguPortal, feedDate, parseFeedDate } from './epgu-portal.store.ts';
import * as pages from './epgu.pages.ts';

export const EPGU_HOSTS = { esia: 'esia.gosuslugi.ru', portal: 'www.gosuslugi.ru' } as const;
export const EPGU_SESSION_COOKIE = 'ACC_SID';
const FLOW_COOKIE = 'esia_flow';
const FEED_PAGE = 5;

export interface EpguSiteOptions {
  /** Sandbox time speed (1 = real time). */
  timeFactor?: number;
  /** Every n-th feed API call answers 504 (0 = never). Default 5. */
  feedFailEvery?: number;
}

export interface EpguSite extends SandboxSite {
  portal: EpguPortal;
  clock: EpguClock;
  settings: { feedFailEvery: number };
}

function cookieOf(req: SiteRequest, name: string): string | undefined {
  const raw = req.headers.cookie;
  const text = Array.isArray(raw) ? raw.join('; ') : (raw ?? '');
  for (const part of text.split(/;\s*/)) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at) === name) return decodeURIComponent(part.slice(at + 1));
  }
  return undefined;
}

const html = (body: string, status = 200, extra: Record<string, string> = {}): SiteResponse => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8', ...extra },
  body: Buffer.from(body, 'utf8'),
});
const redirect = (location: string, extra: Record<string, string> = {}): SiteResponse => ({ status: 302, headers: { location, ...extra }, body: Buffer.alloc(0) });
const form = (req: SiteRequest) => new URLSearchParams(req.body.toString('utf8'));

/** `http://<host>:<port>` of another virtual host, keeping the port the client used (sandbox). */
function originOf(req: SiteRequest, host: string): string {
  const raw = String(req.headers.host ?? '');
  const port = /:(\d+)$/.exec(raw)?.[1];
  return `http://${host}${port ? `:${port}` : ''}`;
}

export function createEpguSite(options: EpguSiteOptions = {}) {
  return (ctx: SandboxContext): EpguSite => {
    const clock = new EpguClock(ctx.now, options.timeFactor ?? 1);
    const portal = new EpguPortal(ctx.world, clock);
    const settings = { feedFailEvery: options.feedFailEvery ?? 5 };
    let feedCalls = 0;

    async function esia(req: SiteRequest): Promise<SiteResponse> {
      if (req.method === 'GET' && (req.path === '/login' || req.path === '/login/' || req.path === '/')) return html(pages.loginPage());
      if (req.method === 'POST' && req.path === '/login/pwd') {
        const f = form(req);
        const started = portal.startLogin((f.get('login') ?? '').trim(), f.get('password') ?? '');
        if (!started) return html(pages.loginPage('Неверные логин или пароль'));
        return redirect(started.factor === 'sms' ? '/login/otp' : '/login/totp', { 'set-cookie': `${FLOW_COOKIE}=${started.flowId}; Path=/; HttpOnly` });
      }
      const m = /^\/login\/(otp|totp)$/.exec(req.path);
      if (m) {
        const factor = m[1] === 'otp' ? 'sms' : 'totp';
        const flowId = cookieOf(req, FLOW_COOKIE);
        const login = portal.flowLogin(flowId);
        if (!login) return redirect('/login/');
        const acc = portal.account(login)!;
        if (req.method === 'GET') return html(pages.codePage(factor, acc.phoneMasked));
        const sid = portal.finishLogin(flowId, form(req).get('code') ?? '');
        if (!sid) return html(pages.codePage(factor, acc.phoneMasked, 'Неверный код подтверждения'));
        return redirect(`${originOf(req, EPGU_HOSTS.portal)}/`, { 'set-cookie': `${EPGU_SESSION_COOKIE}=${sid}; Domain=gosuslugi.ru; Path=/; HttpOnly` });
      }
      return html('<h1>Страница не найдена</h1>', 404);
    }

    async function www(req: SiteRequest): Promise<SiteResponse> {
      const sid = cookieOf(req, EPGU_SESSION_COOKIE);
      const login = portal.sessionLogin(sid);
      const isApi = req.path.startsWith('/api/');
      if (!login) {
        if (isApi) return jsonResponse(401, { error: { code: 'UNAUTHORIZED', message: 'Требуется авторизация' } });
        if (req.path === '/') return html(pages.anonymousHome(`${originOf(req, EPGU_HOSTS.esia)}/login/`));
        return redirect(`${originOf(req, EPGU_HOSTS.esia)}/login/`);
      }
      const user = portal.account(login)!.displayName;
      if (isApi) return api(req, login);
      if (req.path === '/') return html(pages.homePage(user));
      if (req.path === '/logout') {
        portal.logout(sid!);
        return redirect('/');
      }
      if (req.path === '/600361/1/form' && req.method === 'GET') return html(pages.step1Page(user));
      if (req.method === 'POST' && req.path === '/600361/1/form/step1') {
        const raw = form(req).get('ipNumber') ?? '';
        const ip = normalizeIpNumber(raw);
        if (!isIpNumber(ip)) return html(pages.step1Page(user, 'Неверный формат номера исполнительного производства', raw));
        return redirect(`/600361/1/form/step2?draft=${portal.newDraft(sid!, ip)}`);
      }
      const q = new URLSearchParams(req.rawQuery);
      const draftId = req.method === 'POST' ? form(req).get('draft') : q.get('draft');
      const draft = portal.draft(draftId, sid!);
      if (/^\/600361\/1\/form\/step[23]$/.test(req.path) && !draft) return redirect('/600361/1/form');
      if (req.path === '/600361/1/form/step2') {
        if (req.method === 'GET') return html(pages.step2Page(user, draftId!, draft!.ipNumber!));
        const kind = epguRequestKindOf(form(req).get('kind') ?? '');
        if (!kind) return html(pages.step2Page(user, draftId!, draft!.ipNumber!, 'Выберите вид заявления из списка'));
        portal.setDraftKind(draftId!, kind);
        return redirect(`/600361/1/form/step3?draft=${draftId}`);
      }
      if (req.path === '/600361/1/form/step3') {
        if (!draft!.kind) return redirect(`/600361/1/form/step2?draft=${draftId}`);
        if (req.method === 'GET') return html(pages.step3Page(user, draftId!, draft!.ipNumber!, EPGU_REQUEST_KINDS[draft!.kind]));
        const text = (form(req).get('text') ?? '').trim();
        if (text.length > 4000) return html(pages.step3Page(user, draftId!, draft!.ipNumber!, EPGU_REQUEST_KINDS[draft!.kind], 'Текст длиннее 4000 знаков'));
        const app = portal.submit(draftId!, login, text);
        return redirect(`/order/${app.number}`);
      }
      const order = /^\/order\/(\d+)$/.exec(req.path);
      if (order) {
        const app = portal.applicationsOf(login).find((a) => a.number === order[1]);
        if (!app) return html('<h1>Заявление не найдено</h1>', 404);
        return html(pages.orderPage(user, app, portal.statusesOf(app)));
      }
      if (req.path === '/orders') {
        const rows = portal
          .applicationsOf(login)
          .slice()
          .reverse()
          .map((app) => {
            const st = portal.statusesOf(app);
            return { app, status: st.at(-1)!.status, registeredAt: st.find((s) => s.status === 'Зарегистрировано')?.at ?? null };
          });
        return html(pages.ordersPage(user, rows));
      }
      return html('<h1>Страница не найдена</h1>', 404);
    }

    async function api(req: SiteRequest, login: string): Promise<SiteResponse> {
      if (req.path === '/api/lk/v1/users/me') return jsonResponse(200, { login: login.replace(/^(.).*(@.*)$/, '$1***$2'), name: portal.account(login)!.displayName });
      if (req.path.startsWith('/api/lk/v1/feeds') || req.path.startsWith('/api/lk/geps/')) {
        feedCalls += 1;
        if (settings.feedFailEvery > 0 && feedCalls % settings.feedFailEvery === 0) {
          return { status: 504, headers: { 'content-type': 'text/html', server: 'nginx' }, body: Buffer.from('<html><body><h1>504 Gateway Time-out</h1></body></html>') };
        }
      }
      if (req.path === '/api/lk/v1/feeds/' || req.path === '/api/lk/v1/feeds') {
        const q = new URLSearchParams(req.rawQuery);
        const before = q.get('lastFeedDate') ? parseFeedDate(q.get('lastFeedDate')!) : Infinity;
        if (Number.isNaN(before)) return jsonResponse(400, { error: { code: 'BAD_REQUEST', message: 'lastFeedDate' } });
        const all = q.get('types') && !q.get('types')!.split(',').includes('GEPS') ? [] : portal.feedOf(login).filter((a) => a.decidedAt < before);
        const items = all.slice(0, FEED_PAGE).map((a) => ({
          id: a.feedId,
          title: 'ФССП России',
          subTitle: `${subTitleOf(a.answerKind)} (ИП № ${a.ipNumber}, заявление № ${a.number})`,
          date: feedDate(a.decidedAt),
          feedType: 'GEPS',
          unread: true,
          extId: a.number,
        }));
        return jsonResponse(200, { items, hasMore: all.length > FEED_PAGE });
      }
      const item = /^\/api\/lk\/v1\/feeds\/(\d+)$/.exec(req.path);
      if (item) {
        const a = portal.byFeedId(login, item[1]!);
        if (!a) return jsonResponse(404, { error: { code: 'NOT_FOUND' } });
        return jsonResponse(200, {
          id: a.feedId,
          title: 'ФССП России',
          subTitle: subTitleOf(a.answerKind),
          date: feedDate(a.decidedAt),
          detail: {
            addParams: { DbtrName: a.proceeding?.debtor.name ?? null, IpNumber: a.ipNumber, OrderId: a.number },
            messages: [{
              text: `Ответ на заявление № ${a.number}`,
              // Some answers are the FSSP XML with its PDF print form, others a PDF (or a scan) alone.
              attachments: [
                ...(a.xml ? [{ fileName: `${a.answerKind}_${a.number}.xml`, attachmentId: `${a.attachmentId}-xml`, mimeType: 'application/xml' }] : []),
                { fileName: `${a.answerKind}_${a.number}.pdf`, attachmentId: a.attachmentId, mimeType: 'application/pdf' },
              ],
            }],
          },
        });
      }
      const file = /^\/api\/lk\/geps\/file\/download\/([^/]+)$/.exec(req.path);
      if (file) {
        const id = decodeURIComponent(file[1]!);
        const a = portal.byAttachment(login, id);
        if (!a) return jsonResponse(404, { error: { code: 'NOT_FOUND' } });
        if (id !== a.attachmentId) {
          return { status: 200, headers: { 'content-type': 'application/xml; charset=utf-8', 'content-disposition': `attachment; filename="${a.answerKind}_${a.number}.xml"` }, body: portal.answerXml(a) };
        }
        const pdf = await portal.answerPdf(a);
        return { status: 200, headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${a.answerKind}_${a.number}.pdf"` }, body: pdf };
      }
      return jsonResponse(404, { error: { code: 'NOT_FOUND' } });
    }

    return {
      name: 'epgu',
      portal,
      clock,
      settings,
      matches: (vhost) => vhost === EPGU_HOSTS.esia || vhost === EPGU_HOSTS.portal || vhost === 'gosuslugi.ru',
      handle: (req) => (req.vhost === EPGU_HOSTS.esia ? esia(req) : www(req)),
      async admin(path, req) {
        const sms = /^\/epgu\/sms\/([^/]+)$/.exec(path);
        if (sms) {
          const code = portal.sms.get(decodeURIComponent(sms[1]!));
          return code ? jsonResponse(200, { code }) : jsonResponse(404, { error: 'no sms sent to this login' });
        }
        if (path === '/epgu/clock') {
          if (req.method === 'POST') {
            let body: { advanceDays?: number; advanceMs?: number; factor?: number };
            try {
              body = JSON.parse(req.body.toString('utf8') || '{}');
            } catch {
              return jsonResponse(400, { error: 'JSON body expected' });
            }
            try {
              if (body.factor !== undefined) clock.setFactor(Number(body.factor));
              clock.advance(Number(body.advanceMs ?? 0) + EpguPortal.days(Number(body.advanceDays ?? 0)));
            } catch (e) {
              return jsonResponse(400, { error: (e as Error).message });
            }
          }
          return jsonResponse(200, { now: new Date(clock.now()).toISOString(), factor: clock.factor });
        }
        if (path === '/epgu/applications') {
          return jsonResponse(200, {
            count: portal.applications.length,
            applications: portal.applications.map((a) => ({ number: a.number, login: a.login, ipNumber: a.ipNumber, kind: a.kind, text: a.text, sentAt: new Date(a.sentAt).toISOString(), registeredAt: new Date(a.registeredAt).toISOString(), decidedAt: new Date(a.decidedAt).toISOString(), answerKind: a.answerKind, scanned: a.scanned, xml: a.xml, feedId: a.feedId })),
          });
        }
        if (path === '/epgu/sessions/drop' && req.method === 'POST') return jsonResponse(200, { dropped: portal.dropSessions() });
        return null;
      },
    };
  };
}

function subTitleOf(kind: string): string {
  switch (kind) {
    case 'ip_opened':
      return 'Постановление о возбуждении исполнительного производства';
    case 'ip_ended':
      return 'Постановление об окончании исполнительного производства';
    case 'motion_granted':
      return 'Постановление об удовлетворении заявления (ходатайства)';
    case 'motion_refused':
      return 'Постановление об отказе в удовлетворении заявления (ходатайства)';
    default:
      return 'Уведомление о ходе исполнительного производства';
  }
}

/** The registered EPGU site with default settings. */
export const epguSite = createEpguSite();
