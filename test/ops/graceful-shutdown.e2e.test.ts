/**
 * Graceful shutdown of a real `konveyer robots` process with browser-mode jobs in flight: SIGTERM →
 * active jobs get SHUTDOWN_DEADLINE_MS, the rest go back to the queue → Chromium closes → exit 0.
 * The process tree is read from /proc: no Chromium process of the robot may outlive it.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.ts';
import { createLogger } from '../../core/logger.ts';
import { createRedis } from '../../queues/redis.ts';
import { submitLookups } from '../../queues/submit.ts';
import { startRobotPool } from '../../robots/pool.ts';
import { chromiumOf, descendantsOf } from '../../runtime/heartbeat.ts';
import { startSandbox } from '../../sandbox/server.ts';
import type { LookupDoc, Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage, serviceUrls, testPrefix } from '../helpers/services.ts';

let storage: Storage;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
const redis = createRedis(serviceUrls().redisUrl);
const prefix = testPrefix('shutdown');
let queue: Queue;

beforeAll(async () => {
  storage = await openTestStorage();
  sandbox = await startSandbox({ port: 0, seed: 5 });
  queue = new Queue('court.case', { connection: redis, prefix });
});

afterAll(async () => {
  await queue?.close();
  redis.disconnect();
  await sandbox?.close();
  await dropStorage(storage);
});

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/\bZ\b/.test(safeStat(pid));
function safeStat(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '';
  } catch {
    return '';
  }
}

describe.skipIf(!existsSync('/proc'))('konveyer robots on SIGTERM', () => {
  it('finishes or re-queues its browser jobs, closes Chromium, exits 0; the jobs then end final', { timeout: 200_000 }, async () => {
    const env = {
      ...process.env,
      REDIS_URL: serviceUrls().redisUrl,
      // The child uses this test's own database.
      MONGODB_URI: withDb(serviceUrls().mongoUri, storage.conn.name),
      QUEUE_PREFIX: prefix,
      SANDBOX_ORIGIN: sandbox.url,
      POLITENESS_RPS: '50',
      POLITENESS_CONCURRENCY: '4',
      ROBOT_CONCURRENCY: '3',
      ROBOT_BROWSER_PAGES: '3',
      SHUTDOWN_DEADLINE_MS: '1500',
      LOG_LEVEL: 'info',
    };
    // Slow pages keep jobs in flight when the signal comes.
    sandbox.setFaults({ latencyMs: 2500 });
    const cases = sandbox.world.cases.slice(0, 6);
    const res = await submitLookups(
      { lookups: storage.lookups, queueFor: () => queue, jobOptions: { attempts: 3, backoffMs: 100 } },
      cases.map((c) => ({ type: 'court.case', input: { court: c.host, caseId: String(c.caseId), caseUid: c.caseUid, mode: 'browser' } })),
    );
    const ids = res.lookups.map((l) => l.id);

    const child = spawn(process.execPath, ['bin/konveyer.mjs', 'robots', '--only', 'court.case', '--mode', 'browser'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));

    // Wait until Chromium runs and jobs are active in the child.
    const deadline = Date.now() + 60_000;
    let chromium: number[] = [];
    for (;;) {
      chromium = chromiumOf(descendantsOf(child.pid!)).map((p) => p.pid);
      const running = (await Promise.all(ids.map((id) => storage.lookups.get(id)))).filter((d) => d?.status === 'running').length;
      if (chromium.length > 0 && running > 0) break;
      if (Date.now() > deadline) throw new Error(`robot never got busy:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    child.kill('SIGTERM');

    const sigAt = Date.now();
    const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 45_000))]);
    if (code !== 0) require_log(output);
    expect(code).toBe(0);
    // Bounded: the deadline (1.5 s) plus pool.close()'s clean-up budget, with room for a loaded machine.
    expect(Date.now() - sigAt, 'SIGTERM to exit, ms').toBeLessThan(30_000);
    // No Chromium process of the robot is left (they would have been re-parented, still alive).
    await new Promise((r) => setTimeout(r, 300));
    expect(chromium.filter(alive), 'chromium processes left behind').toEqual([]);

    // Every lookup is final or back on the queue (none stuck "running" with a dead robot's lock).
    const after = (await Promise.all(ids.map((id) => storage.lookups.get(id)))) as LookupDoc[];
    for (const d of after) expect(['succeeded', 'queued', 'running']).toContain(d.status);
    const counts = await queue.getJobCounts('active', 'waiting', 'delayed', 'completed');
    expect(counts.active).toBe(0);

    // Another robot takes the rest: every lookup ends final.
    sandbox.setFaults({});
    const config = loadConfig({ ...env, LOG_LEVEL: 'silent', COURT_SUDRF_MODE: 'http' });
    const pool = await startRobotPool({ config, storage, log: createLogger({ level: 'silent' }), robotId: 'finisher', only: ['court.case'] });
    try {
      const until = Date.now() + 90_000;
      for (;;) {
        const docs = (await Promise.all(ids.map((id) => storage.lookups.get(id)))) as LookupDoc[];
        if (docs.every((d) => d.status === 'succeeded')) break;
        if (Date.now() > until) throw new Error(JSON.stringify(docs.map((d) => d.status)));
        await new Promise((r) => setTimeout(r, 300));
      }
    } finally {
      await pool.close(5000);
    }
  // No retry: the hang (about one full-suite run in two) was pool.close() waiting on handlers after
  // the deadline — BullMQ's close(true) after close() returns the same promise, which waits for
  // every in-flight handler. close() now bounds each step and kills the pool's Chromium.
  });
});

function withDb(uri: string, db: string): string {
  const u = new URL(uri);
  u.pathname = `/${db}`;
  return u.toString();
}

function require_log(output: string): void {
  // The robot's own log lines (not Chromium's noise) when it did not exit cleanly.
  process.stderr.write(output.split('\n').filter((l) => l.startsWith('{')).map((l) => l.slice(0, 400)).join('\n'));
}
