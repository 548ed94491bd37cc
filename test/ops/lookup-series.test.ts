/**
 * A lookup worker's counts in the dashboard's series (queues/worker.ts → queues/farm-series.ts), on
 * real Redis and the MongoDB-wire server: the attempts of a second go out together (one MULTI, not
 * one per lookup), and the last ones are written when the worker closes.
 */
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { minuteOf, seriesKey } from '../../queues/farm-series.ts';
import { lookupJobOptions } from '../../queues/job-options.ts';
import { startLookupWorker } from '../../queues/worker.ts';
import type { Storage } from '../../storage/index.ts';
import { waitForFinal } from '../helpers/lookups.ts';
import { monitorRedis } from '../helpers/redis-monitor.ts';
import { dropStorage, openTestStorage, testPrefix, testRedis } from '../helpers/services.ts';

const log = createLogger({ level: 'silent' });
const input = { court: 'oktyabrsky--ufa.sudrf.ru', number: '2-1/2025' };
let storage: Storage;
let redis: Redis;

beforeAll(async () => {
  storage = await openTestStorage();
  redis = testRedis();
});

afterAll(async () => {
  redis?.disconnect();
  await dropStorage(storage);
});

describe('lookup counts of a worker in the dashboard series', () => {
  it('six lookups finishing together are counted in fewer writes than lookups, all of them by the time the worker has closed', { timeout: 60_000 }, async () => {
    const prefix = testPrefix('lookup-series');
    const queue = new Queue('court.case', { connection: redis, prefix });
    const connection = testRedis();
    // Every HINCRBY on this prefix's lookup buckets, as Redis ran it (inside MULTI too).
    const increments: number[] = [];
    const monitor = await monitorRedis(redis, ({ args }) => {
      if (args[0]?.toLowerCase() === 'hincrby' && args[1]?.startsWith(`${prefix}:series:lookups:`)) increments.push(Number(args[3]));
    });
    const ids = Array.from({ length: 6 }, () => randomUUID());
    await storage.lookups.insertMany(ids.map((_id) => ({ _id, type: 'court.case' as const, input })));
    const minute = minuteOf(Date.now());
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const worker = startLookupWorker({
      name: 'court.case', connection, prefix, concurrency: 6, lookups: storage.lookups, log, robotId: 'series-test',
      // Every attempt waits for the last one to start, so the six end within a few ms of each other.
      handler: async () => {
        await gate;
        return { status: 'succeeded', result: null, evidenceCount: 0 };
      },
    });
    try {
      for (const id of ids) await queue.add('court.case', { lookupId: id, input } as never, lookupJobOptions(id, { attempts: 1, backoffMs: 100 }));
      await waitForRunning(storage, ids);
      release();
      await waitForFinal(storage.lookups, ids, 20_000);
    } finally {
      await worker.close();
      await queue.close();
    }
    const key = (m: number) => seriesKey(prefix, 'lookups', m);
    await expectEventually(async () => {
      const counted = Number((await redis.hget(key(minute), 'succeeded')) ?? 0) + Number((await redis.hget(key(minute + 1), 'succeeded')) ?? 0);
      expect(counted).toBe(6);
    });
    // Redis feeds MONITOR before it runs a command, but our socket may not have read the line yet.
    await expectEventually(async () => expect(increments.reduce((a, b) => a + b, 0)).toBe(6));
    monitor.stop();
    // One write per lookup before; batched, one per second the six finished in (one or two on a quiet
    // machine; under a full test run's load their final writes can spread over a few seconds).
    expect(increments.length).toBeLessThan(ids.length);
    connection.disconnect();
  });
});

async function waitForRunning(storage: Storage, ids: string[]): Promise<void> {
  await expectEventually(async () => {
    for (const id of ids) expect((await storage.lookups.get(id))?.status).toBe('running');
  }, 20_000);
}

async function expectEventually(check: () => Promise<void>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
