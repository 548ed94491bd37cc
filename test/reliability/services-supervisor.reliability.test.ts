/**
 * `konveyer services` supervises what it started (issue 13 §7): the real command as a child process,
 * its redis-server and MongoDB-wire server killed with SIGKILL one after the other. Each is started
 * again on the SAME port with its data (Redis from its AOF), the command says so in one log line
 * per restart, and clients opened before the crash carry on without being reopened.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedis } from '../../queues/redis.ts';
import { repoRoot } from '../../storage/embedded/index.ts';
import { openStorage } from '../../storage/index.ts';

const runDir = join(repoRoot, '.run', `supervisor-${process.pid}`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
let child: ChildProcess | null = null;
let output = '';

async function waitFor<T>(what: string, fn: () => T | null | undefined | false | Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; output so far:\n${output.slice(-2000)}`);
    await sleep(100);
  }
}

const pidOf = (name: string): number | null => {
  const file = join(runDir, 'pids', `${name}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { pid: number }).pid : null;
};
const restartLines = () => output.split('\n').filter((l) => l.includes('"event":"restarted"')).map((l) => JSON.parse(l) as Record<string, unknown>);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
  }
  rmSync(runDir, { recursive: true, force: true });
});

describe('konveyer services after kill -9 of its servers', () => {
  it('restarts each on the same port with its data, says so once, and clients reconnect by themselves', { timeout: 180_000 }, async () => {
    mkdirSync(runDir, { recursive: true });
    const env: NodeJS.ProcessEnv = { ...process.env, KONVEYER_RUN_DIR: runDir, LOG_LEVEL: 'info' };
    delete env.REDIS_URL;
    delete env.MONGODB_URI;
    child = spawn(process.execPath, [join(repoRoot, 'bin/konveyer.mjs'), 'services'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const services = await waitFor('services.json', () => existsSync(join(runDir, 'services.json')) && (JSON.parse(readFileSync(join(runDir, 'services.json'), 'utf8')) as { redisUrl: string; mongoUri: string; mongoKind: string }));

    // Redis: a key written (and fsynced by AOF, every second) before the crash is there after it.
    const redis = createRedis(services.redisUrl);
    redis.on('error', () => undefined);
    await redis.set('supervisor:key', 'kept');
    await sleep(1500);
    const redisPid = pidOf('redis')!;
    process.kill(redisPid, 'SIGKILL');
    const redisLine = await waitFor('the redis restart line', () => restartLines().find((l) => l.service === 'redis'));
    expect(redisLine).toMatchObject({ port: Number(new URL(services.redisUrl).port), oldPid: redisPid, exitCode: null, restarts: 1 });
    expect(redisLine.pid).not.toBe(redisPid);
    // The same client object, never reopened, reads the key from the restarted server.
    expect(await redis.get('supervisor:key')).toBe('kept');
    redis.disconnect();

    // MongoDB-wire server: a document written before is read through the same connection afterwards.
    const storage = await openStorage({ uri: services.mongoUri.replace(/\/[^/]*$/, '/t_supervisor'), db: 'unused' });
    await storage.conn.collection('probe').insertOne({ _id: 'kept' as never, at: new Date() });
    const mongoName = services.mongoKind === 'mongod' ? 'mongod' : 'ferretdb';
    const mongoPid = pidOf(mongoName)!;
    process.kill(mongoPid, 'SIGKILL');
    const mongoLine = await waitFor('the mongo restart line', () => restartLines().find((l) => l.service === services.mongoKind));
    expect(mongoLine).toMatchObject({ port: Number(new URL(services.mongoUri).port), oldPid: mongoPid, restarts: 1 });
    const doc = await waitFor('the document through the old connection', async () => storage.conn.collection('probe').findOne({ _id: 'kept' as never }).catch(() => null), 30_000);
    expect(doc).toMatchObject({ _id: 'kept' });
    await storage.conn.dropDatabase().catch(() => undefined);
    await storage.close();

    // One line per restart, nothing about failed attempts.
    expect(restartLines()).toHaveLength(2);
    expect(output).not.toContain('restart_failed');
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child!.once('exit', (c) => r(c)));
    expect(code).toBe(0);
    // Stopped on purpose: not restarted.
    expect(restartLines()).toHaveLength(2);
    expect(existsSync(join(runDir, 'services.json'))).toBe(false);
  });
});
