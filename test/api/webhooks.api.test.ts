import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer } from '../../api/server.ts';
import { withOverrides } from '../../config/index.ts';
import { createLogger } from '../../core/logger.ts';
import { LayoutDriftError } from '../../core/errors.ts';
import { createRedis } from '../../queues/redis.ts';
import { checkWebhookUrl, isPrivateAddress } from '../../queues/webhook-target.ts';
import { createWebhookNotifier, webhookQueue } from '../../queues/webhook.queue.ts';
import { startWebhookWorker, type WebhookWorker } from '../../queues/webhook.worker.ts';
import { startLookupWorker } from '../../queues/worker.ts';
import { serviceUrls } from '../helpers/services.ts';
import { bearer, openApiHarness, type ApiHarness } from './api-harness.ts';

interface Received { headers: Record<string, string | string[] | undefined>; body: string }

/** A local receiver that answers 500 to the first `failFirst` POSTs, then 204. */
async function receiver(failFirst: number): Promise<{ url: string; got: Received[]; server: Server }> {
  const got: Received[] = [];
  let seen = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen += 1;
      got.push({ headers: req.headers, body });
      res.statusCode = seen <= failFirst ? 500 : 204;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got, server };
}

let h: ApiHarness;
let hooks: WebhookWorker;
let robot: Worker;
const conns = [createRedis(serviceUrls().redisUrl), createRedis(serviceUrls().redisUrl)];
const servers: Server[] = [];
const log = createLogger({ level: process.env.TEST_LOG ?? 'silent' });

beforeAll(async () => {
  h = await openApiHarness({ JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '50' });
  const queue = webhookQueue(conns[0]!, h.config.queue.prefix);
  hooks = startWebhookWorker({
    connection: conns[1]!, prefix: h.config.queue.prefix, lookups: h.storage.lookups, webhooks: h.storage.webhooks, log,
    retryWindowMs: 2500, backoffMs: 100, timeoutMs: 2000, allowPrivate: true,
  });
  // A stand-in robot: case 2-9/… fails for good (layout drift), the rest succeed.
  robot = startLookupWorker({
    name: 'court.case', connection: conns[1]!, prefix: h.config.queue.prefix, concurrency: 4, lookups: h.storage.lookups, log, robotId: 'test',
    onFinished: createWebhookNotifier(queue),
    handler: async (ctx) => {
      if (String(ctx.input.number).startsWith('2-9/')) throw new LayoutDriftError('page not recognised (test)');
      return { status: 'succeeded', result: { collection: 'court_cases', id: `case-${ctx.lookupId}` }, evidenceCount: 1 };
    },
  });
});
afterAll(async () => {
  await robot?.close();
  await hooks?.close();
  for (const s of servers) s.close();
  for (const c of conns) c.disconnect();
  await h?.close();
});

async function until<T>(fn: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('webhooks', () => {
  it('signs each finished lookup, retries a failing receiver, keeps the undelivered visible', async () => {
    const flaky = await receiver(2);
    const dead = await receiver(1_000_000);
    servers.push(flaky.server, dead.server);
    const secret = 'a-secret-of-16+chars';
    const reg = await h.app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(h.tokens.submit), payload: { url: flaky.url, secret } });
    expect(reg.statusCode).toBe(201);
    expect(JSON.stringify(reg.json())).not.toContain(secret);
    const deadReg = await h.app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(h.tokens.submit), payload: { url: dead.url, secret, events: ['succeeded'] } });
    const hookId = reg.json().webhook.id;
    const deadId = deadReg.json().webhook.id;

    const sub = await h.app.inject({ method: 'POST', url: '/v1/lookups', headers: bearer(h.tokens.submit), payload: { type: 'court.case', input: { court: 'oktyabrsky--ufa.sudrf.ru', number: '2-1/2025' } } });
    const lookupId = sub.json().lookup.id;
    await until(async () => flaky.got.length >= 3);
    expect(flaky.got.length).toBe(3);
    const last = flaky.got[2]!;
    const ts = String(last.headers['x-konveyer-timestamp']);
    expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(60);
    const expected = `sha256=${createHmac('sha256', secret).update(`${ts}.${last.body}`).digest('hex')}`;
    expect(last.headers['x-konveyer-signature']).toBe(expected);
    const payload = JSON.parse(last.body);
    expect(payload).toMatchObject({ event: 'lookup.succeeded', lookup: { id: lookupId, type: 'court.case', status: 'succeeded', result: { collection: 'court_cases', id: `case-${lookupId}` }, error: null } });

    const delivered = await until(async () => {
      const res = await h.app.inject({ method: 'GET', url: `/v1/webhooks/${hookId}/deliveries?status=delivered`, headers: bearer(h.tokens.submit) });
      return res.json().items[0];
    });
    expect(delivered).toMatchObject({ lookupId, attempts: 3, lastStatusCode: 204, status: 'delivered' });

    const undelivered = await until(async () => {
      const res = await h.app.inject({ method: 'GET', url: `/v1/webhooks/${deadId}/deliveries?status=undelivered`, headers: bearer(h.tokens.submit) });
      return res.json().items[0];
    });
    expect(undelivered).toMatchObject({ lookupId, status: 'undelivered', lastStatusCode: 500 });
    expect(undelivered.attempts).toBeGreaterThanOrEqual(3);
    expect(dead.got.length).toBe(undelivered.attempts);

    // A failed lookup reaches the webhook subscribed to every event, not the `succeeded`-only one.
    const failing = await h.app.inject({ method: 'POST', url: '/v1/lookups', headers: bearer(h.tokens.submit), payload: { type: 'court.case', input: { court: 'oktyabrsky--ufa.sudrf.ru', number: '2-9/2025' } } });
    expect(failing.statusCode).toBe(201);
    await until(async () => flaky.got.some((g) => JSON.parse(g.body).event === 'lookup.failed'), 60_000);
    const failedBody = JSON.parse(flaky.got.find((g) => JSON.parse(g.body).event === 'lookup.failed')!.body);
    expect(failedBody.lookup).toMatchObject({ id: failing.json().lookup.id, status: 'failed', error: { code: 'layout_drift' } });

    // Listing, visibility to another client's key, delete.
    expect((await h.app.inject({ method: 'GET', url: '/v1/webhooks', headers: bearer(h.tokens.submit) })).json().items).toHaveLength(2);
    const other = (await h.storage.apiKeys.create({ name: 'other', scopes: ['submit'], clientId: 'other-client' })).token;
    expect((await h.app.inject({ method: 'GET', url: `/v1/webhooks/${hookId}/deliveries`, headers: bearer(other) })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'DELETE', url: `/v1/webhooks/${hookId}`, headers: bearer(other) })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'DELETE', url: `/v1/webhooks/${hookId}`, headers: bearer(h.tokens.submit) })).statusCode).toBe(204);
    expect((await h.app.inject({ method: 'GET', url: '/v1/webhooks', headers: bearer(h.tokens.submit) })).json().items).toHaveLength(1);
  });

  it('refuses loopback, private and link-local URLs unless allowed; bad input names the field', async () => {
    const strict = await createApiServer(
      { storage: h.storage, queueFor: h.queueFor, config: withOverrides(h.config, { webhooks: { allowPrivate: false } }), pingRedis: async () => 'PONG' },
      { authCacheMs: 0 },
    );
    try {
      for (const url of ['http://127.0.0.1:9/x', 'http://localhost/x', 'http://10.1.2.3/', 'http://169.254.169.254/latest', 'http://[::1]/', 'http://192.168.0.10/']) {
        const res = await strict.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(h.tokens.submit), payload: { url, secret: 'x'.repeat(16) } });
        expect(res.statusCode, url).toBe(400);
        expect(res.json().error.message, url).toMatch(/^url: .*(refused \(WEBHOOK_ALLOW_PRIVATE=false\)|does not resolve)/);
      }
      const bad = await strict.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(h.tokens.submit), payload: { url: 'ftp://example.com/', secret: 'short', events: ['nope'] } });
      expect(bad.statusCode).toBe(400);
      const issues = bad.json().error.issues.join(' | ');
      expect(issues).toMatch(/secret: expected at least 16/);
      expect(issues).toMatch(/events\.0: /);
    } finally {
      await strict.close();
    }
    expect(isPrivateAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isPrivateAddress('8.8.8.8')).toBe(false);
    expect(await checkWebhookUrl('https://93.184.215.14/hook', { allowPrivate: false })).toBeNull();
    expect(await checkWebhookUrl('http://127.0.0.1/', { allowPrivate: true })).toBeNull();
  });
});
