/**
 * The farm side of the end-to-end benchmarks: embedded services, a robot pool in a child process
 * (`konveyer robots`, so its memory is its own), and "submit N lookups → all final in MongoDB".
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobName } from '../../queues/names.ts';
import { createRedis } from '../../queues/redis.ts';
import { submitLookups, type SubmitRequest } from '../../queues/submit.ts';
import { startServices, type EmbeddedServices } from '../../storage/embedded/index.ts';
import { openStorage, type Storage } from '../../storage/index.ts';
import type { LookupStatus } from '../../storage/lookups.types.ts';
import { REPO_ROOT, spawnChild, type Child } from './child.ts';

/**
 * Embedded Redis + MongoDB-wire server in a run folder of this process alone
 * (`.run/bench-<pid>`), removed by `stop()`. One shared folder let two benchmarks running at once
 * start two FerretDB servers on the same SQLite files: "disk I/O error" and "no such table" followed.
 */
export async function startBenchServices(): Promise<EmbeddedServices> {
  const runDir = join(REPO_ROOT, '.run', `bench-${process.pid}`);
  mkdirSync(runDir, { recursive: true });
  const services = await startServices({ runDir });
  return {
    ...services,
    async stop() {
      await services.stop();
      rmSync(runDir, { recursive: true, force: true });
    },
  };
}

/**
 * The services' MongoDB URI naming database `db`. The embedded URI names one (`/konveyer`), and a
 * database in the URI wins over MONGODB_DB and openStorage's `db` (storage/connection.ts): without
 * this every "fresh database" of a benchmark was that one database.
 */
export function benchDbUri(mongoUri: string, db: string): string {
  const uri = new URL(mongoUri);
  uri.pathname = `/${db}`;
  return uri.toString();
}

/** Options of {@link startRobotProcess}. */
export interface RobotProcessOptions {
  services: EmbeddedServices;
  sandboxUrl: string;
  /** Database and queue prefix of this benchmark (fresh per benchmark). */
  db: string;
  concurrency: number;
  mode: 'http' | 'browser';
  browserPages?: number;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /**
   * Politeness per court host. The benchmarks raise it far above what the courts allow
   * (default 4 rps / 2 in flight) so that it does not throttle: it still costs its Redis round trip.
   */
  politeness?: { rps: number; concurrency: number };
  /** More environment of the robot process (product variables, e.g. MONGODB_COMMAND_STATS_FILE). */
  env?: Record<string, string>;
}

/** A robot pool in a child process, plus what the benchmark needs to feed it and watch it. */
export interface RobotProcess {
  child: Child;
  storage: Storage;
  /** The bench's own Redis connection (submit and queue polls), not the robot's. */
  redis: Redis;
  /** Submits and waits until every lookup is final; `onDrained` runs once the queue is empty, before the result's own MongoDB queries. */
  submit(requests: SubmitRequest[], onDrained?: () => void): Promise<BatchResult>;
  stop(): Promise<void>;
}

/** Outcome of one batch: seconds from the submit call to the last lookup's `finishedAt`. */
export interface BatchResult {
  lookups: number;
  seconds: number;
  /** Seconds spent in `submitLookups` (insert + addBulk), part of `seconds`. */
  submitSeconds: number;
  statuses: Record<LookupStatus, number>;
  errorsByCode: Record<string, number>;
}

export const BENCH_POLITENESS = { rps: 1000, concurrency: 64 } as const;

/**
 * Starts `node bin/konveyer.mjs robots --only court` (what `npx konveyer robots` runs, without the
 * npx wrapper, so the pid is the robot's) and waits until its workers are connected.
 */
export async function startRobotProcess(options: RobotProcessOptions): Promise<RobotProcess> {
  const { services, db } = options;
  const politeness = options.politeness ?? BENCH_POLITENESS;
  const env = {
    REDIS_URL: services.redisUrl,
    MONGODB_URI: benchDbUri(services.mongoUri, db),
    MONGODB_DB: db,
    QUEUE_PREFIX: db,
    SANDBOX_ORIGIN: options.sandboxUrl,
    POLITENESS_RPS: String(politeness.rps),
    POLITENESS_CONCURRENCY: String(politeness.concurrency),
    ROBOT_CONCURRENCY: String(options.concurrency),
    ROBOT_BROWSER_PAGES: String(options.browserPages ?? 4),
    COURT_SUDRF_MODE: options.mode,
    LOG_LEVEL: 'silent',
    // Local OCR alone (guessing, never a person): these figures are of the robots, as before the chain escalated (bench/captcha-chain.bench.ts has the chain's).
    CAPTCHA_CHAIN: 'local',
    KONVEYER_RUN_DIR: join(REPO_ROOT, '.run', `bench-${process.pid}`),
    ...options.env,
  };
  const child = spawnChild(process.execPath, [...(options.nodeArgs ?? []), 'bin/konveyer.mjs', 'robots', '--only', 'court', '--concurrency', String(options.concurrency)], env);
  const storage = await openStorage({ uri: benchDbUri(services.mongoUri, db), db });
  const redis: Redis = createRedis(services.redisUrl);
  const queues = new Map<JobName, Queue>();
  const queueFor = (name: JobName): Queue => {
    let q = queues.get(name);
    if (!q) queues.set(name, (q = new Queue(name, { connection: redis, prefix: db })));
    return q;
  };
  await waitForWorkers(queueFor('court.case'), child);

  return {
    child,
    storage,
    redis,
    async submit(requests, onDrained) {
      const started = Date.now();
      const { batchId } = await submitLookups({ lookups: storage.lookups, queueFor, jobOptions: { attempts: 5, backoffMs: 2000 } }, requests);
      const submitSeconds = (Date.now() - started) / 1000;
      // Poll the queue (Redis), not MongoDB: a status count is a full scan on FerretDB and would
      // load the server being measured. A lookup is final before its job leaves `active`.
      const queue = queueFor('court.case');
      for (;;) {
        if (child.proc.exitCode !== null) throw new Error(`robot process exited (${child.proc.exitCode}) mid-batch\n${child.stderrTail()}`);
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
        if (Object.values(counts).every((n) => n === 0)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      onDrained?.();
      let statuses = await storage.lookups.countByStatus({ batchId });
      while (statuses.queued + statuses.running > 0) {
        // Only if the robot finished a job without finishing its lookup; say so rather than hang.
        await new Promise((r) => setTimeout(r, 500));
        const again = await storage.lookups.countByStatus({ batchId });
        if (again.queued + again.running === statuses.queued + statuses.running) throw new Error(`queue drained but lookups not final: ${JSON.stringify(again)}`);
        statuses = again;
      }
      // The poll above is coarse; the end of the batch is the last finishedAt the robots wrote.
      const last = await storage.lookups.model.findOne({ batchId }).sort({ finishedAt: -1 }).select({ finishedAt: 1 }).lean<{ finishedAt: Date | null }>();
      const ended = last?.finishedAt?.getTime() ?? Date.now();
      return {
        lookups: requests.length,
        seconds: (ended - started) / 1000,
        submitSeconds,
        statuses,
        errorsByCode: await storage.lookups.errorsByCode({ batchId }),
      };
    },
    async stop() {
      await child.stop(60_000);
      for (const q of queues.values()) {
        await q.obliterate({ force: true }).catch(() => undefined);
        await q.close();
      }
      redis.disconnect();
      // The database is dropped later, by dropDatabases: dropping it here while the next round
      // creates its own once made FerretDB answer "no such table: lookups_…" for the new one.
      await storage.close();
    },
  };
}

/** Waits until the child's BullMQ worker shows up among the queue's clients. */
async function waitForWorkers(queue: Queue, child: Child, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await queue.getWorkers()).length === 0) {
    if (child.proc.exitCode !== null) throw new Error(`robot process exited (${child.proc.exitCode}) at start\n${child.stderrTail()}`);
    if (Date.now() > deadline) throw new Error(`robot process not ready after ${timeoutMs} ms\n${child.stderrTail()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Drops the benchmark's databases (after all rounds; see RobotProcess.stop). Errors are ignored. */
export async function dropDatabases(services: EmbeddedServices, dbs: string[]): Promise<void> {
  for (const db of dbs) {
    const storage = await openStorage({ uri: benchDbUri(services.mongoUri, db), db }).catch(() => null);
    await storage?.conn.dropDatabase().catch(() => undefined);
    await storage?.close();
  }
}
