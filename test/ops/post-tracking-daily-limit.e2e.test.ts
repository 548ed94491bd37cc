/**
 * The tracking account's daily request limit is one count for the whole farm: two robot pools
 * (as two `konveyer robots` processes would) on one Redis share it. With a limit of 4 and 6 letters,
 * exactly 4 requests reach the service; the other 2 lookups are not failed but delayed in BullMQ
 * until the next Moscow day.
 */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.ts';
import { createLogger } from '../../core/logger.ts';
import { withDomesticCheckDigit } from '../../core/postal-identifiers.ts';
import { msToNextMoscowDay } from '../../robots/post-tracking/daily-quota.ts';
import { createRedis } from '../../queues/redis.ts';
import { submitLookups } from '../../queues/submit.ts';
import { startRobotPool, type RobotPool } from '../../robots/pool.ts';
import { startSandbox } from '../../sandbox/server.ts';
import type { LookupDoc, Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage, serviceUrls, testPrefix } from '../helpers/services.ts';

let storage: Storage;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
const pools: RobotPool[] = [];
const redis = createRedis(serviceUrls().redisUrl);
const prefix = testPrefix('post-limit');
let queue: Queue;

beforeAll(async () => {
  storage = await openTestStorage();
  sandbox = await startSandbox({ port: 0, seed: 7 });
  const config = loadConfig({
    REDIS_URL: serviceUrls().redisUrl,
    MONGODB_URI: serviceUrls().mongoUri,
    QUEUE_PREFIX: prefix,
    SANDBOX_ORIGIN: sandbox.url,
    POLITENESS_RPS: '50',
    POLITENESS_CONCURRENCY: '4',
    JOB_ATTEMPTS: '2',
    ROBOT_CONCURRENCY: '1',
    LOG_LEVEL: 'silent',
    POST_TRACKING_ACCOUNTS: JSON.stringify([{ id: 'main', login: 'konveyer-demo', password: 'demo-password' }]),
    POST_TRACKING_DAILY_LIMIT: '4',
  });
  for (const id of ['robot-a', 'robot-b']) {
    pools.push(await startRobotPool({ config, storage, log: createLogger({ level: 'silent' }), robotId: id, only: ['post.tracking'] }));
  }
  queue = new Queue('post.tracking', { connection: redis, prefix });
  // Slow answers, so both pools (one job at a time each) take part.
  sandbox.setFaults({ host: 'tracking.russianpost.ru', latencyMs: 250 });
});

afterAll(async () => {
  for (const p of pools) await p.close();
  await queue?.close();
  redis.disconnect();
  await sandbox?.close();
  await dropStorage(storage);
});

it('two robot pools draw on one daily count; past it lookups wait for the next day instead of failing', { timeout: 120_000 }, async () => {
  const barcodes = Array.from({ length: 6 }, (_, i) => withDomesticCheckDigit(`450083261${String(i).padStart(4, '0')}`));
  for (const barcode of barcodes) {
    await fetch(`${sandbox.url}/__sandbox/post-tracking/letters`, {
      method: 'POST',
      body: JSON.stringify({ barcode, sender: 'ООО УК', recipient: 'СУД', mailType: 'Письмо', mailCategory: 'Заказное', operations: [{ type: 1, attr: 1, local: '2026-02-16T10:05:00', offset: '+03:00', index: '101000', place: 'Москва 101000' }] }),
    });
  }
  const submitted = await submitLookups({ lookups: storage.lookups, queueFor: () => queue, jobOptions: { attempts: 2, backoffMs: 100 } }, barcodes.map((barcode) => ({ type: 'post.tracking' as const, input: { barcode } })));
  const ids = submitted.lookups.map((l) => l.id);
  // Wait until 4 succeeded and the other 2 came back to `queued` with the limit as their last error.
  const deadline = Date.now() + 60_000;
  let docs: LookupDoc[] = [];
  for (;;) {
    docs = (await Promise.all(ids.map((id) => storage.lookups.get(id)))) as LookupDoc[];
    const done = docs.filter((d) => d.status === 'succeeded').length;
    const waiting = docs.filter((d) => d.status === 'queued' && d.error?.code === 'rate_limited').length;
    if (done + waiting === 6 && waiting > 0) break;
    if (Date.now() > deadline) throw new Error(`not settled: ${JSON.stringify(docs.map((d) => [d.status, d.error?.code]))}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  const succeeded = docs.filter((d) => d.status === 'succeeded');
  const waiting = docs.filter((d) => d.status === 'queued');
  expect(succeeded).toHaveLength(4);
  expect(waiting).toHaveLength(2);
  expect(new Set(succeeded.map((d) => d.robot)).size).toBe(2);
  for (const d of waiting) expect(d.error).toMatchObject({ code: 'rate_limited', details: expect.objectContaining({ dailyLimit: true, limit: 4 }) });
  // The service saw exactly the 4 requests the farm allowed itself.
  const stats = (await (await fetch(`${sandbox.url}/__sandbox/post-tracking/stats`)).json()) as { calls: Record<string, number> };
  expect(Object.entries(stats.calls).filter(([k]) => k.startsWith('konveyer-demo|')).map(([, n]) => n)).toEqual([4]);
  // The two wait in BullMQ as delayed jobs, due just after the next Moscow midnight.
  for (const d of waiting) {
    const job = await queue.getJob(d._id);
    expect(await job!.getState()).toBe('delayed');
    const dueIn = job!.timestamp + job!.delay - Date.now();
    const nextDay = msToNextMoscowDay(Date.now());
    expect(dueIn).toBeGreaterThan(nextDay - 5 * 60_000);
    expect(dueIn).toBeLessThan(nextDay + 5 * 60_000);
  }
  expect(await storage.postalItems.get(waiting[0]!.input.barcode as string)).toBeNull();
});
