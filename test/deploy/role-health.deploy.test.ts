/** The probe endpoint of the worker roles (runtime/role-health.server.ts) over real Redis and MongoDB. */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRoleHealthServer, type RoleHealthServer } from '../../runtime/role-health.server.ts';
import { createRedis } from '../../queues/redis.ts';
import type { Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage, serviceUrls, testRedis } from '../helpers/services.ts';

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

  it('answers /readyz 503 (stopping) once the role got SIGTERM and drains, /livez still 200', async () => {
    // A role process: its own SIGTERM handler drains for 5 s, as the robot pool does.
    const script = `
      import { startRoleHealthServer } from './runtime/role-health.server.ts';
      import { createRedis } from './queues/redis.ts';
      import { openStorage } from './storage/index.ts';
      const storage = await openStorage({ uri: process.env.MONGO, db: 'unused' });
      const redis = createRedis(process.env.REDIS);
      process.on('SIGTERM', () => setTimeout(() => process.exit(0), 5000));
      const s = await startRoleHealthServer({ role: 'robots', port: 0, host: '127.0.0.1', redis, mongo: storage.conn });
      console.log(s.url);
      setInterval(() => undefined, 1000);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, MONGO: serviceUrls().mongoUri, REDIS: serviceUrls().redisUrl }, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => resolve(d.toString().trim()));
        child.on('exit', (code) => reject(new Error(`role process exited ${code}`)));
      });
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ ok: false, stopping: true, redis: 'ok', mongo: 'ok' });
      expect((await fetch(`${url}/livez`)).status).toBe(200);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
