/**
 * Redis lost (issue 13 §7): a real redis-server of this file's own (AOF on) killed with SIGKILL
 * under an API wired exactly as `konveyer api` wires it (runtime/farm.ts openFarm with failFast), the
 * real MongoDB-wire server behind it. While Redis is gone a submit answers 503 within a second and
 * stores nothing, /healthz answers within a second naming Redis; the log holds one line per state
 * change of each connection, no stack trace per reconnect attempt; once Redis is back on its port
 * everything works again without a restart. Lookups left `queued` without a job are re-queued by
 * the sweeper, by `ops retry --batch` and by a resubmission with the same client key.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpsService } from '../../api/ops/ops.service.ts';
import { createApiServer } from '../../api/server.ts';
import { openFarm, type Farm } from '../../runtime/farm.ts';
import { loadConfig } from '../../config/index.ts';
import { createRedis, watchRedisConnection } from '../../queues/redis.ts';
import { requeueOrphanedLookups } from '../../queues/stuck-lookups.ts';
import { submitLookups } from '../../queues/submit.ts';
import { startLookupWorker } from '../../queues/worker.ts';
import { repoRoot, startRedis, type EmbeddedRedis } from '../../storage/embedded/index.ts';
import { MongoRobotStore } from '../../storage/robots.repo.ts';
import { serviceUrls, testPrefix } from '../helpers/services.ts';

const runDir = join(repoRoot, '.run', `redis-outage-${process.pid}`);
const logFile = join(runDir, 'api.log');
const input = { court: 'oktyabrsky--ufa.sudrf.ru', number: '2-1/2025' };
const jobOptions = { attempts: 3, backoffMs: 100 };
let redis: EmbeddedRedis;
let farm: Farm;
let app: FastifyInstance;
let token: string;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** kill -9 of this file's Redis; resolves once the process is gone. */
async function killRedis(): Promise<void> {
  process.kill(redis.pid, 'SIGKILL');
  await redis.exited;
}

async function restartRedis(): Promise<void> {
  redis = await startRedis({ runDir, appendOnly: true, port: redis.port });
  await waitFor('the API connection back', () => farm.redisReady());
}

const logLines = (): Array<Record<string, unknown>> =>
  readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  mkdirSync(runDir, { recursive: true });
  redis = await startRedis({ runDir, appendOnly: true });
  const mongoUri = new URL(serviceUrls().mongoUri);
  mongoUri.pathname = `/t_outage_${randomUUID().slice(0, 8)}`;
  const config = loadConfig({ REDIS_URL: redis.url, MONGODB_URI: mongoUri.toString(), QUEUE_PREFIX: testPrefix('outage'), LOG_LEVEL: 'info' });
  // As cli/api.ts: producers fail fast, the log goes to a file we read.
  farm = await openFarm(config, { failFast: true, role: 'api', logFile });
  app = await createApiServer(
    { storage: farm.storage, queueFor: farm.queueFor, config: farm.config, pingRedis: () => farm.redis.ping(), queueReady: farm.redisReady },
    { log: farm.log, authCacheMs: 0 },
  );
  token = (await farm.storage.apiKeys.create({ name: 'all', scopes: ['submit', 'read', 'ops'] })).token;
}, 60_000);

afterAll(async () => {
  await app?.close();
  await farm?.storage.conn.dropDatabase().catch(() => undefined);
  await farm?.close();
  await redis?.stop();
  rmSync(runDir, { recursive: true, force: true });
});

const post = (body: unknown, url = '/v1/lookups') => app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload: body as object });

describe('the API while Redis is gone', () => {
  it('answers 503 within a second, stores nothing, /healthz names redis; after Redis is back on its port all works again', { timeout: 60_000 }, async () => {
    const before = await farm.storage.lookups.model.countDocuments();
    await killRedis();
    await waitFor('the API to see Redis gone', () => !farm.redisReady(), 5000);

    let t0 = Date.now();
    const one = await post({ type: 'court.case', input, clientKey: 'outage-1' });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(one.statusCode).toBe(503);
    expect(one.json().error.code).toBe('queue_unavailable');
    expect(one.headers['retry-after']).toBe('5');

    t0 = Date.now();
    const batch = await post([{ type: 'court.case', input }, { type: 'court.case', input: { ...input, number: '2-2/2025' } }], '/v1/lookups/batch');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(batch.statusCode).toBe(503);
    expect(await farm.storage.lookups.model.countDocuments()).toBe(before);

    t0 = Date.now();
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(health.statusCode).toBe(503);
    expect(health.json()).toMatchObject({ ok: false, mongo: 'ok', down: ['redis'] });

    await restartRedis();
    const again = await post({ type: 'court.case', input, clientKey: 'outage-1' });
    expect(again.statusCode).toBe(201);
    const id = again.json().lookup.id as string;
    expect(await farm.queueFor('court.case').getJobState(id)).toBe('waiting');
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toMatchObject({ ok: true, down: [] });
  });

  it('rolls back what it stored when the jobs could not be added (Redis gone between the check and addBulk)', { timeout: 60_000 }, async () => {
    const before = await farm.storage.lookups.model.countDocuments();
    await killRedis();
    await waitFor('the API to see Redis gone', () => !farm.redisReady(), 5000);
    // No readiness check: the store happens, addBulk fails, the roll-back must remove the lookups.
    const deps = { lookups: farm.storage.lookups, queueFor: farm.queueFor, jobOptions };
    const t0 = Date.now();
    await expect(submitLookups(deps, [{ type: 'court.case', input }, { type: 'court.case', input, clientKey: 'rollback-1' }])).rejects.toMatchObject({ code: 'queue_unavailable' });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await farm.storage.lookups.model.countDocuments()).toBe(before);
    await restartRedis();
  });

  it('logs one line per state change of each connection (lost, retrying, back), no stack trace per attempt', { timeout: 60_000 }, async () => {
    // A worker on its own connection, as a robot runs it; its errors go to the same log.
    const workerConnection = createRedis(redis.url);
    watchRedisConnection(workerConnection, farm.log, 'worker');
    const worker = startLookupWorker({ name: 'court.case', connection: workerConnection, prefix: `${farm.config.queue.prefix}-w`, concurrency: 1, lookups: farm.storage.lookups, handler: async () => ({ status: 'not_found', result: null, evidenceCount: 0 }), log: farm.log, robotId: 'test' });
    await worker.waitUntilReady();
    const from = logLines().length;
    await killRedis();
    // Several reconnect attempts (100, 200, 400, 800 ms …) while it is down.
    await sleep(4000);
    await restartRedis();
    await waitFor('the worker connection back', () => workerConnection.status === 'ready');
    await sleep(500);
    await worker.close();
    workerConnection.disconnect();
    farm.log.flush();
    await sleep(300);
    const lines = logLines().slice(from);
    for (const connection of ['api', 'worker']) {
      const states = lines.filter((l) => l.service === 'redis' && l.connection === connection).map((l) => l.state);
      expect(states, connection).toEqual(['lost', 'retrying', 'back']);
    }
    const back = lines.find((l) => l.state === 'back' && l.connection === 'api')!;
    expect(back.downMs).toBeGreaterThan(3000);
    // Nothing else about the outage: no stack traces, no line per failed attempt.
    expect(lines.filter((l) => JSON.stringify(l).includes('"stack"'))).toEqual([]);
    expect(lines.filter((l) => JSON.stringify(l).includes('ECONNREFUSED')).length).toBeLessThanOrEqual(2);
    expect(lines.length).toBeLessThanOrEqual(8);
  });
});

describe('lookups queued without a job', () => {
  const newOrphans = async (n: number, batchId = randomUUID()) => {
    const docs = Array.from({ length: n }, () => ({ _id: randomUUID(), type: 'court.case', input, batchId }));
    await farm.storage.lookups.insertMany(docs);
    return docs.map((d) => d._id);
  };

  it('are re-queued by the sweeper under their own job id, once', async () => {
    const [orphan] = await newOrphans(1);
    const [withJob] = await newOrphans(1);
    const queue = farm.queueFor('court.case');
    await queue.add('court.case', { lookupId: withJob, input } as never, { jobId: withJob });
    const deps = { lookups: farm.storage.lookups, queueFor: farm.queueFor, types: ['court.case'] as const, log: farm.log, jobOptions };
    // Within the grace (a submit between its store and its addBulk) nothing happens.
    expect(await requeueOrphanedLookups(deps, { olderThanMs: 60_000 })).not.toContain(orphan);
    const requeued = await requeueOrphanedLookups(deps, { olderThanMs: 0 });
    expect(requeued).toContain(orphan);
    expect(requeued).not.toContain(withJob);
    expect(await queue.getJobState(orphan!)).toBe('waiting');
    expect((await queue.getJob(orphan!))?.data).toMatchObject({ lookupId: orphan, input });
    expect(await requeueOrphanedLookups(deps, { olderThanMs: 0 })).toEqual([]);
  });

  it('walk every page of a long queue over successive sweeps', async () => {
    const ids = await newOrphans(7);
    const deps = { lookups: farm.storage.lookups, queueFor: farm.queueFor, types: ['court.case'] as const, log: farm.log, jobOptions };
    const cursor = new Map<string, string | null>();
    const seen = new Set<string>();
    for (let sweep = 0; sweep < 20; sweep++) for (const id of await requeueOrphanedLookups(deps, { olderThanMs: 0, limit: 3, cursor })) seen.add(id);
    for (const id of ids) expect(seen.has(id)).toBe(true);
  });

  it('are re-queued by ops retry --batch', async () => {
    const batchId = randomUUID();
    const ids = await newOrphans(3, batchId);
    const ops = new OpsService({ redis: farm.redis, prefix: farm.config.queue.prefix, queueFor: farm.queueFor, lookups: farm.storage.lookups, robots: new MongoRobotStore(farm.storage.conn), jobOptions, politeness: { default: { rps: 1, concurrency: 1 }, hosts: {} } });
    expect((await ops.retry({ batch: batchId })).sort()).toEqual([...ids].sort());
    for (const id of ids) expect(await farm.queueFor('court.case').getJobState(id)).toBe('waiting');
    expect(await ops.retry({ batch: batchId })).toEqual([]);
  });

  it('are re-queued by a resubmission with the same client key, which returns the same lookup', async () => {
    const deps = { lookups: farm.storage.lookups, queueFor: farm.queueFor, jobOptions };
    const first = await submitLookups(deps, [{ type: 'court.case', input, clientKey: 'resubmit-1' }]);
    const id = first.lookups[0]!.id;
    // The job is lost (an older crash between store and enqueue).
    await (await farm.queueFor('court.case').getJob(id))!.remove();
    const again = await submitLookups(deps, [{ type: 'court.case', input, clientKey: 'resubmit-1' }]);
    expect(again.lookups[0]).toMatchObject({ id, existed: true });
    expect(await farm.queueFor('court.case').getJobState(id)).toBe('waiting');
    // A third time: the job exists, nothing is doubled.
    await submitLookups(deps, [{ type: 'court.case', input, clientKey: 'resubmit-1' }]);
    expect(await farm.queueFor('court.case').getJobCounts('waiting')).toMatchObject({ waiting: expect.any(Number) });
    const waitingIds = (await farm.queueFor('court.case').getWaiting(0, 10_000)).map((j) => j.id);
    expect(waitingIds.filter((j) => j === id)).toHaveLength(1);
  });
});
