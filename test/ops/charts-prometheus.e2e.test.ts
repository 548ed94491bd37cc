/**
 * The charts read from Prometheus (PROMETHEUS_URL): a real `prometheus` binary (Debian package,
 * installed by scripts/setup.sh) scrapes the API's /metrics every second with METRICS_TOKEN while a
 * robot pool in this process runs court lookups on the sandbox; `GET /ops/api/series` of an API with
 * PROMETHEUS_URL set then answers from Prometheus range queries with the same charts: succeeded
 * lookups, latency and success rate of the courts that were read, queue depth per queue, one robot
 * online and its process memory.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FarmSeriesPayload } from '../../api/ops/farm-charts.ts';
import { createApiServer } from '../../api/server.ts';
import { loadConfig, type Config } from '../../config/index.ts';
import { createLogger } from '../../core/logger.ts';
import type { JobName } from '../../queues/names.ts';
import { createQueueCache } from '../../queues/queue-cache.ts';
import { createRedis } from '../../queues/redis.ts';
import { submitLookups } from '../../queues/submit.ts';
import { startRobotPool, type RobotPool } from '../../robots/pool.ts';
import { startSandbox } from '../../sandbox/server.ts';
import { MongoRobotStore } from '../../storage/robots.repo.ts';
import type { LookupDoc, Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage, serviceUrls, testPrefix } from '../helpers/services.ts';

const PROMETHEUS = spawnSync('sh', ['-c', 'command -v prometheus'], { encoding: 'utf8' }).stdout.trim();
if (!PROMETHEUS) console.warn('test/ops/charts-prometheus: no prometheus binary (Debian package "prometheus"): skipped');
const METRICS_TOKEN = 'charts-prometheus-scrape-token-0123456789';

let storage: Storage;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let pool: RobotPool;
let config: Config;
let api: FastifyInstance;
let base: string;
let prometheus: ChildProcess | undefined;
let promUrl: string;
let dir: string;
let token: string;
const redis = createRedis(serviceUrls().redisUrl);
const queues = createQueueCache({ connection: redis, prefix: () => config.queue.prefix });
const queueFor = (name: JobName) => queues.queueFor(name);

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

beforeAll(async () => {
  if (!PROMETHEUS) return;
  storage = await openTestStorage();
  sandbox = await startSandbox({ port: 0, seed: 23 });
  config = loadConfig({
    REDIS_URL: serviceUrls().redisUrl,
    MONGODB_URI: serviceUrls().mongoUri,
    QUEUE_PREFIX: testPrefix('charts-prom'),
    SANDBOX_ORIGIN: sandbox.url,
    POLITENESS_RPS: '50',
    POLITENESS_CONCURRENCY: '4',
    JOB_ATTEMPTS: '2',
    JOB_BACKOFF_MS: '50',
    ROBOT_CONCURRENCY: '3',
    COURT_SUDRF_MODE: 'http',
    HEARTBEAT_SECS: '1',
    METRICS_TOKEN,
    LOG_LEVEL: 'silent',
  });
  api = await createApiServer({ storage, queueFor, config, pingRedis: () => redis.ping() }, { authCacheMs: 0 });
  await api.listen({ port: 0, host: '127.0.0.1' });
  const apiPort = (api.server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${apiPort}`;
  token = (await storage.apiKeys.create({ name: 'charts-prom-test', scopes: ['ops'] })).token;

  dir = mkdtempSync(path.join(tmpdir(), 'konveyer-prom-'));
  writeFileSync(
    path.join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: konveyer-api\n    metrics_path: /metrics\n    authorization:\n      type: Bearer\n      credentials: ${METRICS_TOKEN}\n    static_configs:\n      - targets: ['127.0.0.1:${apiPort}']\n`,
  );
  const promPort = await freePort();
  promUrl = `http://127.0.0.1:${promPort}`;
  prometheus = spawn(PROMETHEUS, [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`], { stdio: 'ignore' });
  await until('prometheus ready', async () => (await fetch(`${promUrl}/-/ready`)).ok);
  // Scraping our API: the target is up.
  await until('the API scraped', async () => {
    const r = (await (await fetch(`${promUrl}/api/v1/query?query=up`)).json()) as { data: { result: Array<{ value: [number, string] }> } };
    return r.data.result[0]?.value[1] === '1';
  });
  pool = await startRobotPool({ config, storage, log: createLogger({ level: 'silent' }), robotId: 'prom-robot', heartbeats: new MongoRobotStore(storage.conn), only: ['court.case'] });
}, 120_000);

afterAll(async () => {
  prometheus?.kill('SIGTERM');
  await api?.close();
  await pool?.close(5000);
  await queues.close();
  redis.disconnect();
  await sandbox?.close();
  if (storage) await dropStorage(storage);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!PROMETHEUS)('charts from Prometheus (PROMETHEUS_URL)', () => {
  it('answers /ops/api/series from range queries over the scraped /metrics', async () => {
    const plain = (host: string) => !sandbox.world.courts.find((k) => k.host === host)!.hasSearchCaptcha;
    const cases = sandbox.world.cases.filter((c) => c.srvNum === 1 && plain(c.host)).slice(0, 8);
    const deps = { lookups: storage.lookups, queueFor, jobOptions: { attempts: config.queue.attempts, backoffMs: config.queue.backoffMs } };
    const finished = (id: string) => until(`lookup ${id}`, async () => ((d: LookupDoc | null) => d && ['succeeded', 'not_found', 'failed'].includes(d.status) && d)(await storage.lookups.get(id)), 90_000);
    // Two waves a few scrapes apart: a counter's first appearance is no increase to Prometheus.
    for (const wave of [cases.slice(0, 2), cases.slice(2)]) {
      const res = await submitLookups(deps, wave.map((c) => ({ type: 'court.case' as const, input: { court: c.host, caseId: String(c.caseId), caseUid: c.caseUid } })));
      const done = await Promise.all(res.lookups.map((l) => finished(l.id)));
      expect(done.map((d) => d.status)).toEqual(done.map(() => 'succeeded'));
      await new Promise((r) => setTimeout(r, 3000));
    }

    // A second API with PROMETHEUS_URL: the dashboard's series come from Prometheus.
    const promConfig: Config = { ...config, series: { prometheusUrl: promUrl, sampleSecs: 60 } };
    const promApi = await createApiServer({ storage, queueFor, config: promConfig, pingRedis: () => redis.ping() }, { authCacheMs: 0 });
    await promApi.listen({ port: 0, host: '127.0.0.1' });
    try {
      const promBase = `http://127.0.0.1:${(promApi.server.address() as AddressInfo).port}`;
      const res = await fetch(`${promBase}/ops/api/series?range=1h`, { headers: { 'x-api-key': token } });
      expect(res.status).toBe(200);
      const p = (await res.json()) as FarmSeriesPayload;
      expect(p.source).toBe('prometheus');
      expect(p.times).toHaveLength(60);
      const chart = (id: string) => p.charts.find((c) => c.id === id)!;
      const last = (id: string, name: string) => chart(id).series.find((s) => s.name === name)?.values.at(-1) ?? null;
      expect(last('lookups', 'succeeded')).toBeGreaterThan(0);
      const courtHosts = new Set(cases.map((c) => c.host));
      const latencyHosts = chart('latency').series.map((s) => /^(.+) p(50|90|99)$/.exec(s.name)?.[1]);
      expect(latencyHosts.some((h) => h !== undefined && courtHosts.has(h))).toBe(true);
      const known = (values: Array<number | null>) => values.filter((v): v is number => v !== null);
      expect(chart('latency').series.flatMap((s) => known(s.values)).some((ms) => ms > 0)).toBe(true);
      // Every court answered every request.
      const success = chart('success').series.filter((s) => courtHosts.has(s.name));
      expect(success.length).toBeGreaterThan(0);
      expect(success.flatMap((s) => known(s.values)).every((v) => v === 100)).toBe(true);
      expect(chart('queues').series.map((s) => s.name)).toEqual(expect.arrayContaining(['court.case', 'fssp.search']));
      expect(last('robots', 'robots online')).toBe(1);
      expect(chart('memory').series[0]!.values.at(-1)).toBeGreaterThan(10); // MB of this process
      // Nothing asked a captcha solver: no data, not a zero line.
      expect(chart('captcha').series).toEqual([]);
      // The Redis path of the first API still answers from Redis.
      expect(((await (await fetch(`${base}/ops/api/series?range=1h`, { headers: { 'x-api-key': token } })).json()) as FarmSeriesPayload).source).toBe('redis');
    } finally {
      await promApi.close();
    }
  }, 240_000);
});
