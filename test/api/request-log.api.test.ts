/**
 * Request logs (issue 13, item 6): the API server with the farm's logger at trace level, its
 * lines captured from a real stream while real HTTP requests carry debtor names, case numbers and
 * birth dates in paths, query strings and bodies. No line may contain any of them, raw or
 * percent-encoded; lines carry the route pattern and the query with values redacted.
 */
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer } from '../../api/server.ts';
import { loadConfig } from '../../config/index.ts';
import { createLogger } from '../../core/logger.ts';
import type { JobName } from '../../queues/names.ts';
import type { Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage, serviceUrls, testPrefix, testRedis } from '../helpers/services.ts';
import { rawRequest } from './http-raw.ts';

const lines: string[] = [];
let storage: Storage;
let app: FastifyInstance;
let base: string;
const redis = testRedis();
const queues: Queue[] = [];

// Personal data and identifiers a client sends; none may reach a log line.
const NAME = 'Иванов Иван Иванович';
const OTHER = 'Петрова';
const BIRTH = '1980-01-02';
const CASE = '2-1234/2025';
const SECRET_FORMS = [NAME, 'Иванов', OTHER, BIRTH, CASE, '2-1234', encodeURIComponent(NAME), encodeURIComponent('Иванов'), encodeURIComponent(OTHER), encodeURIComponent(CASE), 'Сидоров', encodeURIComponent('Сидоров')];

beforeAll(async () => {
  storage = await openTestStorage();
  const config = loadConfig({ REDIS_URL: serviceUrls().redisUrl, MONGODB_URI: serviceUrls().mongoUri, QUEUE_PREFIX: testPrefix('reqlog'), LOG_LEVEL: 'trace' });
  const queueFor = (name: JobName) => {
    const q = new Queue(name, { connection: redis, prefix: config.queue.prefix });
    queues.push(q);
    return q;
  };
  const log = createLogger({ level: 'trace', destination: new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) }) });
  app = await createApiServer({ storage, queueFor, config, pingRedis: () => redis.ping() }, { log, authCacheMs: 0 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await app?.close();
  for (const q of queues) await q.close();
  redis.disconnect();
  await dropStorage(storage);
});

describe('request logs', () => {
  it('carry route patterns and redacted queries, never names, numbers or birth dates, at trace level', async () => {
    const audit = (await storage.apiKeys.create({ name: 'log-audit', scopes: ['audit'] })).token;
    const all = (await storage.apiKeys.create({ name: 'log-all', scopes: ['submit', 'read'] })).token;
    const q = (s: string) => encodeURIComponent(s);
    const sent = [
      await rawRequest(base, 'GET', `/audit?debtor=${q(NAME)}&caseNumber=${q(CASE)}&date=${BIRTH}`, { headers: { 'x-api-key': audit } }),
      await rawRequest(base, 'GET', `/audit?debtor=${q(NAME)}`),
      await rawRequest(base, 'GET', `/audit/export/debtor/${q('Сидоров')}`),
      await rawRequest(base, 'GET', `/v1/court-cases?number=${q(CASE)}&limit=5`, { headers: { 'x-api-key': all } }),
      await rawRequest(base, 'GET', `/v1/lookups/${q(CASE)}`, { headers: { 'x-api-key': all } }),
      await rawRequest(base, 'POST', '/v1/lookups', {
        headers: { 'x-api-key': all, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'fssp.search', input: { kind: 'person', lastName: 'Иванов', firstName: 'Иван', patronymic: 'Иванович', birthDate: BIRTH, region: '77' } }),
      }),
      await rawRequest(base, 'GET', `/no/such/${q(OTHER)}?birthDate=${BIRTH}`),
      await rawRequest(base, 'GET', `/${q(OTHER)}%ZZ`),
    ];
    expect(sent.map((r) => r.status)).toEqual([200, 401, 401, 200, 404, 201, 404, 400]);
    await new Promise((r) => setTimeout(r, 100));
    const out = lines.join('');
    for (const secret of SECRET_FORMS) expect(out, `log contains ${secret}`).not.toContain(secret);
    const entries = lines.map((l) => JSON.parse(l) as { msg: string; req?: { route: string | null; query: string | null }; res?: { statusCode: number } });
    const done = entries.filter((e) => e.msg === 'request completed');
    // One line per request; the malformed URL (%ZZ) is answered 400 by fastify before routing and not logged at all.
    expect(done.length).toBe(sent.length - 1);
    expect(done.map((e) => e.req?.route)).toEqual(['/audit', '/audit', '/audit/export/:scope/:id', '/v1/court-cases', '/v1/lookups/:id', '/v1/lookups', null]);
    expect(done[0]!.req!.query).toBe('debtor=[redacted]&caseNumber=[redacted]&date=[redacted]');
    expect(done[3]!.req!.query).toBe('number=[redacted]&limit=5');
    expect(done.map((e) => e.res?.statusCode)).toEqual([200, 401, 401, 200, 404, 201, 404]);
    // Trace level really was on (fastify's own debug lines are there too).
    expect(entries.some((e) => e.msg === 'incoming request')).toBe(true);
  });
});
