/**
 * Redis Cluster (issue 13 §7): three masters (Debian's redis-server in cluster mode) on free
 * loopback ports, joined by `redis-cli --cluster create`; the farm configured only with
 * REDIS_CLUSTER_NODES. The queue prefix gets its `{hash tag}` (BullMQ's Lua scripts touch several
 * keys of a queue, which must share a slot), lookups are submitted, worked and finished through
 * the cluster, and the stuck-lookup sweeper runs against it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.ts';
import { createLogger } from '../../core/logger.ts';
import { createRedis } from '../../queues/redis.ts';
import { requeueOrphanedLookups } from '../../queues/stuck-lookups.ts';
import { submitLookups } from '../../queues/submit.ts';
import { startLookupWorker } from '../../queues/worker.ts';
import { locateBinary, repoRoot, startRedis, type EmbeddedRedis } from '../../storage/embedded/index.ts';
import type { Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage } from '../helpers/services.ts';

const runDir = join(repoRoot, '.run', `cluster-${process.pid}`);
const cli = locateBinary('redis-cli');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const nodes: EmbeddedRedis[] = [];
let storage: Storage;

beforeAll(async () => {
  if (!cli) return;
  mkdirSync(runDir, { recursive: true });
  for (let i = 0; i < 3; i++) {
    const dir = join(runDir, `node-${i}`);
    nodes.push(await startRedis({ runDir: dir, name: `redis-cluster-${i}`, extraArgs: ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'), '--cluster-node-timeout', '2000'] }));
  }
  execFileSync(cli, ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], { stdio: 'ignore', timeout: 30_000 });
  // Wait until every node says the cluster is ok.
  for (const n of nodes) {
    for (let i = 0; i < 100; i++) {
      const info = execFileSync(cli, ['-p', String(n.port), 'cluster', 'info'], { encoding: 'utf8' });
      if (info.includes('cluster_state:ok')) break;
      await sleep(200);
    }
  }
  storage = await openTestStorage();
}, 60_000);

afterAll(async () => {
  for (const n of nodes) await n.stop();
  if (storage) await dropStorage(storage);
  rmSync(runDir, { recursive: true, force: true });
});

describe.skipIf(!cli)('Redis Cluster', () => {
  it('queues, works and sweeps lookups through three masters, with the prefix in a {hash tag}', { timeout: 90_000 }, async () => {
    const config = loadConfig({ REDIS_CLUSTER_NODES: `127.0.0.1:${nodes[0]!.port}`, QUEUE_PREFIX: 'kv-cluster', LOG_LEVEL: 'silent' });
    expect(config.queue.prefix).toBe('{kv-cluster}');
    expect(loadConfig({ REDIS_CLUSTER_NODES: `127.0.0.1:${nodes[0]!.port}`, QUEUE_PREFIX: '{own}' }).queue.prefix).toBe('{own}');
    const log = createLogger({ level: 'silent' });
    const producer = createRedis(config.redis);
    const workerConnection = createRedis(config.redis);
    const queue = new Queue('court.case', { connection: producer, prefix: config.queue.prefix });
    const jobOptions = { attempts: 3, backoffMs: 100 };
    const worker = startLookupWorker({ name: 'court.case', connection: workerConnection, prefix: config.queue.prefix, concurrency: 4, lookups: storage.lookups, log, robotId: 'cluster-test', handler: async () => ({ status: 'succeeded', result: null, evidenceCount: 0 }) });
    try {
      const input = { court: 'oktyabrsky--ufa.sudrf.ru', number: '2-1/2025' };
      const res = await submitLookups({ lookups: storage.lookups, queueFor: () => queue, jobOptions }, Array.from({ length: 40 }, () => ({ type: 'court.case', input })));
      const until = Date.now() + 60_000;
      while ((await storage.lookups.countByStatus({ batchId: res.batchId })).succeeded < 40 && Date.now() < until) await sleep(200);
      expect((await storage.lookups.countByStatus({ batchId: res.batchId })).succeeded).toBe(40);
      // An orphan (queued, no job) is re-queued through the cluster too.
      await worker.pause();
      const [orphan] = (await storage.lookups.insertMany([{ _id: `orphan-${Date.now()}`, type: 'court.case', input }])).inserted;
      const again = await requeueOrphanedLookups({ lookups: storage.lookups, queueFor: () => queue, types: ['court.case'], log, jobOptions }, { olderThanMs: 0 });
      expect(again).toContain(orphan!._id);
      expect(await queue.getJobState(orphan!._id)).toBe('waiting');
      // The hash tag puts every key of the queue in one slot (what BullMQ's multi-key scripts need).
      const slot = await producer.call('CLUSTER', 'KEYSLOT', `${config.queue.prefix}:court.case:wait`);
      expect(await producer.call('CLUSTER', 'KEYSLOT', `${config.queue.prefix}:court.case:${orphan!._id}`)).toBe(slot);
    } finally {
      await worker.close();
      await queue.close();
      producer.disconnect();
      workerConnection.disconnect();
    }
  });
});
