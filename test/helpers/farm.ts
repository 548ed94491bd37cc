/**
 * A whole farm in the test process, for end-to-end tests: a fresh database, the sandbox replicas
 * on a free port, the robot pool (real Chromium) on its own queue prefix, and `submitAndWait`
 * (submit → queue → robot → lookups final). One per test file; `close()` in `afterAll`.
 */
import { loadConfig, type Config } from '../../config/index.ts';
import { createLogger } from '../../core/logger.ts';
import { createRedis } from '../../queues/redis.ts';
import { submitLookups, type SubmitRequest, type SubmitResult } from '../../queues/submit.ts';
import { startRobotPool, type RobotPool } from '../../robots/pool.ts';
import { startSandbox } from '../../sandbox/server.ts';
import type { LookupDoc, Storage } from '../../storage/index.ts';
import { queueCache, waitForFinal } from './lookups.ts';
import { dropStorage, openTestStorage, serviceUrls, testPrefix } from './services.ts';

export interface TestFarm {
  storage: Storage;
  sandbox: Awaited<ReturnType<typeof startSandbox>>;
  pool: RobotPool;
  config: Config;
  redis: ReturnType<typeof createRedis>;
  /** The BullMQ queue of a job name under this farm's prefix (cached, closed by `close`). */
  queueFor: ReturnType<typeof queueCache>['queueFor'];
  /** Submits as the API does (this farm's attempts and backoff). */
  submit(requests: SubmitRequest[]): Promise<SubmitResult>;
  /** Submits and waits until every lookup is final; the lookups in request order. */
  submitAndWait(requests: SubmitRequest[]): Promise<LookupDoc[]>;
  /**
   * Closes the robot pool and starts another on the same config, as a robot process restarted or
   * another one taking the queue would be: nothing in memory (sessions, fingerprints, rested proxies) carries over.
   */
  restartRobots(): Promise<RobotPool>;
  close(): Promise<void>;
}

export interface TestFarmOptions {
  /** Names the queue prefix and the robot id. */
  name: string;
  /** World seed of the sandbox (7 unless a test needs another). */
  seed?: number;
  /** Config on top of the defaults below (env names, as in production). */
  env?: Record<string, string>;
  /** How long `submitAndWait` waits for the lookups, ms. */
  waitMs?: number;
  /** The storage's driver emits `commandStarted` for every command (tests that count round trips). */
  monitorCommands?: boolean;
}

/** Generous politeness and few attempts: tests wait on the farm, not on the sandbox's courts. */
const TEST_ENV: Record<string, string> = {
  POLITENESS_RPS: '40',
  POLITENESS_CONCURRENCY: '4',
  JOB_ATTEMPTS: '3',
  JOB_BACKOFF_MS: '100',
  ROBOT_CONCURRENCY: '4',
  ROBOT_BROWSER_PAGES: '2',
  LOG_LEVEL: 'silent',
  // Local OCR alone (it then guesses and retries a new picture): these tests are about the robots, not the chain.
  CAPTCHA_CHAIN: 'local',
  // Pictures append to chains after a lookup ends; tests that list a chain's steps turn them on themselves.
  EVIDENCE_PICTURES: 'false',
};

/** Starts storage, sandbox and robot pool; see TestFarm. */
export async function startTestFarm(options: TestFarmOptions): Promise<TestFarm> {
  const storage = await openTestStorage({ monitorCommands: options.monitorCommands ?? false });
  const sandbox = await startSandbox({ port: 0, seed: options.seed ?? 7 });
  const config = loadConfig({
    ...TEST_ENV,
    REDIS_URL: serviceUrls().redisUrl,
    MONGODB_URI: serviceUrls().mongoUri,
    QUEUE_PREFIX: testPrefix(options.name),
    SANDBOX_ORIGIN: sandbox.url,
    ...options.env,
  });
  const startPool = (n: number) => startRobotPool({ config, storage, log: createLogger({ level: 'silent' }), robotId: `${options.name}-robot${n > 1 ? `-${n}` : ''}` });
  let started = 1;
  let pool = await startPool(started);
  const redis = createRedis(serviceUrls().redisUrl);
  const queues = queueCache(redis, () => config.queue.prefix);
  const submit = (requests: SubmitRequest[]) =>
    submitLookups({ lookups: storage.lookups, queueFor: queues.queueFor, jobOptions: { attempts: config.queue.attempts, backoffMs: config.queue.backoffMs } }, requests);
  return {
    storage, sandbox, config, redis, submit,
    get pool() {
      return pool;
    },
    queueFor: queues.queueFor,
    async restartRobots() {
      await pool.close();
      pool = await startPool(++started);
      return pool;
    },
    async submitAndWait(requests) {
      const res = await submit(requests);
      return waitForFinal(storage.lookups, res.lookups.map((l) => l.id), options.waitMs ?? 150_000, 200);
    },
    async close() {
      await pool.close();
      await queues.close();
      redis.disconnect();
      await sandbox.close();
      await dropStorage(storage);
    },
  };
}
