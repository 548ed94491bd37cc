/**
 * Ops controls end to end on real Redis, the real MongoDB-wire server and the sandbox, with a robot
 * pool in this process: pause/resume (host and queue), retry/discard, the circuit breaker opening on
 * a dead host and closing after it recovers, limits changed at run time, heartbeats, and /metrics
 * served by the dashboard plugin mounted on a bare fastify.
 */
import { Queue } from 'bullmq';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsPlugin } from '../../api/ops/ops.plugin.ts';
import { OpsService } from '../../api/ops/ops.service.ts';
import { loadConfig, type Config } from '../../config/index.ts';
import { createLogger } from '../../core/logger.ts';
import type { JobName } from '../../queues/names.ts';
import { createRedis } from '../../queues/redis.ts';
import { submitLookups, type SubmitRequest } from '../../queues/submit.ts';
import { startRobotPool, type RobotPool } from '../../robots/pool.ts';
import { CircuitBreaker } from '../../runtime/circuit-breaker.ts';
import type { SandboxCase } from '../../sandbox/data/index.ts';
import { startSandbox } from '../../sandbox/server.ts';
import { MongoRobotStore } from '../../storage/robots.repo.ts';
import type { LookupDoc, Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage, serviceUrls, testPrefix } from '../helpers/services.ts';

let storage: Storage;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let pool: RobotPool;
let config: Config;
let ops: OpsService;
let app: FastifyInstance;
let token: string;
const queues = new Map<JobName, Queue>();
const redis = createRedis(serviceUrls().redisUrl);
const FINAL = ['succeeded', 'not_found', 'failed', 'needs_human'];

const queueFor = (name: JobName) => {
  let q = queues.get(name);
  if (!q) queues.set(name, (q = new Queue(name, { connection: redis, prefix: config.queue.prefix })));
  return q;
};

beforeAll(async () => {
  storage = await openTestStorage();
  sandbox = await startSandbox({ port: 0, seed: 11 });
  config = loadConfig({
    REDIS_URL: serviceUrls().redisUrl,
    MONGODB_URI: serviceUrls().mongoUri,
    QUEUE_PREFIX: testPrefix('ops'),
    SANDBOX_ORIGIN: sandbox.url,
    POLITENESS_RPS: '50',
    POLITENESS_CONCURRENCY: '4',
    JOB_ATTEMPTS: '2',
    JOB_BACKOFF_MS: '50',
    ROBOT_CONCURRENCY: '4',
    CIRCUIT_FAILURES: '3',
    CIRCUIT_COOLDOWN_MS: '1500',
    HEARTBEAT_SECS: '1',
    LOG_LEVEL: 'silent',
  });
  const robots = new MongoRobotStore(storage.conn);
  pool = await startRobotPool({ config, storage, log: createLogger({ level: 'silent' }), robotId: 'ops-test-robot', heartbeats: robots, only: ['court.case'] });
  const deps = {
    redis,
    prefix: config.queue.prefix,
    queueFor,
    lookups: storage.lookups,
    robots,
    jobOptions: { attempts: config.queue.attempts, backoffMs: config.queue.backoffMs },
    politeness: config.politeness,
    auditLog: storage.auditLog,
    onlineWithinMs: 10_000,
  };
  ops = new OpsService(deps);
  app = Fastify();
  await app.register(opsPlugin({ ...deps, apiKeys: storage.apiKeys, captchaTasks: storage.captchaTasks }));
  await app.ready();
  token = (await storage.apiKeys.create({ name: 'ops-test', scopes: ['ops'] })).token;
});

afterAll(async () => {
  await app?.close();
  await pool?.close(5000);
  for (const q of queues.values()) await q.close();
  redis.disconnect();
  await sandbox?.close();
  await dropStorage(storage);
});

const jobOptions = () => ({ attempts: config.queue.attempts, backoffMs: config.queue.backoffMs });
async function submit(requests: SubmitRequest[]): Promise<string[]> {
  const res = await submitLookups({ lookups: storage.lookups, queueFor, jobOptions: jobOptions() }, requests);
  return res.lookups.map((l) => l.id);
}
async function waitFor(ids: string[], until: (d: LookupDoc) => boolean, timeoutMs = 60_000): Promise<LookupDoc[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const docs = (await Promise.all(ids.map((id) => storage.lookups.get(id)))) as LookupDoc[];
    if (docs.every((d) => d && until(d))) return docs;
    if (Date.now() > deadline) throw new Error(`timed out: ${JSON.stringify(docs.map((d) => [d?.status, d?.error?.code]))}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
const isFinal = (d: LookupDoc) => FINAL.includes(d.status);
const pick = (p: (c: SandboxCase) => boolean) => sandbox.world.cases.find(p)!;
const byIds = (c: SandboxCase): SubmitRequest => ({ type: 'court.case', input: { court: c.host, caseId: String(c.caseId), caseUid: c.caseUid } });

describe('pause and resume', () => {
  it('a paused host makes its lookups wait (host_paused), and they finish after resume', async () => {
    const c = sandbox.world.cases[0]!;
    await ops.pause(c.host);
    const [id] = await submit([byIds(c)]);
    const [waiting] = await waitFor([id!], (d) => d.error?.code === 'host_paused');
    expect(waiting!.status).toBe('queued');
    await ops.resume(c.host);
    // The paused-host retry delay is 30 s by default; promote the delayed job instead of waiting.
    await (await queueFor('court.case').getJob(id!))?.promote().catch(() => undefined);
    const [done] = await waitFor([id!], isFinal);
    expect(done!.status).toBe('succeeded');
  });

  it('a paused queue is not served until it is resumed', async () => {
    await ops.pause('court.case');
    expect(await queueFor('court.case').isPaused()).toBe(true);
    const [id] = await submit([byIds(sandbox.world.cases[1]!)]);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await storage.lookups.get(id!))!.status).toBe('queued');
    await ops.resume('court.case');
    const [done] = await waitFor([id!], isFinal);
    expect(done!.status).toBe('succeeded');
  });
});

describe('retry and discard', () => {
  it('retries failed lookups by code (job re-added, lookup queued then final) and discards one by id (recorded)', async () => {
    const cases = sandbox.world.cases.slice(2, 5);
    // A layout the robot does not know: permanent layout_drift failures.
    for (const c of cases) sandbox.setFaults({ host: c.host, layoutDrift: true });
    const ids = await submit(cases.map(byIds));
    const failed = await waitFor(ids, isFinal);
    expect(failed.map((d) => [d.status, d.error?.code])).toEqual(cases.map(() => ['failed', 'layout_drift']));
    sandbox.setFaults({});

    const discarded = await ops.discard({ id: ids[0]! }, 'test-operator');
    expect(discarded).toEqual([ids[0]]);
    expect(await queueFor('court.case').getJob(ids[0]!)).toBeFalsy();
    const d0 = (await storage.lookups.get(ids[0]!))!;
    expect(d0.status).toBe('failed');
    expect(d0.error?.details?.discarded).toMatchObject({ by: 'test-operator' });
    expect((await storage.auditLog.list({ action: 'ops.discard', target: ids[0]! })).length).toBe(1);

    // Retry by code picks the two others (the discarded one is skipped).
    const retried = await ops.retry({ code: 'layout_drift' });
    expect(retried.sort()).toEqual(ids.slice(1).sort());
    const done = await waitFor(ids.slice(1), isFinal);
    expect(done.map((d) => d.status)).toEqual(['succeeded', 'succeeded']);
    expect((await storage.lookups.get(ids[0]!))!.status).toBe('failed');
    await expect(ops.retry({})).rejects.toThrow(/name the lookups/);
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive 5xx on a dead host — jobs wait, never not_found — and closes when it recovers', async () => {
    const c = pick((x) => x.host !== sandbox.world.cases[0]!.host);
    sandbox.setFaults({ host: c.host, errorRate: 1 });
    const breaker = new CircuitBreaker({ redis, prefix: config.queue.prefix });
    const [id] = await submit([byIds(c)]);
    // Three failures open the circuit; the next attempt is refused as host_paused (retryable).
    const deadline = Date.now() + 30_000;
    while ((await breaker.info(c.host)).state !== 'open') {
      if (Date.now() > deadline) throw new Error('circuit did not open');
      await new Promise((r) => setTimeout(r, 100));
    }
    const info = await breaker.info(c.host);
    expect(info.failures).toBeGreaterThanOrEqual(3);
    const hosts = await ops.hosts();
    const h = hosts.find((x) => x.host === c.host)!;
    expect(h.circuit).toBe('open');
    expect(h.failures).toBeGreaterThanOrEqual(3);
    expect(h.successRate).toBe(0);
    // Whatever state the lookup is in now, it is not "not found".
    expect((await storage.lookups.get(id!))!.status).not.toBe('not_found');

    // A robot asking now is refused without a request reaching the site.
    const before = sandbox.stats()[c.host]?.requests ?? 0;
    await expect(breaker.assertAllowed(c.host)).rejects.toMatchObject({ code: 'host_paused' });
    expect(sandbox.stats()[c.host]?.requests ?? 0).toBe(before);

    // The host recovers: after the cool-down one probe succeeds and closes the circuit.
    sandbox.setFaults({});
    await ops.retry({ id: id! }).catch(() => undefined);
    const [done] = await waitFor([id!], (d) => d.status === 'succeeded', 60_000);
    expect(done!.status).toBe('succeeded');
    expect((await breaker.info(c.host)).state).toBe('closed');
  });
});

describe('limits, heartbeats, metrics', () => {
  it('a limit set at run time is what robots use, and reverts to config when cleared', async () => {
    const host = sandbox.world.cases[0]!.host;
    await ops.setLimit(host, { rps: 1.5, concurrency: 1 });
    // The robots' politeness re-reads limits every 2 s.
    await new Promise((r) => setTimeout(r, 2100));
    await pool.services.politeness.run(host, async () => undefined);
    expect(pool.services.politeness.limitFor(host)).toEqual({ rps: 1.5, concurrency: 1 });
    expect((await ops.hosts()).find((h) => h.host === host)).toMatchObject({ limit: { rps: 1.5, concurrency: 1 }, limitOverridden: true });
    await ops.setLimit(host, null);
    await new Promise((r) => setTimeout(r, 2100));
    await pool.services.politeness.run(host, async () => undefined);
    expect(pool.services.politeness.limitFor(host)).toEqual(config.politeness.default);
  });

  it('the robot is online with its heartbeat, and /metrics needs the ops scope and shows lookups, queues and circuits', async () => {
    const robots = await ops.robots();
    expect(robots.map((r) => r._id)).toContain('ops-test-robot');
    expect(robots[0]).toMatchObject({ pid: process.pid, role: 'robots', concurrency: 4, status: 'running' });

    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(401);
    const other = (await storage.apiKeys.create({ name: 'reader', scopes: ['read'] })).token;
    expect((await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${other}` } })).statusCode).toBe(403);
    const res = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/konveyer_lookup_attempts_total\{type="court.case",outcome="succeeded",code="",app="konveyer"\} [1-9]/);
    expect(res.body).toMatch(/konveyer_lookup_attempts_total\{type="court.case",outcome="failed",code="layout_drift",app="konveyer"\} [1-9]/);
    expect(res.body).toMatch(/konveyer_lookup_duration_seconds_count\{[^}]*type="court.case",outcome="succeeded"[^}]*\} [1-9]/);
    expect(res.body).toMatch(/konveyer_lookups\{type="court.case",state="succeeded",app="konveyer"\} [1-9]/);
    expect(res.body).toMatch(/konveyer_queue_jobs\{queue="court.case",state="failed",app="konveyer"\} \d/);
    expect(res.body).toMatch(/konveyer_host_requests_total\{host="[^"]+",result="failure",app="konveyer"\} [1-9]/);
    expect(res.body).toMatch(/konveyer_circuit_state\{host="[^"]+",app="konveyer"\} 0/);
    expect(res.body).toContain('konveyer_robots_online{role="robots",app="konveyer"} 1');
    // No personal data in labels: no case number, no party name, no lookup id.
    const c = sandbox.world.cases[0]!;
    expect(res.body).not.toContain(c.caseNumber);
    expect(res.body).not.toContain(c.parties[0]!.name);
  });

  it('the dashboard pages render and the form controls work (pause a host from the hosts page)', async () => {
    const headers = { authorization: `Bearer ${token}` };
    for (const url of ['/ops', '/ops/robots', '/ops/hosts', '/ops/captcha', '/ops/failures', '/ops/queues']) {
      const r = await app.inject({ url, headers });
      expect(r.statusCode, url).toBe(200);
    }
    expect((await app.inject({ url: '/ops/robots', headers })).body).toContain('ops-test-robot');
    expect((await app.inject({ url: '/ops/failures', headers })).body).toContain('layout_drift');
    const host = sandbox.world.cases[5]!.host;
    const r = await app.inject({ method: 'POST', url: '/ops/actions/pause', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: `target=${host}` });
    expect(r.statusCode).toBe(303);
    expect(await pool.services.politeness.isPaused(host)).toBe(true);
    const j = await app.inject({ method: 'POST', url: '/ops/actions/resume', headers, payload: { target: host } });
    expect(j.json()).toMatchObject({ ok: true });
    expect(await pool.services.politeness.isPaused(host)).toBe(false);
    // Unknown target: a clear 400, nothing paused.
    const bad = await app.inject({ method: 'POST', url: '/ops/actions/pause', headers, payload: { target: 'not a host' } });
    expect(bad.statusCode).toBe(400);
  });
});
