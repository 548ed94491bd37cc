/**
 * `konveyer api` as a child process with Redis gone (issue 13 §7): over real HTTP a submit answers
 * 503 within a second and /healthz names Redis; SIGTERM ends the process within a bound (it used to
 * ignore SIGTERM for 85 s); SIGHUP is a graceful restart (the same bounded stop, exit 0, a line
 * that says so — the supervisor starts the role again with its environment).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort, repoRoot, startRedis, type EmbeddedRedis } from '../../storage/embedded/index.ts';
import { openStorage, type Storage } from '../../storage/index.ts';
import { serviceUrls, testPrefix } from '../helpers/services.ts';

const runDir = join(repoRoot, '.run', `api-signals-${process.pid}`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
let storage: Storage;
let mongoUri: string;
let token: string;
const input = { court: 'oktyabrsky--ufa.sudrf.ru', number: '2-1/2025' };

interface ApiChild {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; at: number }>;
}

async function startApi(redisUrl: string): Promise<ApiChild> {
  const port = await findFreePort();
  let output = '';
  const child = spawn(process.execPath, [join(repoRoot, 'bin/konveyer.mjs'), 'api', '--no-webhooks', '--port', String(port), '--host', '127.0.0.1'], {
    cwd: repoRoot,
    env: { ...process.env, REDIS_URL: redisUrl, MONGODB_URI: mongoUri, QUEUE_PREFIX: testPrefix('signals'), LOG_LEVEL: 'info', KONVEYER_RUN_DIR: runDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; at: number }>((r) => child.once('exit', (code) => r({ code, at: Date.now() })));
  const until = Date.now() + 60_000;
  while (!output.includes('api listening')) {
    if (Date.now() > until || child.exitCode !== null) throw new Error(`konveyer api did not start:\n${output.slice(-2000)}`);
    await sleep(100);
  }
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exited };
}

beforeAll(async () => {
  mkdirSync(runDir, { recursive: true });
  const u = new URL(serviceUrls().mongoUri);
  u.pathname = `/t_signals_${randomUUID().slice(0, 8)}`;
  mongoUri = u.toString();
  storage = await openStorage({ uri: mongoUri, db: 'unused' });
  token = (await storage.apiKeys.create({ name: 'submit', scopes: ['submit', 'read'] })).token;
});

afterAll(async () => {
  await storage?.conn.dropDatabase().catch(() => undefined);
  await storage?.close();
  rmSync(runDir, { recursive: true, force: true });
});

async function withDeadRedis(fn: (api: ApiChild, redis: EmbeddedRedis) => Promise<void>): Promise<void> {
  const redis = await startRedis({ runDir: join(runDir, randomUUID().slice(0, 6)) });
  const api = await startApi(redis.url);
  try {
    process.kill(redis.pid, 'SIGKILL');
    await redis.exited;
    await sleep(300);
    await fn(api, redis);
  } finally {
    if (api.child.exitCode === null) api.child.kill('SIGKILL');
    await redis.stop();
  }
}

describe('konveyer api with Redis gone', () => {
  it('answers 503 over HTTP within a second, and SIGTERM ends it within 15 s, exit 0', { timeout: 120_000 }, async () => {
    await withDeadRedis(async (api) => {
      // Once the API has seen the connection go (its one 'lost' line), every answer is immediate.
      const until = Date.now() + 10_000;
      while (!api.output().includes('redis connection lost') && Date.now() < until) await sleep(50);
      let t0 = Date.now();
      const res = await fetch(`${api.url}/v1/lookups`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'court.case', input }), signal: AbortSignal.timeout(10_000) });
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('queue_unavailable');
      expect(await storage.lookups.model.countDocuments()).toBe(0);
      t0 = Date.now();
      const health = await fetch(`${api.url}/healthz`, { signal: AbortSignal.timeout(10_000) });
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ down: ['redis'] });

      const sentAt = Date.now();
      api.child.kill('SIGTERM');
      const { code, at } = await Promise.race([api.exited, sleep(30_000).then(() => ({ code: -1, at: Date.now() }))]);
      expect(code).toBe(0);
      expect(at - sentAt).toBeLessThan(15_000);
      expect(api.output()).toContain('api stopped');
    });
  });

  it('takes SIGHUP as a graceful restart: the same bounded stop, exit 0, a line saying so', { timeout: 120_000 }, async () => {
    await withDeadRedis(async (api) => {
      const sentAt = Date.now();
      api.child.kill('SIGHUP');
      const { code, at } = await Promise.race([api.exited, sleep(30_000).then(() => ({ code: -1, at: Date.now() }))]);
      expect(code).toBe(0);
      expect(at - sentAt).toBeLessThan(15_000);
      expect(api.output()).toContain('SIGHUP: graceful restart');
    });
  });
});
