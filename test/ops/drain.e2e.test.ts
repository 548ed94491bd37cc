/**
 * `konveyer ops drain` (OpsService.drain) on a robot pool in this process, real Redis, the real
 * MongoDB-wire server and the sandbox with slow pages: the robot's heartbeat sees the flag, the
 * jobs it runs finish (succeeded, not re-queued), and no job queued after the drain is taken.
 */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpsService } from '../../api/ops/ops.service.ts';
import { loadConfig } from '../../config/index.ts';
import { createLogger } from '../../core/logger.ts';
import { createRedis } from '../../queues/redis.ts';
import { submitLookups } from '../../queues/submit.ts';
import { startRobotPool } from '../../robots/pool.ts';
import { startSandbox } from '../../sandbox/server.ts';
import type { LookupDoc, Storage } from '../../storage/index.ts';
import { MongoRobotStore } from '../../storage/robots.repo.ts';
import { dropStorage, openTestStorage, serviceUrls, testPrefix } from '../helpers/services.ts';

let storage: Storage;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
const redis = createRedis(serviceUrls().redisUrl);
const prefix = testPrefix('drain');
let queue: Queue;

beforeAll(async () => {
  storage = await openTestStorage();
  sandbox = await startSandbox({ port: 0, seed: 7 });
  queue = new Queue('court.case', { connection: redis, prefix });
});

afterAll(async () => {
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await queue?.close();
  redis.disconnect();
  await sandbox?.close();
  await dropStorage(storage);
});

const statuses = async (ids: string[]) => (await Promise.all(ids.map((id) => storage.lookups.get(id)))).map((d) => (d as LookupDoc).status);

describe('ops drain', () => {
  it('lets in-flight jobs finish and takes no new ones', { timeout: 120_000 }, async () => {
    const config = loadConfig({
      REDIS_URL: serviceUrls().redisUrl,
      MONGODB_URI: serviceUrls().mongoUri,
      QUEUE_PREFIX: prefix,
      SANDBOX_ORIGIN: sandbox.url,
      POLITENESS_RPS: '50',
      POLITENESS_CONCURRENCY: '4',
      ROBOT_CONCURRENCY: '2',
      COURT_SUDRF_MODE: 'http',
      HEARTBEAT_SECS: '1',
      // Long enough that the in-flight jobs finish on their own rather than go back to the queue.
      SHUTDOWN_DEADLINE_MS: '60000',
      LOG_LEVEL: 'silent',
    });
    const robots = new MongoRobotStore(storage.conn);
    let drained!: () => void;
    const drainRequested = new Promise<void>((r) => (drained = r));
    const pool = await startRobotPool({ config, storage, log: createLogger({ level: 'silent' }), robotId: 'drainee', only: ['court.case'], heartbeats: robots, onDrain: () => drained() });
    const submit = async (cases: typeof sandbox.world.cases) =>
      (
        await submitLookups(
          { lookups: storage.lookups, queueFor: () => queue, jobOptions: { attempts: 2, backoffMs: 100 } },
          cases.map((c) => ({ type: 'court.case', input: { court: c.host, caseId: String(c.caseId), caseUid: c.caseUid } })),
        )
      ).lookups.map((l) => l.id);
    let closed = false;
    try {
      // Slow pages keep both jobs in flight when the drain comes.
      sandbox.setFaults({ latencyMs: 2000 });
      const first = await submit(sandbox.world.cases.slice(0, 2));
      const until = Date.now() + 60_000;
      while ((await statuses(first)).filter((s) => s === 'running').length < 2) {
        if (Date.now() > until) throw new Error(`never both running: ${await statuses(first)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const ops = new OpsService({
        redis,
        prefix,
        queueFor: () => queue,
        lookups: storage.lookups,
        robots,
        jobOptions: { attempts: 2, backoffMs: 100 },
        politeness: config.politeness,
      });
      await ops.drain('drainee');
      await drainRequested; // the heartbeat saw the flag (checked every second)
      // What the owner of the pool does on drain (cli/robots.ts): close, finishing the active jobs.
      const closing = pool.close(config.ops.shutdownDeadlineMs).then(() => (closed = true));
      const later = await submit(sandbox.world.cases.slice(2, 4));
      await closing;

      // On failure the message carries each lookup's last error: a retried attempt is not the drain's doing.
      const firstDocs = (await Promise.all(first.map((id) => storage.lookups.get(id)))) as LookupDoc[];
      expect(firstDocs.map((d) => d.status), `in-flight jobs finished: ${JSON.stringify(firstDocs.map((d) => ({ status: d.status, attempts: d.attempts, error: d.error })))}`).toEqual(['succeeded', 'succeeded']);
      expect(await statuses(later), 'jobs queued after the drain were not taken').toEqual(['queued', 'queued']);
      const counts = await queue.getJobCounts('waiting', 'active', 'completed');
      expect(counts).toMatchObject({ waiting: 2, active: 0, completed: 2 });
      // The robot's heartbeat says it stopped.
      expect((await robots.list()).find((b) => b._id === 'drainee')?.status).toBe('stopped');
    } finally {
      sandbox.setFaults({});
      if (!closed) await pool.close(1000);
    }
  });
});
