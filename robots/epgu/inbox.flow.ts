/**
 * The `epgu.inbox` flow over plain HTTP with the account's stored session: (1) «Мои заявления» —
 * statuses of open requests (registration fixes the due date); (2) the ГЭПС feed (TARGETS.md §4),
 * newest first, paged backwards by `lastFeedDate` until the account's cursor; every new item's
 * attachments are downloaded (the raw PDF or FSSP XML is the evidence; an XML comes first, its
 * PDF print form after it), stored as `documents`, linked to their
 * request (by the application number in the item, else the oldest open request of that ИП number),
 * which closes it, and queued for OCR. The cursor is saved after each item: a crash re-reads at most one.
 * 504s are retried in place with pauses (the real feed gives them often).
 */
import { AuthRequiredError, errorCodeOf, LayoutDriftError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { SourceRef } from '../../storage/index.ts';
import type { EvidenceRecorder } from '../runtime/evidence-recorder.ts';
import type { HttpResponse, HttpSession } from '../runtime/http-client.ts';
import type { Politeness } from '../../runtime/politeness.ts';
import type { EpguRobotServices } from '../runtime/robot-services.ts';
import type { TargetRouter } from '../runtime/targets.ts';
import { PATHS, PORTAL_HOST } from './epgu-urls.ts';
import { dueAfterRegistration, parseOrders } from './request.flow.ts';

/**
 * How the inbox reads the portal's JSON answers (feed, details, «Мои заявления»), stamped on each
 * document it stores; bump `version` when what it reads from them changes.
 */
export const EPGU_FEED_PARSER = { name: 'epgu-feed', version: '1.0.0' } as const;

/** A portal answer with when it was received and the evidence item that holds it. */
export type InboxResponse = HttpResponse & { fetchedAt: Date; evidenceId: string };

export interface InboxFlowContext {
  session: HttpSession;
  router: TargetRouter;
  politeness: Politeness;
  evidence: EvidenceRecorder;
  /** The `source` of a document read from a portal answer (the runtime stamps the parser). */
  sourceOf(page: { url: string; evidenceId: string | null; fetchedAt: Date }): SourceRef;
  epgu: EpguRobotServices;
  account: string;
  lookupId: string;
  log: Logger;
}

interface FeedItem {
  id: string;
  title?: string;
  subTitle?: string;
  date: string;
}

export interface InboxOutcome {
  items: number;
  documents: string[];
  linked: number;
  statusUpdates: number;
}

const feedMs = (d: string) => Date.parse(d.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));

/** GET with evidence and in-place retries of 5xx/timeouts; 401 = the session is dead. */
async function get(ctx: InboxFlowContext, path: string, step: string): Promise<InboxResponse> {
  const url = ctx.router.urlFor(PORTAL_HOST, path);
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await ctx.politeness.run(PORTAL_HOST, () => ctx.session.request(url, { headers: { accept: 'application/json, text/html, */*' }, acceptStatuses: [401] }));
      const fetchedAt = new Date();
      const item = await ctx.evidence.record(step, 'http_response', { url: res.url, contentType: res.contentType, body: res.body, meta: { status: res.status } });
      if (res.status === 401) throw new AuthRequiredError('the EPGU session is not valid', { target: 'epgu', url });
      return { ...res, fetchedAt, evidenceId: item._id };
    } catch (error) {
      const code = errorCodeOf(error);
      if ((code === 'server_error' || code === 'timeout' || code === 'network') && attempt < ctx.epgu.feedTries) {
        ctx.log.warn({ step, attempt, code }, 'EPGU answered with an error; retrying after a pause');
        await new Promise((r) => setTimeout(r, ctx.epgu.feedRetryMs * attempt));
        continue;
      }
      throw error;
    }
  }
}

function json<T>(res: HttpResponse, what: string): T {
  try {
    return JSON.parse(res.body.toString('utf8')) as T;
  } catch {
    throw new LayoutDriftError(`EPGU ${what} is not JSON`, { url: res.url });
  }
}

/** Statuses from «Мои заявления» for the account's open requests. */
export async function refreshStatuses(ctx: InboxFlowContext): Promise<number> {
  const open = await ctx.epgu.requests.listOpen({ account: ctx.account });
  if (!open.some((r) => r.applicationNumber)) return 0;
  const rows = parseOrders((await get(ctx, PATHS.orders, 'orders')).body.toString('utf8'));
  let updates = 0;
  for (const req of open) {
    const row = rows.find((o) => o.number === req.applicationNumber);
    if (!row) continue;
    const status = row.status === 'Рассмотрено' ? 'decided' : row.status === 'Зарегистрировано' ? 'registered' : null;
    if (!status && !row.registeredAt) continue;
    await ctx.epgu.requests.recordPortalStatus(req._id, {
      status: status ?? 'sent',
      portalStatus: row.status,
      registeredAt: row.registeredAt,
      dueDate: row.registeredAt ? dueAfterRegistration(ctx.epgu, row.registeredAt) : null,
      source: 'portal',
    });
    updates++;
  }
  return updates;
}

/** Reads the feed since the cursor and stores each new answer. */
export async function readFeed(ctx: InboxFlowContext): Promise<InboxOutcome> {
  const state = await ctx.epgu.sessions.get(ctx.account);
  const cursor = state?.lastFeedDate ?? null;
  const cursorMs = cursor ? feedMs(cursor) : -Infinity;
  const seen = new Set(state?.seenFeedIds ?? []);
  const fresh: FeedItem[] = [];
  let before: string | null = null;
  for (let page = 1; page <= 200; page++) {
    const res = await get(ctx, PATHS.feed(before), `feed-${page}`);
    const body: { items?: FeedItem[]; hasMore?: boolean } = json(res, 'feed');
    if (!Array.isArray(body.items)) throw new LayoutDriftError('EPGU feed without items[]', { selector: 'items' });
    let reachedCursor = false;
    for (const item of body.items) {
      const ms = feedMs(item.date);
      if (ms < cursorMs || (ms === cursorMs && seen.has(item.id))) reachedCursor = true;
      else fresh.push(item);
    }
    if (reachedCursor || !body.hasMore || body.items.length === 0) break;
    before = body.items.at(-1)!.date;
  }
  // Oldest first, so the cursor only moves forward.
  fresh.sort((a, b) => feedMs(a.date) - feedMs(b.date));
  const out: InboxOutcome = { items: 0, documents: [], linked: 0, statusUpdates: 0 };
  let curDate = cursor;
  let curIds = [...seen];
  for (const item of fresh) {
    const ids = await storeItem(ctx, item);
    out.items++;
    out.documents.push(...ids.documents);
    out.linked += ids.linked;
    if (curDate !== null && feedMs(item.date) === feedMs(curDate)) curIds.push(item.id);
    else [curDate, curIds] = [item.date, [item.id]];
    await ctx.epgu.sessions.saveFeedCursor(ctx.account, curDate!, curIds);
  }
  return out;
}

interface FeedDetail {
  id: string;
  title?: string;
  subTitle?: string;
  date: string;
  detail?: { addParams?: Record<string, string | null>; messages?: Array<{ attachments?: Array<{ fileName: string; attachmentId: string; mimeType?: string }> }> };
}

async function storeItem(ctx: InboxFlowContext, item: FeedItem): Promise<{ documents: string[]; linked: number }> {
  const res = await get(ctx, PATHS.feedItem(item.id), `feed-item-${item.id}`);
  const detail = json<FeedDetail>(res, 'feed item');
  const params = detail.detail?.addParams ?? {};
  const applicationNumber = params.OrderId ?? /заявлени[ея] № (\d+)/.exec(item.subTitle ?? '')?.[1] ?? null;
  const ipNumber = params.IpNumber ?? /(\d+\/\d{2}\/\d{5}-ИП)/.exec(item.subTitle ?? '')?.[1] ?? null;
  const request =
    (applicationNumber ? await ctx.epgu.requests.findByApplicationNumber(applicationNumber) : null) ??
    (ipNumber ? ((await ctx.epgu.requests.listOpen({ account: ctx.account, ipNumber }))[0] ?? null) : null);
  const receivedAt = new Date(feedMs(detail.date ?? item.date));
  const documents: string[] = [];
  let linked = 0;
  // An answer may be the FSSP XML with its PDF print form: every file is stored (and read), the XML
  // first, so the request's answer is the exact one and the print form is kept beside it.
  const attachments = (detail.detail?.messages ?? []).flatMap((m) => m.attachments ?? []);
  const isXml = (a: { fileName: string; mimeType?: string }) => /xml/i.test(a.mimeType ?? '') || /\.xml$/i.test(a.fileName);
  attachments.sort((a, b) => Number(isXml(b)) - Number(isXml(a)));
  for (const att of attachments) {
    const file = await get(ctx, PATHS.download(att.attachmentId), `download-${att.attachmentId}`);
    const evidenceId = file.evidenceId;
    const { createHash } = await import('node:crypto');
    const { doc, created } = await ctx.epgu.documents.insert({
      _id: `epgu:${ctx.account}:${att.attachmentId}`,
      origin: 'epgu',
      account: ctx.account,
      feedId: item.id,
      attachmentId: att.attachmentId,
      fileName: att.fileName,
      contentType: file.contentType.split(';')[0]!.trim(),
      size: file.body.length,
      sha256: createHash('sha256').update(file.body).digest('hex'),
      evidenceId,
      requestId: request?._id ?? null,
      applicationNumber: request?.applicationNumber ?? applicationNumber,
      ipNumber: request?.ipNumber ?? ipNumber,
      title: item.title ?? null,
      subTitle: detail.subTitle ?? item.subTitle ?? null,
      receivedAt,
      source: ctx.sourceOf(file),
    });
    documents.push(doc._id);
    if (request) {
      await ctx.epgu.requests.recordAnswer(request._id, doc._id, receivedAt);
      linked++;
    }
    // Also a document stored by an attempt that died before queueing its OCR: the OCR lookup's
    // client key (`ocr:<id>`) makes queueing it again a no-op when it was queued after all.
    if ((created || doc.status === 'pending_ocr') && ctx.epgu.enqueueOcr) {
      await ctx.epgu.enqueueOcr(doc._id);
      await ctx.epgu.documents.setStatus(doc._id, 'ocr_queued');
    }
  }
  return { documents, linked };
}
