/**
 * Cost of the per-key limits (issue 20): GET /v1/lookups/{id} requests/s and p99 under C clients
 * (autocannon, loopback), the API with the limiter (every request one Redis EVAL; limits far above
 * the load) against the same API without it, in alternating rounds side by side.
 *
 *   npx tsx bench/rate-limit.bench.ts [rounds=3] [connections=50] [seconds=5]
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { createApiServer } from '../api/server.ts';
import { loadConfig } from '../config/index.ts';
import type { JobName } from '../queues/names.ts';
import { createRedis } from '../queues/redis.ts';
import { openStorage } from '../storage/index.ts';
import { spawnChild } from './support/child.ts';
import { startBenchServices } from './support/farm.ts';
import { figureOf, finish } from './support/report.ts';

const [rounds = 3, connections = 50, seconds = 5] = process.argv.slice(2).map(Number);
const services = await startBenchServices();
const db = `bench_rl_${randomUUID().slice(0, 8)}`;
const u = new URL(services.mongoUri);
u.pathname = `/${db}`;
const storage = await openStorage({ uri: u.toString(), db });
const redis = createRedis(services.redisUrl);
const config = loadConfig({
  REDIS_URL: services.redisUrl, MONGODB_URI: services.mongoUri, QUEUE_PREFIX: db, LOG_LEVEL: 'silent',
  API_RATE_LIMIT_REQUESTS_PER_MIN: '10000000', API_RATE_LIMIT_ROWS_PER_MIN: '10000000',
});
const queues = new Map<JobName, Queue>();
const queueFor = (name: JobName) => {
  let q = queues.get(name);
  if (!q) queues.set(name, (q = new Queue(name, { connection: redis, prefix: config.queue.prefix })));
  return q;
};
const deps = { storage, queueFor, config, pingRedis: () => redis.ping() };
const limited = await createApiServer({ ...deps, redis });
const plain = await createApiServer(deps);
const urls = { limited: await limited.listen({ port: 0, host: '127.0.0.1' }), plain: await plain.listen({ port: 0, host: '127.0.0.1' }) };
const { token } = await storage.apiKeys.create({ name: 'bench', scopes: ['submit', 'read'] });
const sub = await fetch(`${urls.plain}/v1/lookups`, {
  method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  body: JSON.stringify({ type: 'court.case', input: { court: 'leninsky--ufa.sudrf.ru', number: '2-1/2025' } }),
});
const id = ((await sub.json()) as { lookup: { id: string } }).lookup.id;

async function cannon(base: string) {
  const c = spawnChild('node_modules/.bin/autocannon', ['-c', String(connections), '-d', String(seconds), '-H', `authorization=Bearer ${token}`, '-j', `${base}/v1/lookups/${id}`]);
  await c.exited;
  const r = JSON.parse(c.stdoutLines().join('\n')) as { requests: { average: number }; latency: { p99: number }; non2xx: number };
  if (r.non2xx > 0) throw new Error(`${r.non2xx} non-2xx answers from ${base}`);
  return r;
}
const res = { limited: [] as number[], plain: [] as number[], limitedP99: [] as number[], plainP99: [] as number[] };
for (let i = 0; i < rounds; i++) {
  // Alternate which goes first: the VM's speed drifts.
  for (const which of i % 2 ? (['plain', 'limited'] as const) : (['limited', 'plain'] as const)) {
    const r = await cannon(urls[which]);
    res[which].push(r.requests.average);
    res[`${which}P99`].push(r.latency.p99);
  }
}
finish({
  bench: 'rate-limit',
  figures: [
    figureOf('GET /v1/lookups/{id} req/s with per-key limits', 'req/s', res.limited, { baseline: 'same API without the limiter', baselineValues: res.plain, goalMin: 0.8 }),
    figureOf('p99 with per-key limits', 'ms', res.limitedP99, { baseline: 'without', baselineValues: res.plainP99 }),
  ],
  notes: [`${rounds} rounds × ${seconds} s, ${connections} connections each, loopback; server, embedded Redis and FerretDB in one 2-core VM shared with other work`],
  rounds: [res],
});
await limited.close();
await plain.close();
for (const q of queues.values()) await q.close();
redis.disconnect();
await storage.conn.dropDatabase().catch(() => undefined);
await storage.close();
await services.stop();
