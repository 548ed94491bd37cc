/**
 * API reads under load (issue 18 §6): 50 concurrent clients reading lookups and records for 60 s
 * against a database that already holds `lookups` lookups (90 % of one client, `acme`) and half as
 * many court cases, generated straight into MongoDB. Two keys side by side: an `all-clients` read
 * key (no restriction) and `acme`'s own read key (every read narrowed to what its lookups reached).
 * Kinds: one lookup by id, lookups of a batch, lookups by status, court cases (a page), one court
 * case by id. Prints p50/p90/p99 per kind and key; goal p99 ≤ 500 ms.
 *
 *   npx tsx bench/api-reads.bench.ts [lookups=100000] [connections=50] [seconds=60]
 *
 * The server runs in this process; the clients in a child (bench/support/read-load.ts).
 *
 * It also prints the CPU per request of the API (this process) and of the MongoDB-wire server, and
 * what they allow: the clients send their next request as soon as one is answered (a closed loop),
 * so by Little's law the mean latency is clients ÷ throughput, and throughput is at most
 * cores × 1000 ms ÷ (CPU ms per request, all processes). The p99 goal needs at least
 * clients ÷ 0.5 s requests per second of that ceiling (necessary, not enough: the tail needs headroom).
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { createApiServer } from '../api/server.ts';
import { loadConfig } from '../config/index.ts';
import type { JobName } from '../queues/names.ts';
import { createRedis } from '../queues/redis.ts';
import { openStorage } from '../storage/index.ts';
import { REPO_ROOT, spawnTs } from './support/child.ts';
import { startBenchServices } from './support/farm.ts';
import { cpuSeconds, descendants, descendantsNamed } from './support/proc-stats.ts';
import { defaultClientOf, seededCaseId, seededClientsOfCase, seedRecords } from './support/seed-records.ts';
import { finish, singleFigure, type Figure } from './support/report.ts';

const [lookups = 100_000, connections = 50, seconds = 60] = process.argv.slice(2).map(Number);
const services = await startBenchServices();
const db = `bench_reads_${randomUUID().slice(0, 8)}`;
const uri = new URL(services.mongoUri);
uri.pathname = `/${db}`;
const storage = await openStorage({ uri: uri.toString(), db });
const redis = createRedis(services.redisUrl);
const config = loadConfig({ REDIS_URL: services.redisUrl, MONGODB_URI: services.mongoUri, QUEUE_PREFIX: db, LOG_LEVEL: 'silent', API_RATE_LIMIT_REQUESTS_PER_MIN: '0' });
const queues = new Map<JobName, Queue>();
const queueFor = (name: JobName) => queues.get(name) ?? queues.set(name, new Queue(name, { connection: redis, prefix: db })).get(name)!;
const app = await createApiServer({ storage, queueFor, config, pingRedis: () => redis.ping() });
const base = await app.listen({ port: 0, host: '127.0.0.1' });

// ---- data, generated (not through robots): bench/support/seed-records.ts ----
const lookupIds: string[] = [];
const seed = await seedRecords(storage.conn, { lookups, onLookup: (id, j) => defaultClientOf(j) === 'acme' && lookupIds.push(id) });
const { batchIds, cases } = seed;
const batches = batchIds.length;
const seedSecs = seed.secs;
// The embedded FerretDB gathers planner statistics every minute (scripts/ferretdb/sqlite-statistics.patch):
// read the data as a server that has run a minute since it arrived, not in the minute before.
const buildInfo = await storage.conn.db!.admin().command({ buildInfo: 1 });
if (typeof buildInfo.ferretdbVersion === 'string') await new Promise((r) => setTimeout(r, 65_000));
const reachedCases = Array.from({ length: cases }, (_, c) => c).filter((c) => seededClientsOfCase(c, lookups).includes('acme')).map(seededCaseId);

const keys = {
  'all-clients': (await storage.apiKeys.create({ name: 'bench-all', scopes: ['read', 'all-clients'] })).token,
  acme: (await storage.apiKeys.create({ name: 'bench-acme', scopes: ['read'], clientId: 'acme' })).token,
};
const pick = <T>(xs: T[], n: number) => Array.from({ length: n }, () => xs[Math.floor(Math.random() * xs.length)]!);
const kinds = {
  'lookup by id': pick(lookupIds, 500).map((id) => `/v1/lookups/${id}`),
  'lookups of a batch': batchIds.map((b) => `/v1/lookups?batch=${b}&limit=50`),
  'lookups by status': ['succeeded', 'not_found', 'failed'].map((s) => `/v1/lookups?status=${s}&limit=50`),
  'court cases (page)': ['/v1/court-cases?limit=50', '/v1/court-cases?status=accepted&limit=50'],
  'court case by id': pick(reachedCases, 500).map((id) => `/v1/court-cases/${id}`),
};

type Load = { all: Stats; kinds: Record<string, Stats> };
type Stats = { requests: number; non2xx: number; p50: number; p90: number; p99: number; max: number; perSec: number };
const figures: Figure[] = [];
const notes: string[] = [`${lookups} lookups (90 % client acme, ${batches} batches) and ${cases} court cases generated in ${seedSecs.toFixed(0)} s; ${connections} clients, ${seconds} s per key`];
const rounds: unknown[] = [];
for (const [keyName, token] of Object.entries(keys)) {
  const planFile = join(REPO_ROOT, '.run', `api-reads-${process.pid}-${keyName}.json`);
  writeFileSync(planFile, JSON.stringify({ base, token, connections, seconds, kinds }));
  const mongoPids = [...descendantsNamed(process.pid, 'ferretdb'), ...descendantsNamed(process.pid, 'mongod')];
  const mongoCpu = () => mongoPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const api0 = process.cpuUsage();
  const mongo0 = mongoCpu();
  const child = spawnTs('bench/support/read-load.ts', [planFile]);
  const clientPids = [child.proc.pid!, ...descendants(child.proc.pid!)];
  let clientCpu = 0;
  // The load child's CPU, read while it lives (its own, and that of tsx's node under it).
  const sampler = setInterval(() => (clientCpu = Math.max(clientCpu, clientPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0))), 500);
  const code = await child.exited;
  clearInterval(sampler);
  const apiUsage = process.cpuUsage(api0);
  const mongoMs = (mongoCpu() - mongo0) * 1000;
  if (code !== 0) throw new Error(`read-load exited ${code}: ${child.stderrTail()}`);
  const load = JSON.parse(child.stdoutLines().at(-1)!) as Load;
  rounds.push({ key: keyName, ...load });
  console.log(`\nkey ${keyName}: ${load.all.requests} requests, ${load.all.non2xx} non-2xx, ${load.all.perSec.toFixed(0)} req/s`);
  console.log(['kind', 'requests', 'non-2xx', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'].join('\t'));
  for (const [k, s] of Object.entries(load.kinds)) console.log([k, s.requests, s.non2xx, s.p50.toFixed(0), s.p90.toFixed(0), s.p99.toFixed(0), s.max.toFixed(0)].join('\t'));
  figures.push(singleFigure(`API reads p50, ${keyName} key (${connections} clients)`, 'ms', load.all.p50));
  figures.push(singleFigure(`API reads p99, ${keyName} key (${connections} clients)`, 'ms', load.all.p99, { goal: '≤ 500', met: load.all.p99 <= 500 }));
  figures.push(singleFigure(`API reads/s, ${keyName} key`, 'req/s', load.all.perSec));
  // CPU per request and the ceiling it sets (see the header): this process served nothing else meanwhile.
  const perRequest = { api: (apiUsage.user + apiUsage.system) / 1000 / load.all.requests, mongo: mongoMs / load.all.requests, clients: (clientCpu * 1000) / load.all.requests };
  const cores = availableParallelism();
  const ceiling = (cores * 1000) / (perRequest.api + perRequest.mongo + perRequest.clients);
  console.log(
    `CPU per request: API ${perRequest.api.toFixed(1)} ms, MongoDB-wire server ${perRequest.mongo.toFixed(1)} ms, load clients ${perRequest.clients.toFixed(1)} ms → ` +
      `at most ${ceiling.toFixed(0)} req/s on ${cores} cores; Little's law: mean latency ${((connections / load.all.perSec) * 1000).toFixed(0)} ms at the measured rate, ` +
      `${((connections / ceiling) * 1000).toFixed(0)} ms at the ceiling; p99 ≤ 500 ms needs ≥ ${(connections / 0.5).toFixed(0)} req/s`,
  );
  figures.push(singleFigure(`API reads CPU per request, ${keyName} key: API / MongoDB-wire server`, 'ms', perRequest.api + perRequest.mongo));
  figures.push(singleFigure(`API reads CPU ceiling, ${keyName} key (cores ÷ CPU per request, clients included)`, 'req/s', ceiling, { goal: `≥ ${(connections / 0.5).toFixed(0)} for p99 ≤ 500 ms`, met: ceiling >= connections / 0.5 }));
  notes.push(`${keyName}: CPU per request API ${perRequest.api.toFixed(1)} ms, MongoDB-wire ${perRequest.mongo.toFixed(1)} ms, clients ${perRequest.clients.toFixed(1)} ms`);
  const worst = Object.entries(load.kinds).sort((a, b) => b[1].p99 - a[1].p99)[0]!;
  notes.push(`${keyName}: slowest kind ${worst[0]} p99 ${worst[1].p99.toFixed(0)} ms; non-2xx ${load.all.non2xx}`);
}
finish({ bench: 'api-reads', figures, notes, rounds });

await app.close();
for (const q of queues.values()) await q.close();
redis.disconnect();
await storage.conn.dropDatabase().catch(() => undefined);
await storage.close();
await services.stop();
