/**
 * A farm for reliability runs: the sandbox in this process, a fresh database and queue prefix, and
 * robot pools either as real `konveyer robots` child processes (to kill -9) or in this process.
 * Used by the soak scenarios (`make soak`) and by their small CI versions in test/reliability/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadConfig, type Config } from '../../config/index.ts';
import { createLogger, type Logger } from '../../core/logger.ts';
import type { JobName } from '../../queues/names.ts';
import { createRedis } from '../../queues/redis.ts';
import { submitLookups, type SubmitRequest } from '../../queues/submit.ts';
import { startRobotPool, type RobotPool } from '../../robots/pool.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';
import { repoRoot } from '../../storage/embedded/index.ts';
import { openStorage, resolveEvidenceKeyring, type LookupDoc, type Storage } from '../../storage/index.ts';

/** Where Redis and the MongoDB-wire server are. */
export interface FarmServices {
  redisUrl: string;
  mongoUri: string;
}

/** Options of {@link openReliabilityFarm}. */
export interface ReliabilityFarmOptions {
  services: FarmServices;
  /** Short name used in the database and queue prefix. */
  name: string;
  /** Sandbox world seed; default 42. */
  seed?: number;
  /** Extra environment of the robots (and of this process's config). */
  env?: Record<string, string>;
  /** Directory for robot logs; default `<repo>/.run/reliability`. */
  logDir?: string;
}

/** Final lookup statuses: nothing more will happen to such a lookup. */
export const FINAL_STATUSES: ReadonlySet<string> = new Set(['succeeded', 'not_found', 'failed', 'needs_human']);

/** A robot child process. */
export interface RobotProcess {
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit code / signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A farm for one scenario; `close()` releases everything it started. */
export interface ReliabilityFarm {
  sandbox: RunningSandbox;
  storage: Storage;
  config: Config;
  /** Robot environment (service URLs, prefix, sandbox origin, timings). */
  env: Record<string, string>;
  mongoUri: string;
  logDir: string;
  queueFor(name: JobName): Queue;
  /** Submits and returns the lookup ids in order. */
  submit(requests: SubmitRequest[]): Promise<string[]>;
  /** Starts `konveyer robots --only court.case` as a child; its output goes to `<logDir>/<label>.log`. */
  spawnRobot(label: string, concurrency: number, extraEnv?: Record<string, string>): RobotProcess;
  /** A robot pool in this process (for scenarios that restart services rather than robots). */
  startPool(robotId: string, log?: Logger): Promise<RobotPool>;
  /** Lookups by id (one query per 500). */
  lookups(ids: readonly string[]): Promise<LookupDoc[]>;
  /** Waits until every lookup is final or the deadline passes; returns ms waited and the count still open. */
  waitFinal(ids: readonly string[], timeoutMs: number, onTick?: (open: number) => void): Promise<{ ms: number; open: number }>;
  close(): Promise<void>;
}

/** Robot timings for fault runs: short lock (fast stalled recovery), short backoff, a generous rate. */
export const FAST_ROBOT_ENV: Record<string, string> = {
  ROBOT_LOCK_DURATION_MS: '4000',
  JOB_ATTEMPTS: '6',
  JOB_BACKOFF_MS: '200',
  POLITENESS_RPS: '200',
  POLITENESS_CONCURRENCY: '16',
  HTTP_TIMEOUT_MS: '4000',
  COURT_SUDRF_MODE: 'http',
  LOG_LEVEL: 'info',
  // Local OCR alone: it guesses and retries, never parks a lookup for a person.
  CAPTCHA_CHAIN: 'local',
  // No pictures of captures: they are a separate low-priority job (test/picture/ covers them), and a
  // Chromium drawing pictures in every robot child would only add CPU load to what is measured here.
  EVIDENCE_PICTURES: 'false',
};

/** Opens a fresh farm: its own database, queue prefix and sandbox. */
export async function openReliabilityFarm(options: ReliabilityFarmOptions): Promise<ReliabilityFarm> {
  const tag = `${options.name}-${randomUUID().slice(0, 8)}`;
  const sandbox = await startSandbox({ port: 0, seed: options.seed ?? 42 });
  const mongoUri = withDb(options.services.mongoUri, `rel_${tag.replace(/-/g, '_')}`);
  const env: Record<string, string> = {
    ...FAST_ROBOT_ENV,
    REDIS_URL: options.services.redisUrl,
    MONGODB_URI: mongoUri,
    QUEUE_PREFIX: `rel-${tag}`,
    SANDBOX_ORIGIN: sandbox.url,
    ...options.env,
  };
  const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
  // The robot children sign with EVIDENCE_SIGNING_KEY or their run folder's key (their cwd is the repo): verify with the same keyring.
  const childConfig = loadConfig({ ...process.env, ...env, LOG_LEVEL: 'silent' });
  const evidenceKeyring = resolveEvidenceKeyring({ runDir: resolve(repoRoot, childConfig.runDir), evidence: childConfig.evidence });
  const storage = await openStorage({ uri: mongoUri, db: 'unused', evidenceKeyring });
  const redis: Redis = createRedis(options.services.redisUrl);
  redis.on('error', () => undefined);
  const queues = new Map<JobName, Queue>();
  const children = new Set<ChildProcess>();
  const logDir = options.logDir ?? join(repoRoot, '.run', 'reliability', tag);
  mkdirSync(logDir, { recursive: true });
  const queueFor = (name: JobName): Queue => {
    let q = queues.get(name);
    if (!q) {
      queues.set(name, (q = new Queue(name, { connection: redis, prefix: config.queue.prefix })));
      // Redis may be restarting (service-restart scenario): the client reconnects by itself.
      q.on('error', () => undefined);
    }
    return q;
  };
  const lookups = async (ids: readonly string[]): Promise<LookupDoc[]> => {
    const out: LookupDoc[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const docs = await storage.lookups.model.find({ _id: { $in: ids.slice(i, i + 500) } }).lean<LookupDoc[]>();
      out.push(...docs);
    }
    return out;
  };

  return {
    sandbox,
    storage,
    config,
    env,
    mongoUri,
    logDir,
    queueFor,
    async submit(requests) {
      const res = await submitLookups({ lookups: storage.lookups, queueFor, jobOptions: { attempts: config.queue.attempts, backoffMs: config.queue.backoffMs } }, requests);
      return res.lookups.map((l) => l.id);
    },
    spawnRobot(label, concurrency, extraEnv = {}) {
      const fd = openSync(join(logDir, `${label}.log`), 'a');
      const child = spawn(process.execPath, [join(repoRoot, 'bin/konveyer.mjs'), 'robots', '--only', 'court.case', '--concurrency', String(concurrency)], {
        cwd: repoRoot,
        env: { ...process.env, ...env, ...extraEnv },
        stdio: ['ignore', fd, fd],
      });
      closeSync(fd);
      children.add(child);
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once('exit', (code, signal) => {
          children.delete(child);
          resolve({ code, signal });
        }),
      );
      return { pid: child.pid as number, child, exited };
    },
    async startPool(robotId, log = createLogger({ level: 'silent' })) {
      return startRobotPool({ config, storage, log, robotId, only: ['court.case'] });
    },
    lookups,
    async waitFinal(ids, timeoutMs, onTick) {
      const started = Date.now();
      for (;;) {
        let open = ids.length;
        try {
          const docs = await lookups(ids);
          open = ids.length - docs.filter((d) => FINAL_STATUSES.has(d.status)).length;
        } catch {
          // The database may be restarting (service-restart scenario): ask again.
        }
        onTick?.(open);
        if (open === 0 || Date.now() - started > timeoutMs) return { ms: Date.now() - started, open };
        await new Promise((r) => setTimeout(r, 500));
      }
    },
    async close() {
      for (const child of children) child.kill('SIGKILL');
      for (const q of queues.values()) await q.close().catch(() => undefined);
      redis.disconnect();
      await sandbox.close();
      await storage.conn.dropDatabase().catch(() => undefined);
      await storage.close().catch(() => undefined);
    },
  };
}

/** `uri` with its database path replaced. */
export function withDb(uri: string, db: string): string {
  const u = new URL(uri);
  u.pathname = `/${db}`;
  return u.toString();
}
