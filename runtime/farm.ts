/**
 * A process role's connection to the farm: config with the service URLs filled in, the root logger,
 * storage, the producers' Redis connection and its queues. Every `konveyer` command that talks to the
 * farm opens one and closes it on exit; the soak runs and the reliability tests open it the same way.
 */
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { withOverrides, type Config } from '../config/index.ts';
import { readServicesFile } from './services-file.ts';
import { pino } from 'pino';
import { isConnectionError } from '../core/connection-state.ts';
import { createLogger, type Logger } from '../core/logger.ts';
import { createRedis, hasRedisTarget, isRedisReady, watchRedisConnection } from '../queues/redis.ts';
import { RedisKeyLock } from '../queues/redis-lock.ts';
import type { JobName } from '../queues/names.ts';
import { createQueueCache } from '../queues/queue-cache.ts';
import { backendOptionsFromConfig } from '../storage/evidence/backends.ts';
import { openStorage, resolveEvidenceKeyring, watchMongoConnection, type Storage } from '../storage/index.ts';
import { startServices } from '../storage/embedded/index.ts';

export interface Farm {
  config: Config;
  log: Logger;
  storage: Storage;
  /** The connection for queues (producers); workers get their own. */
  redis: Redis;
  /** True while the producers' Redis connection can take commands (the API refuses submits otherwise). */
  redisReady(): boolean;
  queueFor(name: JobName): Queue;
  robotId: string;
  close(): Promise<void>;
}

export interface OpenFarmOptions {
  /** Start embedded Redis and MongoDB when the config names none (demo); default: use services.json. */
  startServices?: boolean;
  /** Write logs to this file instead of stdout (the demo keeps the terminal for its progress bars). */
  logFile?: string;
  /**
   * Producer commands fail at once while Redis is away (no offline queue, a 2 s command timeout)
   * instead of waiting for it: the API answers 503 rather than hang. Default false (robots wait).
   */
  failFast?: boolean;
  /** Name of this role's connections in the connection state log lines; default `farm`. */
  role?: string;
}

/**
 * Connects a process role to the farm's services: the configured URLs, else the ones a running
 * `konveyer services` wrote, else (with `startServices`) embedded ones that stop on close.
 */
export async function openFarm(baseConfig: Config, options: OpenFarmOptions = {}): Promise<Farm> {
  const log = createLogger({
    level: baseConfig.log.level,
    destination: options.logFile ? pino.destination({ dest: options.logFile, mkdir: true, sync: false }) : undefined,
  });
  let config = baseConfig;
  let stopServices: (() => Promise<void>) | null = null;
  if (!hasRedisTarget(config.redis) || !config.mongo.uri) {
    const known = readServicesFile(config);
    if (known) {
      config = withOverrides(config, { redis: { url: config.redis.url ?? known.redisUrl }, mongo: { uri: config.mongo.uri ?? known.mongoUri } });
    } else if (options.startServices) {
      const runDir = resolve(config.runDir);
      mkdirSync(runDir, { recursive: true });
      const services = await startServices({ runDir });
      log.info({ redis: services.redisUrl, mongo: services.mongoKind }, 'embedded services started');
      stopServices = () => services.stop();
      config = withOverrides(config, { redis: { url: config.redis.url ?? services.redisUrl }, mongo: { uri: config.mongo.uri ?? services.mongoUri } });
    } else {
      throw new Error('No Redis/MongoDB: set REDIS_URL and MONGODB_URI, or run `npx konveyer services` in another terminal first.');
    }
  }
  const redis = createRedis(config.redis, options.failFast ? { enableOfflineQueue: false, commandTimeout: 2000 } : {});
  const role = options.role ?? 'farm';
  // One log line per state change while a service is away (lost / retrying / back), none per attempt.
  watchRedisConnection(redis, log, role);
  // Evidence is signed with a key the database does not hold (EVIDENCE_SIGNING_KEY or the generated one).
  const evidenceKeyring = resolveEvidenceKeyring(config, (path, keyId) => log.info({ path, keyId }, 'evidence signing key generated (set EVIDENCE_SIGNING_KEY to use your own)'));
  const storage = await openStorage({
    uri: config.mongo.uri!,
    db: config.mongo.db,
    evidenceKeyring,
    lock: new RedisKeyLock(redis, config.queue.prefix),
    evidence: backendOptionsFromConfig(config.evidence),
    commandStatsFile: config.mongo.commandStatsFile,
  });
  watchMongoConnection(storage.conn, log, role);
  // Connection errors are logged once per state change by the watcher above.
  const queues = createQueueCache({
    connection: redis,
    prefix: config.queue.prefix,
    onError: (err, queue) => {
      if (!isConnectionError(err)) log.error({ err, queue }, 'queue error');
    },
  });
  return {
    config,
    log,
    storage,
    redis,
    redisReady: () => isRedisReady(redis),
    robotId: `${hostname()}:${process.pid}`,
    queueFor: queues.queueFor,
    async close() {
      await queues.close();
      redis.disconnect();
      await storage.close();
      if (stopServices) await stopServices();
    },
  };
}
