/**
 * The per-host politeness limit holds across robot processes: two real `konveyer robots` children
 * share one sandbox court with `POLITENESS_HOSTS=<court>=5/1`, and the sandbox itself (not the
 * robots) says how hard that court was hit: at most 1 request in flight and 5 (+1, see below) per
 * second, while every lookup of the batch still succeeds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '../../queues/redis.ts';
import { submitLookups } from '../../queues/submit.ts';
import type { SandboxCase } from '../../sandbox/data/index.ts';
import { startSandbox } from '../../sandbox/server.ts';
import type { LookupDoc, Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage, serviceUrls, testPrefix } from '../helpers/services.ts';

const RPS = 5;
const LOOKUPS = 40;
let storage: Storage;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
const redis = createRedis(serviceUrls().redisUrl);
const prefix = testPrefix('two-robots');
let queue: Queue;
const children: ChildProcess[] = [];

beforeAll(async () => {
  storage = await openTestStorage();
  sandbox = await startSandbox({ port: 0, seed: 23 });
  queue = new Queue('court.case', { connection: redis, prefix });
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await queue?.close();
  redis.disconnect();
  await sandbox?.close();
  await dropStorage(storage);
});

/** Cases that cost exactly one card page: a court without search captcha, database server 1. */
function oneCourtCases(): { host: string; cases: SandboxCase[] } {
  const hosts = new Set(sandbox.world.courts.filter((c) => !c.hasSearchCaptcha).map((c) => c.host));
  const byHost = new Map<string, SandboxCase[]>();
  for (const c of sandbox.world.cases) if (hosts.has(c.host) && c.srvNum === 1) byHost.set(c.host, [...(byHost.get(c.host) ?? []), c]);
  const [host, cases] = [...byHost.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
  return { host, cases };
}

describe('per-host limit with two robot processes', () => {
  it('never lets two processes together exceed the court\'s limit, and every lookup succeeds', async () => {
    const { host, cases } = oneCourtCases();
    expect(cases.length).toBeGreaterThanOrEqual(LOOKUPS);
    const env = {
      ...process.env,
      REDIS_URL: serviceUrls().redisUrl,
      MONGODB_URI: withDb(serviceUrls().mongoUri, storage.conn.name),
      QUEUE_PREFIX: prefix,
      SANDBOX_ORIGIN: sandbox.url,
      // Generous default so only the per-host entry can be what limits the court.
      POLITENESS_RPS: '100',
      POLITENESS_CONCURRENCY: '16',
      POLITENESS_HOSTS: `${host}=${RPS}/1`,
      ROBOT_CONCURRENCY: '4',
      COURT_SUDRF_MODE: 'http',
      LOG_LEVEL: 'warn',
    };
    let output = '';
    for (let i = 0; i < 2; i++) {
      const child = spawn(process.execPath, ['bin/konveyer.mjs', 'robots', '--only', 'court.case', '--mode', 'http'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout!.on('data', (d) => (output += d));
      child.stderr!.on('data', (d) => (output += d));
      children.push(child);
    }
    // Both processes must be pulling from the queue before the batch goes in, or one would do it all.
    const ready = Date.now() + 60_000;
    while ((await queue.getWorkers()).length < 2) {
      if (children.some((c) => c.exitCode !== null) || Date.now() > ready) throw new Error(`robots did not start:\n${output.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const before = (await statsOf())[host]?.requests ?? 0;

    const res = await submitLookups(
      { lookups: storage.lookups, queueFor: () => queue, jobOptions: { attempts: 3, backoffMs: 200 } },
      cases.slice(0, LOOKUPS).map((c) => ({ type: 'court.case', input: { court: c.host, caseId: String(c.caseId), caseUid: c.caseUid } })),
    );
    const ids = res.lookups.map((l) => l.id);
    const deadline = Date.now() + 90_000;
    let docs: LookupDoc[];
    for (;;) {
      docs = (await Promise.all(ids.map((id) => storage.lookups.get(id)))) as LookupDoc[];
      if (docs.every((d) => ['succeeded', 'not_found', 'failed', 'needs_human'].includes(d.status))) break;
      if (Date.now() > deadline) throw new Error(`not final: ${JSON.stringify(docs.map((d) => [d.status, d.error?.code]))}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(docs.map((d) => d.status)).toEqual(ids.map(() => 'succeeded'));

    const stats = (await statsOf())[host]!;
    console.log(`two robots, ${host} limited to ${RPS}/1: ${JSON.stringify(stats)}`);
    expect(stats.requests - before).toBeGreaterThanOrEqual(LOOKUPS);
    expect(stats.maxConcurrent).toBe(1);
    // Leases are spaced 1000/RPS ms apart on Redis's clock, so a 1 s window holds RPS starts; the
    // sandbox counts arrivals, which the loopback hop can shift by a few ms, so one start of the next
    // window may land in it: RPS + 1. Two uncoordinated processes would reach about 2 × RPS.
    expect(stats.maxPerSecond).toBeLessThanOrEqual(RPS + 1);

    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode !== null ? c.exitCode : new Promise((r) => c.on('exit', r)))));
  }, 180_000);
});

async function statsOf(): Promise<Record<string, { requests: number; maxConcurrent: number; maxPerSecond: number }>> {
  return (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as Record<string, { requests: number; maxConcurrent: number; maxPerSecond: number }>;
}

function withDb(uri: string, db: string): string {
  const u = new URL(uri);
  u.pathname = `/${db}`;
  return u.toString();
}
