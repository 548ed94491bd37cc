/**
 * HTTP API figures (issue 6):
 *   1. a CSV batch of N lookups (default 100 000) POSTed to /v1/lookups/batch → seconds until every
 *      row is in MongoDB and every job in the BullMQ queue, rows/s, server RSS (peak);
 *   2. single-submit latency p50/p99 under C concurrent clients (default 200) from loopback,
 *      autocannon in a child process for D seconds (default 10).
 *
 *   npx tsx bench/api.bench.ts [rows=100000] [connections=200] [seconds=10]
 *
 * The server runs in this process (its RSS is this process's; the CSV is generated lazily, so the
 * client side adds little). Services: embedded Redis + MongoDB-wire server under .run/bench.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Queue } from 'bullmq';
import { createApiServer } from '../api/server.ts';
import { loadConfig } from '../config/index.ts';
import type { JobName } from '../queues/names.ts';
import { createRedis } from '../queues/redis.ts';
import { openStorage } from '../storage/index.ts';
import { spawnChild } from './support/child.ts';
import { startBenchServices } from './support/farm.ts';
import { finish, singleFigure } from './support/report.ts';

const [rows = 100_000, connections = 200, seconds = 10] = process.argv.slice(2).map(Number);
const services = await startBenchServices();
const db = `bench_api_${randomUUID().slice(0, 8)}`;
const storage = await openStorage({ uri: withDb(services.mongoUri, db), db });
const redis = createRedis(services.redisUrl);
const config = loadConfig({ REDIS_URL: services.redisUrl, MONGODB_URI: services.mongoUri, QUEUE_PREFIX: db, LOG_LEVEL: 'silent', API_BATCH_MAX_ROWS: String(Math.max(rows, 100_000)) });
const queues = new Map<JobName, Queue>();
const queueFor = (name: JobName) => {
  let q = queues.get(name);
  if (!q) queues.set(name, (q = new Queue(name, { connection: redis, prefix: config.queue.prefix })));
  return q;
};
const app = await createApiServer({ storage, queueFor, config, pingRedis: () => redis.ping() });
const base = await app.listen({ port: 0, host: '127.0.0.1' });
const { token } = await storage.apiKeys.create({ name: 'bench', scopes: ['submit', 'read'] });

let peakRssMb = process.memoryUsage().rss / 2 ** 20;
const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, process.memoryUsage().rss / 2 ** 20)), 100);

// ---- 1. CSV batch ----
const csv = Readable.from(
  (function* () {
    yield 'court,number,uid,caseId,caseUid,mode,clientKey\n';
    for (let i = 0; i < rows; i += 1000) {
      let chunk = '';
      for (let j = i; j < Math.min(rows, i + 1000); j++) chunk += `oktyabrsky--ufa.sudrf.ru,2-${(j % 99_999) + 1}/${2000 + Math.floor(j / 99_999)},,,,,bench-${j}\n`;
      yield chunk;
    }
  })(),
);
const rssBefore = process.memoryUsage().rss / 2 ** 20;
const t0 = performance.now();
const res = await fetch(`${base}/v1/lookups/batch`, {
  method: 'POST',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
  body: csv as unknown as BodyInit,
  duplex: 'half',
} as RequestInit);
const answer = (await res.json()) as { created?: number; error?: unknown };
const batchSeconds = (performance.now() - t0) / 1000;
if (res.status !== 202) throw new Error(`batch refused: ${res.status} ${JSON.stringify(answer).slice(0, 500)}`);
const [inMongo, jobs] = await Promise.all([storage.lookups.model.countDocuments({}), queueFor('court.case').getJobCountByTypes('wait', 'delayed')]);
const batchPeakMb = peakRssMb;

// ---- 2. single submits under load ----
const body = JSON.stringify({ type: 'court.case', input: { court: 'leninsky--ufa.sudrf.ru', number: '2-1/2025' } });
const cannon = spawnChild('node_modules/.bin/autocannon', [
  '-c', String(connections), '-d', String(seconds), '-t', '60', '-m', 'POST', '-H', `authorization=Bearer ${token}`, '-H', 'content-type=application/json', '-b', body, '-j', `${base}/v1/lookups`,
]);
await cannon.exited;
const ac = JSON.parse(cannon.stdoutLines().join('\n')) as {
  latency: { p50: number; p99: number; average: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
};
clearInterval(sampler);

finish({
  bench: 'api',
  figures: [
    singleFigure(`CSV batch of ${rows} → MongoDB + queue`, 's', batchSeconds),
    singleFigure('CSV batch rows/s', 'rows/s', rows / batchSeconds),
    singleFigure('server RSS peak during the batch', 'MB', batchPeakMb),
    singleFigure(`single submit p50 (${connections} clients)`, 'ms', ac.latency.p50),
    singleFigure(`single submit p99 (${connections} clients)`, 'ms', ac.latency.p99),
    singleFigure('single submits/s', 'req/s', ac.requests.average),
  ],
  notes: [
    `batch: ${inMongo} lookups in MongoDB, ${jobs} jobs waiting, ${answer.created} created; RSS before ${rssBefore.toFixed(0)} MB`,
    `autocannon: ${ac.requests.total} requests, ${ac.non2xx} non-2xx, ${ac.errors} errors, ${seconds} s, ${connections} connections; RSS peak overall ${peakRssMb.toFixed(0)} MB`,
    'server, embedded Redis and FerretDB (SQLite) share the 2-core VM; the server runs in the benchmark process',
  ],
  rounds: [{ batchSeconds, inMongo, jobs, latency: ac.latency, requests: ac.requests }],
});

await app.close();
for (const q of queues.values()) await q.close();
redis.disconnect();
await storage.conn.dropDatabase().catch(() => undefined);
await storage.close();
await services.stop();

function withDb(uri: string, name: string): string {
  const u = new URL(uri);
  u.pathname = `/${name}`;
  return u.toString();
}
