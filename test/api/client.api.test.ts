/**
 * The generated client proves the contract (issue 20): openapi-fetch over the types
 * openapi-typescript made of the document (client/konveyer-api.d.ts; openapi.contract.test.ts
 * checks they are current) drives a real API server, real robots (court.case and fssp.search over
 * HTTP) and the sandbox replicas: a batch from CSV followed to the end, results paged, a court case and an ИП read, an export downloaded,
 * a webhook received and its signature checked. Every answer is validated against the document.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer } from '../../api/server.ts';
import { createKonveyerClient, verifyWebhookSignature, type KonveyerClient, type components } from '../../client/index.ts';
import { loadConfig, type Config } from '../../config/index.ts';
import { createLogger } from '../../core/logger.ts';
import type { JobName } from '../../queues/names.ts';
import { createRedis } from '../../queues/redis.ts';
import { createWebhookNotifier, webhookQueue } from '../../queues/webhook.queue.ts';
import { startWebhookWorker, type WebhookWorker } from '../../queues/webhook.worker.ts';
import { startRobotPool, type RobotPool } from '../../robots/pool.ts';
import { FsspBank } from '../../sandbox/fssp/fssp.data.ts';
import type { SandboxCase } from '../../sandbox/data/index.ts';
import { startSandbox } from '../../sandbox/server.ts';
import type { Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage, serviceUrls, testPrefix } from '../helpers/services.ts';
import { openApiContract, type OpenApiContract } from './openapi-validator.ts';

type Lookup = components['schemas']['Lookup'];
const FINAL = ['succeeded', 'not_found', 'failed', 'needs_human'];
const SECRET = 'integrator-shared-secret-0123456789';

let storage: Storage;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let config: Config;
let pool: RobotPool;
let hooks: WebhookWorker;
let app: FastifyInstance;
let receiver: Server;
let receiverUrl: string;
let api: KonveyerClient;
let contract: OpenApiContract;
const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
const redis = createRedis(serviceUrls().redisUrl);
const workerRedis = createRedis(serviceUrls().redisUrl);
const queues = new Map<JobName, Queue>();
const checked: string[] = [];

beforeAll(async () => {
  storage = await openTestStorage();
  sandbox = await startSandbox({ port: 0, seed: 7 });
  config = loadConfig({
    REDIS_URL: serviceUrls().redisUrl,
    MONGODB_URI: serviceUrls().mongoUri,
    QUEUE_PREFIX: testPrefix('client'),
    SANDBOX_ORIGIN: sandbox.url,
    POLITENESS_RPS: '40',
    POLITENESS_CONCURRENCY: '4',
    JOB_ATTEMPTS: '3',
    JOB_BACKOFF_MS: '100',
    ROBOT_CONCURRENCY: '4',
    CAPTCHA_MAX_TRIES: '12',
    // Local OCR alone: it guesses and retries a new picture, never parks for a person.
    CAPTCHA_CHAIN: 'local',
    CAPTCHA_OPERATOR_WAIT_SECS: '0',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_BACKOFF_MS: '100',
    LOG_LEVEL: 'silent',
  });
  const log = createLogger({ level: 'silent' });
  pool = await startRobotPool({ config, storage, log, robotId: 'client-robot', only: ['court.case', 'fssp.search'], onFinished: createWebhookNotifier(webhookQueue(redis, config.queue.prefix)) });
  hooks = startWebhookWorker({ connection: workerRedis, prefix: config.queue.prefix, lookups: storage.lookups, webhooks: storage.webhooks, log, ...config.webhooks });
  const queueFor = (name: JobName) => {
    let q = queues.get(name);
    if (!q) queues.set(name, (q = new Queue(name, { connection: redis, prefix: config.queue.prefix })));
    return q;
  };
  app = await createApiServer({ storage, queueFor, config, pingRedis: () => redis.ping(), redis }, { authCacheMs: 0 });
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });

  receiver = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/konveyer`;

  contract = await openApiContract();
  const { token } = await storage.apiKeys.create({ name: 'integrator', scopes: ['submit', 'read'] });
  api = createKonveyerClient({ baseUrl, token });
  // Every answer the client gets is checked against the document before the test sees it.
  api.use({
    async onResponse({ request, response, schemaPath }) {
      const type = response.headers.get('content-type');
      const body = type?.includes('json') ? await response.clone().json() : undefined;
      contract.check(request.method, schemaPath, response.status, type, body);
      checked.push(`${request.method} ${schemaPath} ${response.status}`);
    },
  });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await pool?.close();
  await hooks?.close();
  for (const q of queues.values()) await q.close();
  redis.disconnect();
  workerRedis.disconnect();
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  await sandbox?.close();
  await dropStorage(storage);
});

const until = async <T>(what: string, fn: () => Promise<T | undefined>, ms = 150_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
};

describe('the generated client', () => {
  it('drives a batch from CSV and an ИП lookup to the end, pages, reads, exports, and gets signed webhooks', async () => {
    const courtOf = (c: SandboxCase) => sandbox.world.courts.find((k) => k.host === c.host)!;
    const cases = sandbox.world.cases.filter((c) => c.srvNum === 1 && !courtOf(c).hasSearchCaptcha).slice(0, 2);
    expect(cases).toHaveLength(2);
    const ip = new FsspBank(sandbox.world).proceedings.find((p) => p.debtorKind === 'person')!;

    // A webhook first, so every final status is announced.
    const hook = await api.POST('/v1/webhooks', { body: { url: receiverUrl, secret: SECRET } });
    expect(hook.response.status).toBe(201);
    const hookId = hook.data!.webhook.id;

    // A batch as CSV (the header the API documents), and one JSON lookup for an ИП.
    const csv = `court,number,clientKey\n${cases.map((c, i) => `${c.host},${c.caseNumber},client-${i}`).join('\n')}\n`;
    const batch = await api.POST('/v1/lookups/batch', {
      params: { query: { type: 'court.case' } },
      body: csv as never,
      bodySerializer: (b: unknown) => b as string,
      headers: { 'content-type': 'text/csv' },
    });
    expect(batch.response.status, JSON.stringify(batch.error)).toBe(202);
    expect(batch.data).toMatchObject({ rows: 2, created: 2, existed: 0 });
    const batchId = batch.data!.batchId;
    const one = await api.POST('/v1/lookups', { body: { type: 'fssp.search', input: { kind: 'ip', ipNumber: ip.ipNumber } } });
    expect(one.response.status, JSON.stringify(one.error)).toBe(201);
    const ipLookupId = one.data!.lookup.id;

    // Follow both to their end.
    const finished = await until('the batch to finish', async () => {
      const { data } = await api.GET('/v1/lookups', { params: { query: { batch: batchId, limit: 500 } } });
      return data!.items.length === 2 && data!.items.every((l) => FINAL.includes(l.status)) ? data!.items : undefined;
    });
    const ipLookup = await until('the ИП lookup to finish', async () => {
      const { data } = await api.GET('/v1/lookups/{id}', { params: { path: { id: ipLookupId } } });
      return FINAL.includes(data!.lookup.status) ? data!.lookup : undefined;
    });
    expect(finished.map((l) => `${l.status} ${l.error?.code ?? ''}`)).toEqual(['succeeded ', 'succeeded ']);
    expect(ipLookup.status, JSON.stringify(ipLookup.error)).toBe('succeeded');

    // Page through the batch one lookup a page.
    const paged: Lookup[] = [];
    let cursor: string | undefined;
    do {
      const { data } = await api.GET('/v1/lookups', { params: { query: { batch: batchId, limit: 1, cursor } } });
      paged.push(...data!.items);
      cursor = data!.nextCursor ?? undefined;
    } while (cursor);
    expect(paged.map((l) => l.clientKey).sort()).toEqual(['client-0', 'client-1']);

    // Read the court cases and the ИП the lookups point at.
    for (const [i, c] of cases.entries()) {
      const lookup = paged.find((l) => l.clientKey === `client-${i}`)!;
      expect(lookup.result?.collection).toBe('court_cases');
      const { data, response } = await api.GET('/v1/court-cases/{id}', { params: { path: { id: lookup.result!.id } } });
      expect(response.status).toBe(200);
      expect(data!.caseNumber).toBe(c.caseNumber);
      expect(data!.court.host).toBe(c.host);
    }
    const listed = await api.GET('/v1/court-cases', { params: { query: { limit: 1 } } });
    expect(listed.data!.items).toHaveLength(1);
    expect(ipLookup.result?.collection).toBe('enforcement_proceedings');
    const proceeding = await api.GET('/v1/enforcement-proceedings/{id}', { params: { path: { id: ip.ipNumber } } });
    expect(proceeding.response.status).toBe(200);
    expect(proceeding.data!.ipNumber).toBe(ip.ipNumber);

    // Download an export of the court cases.
    const exported = await api.GET('/v1/exports', { params: { query: { collection: 'court_cases', format: 'csv' } }, parseAs: 'text' });
    expect(exported.response.status).toBe(200);
    expect(exported.response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(exported.response.headers.get('content-disposition')).toMatch(/^attachment; filename="court_cases-/);
    for (const c of cases) expect(exported.data as unknown as string).toContain(c.caseNumber);

    // Three signed webhooks: the HMAC by hand (the documented rule) and by the client's helper.
    const ids = [...finished.map((l) => l.id), ipLookupId];
    await until('three webhook deliveries', async () => (received.length >= 3 ? true : undefined), 60_000);
    for (const { headers, body } of received) {
      const timestamp = String(headers['x-konveyer-timestamp']);
      const signature = String(headers['x-konveyer-signature']);
      expect(signature).toBe(`sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex')}`);
      expect(verifyWebhookSignature({ secret: SECRET, timestamp, signature, body })).toBe(true);
      expect(verifyWebhookSignature({ secret: SECRET, timestamp, signature, body: `${body} ` })).toBe(false);
      expect(verifyWebhookSignature({ secret: 'another-secret-of-enough-length', timestamp, signature, body })).toBe(false);
    }
    expect(ids.every((id) => received.some((r) => r.body.includes(id)))).toBe(true);
    const deliveries = await until('deliveries recorded', async () => {
      const { data } = await api.GET('/v1/webhooks/{id}/deliveries', { params: { path: { id: hookId } } });
      return data!.items.filter((d) => d.status === 'delivered').length >= 3 ? data!.items : undefined;
    }, 30_000);
    expect(deliveries.map((d) => d.lookupId).sort()).toEqual([...ids].sort());

    // The middleware validated every answer above against the document.
    expect(checked.length).toBeGreaterThan(10);
  }, 240_000);
});
