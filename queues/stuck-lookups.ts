/**
 * Lookups the worker's own failure path never finished. BullMQ can end a job outside our handler:
 * a job that stalled more than `maxStalledCount` times is failed by whichever worker picks it up
 * next ("job stalled more than allowable limit") without running the handler, and a process can
 * die between failing a job in Redis and writing MongoDB. Here: one finaliser for such jobs (the
 * worker's `failed` listener) and one sweeper for what every listener missed. The same sweeper
 * re-queues orphans: lookups `queued` whose job does not exist (a crash or a Redis outage between
 * storing a lookup and adding its job), under jobId = lookup id so nothing is ever doubled.
 *
 * Both only ever move a lookup from `queued`/`running` to `failed`, never touch a final state, and
 * write the same verdict when run twice or by two processes at once (idempotent without locks, so
 * right on MongoDB 7 and on FerretDB whose conditional updates are not atomic).
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { isConnectionError } from '../core/connection-state.ts';
import { JobLostError, StalledError, describeError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { LookupDoc, LookupError, LookupStore } from '../storage/lookups.types.ts';
import { lookupJobOptions, type JobOptionsConfig } from './job-options.ts';
import type { JobName } from './names.ts';
import { createQueueCache } from './queue-cache.ts';
import type { JobData } from './payloads.ts';

/** BullMQ's own reason for a job failed by the stalled-job checker. */
export const STALLED_REASON = /stalled more than allowable limit/i;

const OPEN = new Set(['queued', 'running']);

/** The error a lookup ends with when its job ended in `failed` outside our handler. */
export function stuckLookupError(lookup: Pick<LookupDoc, 'error'>, jobState: 'failed' | 'missing', failedReason?: string): LookupError {
  if (jobState === 'missing') {
    return { ...describeError(new JobLostError('the queue job of this lookup is gone while it was running')), details: { jobState } };
  }
  if (!failedReason || STALLED_REASON.test(failedReason)) {
    const err = new StalledError('its robot stopped while holding the job more often than the queue allows (job stalled more than allowable limit)');
    return { ...describeError(err), details: { jobState, failedReason: failedReason ?? null } };
  }
  // Failed for another reason by a process that died before recording it: keep the last error the
  // lookup recorded (a retry's), else the queue's reason as an internal error.
  const last = lookup.error;
  return last
    ? { ...last, details: { ...last.details, jobState, failedReason, exhausted: true } }
    : { code: 'internal', kind: 'permanent', message: failedReason, details: { jobState } };
}

/**
 * Ends the lookup `failed` when it is still open. Returns the stored lookup after the write, or
 * null when there was nothing to do (no such lookup, or it is already final).
 * The read-then-write leaves a window of one round trip in which a zombie handler's real result
 * could land first and be overwritten; a zombie's result written afterwards wins, as it should.
 */
export async function finaliseOpenLookup(lookups: LookupStore, lookupId: string, error: (doc: LookupDoc) => LookupError): Promise<LookupDoc | null> {
  const doc = await lookups.get(lookupId);
  if (!doc || !OPEN.has(doc.status)) return null;
  await lookups.markFinished(lookupId, 'failed', { error: error(doc) });
  return lookups.get(lookupId);
}

export interface ReconcileDeps<N extends JobName = JobName> {
  lookups: LookupStore;
  /** The BullMQ queue of a job name (reads only). */
  queueFor: (name: N) => Queue;
  /** Job names whose lookups this sweeper looks at. */
  types: readonly N[];
  log: Logger;
  /** Called with each lookup this sweep finalised (webhooks). */
  onFinished?: (lookup: LookupDoc) => Promise<void>;
}

export interface ReconcileOptions {
  /** Only lookups not updated for this long (ms): a grace for jobs moving between states. */
  olderThanMs: number;
  /** Running lookups read per type and sweep (default 1000). */
  limit?: number;
}

/**
 * One sweep: every `running` lookup older than `olderThanMs` whose job is `failed` or missing ends
 * `failed` (`stalled`, `job_lost`, or its last error). Jobs still waiting, delayed or active are
 * left to the workers. Returns what it finalised.
 */
export async function reconcileStuckLookups<N extends JobName>(deps: ReconcileDeps<N>, options: ReconcileOptions): Promise<Array<{ id: string; code: string }>> {
  const fixed: Array<{ id: string; code: string }> = [];
  const cutoff = Date.now() - options.olderThanMs;
  for (const type of deps.types) {
    const running = await deps.lookups.list({ status: 'running', type }, options.limit ?? 1000);
    for (const lookup of running) {
      if (new Date(lookup.updatedAt).getTime() > cutoff) continue;
      const queue = deps.queueFor(type);
      const state = await queue.getJobState(lookup._id);
      if (state !== 'failed' && state !== 'unknown') continue;
      const failedReason = state === 'failed' ? (await queue.getJob(lookup._id))?.failedReason : undefined;
      const done = await finaliseOpenLookup(deps.lookups, lookup._id, (doc) => stuckLookupError(doc, state === 'failed' ? 'failed' : 'missing', failedReason));
      if (!done) continue;
      fixed.push({ id: lookup._id, code: done.error?.code ?? 'internal' });
      deps.log.warn({ lookupId: lookup._id, queue: type, jobState: state, code: done.error?.code }, 'stuck running lookup finalised');
      await deps.onFinished?.(done).catch((err: unknown) => deps.log.error({ err }, 'onFinished hook failed'));
    }
  }
  return fixed;
}

/** What {@link requeueOrphanedLookups} needs beyond the reconcile deps: the options of a fresh job. */
export interface RequeueDeps<N extends JobName = JobName> extends Omit<ReconcileDeps<N>, 'onFinished'> {
  jobOptions: JobOptionsConfig;
}

/** Where the last orphan sweep stopped, per job name (`_id` of the last lookup read). */
export type OrphanCursor = Map<string, string | null>;

/**
 * One sweep for orphans: lookups `queued` (not updated for `olderThanMs`) whose BullMQ job does not
 * exist — a submit that stored the lookup and died or lost Redis before `addBulk`, a Redis restart
 * without the job's write, an ops retry cut between removing and re-adding the job. Each gets its job
 * again under jobId = lookup id, so a job that appears meanwhile is never doubled (BullMQ ignores an
 * add whose id exists). Reads `limit` lookups per type and sweep, continuing from `cursor` next time,
 * so a queue of 100 000 waiting lookups is walked whole over several sweeps.
 * @returns the ids re-queued.
 */
export async function requeueOrphanedLookups<N extends JobName>(deps: RequeueDeps<N>, options: ReconcileOptions & { cursor?: OrphanCursor }): Promise<string[]> {
  const requeued: string[] = [];
  const cutoff = Date.now() - options.olderThanMs;
  const limit = options.limit ?? 1000;
  for (const type of deps.types) {
    const after = options.cursor?.get(type) ?? null;
    const page = await deps.lookups.listAfter({ status: 'queued', type }, after, limit);
    options.cursor?.set(type, page.length < limit ? null : page[page.length - 1]!._id);
    const queue = deps.queueFor(type);
    for (const lookup of page) {
      if (new Date(lookup.updatedAt).getTime() > cutoff) continue;
      if ((await queue.getJobState(lookup._id)) !== 'unknown') continue;
      await queue.add(type, { lookupId: lookup._id, input: lookup.input } as unknown as JobData, lookupJobOptions(lookup._id, deps.jobOptions));
      requeued.push(lookup._id);
    }
    if (requeued.length > 0) deps.log.warn({ queue: type, requeued: requeued.length, first: requeued[0] }, 'queued lookups without a job re-queued');
  }
  return requeued;
}

export interface StuckLookupSweeperOptions<N extends JobName> extends Omit<ReconcileDeps<N>, 'queueFor'>, ReconcileOptions {
  /** Options of the jobs the sweeper re-adds for orphaned `queued` lookups. */
  jobOptions: JobOptionsConfig;
  /** Redis connection and queue prefix of the swept queues (read-only use). */
  connection: Redis;
  prefix: string;
  /** Seconds between sweeps (STUCK_SWEEP_SECS); 0 = never sweep. */
  everySecs: number;
}

/**
 * Sweeps (stuck `running` lookups, then orphaned `queued` ones) now and then every `everySecs` in the background (what every robot pool and OCR worker
 * runs); one sweep at a time. `stop()` ends the timer, waits for a sweep in progress and closes
 * the queues it opened.
 */
export function startStuckLookupSweeper<N extends JobName>(options: StuckLookupSweeperOptions<N>): { stop: () => Promise<void> } {
  const { connection, prefix, everySecs, olderThanMs, limit, jobOptions, ...deps } = options;
  const cursor: OrphanCursor = new Map();
  const queues = createQueueCache<N>({ connection, prefix });
  const queueFor = queues.queueFor;
  let sweeping: Promise<unknown> | null = null;
  const sweep = () => {
    sweeping ??= reconcileStuckLookups({ ...deps, queueFor }, { olderThanMs, limit })
      .then(() => requeueOrphanedLookups({ ...deps, queueFor, jobOptions }, { olderThanMs, limit, cursor }))
      // Redis or MongoDB away: their watchers say so once; the next sweep tries again.
      .catch((err: unknown) => (isConnectionError(err) ? undefined : deps.log.warn({ err }, 'stuck lookup sweep failed')))
      .finally(() => (sweeping = null));
  };
  const timer = everySecs > 0 ? setInterval(sweep, everySecs * 1000).unref() : null;
  if (timer) sweep();
  return {
    async stop() {
      if (timer) clearInterval(timer);
      await sweeping;
      await queues.close();
    },
  };
}
