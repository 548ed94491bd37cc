/**
 * Limits per API key (issue 20): two API servers, each with its own Redis connection, behind the
 * same Redis — what one server counts, the other refuses. Real Redis, real MongoDB-wire server.
 */
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer } from '../../api/server.ts';
import { loadConfig, type Config } from '../../config/index.ts';
import { createRedis } from '../../queues/redis.ts';
import type { JobName } from '../../queues/names.ts';
import type { Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage, serviceUrls, testPrefix, testRedis } from '../helpers/services.ts';

const court = 'oktyabrsky--ufa.sudrf.ru';
const rowsOf = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ type: 'court.case', input: { court, number: `2-${from + i}/2026` } }));

describe('per-key limits shared by two API servers through Redis', () => {
  let storage: Storage;
  let config: Config;
  const redises: Redis[] = [];
  const queues = new Map<JobName, Queue>();
  const servers: FastifyInstance[] = [];
  const urls: string[] = [];
  const tokens: Record<'a' | 'b' | 'ops', string> = { a: '', b: '', ops: '' };
  let queueFor: (name: JobName) => Queue;

  beforeAll(async () => {
    storage = await openTestStorage();
    config = loadConfig({
      REDIS_URL: serviceUrls().redisUrl,
      MONGODB_URI: serviceUrls().mongoUri,
      QUEUE_PREFIX: testPrefix('ratelimit'),
      LOG_LEVEL: 'silent',
      API_RATE_LIMIT_REQUESTS_PER_MIN: '8',
      API_RATE_LIMIT_ROWS_PER_MIN: '10',
    });
    const producer = testRedis();
    redises.push(producer);
    queueFor = (name: JobName) => {
      let q = queues.get(name);
      if (!q) queues.set(name, (q = new Queue(name, { connection: producer, prefix: config.queue.prefix })));
      return q;
    };
    for (let i = 0; i < 2; i++) {
      const redis = testRedis();
      redises.push(redis);
      const app = await createApiServer({ storage, queueFor, config, pingRedis: () => redis.ping(), redis }, { authCacheMs: 0 });
      urls.push(await app.listen({ port: 0, host: '127.0.0.1' }));
      servers.push(app);
    }
    tokens.a = (await storage.apiKeys.create({ name: 'a', scopes: ['submit', 'read'] })).token;
    tokens.b = (await storage.apiKeys.create({ name: 'b', scopes: ['submit', 'read'] })).token;
    tokens.ops = (await storage.apiKeys.create({ name: 'ops', scopes: ['submit', 'read', 'ops'] })).token;
  });

  afterAll(async () => {
    for (const app of servers) await app.close();
    for (const q of queues.values()) await q.close();
    for (const r of redises) r.disconnect();
    await dropStorage(storage);
  });

  const get = (server: number, token: string) => fetch(`${urls[server]}/v1/lookups?limit=1`, { headers: { authorization: `Bearer ${token}` } });
  const batch = (server: number, token: string, rows: unknown[]) =>
    fetch(`${urls[server]}/v1/lookups/batch`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(rows) });

  it('counts requests of one key on both servers; the 9th in the minute is 429 with Retry-After; other keys and ops keys go on', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await get(i % 2, tokens.a)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200]);
    for (const server of [0, 1]) {
      const over = await get(server, tokens.a);
      expect(over.status).toBe(429);
      const retryAfter = Number(over.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
      expect((await over.json()).error.code).toBe('rate_limited');
    }
    expect((await get(1, tokens.b)).status).toBe(200);
    for (let i = 0; i < 12; i++) expect((await get(i % 2, tokens.ops)).status).toBe(200);
  });

  it('counts batch rows of one key on both servers; a batch past the rest is 429 and records nothing; one above the whole allowance is 413', async () => {
    // Key b has made 1 request so far (above); rows are a budget of their own.
    const first = await batch(0, tokens.b, rowsOf(6, 1));
    expect(first.status).toBe(202);
    const refused = await batch(1, tokens.b, rowsOf(5, 100));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await refused.json()).error.code).toBe('rate_limited');
    expect(await storage.lookups.list({ type: 'court.case' }, 1000).then((l) => l.filter((d) => d.input.number === '2-100/2026').length)).toBe(0);
    const fits = await batch(1, tokens.b, rowsOf(4, 200));
    expect(fits.status).toBe(202);
    expect((await fits.json()).created).toBe(4);
    const huge = await batch(0, tokens.a, rowsOf(11, 300));
    // Key a is out of requests for this minute: the request limit answers first.
    expect(huge.status).toBe(429);
  });

  it('a batch above the per-minute row allowance is 413 for a key that still has requests', async () => {
    const key = (await storage.apiKeys.create({ name: 'c', scopes: ['submit'] })).token;
    const huge = await batch(0, key, rowsOf(11, 300));
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.code).toBe('too_large');
  });

  it('lets requests through when its Redis is not connected (reads must not go down with the limiter)', async () => {
    const dead = createRedis('redis://127.0.0.1:1', { lazyConnect: true });
    const app = await createApiServer({ storage, queueFor, config, pingRedis: async () => 'PONG', redis: dead }, { authCacheMs: 0 });
    try {
      const key = (await storage.apiKeys.create({ name: 'd', scopes: ['read'] })).token;
      for (let i = 0; i < 10; i++) {
        const res = await app.inject({ method: 'GET', url: '/v1/lookups?limit=1', headers: { authorization: `Bearer ${key}` } });
        expect(res.statusCode).toBe(200);
      }
    } finally {
      await app.close();
      dead.disconnect();
    }
  });
});
