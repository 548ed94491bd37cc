/**
 * The `post.tracking` flow. One letter, or a batch of up to POST_TRACKING_BATCH_MIN: single access,
 * one getOperationHistory per identifier. A larger batch: batch access — getTicket once (the ticket
 * is kept in Redis under the lookup, so a retry resumes instead of asking again), then
 * getResponseByTicket no earlier than the poll interval after it and not more often (the job is
 * delayed in between, holding no worker); an expired ticket is asked for again. Every request draws
 * on the account's daily limit (daily-quota.ts). Each letter read is saved to `postal_items` with its
 * links and the terms its delivery starts.
 */
import type { Redis } from 'ioredis';
import { AuthRequiredError, describeError, LayoutDriftError, NotFoundError, RateLimitedError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { postalItemsSaved, postTrackingCalls } from '../../core/metrics.ts';
import type { LetterDeadline, LetterLink } from '../../core/postal-deadlines.ts';
import type { PostalItemRecord, PostTrackingAnswer } from '../../core/postal-records.ts';
import { parsePostTracking } from '../../parsers/post-tracking/index.ts';
import type { PostTrackingItemInput } from '../../queues/post-tracking.payload.ts';
import type { SourceRef } from '../../storage/court-cases.types.ts';
import type { PostalItemStore } from '../../storage/postal-items.types.ts';
import type { EvidenceRecorder } from '../runtime/evidence-recorder.ts';
import type { FetchedPage } from '../runtime/page-fetcher.ts';
import { parseWithEvidence } from '../runtime/page-errors.ts';
import type { DailyQuota } from './daily-quota.ts';
import type { SoapCall, TrackingSoapClients } from './soap-clients.ts';

export interface TrackingAccount {
  id: string;
  login: string;
  password: string;
}

/** What one lookup's flow needs (lent by the robot process). */
export interface PostTrackingFlowContext {
  lookupId: string;
  clients: TrackingSoapClients;
  quota: DailyQuota;
  accounts: readonly TrackingAccount[];
  items: PostalItemStore;
  evidence: EvidenceRecorder;
  /** The record's `source` for the answer it was read from (the runtime stamps the parser). */
  sourceOf(page: FetchedPage): SourceRef;
  redis: Redis;
  prefix: string;
  batchMin: number;
  ticketPollMs: number;
  cadence: { baseSecs: number; maxSecs: number };
  deadlinesFor(links: readonly LetterLink[], deliveredAt: string): LetterDeadline[];
  log: Logger;
}

export interface PostTrackingOutcome {
  /** Identifiers saved, in input order. */
  saved: string[];
  /** Identifiers the service has no information on. */
  unknown: string[];
  mode: 'single' | 'batch';
}

/** Waiting for a ticket's answer: the queue delays the job (code rate_limited) without counting an attempt. */
export class TicketPendingError extends RateLimitedError {
  constructor(ticket: string, waitMs: number) {
    super(`batch ticket ${ticket} not ready yet; asking again in ${Math.round(waitMs / 1000)} s`, waitMs, { target: 'post-tracking', details: { ticketPending: true, ticket } });
  }
}

interface StoredTicket {
  ticket: string;
  account: string;
  issuedAt: number;
  asks: number;
}

const TICKET_TTL_MS = 32 * 3600_000;

/** Runs one lookup to the end (or to a delay). */
export async function runPostTracking(ctx: PostTrackingFlowContext, letters: readonly PostTrackingItemInput[]): Promise<PostTrackingOutcome> {
  if (ctx.accounts.length === 0) throw new AuthRequiredError('no tracking account configured (POST_TRACKING_ACCOUNTS)', { target: 'post-tracking' });
  if (letters.length > ctx.batchMin) return runBatch(ctx, letters);
  const out: PostTrackingOutcome = { saved: [], unknown: [], mode: 'single' };
  for (const letter of letters) {
    // A delayed or retried lookup resumes: letters it already saved are not asked for again.
    const done = await ctx.items.get(letter.barcode);
    if (done?.source.lookupId === ctx.lookupId) {
      out.saved.push(letter.barcode);
      continue;
    }
    const account = await ctx.quota.takeFrom(ctx.accounts);
    const call: SoapCall = { evidence: ctx.evidence, step: `history-${letter.barcode}` };
    const answer = await readAnswer(ctx, account, () => ctx.clients.getOperationHistory(letter.barcode, account, call), letter.barcode).catch((error: unknown) => {
      if (describeError(error).code === 'not_found' && letters.length > 1) return null;
      throw error;
    });
    if (!answer) {
      out.unknown.push(letter.barcode);
      continue;
    }
    for (const item of answer.answer.items) {
      await save(ctx, item, letter.for ? [letter.for] : [], answer.page);
      out.saved.push(item.barcode);
    }
  }
  return out;
}

async function runBatch(ctx: PostTrackingFlowContext, letters: readonly PostTrackingItemInput[]): Promise<PostTrackingOutcome> {
  const key = `${ctx.prefix}:post-tracking:ticket:${ctx.lookupId}`;
  const stored = await ctx.redis.get(key);
  let held: StoredTicket | null = stored ? (JSON.parse(stored) as StoredTicket) : null;
  if (held && Date.now() - held.issuedAt > TICKET_TTL_MS) held = null;
  if (!held) {
    const account = await ctx.quota.takeFrom(ctx.accounts);
    const call: SoapCall = { evidence: ctx.evidence, step: 'get-ticket' };
    const got = await readAnswer(ctx, account, () => ctx.clients.getTicket(letters.map((l) => l.barcode), account, call));
    if (!got.answer.ticket) throw new LayoutDriftError('getTicket answered without a ticket', { evidenceId: got.page.evidenceId });
    held = { ticket: got.answer.ticket, account: account.id, issuedAt: Date.now(), asks: 0 };
    await ctx.redis.set(key, JSON.stringify(held), 'PX', TICKET_TTL_MS);
    ctx.log.info({ ticket: held.ticket, items: letters.length }, 'tracking ticket issued');
    throw new TicketPendingError(held.ticket, ctx.ticketPollMs);
  }
  const account = ctx.accounts.find((a) => a.id === held!.account);
  // The ticket belongs to its account; if that account is gone from config, ask for a new one.
  if (!account) {
    await ctx.redis.del(key);
    return runBatch(ctx, letters);
  }
  if (!(await ctx.quota.take(account.id))) await ctx.quota.takeFrom([account]);
  const call: SoapCall = { evidence: ctx.evidence, step: `answer-by-ticket-${held.asks + 1}` };
  const got = await readAnswer(ctx, account, () => ctx.clients.getResponseByTicket(held!.ticket, account, call));
  if (got.answer.ticketState === 'not_ready') {
    await ctx.redis.set(key, JSON.stringify({ ...held, asks: held.asks + 1 }), 'PX', TICKET_TTL_MS);
    throw new TicketPendingError(held.ticket, ctx.ticketPollMs);
  }
  if (got.answer.ticketState === 'expired') {
    ctx.log.warn({ ticket: held.ticket }, 'tracking ticket expired; asking for a new one');
    await ctx.redis.del(key);
    return runBatch(ctx, letters);
  }
  const byBarcode = new Map(letters.map((l) => [l.barcode, l]));
  const out: PostTrackingOutcome = { saved: [], unknown: [], mode: 'batch' };
  for (const item of got.answer.items) {
    const letter = byBarcode.get(item.barcode);
    if (item.state === 'not_found') {
      out.unknown.push(item.barcode);
      continue;
    }
    await save(ctx, item, letter?.for ? [letter.for] : [], got.page);
    out.saved.push(item.barcode);
  }
  await ctx.redis.del(key);
  ctx.log.info({ ticket: held.ticket, saved: out.saved.length, unknown: out.unknown.length }, 'tracking batch read');
  return out;
}

/** One call: its raw answer parsed with evidence; the daily-limit fault spends the account's day. */
async function readAnswer(
  ctx: PostTrackingFlowContext,
  account: TrackingAccount,
  send: () => Promise<SoapCall & { response: { url: string; status: number; body: Buffer }; evidenceId: string }>,
  barcode?: string,
): Promise<{ answer: PostTrackingAnswer; page: FetchedPage }> {
  const method = barcode ? 'getOperationHistory' : 'batch';
  const call = await send().catch((error: unknown) => {
    postTrackingCalls.inc({ method, result: describeError(error).code });
    throw error;
  });
  const page: FetchedPage = { url: call.response.url, status: call.response.status, html: call.response.body.toString('utf8'), evidenceId: call.evidenceId, fetchedAt: call.receivedAt ?? new Date() };
  try {
    const answer = parseWithEvidence(page, () => parsePostTracking(page.html, { barcode }));
    postTrackingCalls.inc({ method: answer.kind === 'ticket' ? 'getTicket' : answer.kind === 'batch' ? 'getResponseByTicket' : 'getOperationHistory', result: answer.ticketState === 'not_ready' ? 'not_ready' : 'answer' });
    return { answer, page };
  } catch (error) {
    postTrackingCalls.inc({ method, result: describeError(error).code });
    if (error instanceof RateLimitedError && error.details?.dailyLimit) {
      // The service counts differently (another client of the account?): its day is spent. The job
      // comes back in a second and takes another account, or waits for the next day (quota.takeFrom).
      await ctx.quota.exhaust(account.id);
      throw new RateLimitedError(`${error.message} (account ${account.id})`, 1000, { target: 'post-tracking', details: { dailyLimit: true, account: account.id, evidenceId: page.evidenceId } });
    }
    if (error instanceof NotFoundError) error.details && Object.assign(error.details, { evidenceId: page.evidenceId });
    throw error;
  }
}

async function save(ctx: PostTrackingFlowContext, item: PostalItemRecord, links: LetterLink[], page: FetchedPage): Promise<void> {
  const res = await ctx.items.save(item, ctx.sourceOf(page), {
    links,
    deadlinesFor: ctx.deadlinesFor,
    cadence: ctx.cadence,
  });
  postalItemsSaved.inc({ state: res.state });
  ctx.log.debug({ barcode: item.barcode, state: res.state, events: res.events }, 'postal item saved');
}
