/**
 * Replica of Russian Post's tracking API on `tracking.russianpost.ru`:
 * - `GET /rtm34?wsdl` (+ `?xsd=5|6`) and `POST /rtm34`: single access, SOAP 1.2, getOperationHistory
 *   with the AuthorizationHeader in the body (spec «Единичный доступ» §2.4);
 * - `GET /fc?wsdl` (+ `?xsd=1|2`) and `POST /fc`: batch access, SOAP 1.1, getTicket (≤ 3000
 *   identifiers) and getResponseByTicket, error 6 until the ticket is ready (`ticketReadyMs` after it
 *   was issued), 17 once it is older than 32 hours (§2, §3.3, §4.3).
 * Faults: a bad login (AuthorizationFault; batch error 3), an unknown identifier
 * (OperationHistoryFault; batch item error 12), the daily limit per login (`dailyLimit` requests a
 * Moscow day; then OperationHistoryFault / a SOAP 1.1 fault «Превышен суточный лимит запросов» —
 * an assumption: the specification names the limit but not its fault text), `truncateNext` answers
 * cut in the middle of the XML (HTTP 200, broken XML).
 * Letters: post-tracking.data.ts; an operation is shown once the sandbox clock has passed it.
 *
 * Admin (`/__sandbox/post-tracking/…`): `GET letters?case=<host>|<number>` or `?barcode=`,
 * `POST letters` (a {@link SandboxLetter} JSON: adds or replaces), `GET settings`, `POST settings`
 * (JSON merged into the settings), `GET stats` (calls per login and day, tickets).
 */
import { XMLParser } from 'fast-xml-parser';
import { jsonResponse, type SandboxContext, type SandboxSite, type SiteRequest, type SiteResponse } from '../site.ts';
import { operationInstant, PostOffice, type SandboxLetter } from './post-tracking.data.ts';
import { batchAnswer, fault11, fault12, historyAnswer, ticketAnswer } from './soap-answers.ts';
import { TRACKING_HOST, wsdlDocument } from './post-tracking.wsdl.ts';

/** Settings a test or an operator may change at run time. */
export interface PostTrackingSettings {
  /** login → password. */
  accounts: Record<string, string>;
  /** Requests one login may make a Moscow day (both services together). */
  dailyLimit: number;
  /** A ticket's answer is ready this long after it was issued, ms (the real service: minutes). */
  ticketReadyMs: number;
  /** Answers kept this long, ms (32 h). */
  ticketTtlMs: number;
  /** The next N SOAP answers are cut in the middle. */
  truncateNext: number;
}

export const DEFAULT_POST_TRACKING_SETTINGS: PostTrackingSettings = {
  accounts: { 'konveyer-demo': 'demo-password' },
  dailyLimit: 500,
  ticketReadyMs: 1500,
  ticketTtlMs: 32 * 3600_000,
  truncateNext: 0,
};

export interface PostTrackingSite extends SandboxSite {
  office: PostOffice;
  settings: PostTrackingSettings;
  /** Requests per `login|day`, and tickets issued. */
  counters: { calls: Map<string, number>; tickets: number; single: number; batchItems: number };
}

const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, isArray: (n) => n === 'Item' });
type Node = Record<string, unknown>;
const node = (v: unknown): Node => (typeof v === 'object' && v !== null ? (v as Node) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'object' && v !== null && typeof (v as Node)['#text'] === 'string' ? ((v as Node)['#text'] as string).trim() : '');

const soap12 = (xml: string, status = 200): SiteResponse => ({ status, headers: { 'content-type': 'application/soap+xml; charset=utf-8' }, body: Buffer.from(xml) });
const soap11 = (xml: string, status = 200): SiteResponse => ({ status, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: Buffer.from(xml) });
const mskDay = (ms: number) => new Date(ms + 3 * 3600_000).toISOString().slice(0, 10);

export function createPostTrackingSite(overrides: Partial<PostTrackingSettings> = {}) {
  return (shared: SandboxContext): PostTrackingSite => {
    const office = new PostOffice(shared.world);
    const settings: PostTrackingSettings = { ...DEFAULT_POST_TRACKING_SETTINGS, ...overrides, accounts: { ...DEFAULT_POST_TRACKING_SETTINGS.accounts, ...overrides.accounts } };
    const counters = { calls: new Map<string, number>(), tickets: 0, single: 0, batchItems: 0 };
    const tickets = new Map<string, { login: string; barcodes: string[]; issuedAt: number }>();

    const visible = (letter: SandboxLetter, at: number) => letter.operations.filter((op) => operationInstant(op) <= at);
    const authorized = (login: string, password: string) => login !== '' && settings.accounts[login] === password;
    /** Counts one call of `login`; false once past the daily limit. */
    function withinLimit(login: string): boolean {
      const key = `${login}|${mskDay(shared.now())}`;
      const n = (counters.calls.get(key) ?? 0) + 1;
      counters.calls.set(key, n);
      return n <= settings.dailyLimit;
    }
    function maybeTruncate(r: SiteResponse): SiteResponse {
      if (settings.truncateNext <= 0) return r;
      settings.truncateNext -= 1;
      return { ...r, body: r.body.subarray(0, Math.floor(r.body.length / 2)) };
    }

    function single(req: SiteRequest): SiteResponse {
      const body = node(node(node(parser.parse(req.body.toString('utf8'))).Envelope).Body);
      const call = node(body.getOperationHistory);
      const request = node(call.OperationHistoryRequest);
      const auth = node(call.AuthorizationHeader);
      if (!body.getOperationHistory) return soap12(fault12('OperationHistoryFaultReason', 'Неизвестный метод'), 500);
      if (!authorized(str(auth.login), str(auth.password))) return soap12(fault12('AuthorizationFaultReason', 'Ошибка авторизации: неверный логин или пароль'), 500);
      if (!withinLimit(str(auth.login))) return soap12(fault12('OperationHistoryFaultReason', 'Превышен суточный лимит запросов'), 500);
      counters.single += 1;
      const letter = office.get(str(request.Barcode).toUpperCase());
      if (!letter) return soap12(fault12('OperationHistoryFaultReason', 'Информация о заданном идентификаторе отправления отсутствует'), 500);
      return maybeTruncate(soap12(historyAnswer(letter, visible(letter, shared.now()))));
    }

    function batch(req: SiteRequest): SiteResponse {
      const body = node(node(node(parser.parse(req.body.toString('utf8'))).Envelope).Body);
      if (body.ticketRequest !== undefined) {
        const call = node(body.ticketRequest);
        const login = str(call.login);
        if (!authorized(login, str(call.password))) return soap11(ticketAnswer({ error: [3, 'Неуспешная авторизация клиента при вызове метода'] }));
        if (!withinLimit(login)) return soap11(fault11('Превышен суточный лимит запросов'), 500);
        const items = (node(call.request).Item as unknown[] | undefined) ?? [];
        const barcodes = items.map((i) => String(node(i)['@_Barcode'] ?? '').trim().toUpperCase());
        if (barcodes.length === 0 || barcodes.some((b) => b === '')) return soap11(ticketAnswer({ error: [2, 'Формат данных запроса не соответствует установленному настоящим протоколом'] }));
        if (barcodes.length > 3000) return soap11(ticketAnswer({ error: [18, 'Превышено максимально допустимое количество отправлений в запросе'] }));
        if (barcodes.some((b) => b.length > 14)) return soap11(ticketAnswer({ error: [21, 'Длина одного или нескольких из запрошенных идентификаторов отправлений превышает максимальный размер'] }));
        const at = new Date(shared.now() + 3 * 3600_000);
        const ticket = `${at.toISOString().replace(/[-:TZ.]/g, '').slice(0, 17)}${login.toUpperCase()}`;
        const id = tickets.has(ticket) ? `${ticket}${tickets.size}` : ticket;
        tickets.set(id, { login, barcodes, issuedAt: shared.now() });
        counters.tickets += 1;
        return maybeTruncate(soap11(ticketAnswer({ ticket: id })));
      }
      if (body.answerByTicketRequest !== undefined) {
        const call = node(body.answerByTicketRequest);
        const login = str(call.login);
        if (!authorized(login, str(call.password))) return soap11(batchAnswer({ error: [3, 'Неуспешная авторизация клиента при вызове метода'] }));
        if (!withinLimit(login)) return soap11(fault11('Превышен суточный лимит запросов'), 500);
        const t = tickets.get(str(call.ticket));
        if (!t || t.login !== login || shared.now() - t.issuedAt > settings.ticketTtlMs) {
          return soap11(batchAnswer({ error: [17, 'Время хранения ответа по билету истекло, ответ был удален с сервера'] }));
        }
        if (shared.now() - t.issuedAt < settings.ticketReadyMs) return soap11(batchAnswer({ error: [6, 'Ответ по билету ещё не готов'] }));
        const preparedAt = t.issuedAt + settings.ticketReadyMs;
        counters.batchItems += t.barcodes.length;
        const items = t.barcodes.map((barcode) => {
          const letter = office.get(barcode);
          return { barcode, ops: letter ? visible(letter, preparedAt) : null };
        });
        return maybeTruncate(soap11(batchAnswer({ preparedAt: new Date(preparedAt), items })));
      }
      return soap11(fault11('Неизвестный метод'), 500);
    }

    return {
      name: 'post-tracking',
      office,
      settings,
      counters,
      matches: (vhost) => vhost === TRACKING_HOST,
      async handle(req) {
        if (req.method === 'GET') {
          const doc = wsdlDocument(req.path, req.rawQuery);
          if (doc) return { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: Buffer.from(doc) };
          return { status: 404, headers: { 'content-type': 'text/html; charset=utf-8' }, body: Buffer.from('<html><body><h1>404 Not Found</h1></body></html>') };
        }
        if (req.method !== 'POST') return { status: 405, headers: { allow: 'GET, POST' }, body: Buffer.alloc(0) };
        if (req.path === '/rtm34') return single(req);
        if (req.path === '/fc') return batch(req);
        return { status: 404, headers: { 'content-type': 'text/html; charset=utf-8' }, body: Buffer.from('<html><body><h1>404 Not Found</h1></body></html>') };
      },
      async admin(path, req) {
        if (!path.startsWith('/post-tracking/')) return null;
        const q = new URLSearchParams(req.rawQuery);
        const json = () => JSON.parse(req.body.toString('utf8') || '{}') as unknown;
        if (path === '/post-tracking/letters' && req.method === 'GET') {
          const c = q.get('case');
          const b = q.get('barcode');
          const list = c ? office.letters.filter((l) => l.caseKey === c) : b ? office.letters.filter((l) => l.barcode === b) : office.letters.slice(0, 200);
          return jsonResponse(200, list);
        }
        if (path === '/post-tracking/letters' && req.method === 'POST') {
          const letter = json() as SandboxLetter;
          office.put({ ...letter, kind: letter.kind ?? 'scripted', caseKey: letter.caseKey ?? null, ipNumber: letter.ipNumber ?? null });
          return jsonResponse(200, { ok: true, barcode: letter.barcode });
        }
        if (path === '/post-tracking/settings') {
          if (req.method === 'POST') Object.assign(settings, json());
          return jsonResponse(200, settings);
        }
        if (path === '/post-tracking/stats') return jsonResponse(200, { calls: Object.fromEntries(counters.calls), tickets: counters.tickets, single: counters.single, batchItems: counters.batchItems, letters: office.letters.length });
        return null;
      },
    };
  };
}

/** The registered tracking replica with default settings. */
export const postTrackingSite = createPostTrackingSite();
