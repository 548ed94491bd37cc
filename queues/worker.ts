import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { isConnectionError } from '../core/connection-state.ts';
import { describeError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { lookupAttempts, lookupDuration } from '../core/metrics.ts';
import type { LookupDoc, LookupStore } from '../storage/lookups.types.ts';
import type { JobName } from './names.ts';
import { FarmSeriesWriter } from './farm-series.ts';
import { decideOutcome } from './outcome.ts';
import { STALLED_REASON, finaliseOpenLookup, stuckLookupError } from './stuck-lookups.ts';
import type { JobData } from './payloads.ts';

/** What a robot handler returns: the lookup's final status and a pointer to its result. */
export interface HandlerResult {
  status: 'succeeded' | 'not_found';
  result: LookupDoc['result'];
  evidenceCount: number;
  /** Records of `result` this attempt saved with the lookup's client in `clientIds` already: the lookup's end does not update them again. */
  recordsWithClient?: readonly string[];
}

export interface HandlerContext<N extends JobName = JobName> {
  lookupId: string;
  input: JobData<N>['input'];
  /** 1-based attempt number. */
  attempt: number;
  /** The lookup's client (as markRunning answered it); absent when the lookup was not found. */
  clientId?: string;
  log: Logger;
}

/** How often a worker writes its lookup counts to the dashboard's series (FarmSeriesWriterOptions.flushEveryMs). */
export const SERIES_FLUSH_MS = 1000;

export type LookupHandler<N extends JobName = JobName> = (ctx: HandlerContext<N>) => Promise<HandlerResult>;

export interface LookupWorkerOptions<N extends JobName> {
  name: N;
  connection: Redis;
  prefix: string;
  concurrency: number;
  lookups: LookupStore;
  handler: LookupHandler<N>;
  log: Logger;
  robotId: string;
  /** Lock duration; a job whose robot died is taken over after this (stalled-job recovery). */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs (default: the lock duration, at most 30 s). */
  stalledIntervalMs?: number;
  /** Times a job may stall (its robot died holding it) before BullMQ fails it (default 3). */
  maxStalledCount?: number;
  /** Start taking jobs at once (default true); false = the owner attaches listeners, then calls `run()`. */
  autorun?: boolean;
  /**
   * Called with the stored lookup after it reached a final status (succeeded, not_found, failed,
   * needs_human), e.g. to announce it to webhooks. Its errors are logged, never fail the job.
   */
  onFinished?: (lookup: LookupDoc) => Promise<void>;
}

/**
 * Thrown by a handler (robots/pool.ts wraps them) whose job was put back on its queue at the
 * shutdown deadline: the attempt records nothing, since another robot re-runs the job.
 */
export class JobRequeuedError extends Error {
  override readonly name = 'JobRequeuedError';
}

/**
 * A BullMQ worker that runs lookups: marks each `running`, runs the handler, records the final
 * status, and turns errors into queue outcomes through `decideOutcome`. Handlers throw; they never
 * catch-log-and-continue.
 */
export function startLookupWorker<N extends JobName>(options: LookupWorkerOptions<N>): Worker<JobData<N>> {
  const { lookups, handler, robotId } = options;
  /** `stored`: the lookup as markFinished answered it (spares a read); undefined = read it. */
  const notifyFinished = async (lookupId: string, log: Logger, stored?: LookupDoc | null): Promise<void> => {
    if (!options.onFinished) return;
    try {
      const doc = stored !== undefined ? stored : await lookups.get(lookupId);
      if (doc) await options.onFinished(doc);
    } catch (err) {
      log.error({ err }, 'onFinished hook failed');
    }
  };
  // The dashboard's charts (queues/farm-series.ts): attempts per minute by outcome, best-effort,
  // added up here and written once a second (a MULTI per lookup was ~1 of its ~8.5 Redis round trips).
  const seriesFailed = (log: Logger) => (err: unknown) => log.debug({ err }, 'series write failed');
  const series = new FarmSeriesWriter(options.connection, options.prefix, Date.now, {
    flushEveryMs: SERIES_FLUSH_MS,
    onFlushError: seriesFailed(options.log),
  });
  const chart = (outcome: string, log: Logger) => void series.lookupFinished(outcome).catch(seriesFailed(log));
  // Jobs whose final lookup status the handler's catch wrote itself (the `failed` listener skips them).
  const finishedByHandler = new Set<string>();
  const worker = new Worker<JobData<N>>(
    options.name,
    async (job: Job<JobData<N>>, token?: string) => {
      const attempt = job.attemptsMade + 1;
      const lookupId = job.data.lookupId;
      const log = options.log.child({ jobId: job.id, queue: options.name, robot: robotId, attempt });
      // The lookup's client, answered by the same round trip: markFinished needs it for the records.
      const clientId = (await lookups.markRunning(lookupId, attempt, robotId))?.clientId;
      // Prometheus (issue 8): attempts by type/outcome/code and their duration; no personal data in labels.
      const startedAt = performance.now();
      const count = (outcome: string, code = '') => {
        lookupAttempts.inc({ type: options.name, outcome, code });
        lookupDuration.observe({ type: options.name, outcome }, (performance.now() - startedAt) / 1000);
        chart(outcome, log);
      };
      try {
        const out = await handler({ lookupId, input: job.data.input, attempt, log, ...(clientId === undefined ? {} : { clientId }) });
        count(out.status);
        const stored = await lookups.markFinished(lookupId, out.status, {
          result: out.result,
          evidenceCount: out.evidenceCount,
          clientId,
          ...(out.recordsWithClient?.length ? { recordsWithClient: out.recordsWithClient } : {}),
        });
        await notifyFinished(lookupId, log, stored);
        log.info({ status: out.status }, 'lookup finished');
        return { status: out.status };
      } catch (error) {
        if (error instanceof JobRequeuedError) {
          // The job is back on its queue (shutdown deadline): another robot runs it; record nothing.
          log.info('attempt abandoned: its job was put back on the queue');
          throw error;
        }
        const described = describeError(error);
        const delays = Number((job.data as { delays?: number }).delays ?? 0);
        const outcome = decideOutcome(error, attempt, job.opts.attempts ?? 1, delays);
        log.warn({ err: described, outcome: outcome.action }, 'lookup attempt failed');
        count(outcome.action === 'park' ? 'needs_human' : outcome.action === 'fail' ? 'failed' : outcome.action, described.code);
        switch (outcome.action) {
          case 'park': {
            const parked = await lookups.markFinished(lookupId, 'needs_human', { error: described, clientId });
            if (job.id) finishedByHandler.add(job.id);
            await notifyFinished(lookupId, log, parked);
            throw new UnrecoverableError(described.message);
          }
          case 'fail': {
            const failed = await lookups.markFinished(lookupId, 'failed', { error: { ...described, details: { ...described.details, exhausted: outcome.exhausted } }, clientId });
            if (job.id) finishedByHandler.add(job.id);
            await notifyFinished(lookupId, log, failed);
            throw new UnrecoverableError(described.message);
          }
          case 'delay':
            await lookups.markRetrying(lookupId, described);
            await job.updateData({ ...job.data, delays: delays + 1 } as JobData<N>);
            await job.moveToDelayed(Date.now() + outcome.delayMs, token);
            throw new DelayedError();
          case 'retry':
            await lookups.markRetrying(lookupId, described);
            throw error;
        }
      }
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs ?? 60_000,
      // Look for stalled jobs at least once per lock period (BullMQ's default is every 30 s).
      stalledInterval: options.stalledIntervalMs ?? Math.min(30_000, options.lockDurationMs ?? 60_000),
      maxStalledCount: options.maxStalledCount ?? 3,
      autorun: options.autorun ?? true,
    },
  );
  // Redis being away is reported once per state change by the connection's watcher
  // (queues/redis.ts watchRedisConnection), not once per failed command here.
  worker.on('error', (err) => {
    if (!isConnectionError(err)) options.log.error({ err }, 'worker error');
  });
  // A job can end `failed` without our handler's catch above: BullMQ fails a job that stalled more
  // than maxStalledCount times when a worker (maybe this one, for another robot's job) picks it up,
  // without running the handler. Finish such lookups here; the pool's sweeper catches the rest.
  worker.on('failed', (job) => {
    if (!job) return;
    void finaliseFailedJob(job).catch((err: unknown) => options.log.error({ err, jobId: job.id }, 'finalising a failed job\'s lookup failed'));
  });
  const finaliseFailedJob = async (job: Job<JobData<N>>): Promise<void> => {
    // A verdict whose `failed` event never came (moveToFailed refused) must not pile up.
    if (finishedByHandler.size > 10_000) finishedByHandler.clear();
    // The handler's own verdicts (fail/park) are already stored, and retries are not final: only a
    // job BullMQ has put in `failed` with a lookup still open is ours to finish.
    if (!job.id || finishedByHandler.delete(job.id)) return;
    if (!STALLED_REASON.test(job.failedReason ?? '') && (await job.getState()) !== 'failed') return;
    const lookupId = job.data?.lookupId;
    if (!lookupId) return;
    const done = await finaliseOpenLookup(lookups, lookupId, (doc) => stuckLookupError(doc, 'failed', job.failedReason));
    if (!done) return;
    const log = options.log.child({ jobId: job.id, queue: options.name, robot: robotId });
    lookupAttempts.inc({ type: options.name, outcome: 'failed', code: done.error?.code ?? 'internal' });
    chart('failed', log);
    log.warn({ code: done.error?.code, reason: job.failedReason }, 'lookup failed outside its handler');
    await notifyFinished(lookupId, log);
  };
  // The last second's counts go out when the worker closes (its connection is borrowed: still open).
  worker.on('closed', () => void series.flush().catch(seriesFailed(options.log)));
  return worker;
}
