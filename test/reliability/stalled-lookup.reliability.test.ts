/**
 * A job whose robot dies while holding it, more often than `maxStalledCount` allows, is failed by
 * BullMQ ("job stalled more than allowable limit") in ANOTHER worker, without our handler running —
 * so the handler's failure path never marks the lookup. Real Redis + the MongoDB-wire server:
 * the lookup must still end `failed` with code `stalled`, and the sweeper must finalise lookups
 * left `running` whose job failed or vanished, without ever touching a real final state.
 */
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { lookupJobOptions } from '../../queues/job-options.ts';
import { reconcileStuckLookups } from '../../queues/stuck-lookups.ts';
import { startLookupWorker, type LookupHandler } from '../../queues/worker.ts';
import type { LookupDoc, Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage, testPrefix, testRedis } from '../helpers/services.ts';

const log = createLogger({ level: 'silent' });
const input = { court: 'oktyabrsky--ufa.sudrf.ru', number: '2-1/2025' };
let storage: Storage;
let redis: Redis;
let queue: Queue;
const prefix = testPrefix('stalled');

beforeAll(async () => {
  storage = await openTestStorage();
  redis = testRedis();
  queue = new Queue('court.case', { connection: redis, prefix });
});

afterAll(async () => {
  await queue?.close();
  redis?.disconnect();
  await dropStorage(storage);
});

const newLookup = () => newLookupIn(storage);

async function newLookupIn(store: Storage): Promise<string> {
  const id = randomUUID();
  await store.lookups.insertMany([{ _id: id, type: 'court.case', input }]);
  return id;
}

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a lookup whose job stalled more than allowed', () => {
  it('ends failed with code stalled, although the worker that failed it never ran its handler', { timeout: 60_000 }, async () => {
    const id = await newLookup();
    await queue.add('court.case', { lookupId: id, input } as never, lookupJobOptions(id, { attempts: 3, backoffMs: 100 }));
    // Short locks so the test sees the stall in seconds; 0 stalls allowed = the first one fails it.
    const fast = { lockDurationMs: 1000, stalledIntervalMs: 300, maxStalledCount: 0, concurrency: 1, prefix, log, lookups: storage.lookups };

    // Robot 1 takes the job and never finishes it; then it "dies": closed without releasing the
    // job, so its lock is no longer renewed and expires.
    const doomedConnection = testRedis();
    const hang: LookupHandler<'court.case'> = () => new Promise(() => undefined);
    const doomed = startLookupWorker({ ...fast, name: 'court.case', connection: doomedConnection, handler: hang, robotId: 'doomed' });
    await waitFor('the lookup running', async () => (await storage.lookups.get(id))?.status === 'running');
    await doomed.close(true);
    doomedConnection.disconnect();

    // Robot 2's stalled checker finds the job without a lock and BullMQ fails it on pick-up.
    let handled = 0;
    const count: LookupHandler<'court.case'> = async () => {
      handled += 1;
      return { status: 'succeeded', result: null, evidenceCount: 0 };
    };
    const survivorConnection = testRedis();
    const survivor = startLookupWorker({ ...fast, name: 'court.case', connection: survivorConnection, handler: count, robotId: 'survivor' });
    try {
      await waitFor('the job failed', async () => (await queue.getJobState(id)) === 'failed');
      expect((await queue.getJob(id))?.failedReason).toMatch(/stalled more than allowable limit/);
      const doc = await waitFor('the lookup final', async () => {
        const d = await storage.lookups.get(id);
        return d && d.status !== 'running' && d.status !== 'queued' ? d : null;
      }, 15_000);
      expect(doc.status).toBe('failed');
      expect(doc.error?.code).toBe('stalled');
      expect(doc.error?.kind).toBe('permanent');
      expect(doc.finishedAt).toBeInstanceOf(Date);
      expect(handled, 'the stalled job must not have been re-run').toBe(0);
    } finally {
      await survivor.close();
      survivorConnection.disconnect();
    }
  });
});

describe('reconcileStuckLookups (the sweeper)', () => {
  it('finalises running lookups whose job failed or vanished; leaves final states and live jobs alone; idempotent', { timeout: 60_000 }, async () => {
    const sweepQueue = new Queue('court.case', { connection: redis, prefix: `${prefix}-sweep` });
    // Its own database: the sweeper looks at every running lookup of the type.
    const own = await openTestStorage();
    const newLookup = () => newLookupIn(own);
    try {
      // (a) A process failed the job (here: a stall verdict) and died before writing MongoDB.
      const failedId = await newLookup();
      // (b) The job vanished (e.g. Redis lost it) while the lookup was running.
      const lostId = await newLookup();
      // (c) A real final state whose job also failed (a zombie finished it): never overwritten.
      const finalId = await newLookup();
      // (d) A running lookup whose job is back on the queue (stall under the limit): not ours to end.
      const waitingId = await newLookup();
      for (const id of [failedId, finalId]) await sweepQueue.add('court.case', { lookupId: id, input } as never, lookupJobOptions(id, { attempts: 1, backoffMs: 100 }));
      const failer = new Worker(
        'court.case',
        async () => {
          throw new UnrecoverableError('job stalled more than allowable limit');
        },
        { connection: redis.duplicate(), prefix: `${prefix}-sweep`, concurrency: 2 },
      );
      await waitFor('two failed jobs', async () => (await sweepQueue.getJobCounts('failed')).failed === 2);
      await failer.close();
      await sweepQueue.add('court.case', { lookupId: waitingId, input } as never, lookupJobOptions(waitingId, { attempts: 1, backoffMs: 100 }));
      for (const id of [failedId, lostId, finalId, waitingId]) await own.lookups.markRunning(id, 1, 'dead-robot');
      await own.lookups.markFinished(finalId, 'succeeded', { result: { collection: 'court_cases', id: 'c1' }, evidenceCount: 2 });

      const deps = { lookups: own.lookups, queueFor: () => sweepQueue, log, types: ['court.case' as const] };
      // Young lookups are left alone (a grace for jobs between their states).
      expect(await reconcileStuckLookups(deps, { olderThanMs: 60_000 })).toEqual([]);
      await new Promise((r) => setTimeout(r, 300));
      const fixed = await reconcileStuckLookups(deps, { olderThanMs: 200 });
      expect(fixed.map((f) => f.id).sort()).toEqual([failedId, lostId].sort());

      const get = async (id: string) => (await own.lookups.get(id)) as LookupDoc;
      const failed = await get(failedId);
      expect([failed.status, failed.error?.code]).toEqual(['failed', 'stalled']);
      const lost = await get(lostId);
      expect([lost.status, lost.error?.code]).toEqual(['failed', 'job_lost']);
      const kept = await get(finalId);
      expect([kept.status, kept.result?.id, kept.error]).toEqual(['succeeded', 'c1', null]);
      expect((await get(waitingId)).status).toBe('running');

      // A second sweep changes nothing and keeps the first verdict's time.
      expect(await reconcileStuckLookups(deps, { olderThanMs: 200 })).toEqual([]);
      expect((await get(failedId)).finishedAt?.getTime()).toBe(failed.finishedAt?.getTime());
    } finally {
      await sweepQueue.obliterate({ force: true }).catch(() => undefined);
      await sweepQueue.close();
      await dropStorage(own);
    }
  });
});
