/** The probe endpoint of the worker roles (queues/role-health.server.ts) over real Redis and MongoDB. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRoleHealthServer, type RoleHealthServer } from '../../queues/role-health.server.ts';
import { createRedis } from '../../queues/redis.ts';
import type { Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage, testRedis } from '../helpers/services.ts';

describe('role health endpoint', () => {
  let storage: Storage;
  const redis = testRedis();
  // A Redis nobody listens on: its ping never answers (the client keeps retrying).
  const deadRedis = createRedis('redis://127.0.0.1:1', { lazyConnect: true, retryStrategy: () => 1000 });
  deadRedis.on('error', () => undefined);
  const servers: RoleHealthServer[] = [];

  beforeAll(async () => {
    storage = await openTestStorage();
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    redis.disconnect();
    deadRedis.disconnect();
    await dropStorage(storage);
  });

  it('answers /livez and /readyz 200 when Redis and MongoDB answer', async () => {
    const s = await startRoleHealthServer({ role: 'robots', port: 0, host: '127.0.0.1', redis, mongo: storage.conn });
    servers.push(s);
    const live = await fetch(`${s.url}/livez`);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ role: 'robots', ok: true });
    const ready = await fetch(`${s.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ role: 'robots', ok: true, redis: 'ok', mongo: 'ok' });
    expect((await fetch(`${s.url}/nope`)).status).toBe(404);
  });

  it('answers /readyz 503 naming Redis when it does not answer, and /livez still 200 (no restart for an outage)', async () => {
    const s = await startRoleHealthServer({ role: 'ocr', port: 0, host: '127.0.0.1', redis: deadRedis, mongo: storage.conn, timeoutMs: 300 });
    servers.push(s);
    const ready = await fetch(`${s.url}/readyz`);
    expect(ready.status).toBe(503);
    const body = await ready.json();
    expect(body).toMatchObject({ role: 'ocr', ok: false, mongo: 'ok' });
    expect(body.redis).not.toBe('ok');
    expect((await fetch(`${s.url}/livez`)).status).toBe(200);
  });
});
