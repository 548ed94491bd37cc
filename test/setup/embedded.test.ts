import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { pingMongo, reapStale, repoRoot, startMongo, startRedis } from '../../storage/embedded/index.ts';

const runRoot = join(repoRoot, '.run', `embedded-test-${process.pid}`);
afterAll(() => rmSync(runRoot, { recursive: true, force: true }));

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitUntil(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return cond();
}

describe('embedded services', () => {
  it('startRedis with appendOnly writes the AOF under its run dir, and stop() ends the process', async () => {
    const runDir = join(runRoot, 'aof');
    const redis = await startRedis({ runDir, appendOnly: true });
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      await client.set('k', 'v');
      const [, appendonly] = (await client.config('GET', 'appendonly')) as [string, string];
      expect(appendonly).toBe('yes');
    } finally {
      client.disconnect();
    }
    await redis.stop();
    expect(isAlive(redis.pid)).toBe(false);
    expect(readdirSync(join(runDir, 'pids'))).toEqual([]);
    // Redis 7 keeps the AOF in an appendonlydir; 6 in a single file.
    const files = readdirSync(join(runDir, 'redis'));
    expect(files.some((f) => f.startsWith('appendonly'))).toBe(true);
  });

  it('startMongo without MONGODB_URI starts a local server that answers, and stop() ends it', async () => {
    const env = { ...process.env };
    delete env.MONGODB_URI;
    const mongo = await startMongo({ runDir: join(runRoot, 'mongo'), env });
    expect(['mongod', 'ferretdb']).toContain(mongo.kind);
    expect(mongo.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/konveyer$/);
    expect(await pingMongo(mongo.uri)).toBe(true);
    await mongo.stop();
    expect(isAlive(mongo.pid as number)).toBe(false);
    expect(await pingMongo(mongo.uri, 300)).toBe(false);
  });

  it('startMongo with MONGODB_URI starts nothing and reports it as external', async () => {
    const mongo = await startMongo({ runDir: join(runRoot, 'ext'), env: { ...process.env } });
    expect(mongo).toMatchObject({ kind: 'external', pid: null, uri: process.env.MONGODB_URI });
    expect(existsSync(join(runRoot, 'ext', 'pids'))).toBe(false);
  });

  it('services die with a parent that was SIGKILLed', async () => {
    const runDir = join(runRoot, 'orphan');
    mkdirSync(runDir, { recursive: true });
    const script = join(runDir, 'parent.ts');
    writeFileSync(
      script,
      `import { startRedis } from ${JSON.stringify(join(repoRoot, 'storage/embedded/index.ts'))};\n` +
        `const r = await startRedis({ runDir: ${JSON.stringify(runDir)} });\n` +
        `console.log(JSON.stringify({ pid: r.pid }));\nsetInterval(() => {}, 1000);\n`,
    );
    const parent = spawn(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolveLine, reject) => {
      let out = '';
      parent.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolveLine(out.split('\n')[0] as string);
      });
      parent.once('exit', (code) => reject(new Error(`parent exited ${code} before starting redis`)));
    });
    const { pid } = JSON.parse(line) as { pid: number };
    expect(isAlive(pid)).toBe(true);
    parent.kill('SIGKILL');
    // The watchdog polls every second, then SIGTERMs.
    expect(await waitUntil(() => !isAlive(pid), 8000)).toBe(true);
  });

  it('reapStale kills a recorded service whose parent is gone, and keeps one whose parent lives', async () => {
    const deadParentDir = join(runRoot, 'stale-a');
    const liveParentDir = join(runRoot, 'stale-b');
    const orphan = spawn('sleep', ['60'], { stdio: 'ignore' });
    const kept = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      for (const [dir, pid, parentPid] of [
        [deadParentDir, orphan.pid, 2 ** 22 + 1],
        [liveParentDir, kept.pid, process.ppid],
      ] as const) {
        mkdirSync(join(dir, 'pids'), { recursive: true });
        writeFileSync(join(dir, 'pids', 'sleep.json'), JSON.stringify({ pid, parentPid, command: '/usr/bin/sleep' }));
      }
      // Reaping from a sibling run dir covers the runs of other (dead) processes.
      expect(reapStale(join(runRoot, 'another-run'))).toEqual([orphan.pid]);
      expect(await waitUntil(() => orphan.exitCode !== null || orphan.signalCode !== null, 3000)).toBe(true);
      expect(isAlive(kept.pid as number)).toBe(true);
      expect(existsSync(join(deadParentDir, 'pids', 'sleep.json'))).toBe(false);
    } finally {
      orphan.kill('SIGKILL');
      kept.kill('SIGKILL');
    }
  });
});
