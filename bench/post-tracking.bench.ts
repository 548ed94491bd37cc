/**
 * Russian Post tracking against the sandbox replica (SOAP 1.2 rtm34, SOAP 1.1 fc).
 *
 *   npx tsx bench/post-tracking.bench.ts [N=200] [rounds=2]
 *
 * Each round, side by side on the same sandbox:
 * - farm, single access: N `post.tracking` lookups (one letter each) through the queue and an
 *   in-process robot pool (post.tracking only, concurrency 8): `soap` client, evidence, parser,
 *   postal_items upsert, the Redis daily quota;
 * - bare single: the same N getOperationHistory calls as a bare loop (undici POST of a ready
 *   envelope, 8 in flight, body read, nothing stored);
 * - farm, batch access: one lookup of N letters (getTicket, then getResponseByTicket);
 * - bare batch: the same getTicket + getResponseByTicket pair.
 * The sandbox answers a ticket at once here (ticketReadyMs 0, poll 50 ms): the real service's
 * 15-minute wait is not a property of the farm. Figures: identifiers per second (submit → last
 * final); Redis commands and MongoDB operations per tracked letter (Redis INFO
 * total_commands_processed of a Redis only the bench uses; MongoDB: operations the farm's
 * connection issued, counted by the connection's debug hook).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { request } from 'undici';
import { loadConfig } from '../config/index.ts';
import { createLogger } from '../core/logger.ts';
import { createRedis } from '../queues/redis.ts';
import { submitLookups, type SubmitRequest } from '../queues/submit.ts';
import { startRobotPool } from '../robots/pool.ts';
import { deriveLetters } from '../sandbox/post-tracking/post-tracking.data.ts';
import { startSandbox } from '../sandbox/server.ts';
import { startServices } from '../storage/embedded/index.ts';
import { openStorage, type Storage } from '../storage/index.ts';
import { REPO_ROOT } from './support/child.ts';
import { figureOf, finish, fmt, printTable } from './support/report.ts';

const N = Number(process.argv[2] ?? 200);
const ROUNDS = Number(process.argv[3] ?? 2);
const CONCURRENCY = 8;
const ACCOUNT = { id: 'bench', login: 'konveyer-demo', password: 'demo-password' };

const runDir = join(REPO_ROOT, '.run', 'bench-post');
mkdirSync(runDir, { recursive: true });
const services = await startServices({ runDir });
const sandbox = await startSandbox({ port: 0, seed: 42 });
const redis = createRedis(services.redisUrl);
const letters = deriveLetters(sandbox.world).map((l) => l.barcode);
if (letters.length < N) throw new Error(`the sandbox world has ${letters.length} letters, fewer than N=${N}`);
await fetch(`${sandbox.url}/__sandbox/post-tracking/settings`, { method: 'POST', body: JSON.stringify({ ticketReadyMs: 0, dailyLimit: 10_000_000 }) });

const redisCommands = async () => Number(/total_commands_processed:(\d+)/.exec(await redis.info('stats'))?.[1] ?? 0);
const post = async (path: string, body: string, contentType: string) => {
  const res = await request(`${sandbox.url}${path}`, { method: 'POST', headers: { host: 'tracking.russianpost.ru', 'content-type': contentType }, body });
  return res.body.text();
};
const historyEnvelope = (barcode: string) =>
  `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:oper="http://russianpost.org/operationhistory" xmlns:data="http://russianpost.org/operationhistory/data"><soap:Header/><soap:Body><oper:getOperationHistory><data:OperationHistoryRequest><data:Barcode>${barcode}</data:Barcode><data:MessageType>0</data:MessageType><data:Language>RUS</data:Language></data:OperationHistoryRequest><data:AuthorizationHeader><data:login>${ACCOUNT.login}</data:login><data:password>${ACCOUNT.password}</data:password></data:AuthorizationHeader></oper:getOperationHistory></soap:Body></soap:Envelope>`;

async function bareSingle(barcodes: string[]): Promise<number> {
  const started = Date.now();
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < barcodes.length) await post('/rtm34', historyEnvelope(barcodes[next++]!), 'application/soap+xml; charset=utf-8');
  }));
  return barcodes.length / ((Date.now() - started) / 1000);
}

async function bareBatch(barcodes: string[]): Promise<number> {
  const started = Date.now();
  const items = barcodes.map((b) => `<fcl:Item Barcode="${b}"/>`).join('');
  const t = await post('/fc', `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pos="http://fclient.russianpost.org/postserver" xmlns:fcl="http://fclient.russianpost.org"><soapenv:Body><pos:ticketRequest><request>${items}</request><login>${ACCOUNT.login}</login><password>${ACCOUNT.password}</password><language>RUS</language></pos:ticketRequest></soapenv:Body></soapenv:Envelope>`, 'text/xml; charset=utf-8');
  const ticket = /<value>([^<]+)<\/value>/.exec(t)![1]!;
  await new Promise((r) => setTimeout(r, 50));
  await post('/fc', `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pos="http://fclient.russianpost.org/postserver"><soapenv:Body><pos:answerByTicketRequest><ticket>${ticket}</ticket><login>${ACCOUNT.login}</login><password>${ACCOUNT.password}</password></pos:answerByTicketRequest></soapenv:Body></soapenv:Envelope>`, 'text/xml; charset=utf-8');
  return barcodes.length / ((Date.now() - started) / 1000);
}

/** The farm tracking `requests`; identifiers/s, and Redis commands and MongoDB operations per letter. */
async function farm(label: string, requests: SubmitRequest[], letterCount: number, round: number): Promise<{ perSecond: number; redisPerLetter: number; mongoPerLetter: number; docBytes: number }> {
  const storage: Storage = await openStorage({ uri: services.mongoUri, db: `bench_post_${label}_${Date.now()}_r${round}` });
  let mongoOps = 0;
  storage.conn.set('debug', () => {
    mongoOps += 1;
  });
  const config = loadConfig({
    REDIS_URL: services.redisUrl, MONGODB_URI: services.mongoUri, QUEUE_PREFIX: `bench-post-${randomUUID().slice(0, 8)}`, SANDBOX_ORIGIN: sandbox.url,
    POLITENESS_RPS: '1000', POLITENESS_CONCURRENCY: '64', ROBOT_CONCURRENCY: String(CONCURRENCY), JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '200', LOG_LEVEL: 'silent',
    POST_TRACKING_ACCOUNTS: JSON.stringify([ACCOUNT]), POST_TRACKING_DAILY_LIMIT: '10000000', POST_TRACKING_BATCH_MIN: '5', POST_TRACKING_TICKET_POLL_MS: '50',
  });
  const pool = await startRobotPool({ config, storage, log: createLogger({ level: 'silent' }), robotId: 'bench-post', only: ['post.tracking'], concurrency: CONCURRENCY });
  const queue = new Queue('post.tracking', { connection: redis, prefix: config.queue.prefix });
  try {
    // Warm-up (WSDL and schemas fetched, connections open) outside the measured part.
    await submitLookups({ lookups: storage.lookups, queueFor: () => queue, jobOptions: { attempts: 3, backoffMs: 200 } }, [{ type: 'post.tracking', input: { barcode: letters.at(-1)! } }]);
    for (;;) {
      if ((await storage.lookups.countByStatus()).succeeded >= 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    mongoOps = 0;
    const r0 = await redisCommands();
    const started = Date.now();
    const res = await submitLookups({ lookups: storage.lookups, queueFor: () => queue, jobOptions: { attempts: 3, backoffMs: 200 } }, requests);
    for (;;) {
      const c = await storage.lookups.countByStatus({ batchId: res.batchId });
      if (c.succeeded + c.not_found + c.failed + c.needs_human >= requests.length) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (Date.now() - started) / 1000;
    // The polling above issued countByStatus reads: not the farm's cost, taken off by counting them apart is
    // impractical, so they are measured once and subtracted (one aggregate per poll).
    const redisPerLetter = ((await redisCommands()) - r0) / letterCount;
    const polls = Math.ceil((seconds * 1000) / 50);
    const mongoPerLetter = Math.max(0, mongoOps - polls) / letterCount;
    const sample = await storage.postalItems.model.find({}).limit(20).lean();
    const docBytes = sample.reduce((n, d) => n + Buffer.byteLength(JSON.stringify(d)), 0) / Math.max(1, sample.length);
    const statuses = await storage.lookups.countByStatus({ batchId: res.batchId });
    console.log(`round ${round} ${label}: ${fmt(letterCount / seconds)} ids/s over ${fmt(seconds)} s, ${JSON.stringify(statuses)}, redis ${fmt(redisPerLetter)}/letter, mongo ${fmt(mongoPerLetter)}/letter, doc ~${Math.round(docBytes)} B`);
    return { perSecond: letterCount / seconds, redisPerLetter, mongoPerLetter, docBytes };
  } finally {
    await queue.close();
    await pool.close();
    await storage.conn.dropDatabase().catch(() => undefined);
    await storage.close();
  }
}

const rows: Array<{ round: number; farmSingle: number; bareSingle: number; farmBatch: number; bareBatch: number; redisSingle: number; mongoSingle: number; redisBatch: number; mongoBatch: number; docBytes: number }> = [];
try {
  for (let round = 1; round <= ROUNDS; round++) {
    const ids = letters.slice(((round - 1) * N) % (letters.length - N), ((round - 1) * N) % (letters.length - N) + N);
    const bs = await bareSingle(ids);
    const fs = await farm('single', ids.map((barcode) => ({ type: 'post.tracking', input: { barcode } })), N, round);
    const bb = await bareBatch(ids);
    const fb = await farm('batch', [{ type: 'post.tracking', input: { items: ids.map((barcode) => ({ barcode })) } }], N, round);
    rows.push({ round, farmSingle: fs.perSecond, bareSingle: bs, farmBatch: fb.perSecond, bareBatch: bb, redisSingle: fs.redisPerLetter, mongoSingle: fs.mongoPerLetter, redisBatch: fb.redisPerLetter, mongoBatch: fb.mongoPerLetter, docBytes: fs.docBytes });
  }
  printTable(['round', 'farm single', 'bare single', 'farm batch', 'bare batch', 'redis/letter s|b', 'mongo ops/letter s|b'], rows.map((r) => [
    String(r.round), fmt(r.farmSingle), fmt(r.bareSingle), fmt(r.farmBatch), fmt(r.bareBatch), `${fmt(r.redisSingle)} | ${fmt(r.redisBatch)}`, `${fmt(r.mongoSingle)} | ${fmt(r.mongoBatch)}`,
  ]));
  finish({
    bench: 'post-tracking',
    figures: [
      figureOf('tracking ids/s, single access (farm)', 'ids/s', rows.map((r) => r.farmSingle), { baseline: 'bare loop of the same getOperationHistory calls', baselineValues: rows.map((r) => r.bareSingle) }),
      figureOf('tracking ids/s, batch access (farm)', 'ids/s', rows.map((r) => r.farmBatch), { baseline: 'bare getTicket + getResponseByTicket', baselineValues: rows.map((r) => r.bareBatch) }),
      figureOf('Redis commands per letter, single', 'commands', rows.map((r) => r.redisSingle)),
      figureOf('Redis commands per letter, batch', 'commands', rows.map((r) => r.redisBatch)),
      figureOf('MongoDB operations per letter, single', 'ops', rows.map((r) => r.mongoSingle)),
      figureOf('MongoDB operations per letter, batch', 'ops', rows.map((r) => r.mongoBatch)),
      figureOf('postal_items document size (JSON)', 'bytes', rows.map((r) => r.docBytes)),
    ],
    notes: [
      `N=${N} letters per round (sandbox-made letters of the seeded world), ${ROUNDS} rounds, robot concurrency ${CONCURRENCY}, bare loops 8 in flight`,
      'sandbox answers tickets at once (ticketReadyMs 0) and the farm polls after 50 ms: the real service asks for ≥ 15 min',
      'Redis: INFO total_commands_processed of the bench-only Redis (BullMQ, quota, politeness, locks); MongoDB: operations the farm connection issued (lookups, evidence, postal_items, locks)',
    ],
    rounds: rows,
  });
} finally {
  redis.disconnect();
  await sandbox.close();
  await services.stop();
}
