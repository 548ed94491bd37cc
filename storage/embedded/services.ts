/** Starts the embedded Redis and MongoDB-wire server together (`konveyer services`, demo, tests). */
import { mkdirSync } from 'node:fs';
import { startMongo, type EmbeddedMongo, type MongoKind } from './mongo.ts';
import { startRedis, type EmbeddedRedis } from './redis.ts';
import { reapStale } from './service-process.ts';

/** Options of {@link startServices}. */
export interface ServicesOptions {
  /** Run directory for data, logs and pid files, e.g. `<repo>/.run/demo`. */
  runDir: string;
  /** Redis with AOF persistence; default false. */
  redisAppendOnly?: boolean;
  /** Where MONGODB_URI and PATH are read; default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** Both services, ready. */
export interface EmbeddedServices {
  redisUrl: string;
  mongoUri: string;
  mongoKind: MongoKind;
  /** Stops both and waits for their exit. */
  stop(): Promise<void>;
}

/**
 * Reaps services left behind by dead runs, then starts Redis and the MongoDB-wire server in
 * parallel. If one fails the other is stopped before the error is rethrown.
 * @example
 * const services = await startServices({ runDir: '.run/demo' });
 * // … use services.redisUrl, services.mongoUri …
 * await services.stop();
 */
export async function startServices(options: ServicesOptions): Promise<EmbeddedServices> {
  mkdirSync(options.runDir, { recursive: true });
  reapStale(options.runDir);
  const [redis, mongo] = await Promise.allSettled([
    startRedis({ runDir: options.runDir, appendOnly: options.redisAppendOnly }),
    startMongo({ runDir: options.runDir, env: options.env }),
  ]);
  if (redis.status === 'rejected' || mongo.status === 'rejected') {
    const started: Array<EmbeddedRedis | EmbeddedMongo> = [];
    if (redis.status === 'fulfilled') started.push(redis.value);
    if (mongo.status === 'fulfilled') started.push(mongo.value);
    await Promise.all(started.map((s) => s.stop()));
    throw redis.status === 'rejected' ? redis.reason : (mongo as PromiseRejectedResult).reason;
  }
  return {
    redisUrl: redis.value.url,
    mongoUri: mongo.value.uri,
    mongoKind: mongo.value.kind,
    stop: async () => {
      await Promise.all([redis.value.stop(), mongo.value.stop()]);
    },
  };
}
