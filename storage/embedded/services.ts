/**
 * Starts the embedded Redis and MongoDB-wire server together (`konveyer services`, demo, tests) and,
 * when asked, supervises them: a server that dies (kill -9, OOM, crash) is started again on the same
 * port with the same data directory (Redis with AOF keeps its jobs), so every client reconnects to
 * the address it already has.
 */
import { mkdirSync } from 'node:fs';
import { startMongo, type EmbeddedMongo, type MongoKind } from './mongo.ts';
import { startRedis, type EmbeddedRedis } from './redis.ts';
import { reapStale } from './service-process.ts';

/** One thing the supervisor did: a server exited and was started again (or could not be, yet). */
export interface SupervisorEvent {
  service: 'redis' | MongoKind;
  event: 'restarted' | 'restart_failed';
  port: number;
  /** Pid of the process that died, and of the new one (null when the restart failed). */
  oldPid: number | null;
  pid: number | null;
  /** Exit code of the dead process; null when a signal killed it. */
  exitCode: number | null;
  /** From the exit to the new process answering, ms. */
  downMs: number;
  /** How many restarts of this service so far. */
  restarts: number;
  /** Why the restart failed, when it did (the next attempt follows in a second or so). */
  error?: string;
}

/** Options of {@link startServices}. */
export interface ServicesOptions {
  /** Run directory for data, logs and pid files, e.g. `<repo>/.run/demo`. */
  runDir: string;
  /** Redis with AOF persistence; default false. */
  redisAppendOnly?: boolean;
  /** Where MONGODB_URI and PATH are read; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Restart a server that exits by itself, on the same port and data; default false. */
  supervise?: boolean;
  /** Told of every restart (one call per event); `konveyer services` prints one line each. */
  onEvent?: (event: SupervisorEvent) => void;
}

/** Both services, ready. */
export interface EmbeddedServices {
  redisUrl: string;
  mongoUri: string;
  mongoKind: MongoKind;
  /** Current pids (they change when the supervisor restarts a server); null for an external MongoDB. */
  pids(): { redis: number; mongo: number | null };
  /** Restarts done by the supervisor so far. */
  restarts(): { redis: number; mongo: number };
  /** Stops both (no more restarts) and waits for their exit. */
  stop(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Reaps services left behind by dead runs, then starts Redis and the MongoDB-wire server in
 * parallel. If one fails the other is stopped before the error is rethrown. With `supervise`, each
 * is restarted on its port whenever it exits without `stop()`.
 * @example
 * const services = await startServices({ runDir: '.run/demo' });
 * // … use services.redisUrl, services.mongoUri …
 * await services.stop();
 */
export async function startServices(options: ServicesOptions): Promise<EmbeddedServices> {
  mkdirSync(options.runDir, { recursive: true });
  reapStale(options.runDir);
  const [redisStart, mongoStart] = await Promise.allSettled([
    startRedis({ runDir: options.runDir, appendOnly: options.redisAppendOnly }),
    startMongo({ runDir: options.runDir, env: options.env }),
  ]);
  if (redisStart.status === 'rejected' || mongoStart.status === 'rejected') {
    const started: Array<EmbeddedRedis | EmbeddedMongo> = [];
    if (redisStart.status === 'fulfilled') started.push(redisStart.value);
    if (mongoStart.status === 'fulfilled') started.push(mongoStart.value);
    await Promise.all(started.map((s) => s.stop()));
    throw redisStart.status === 'rejected' ? redisStart.reason : (mongoStart as PromiseRejectedResult).reason;
  }
  let redis = redisStart.value;
  let mongo = mongoStart.value;
  let stopping = false;
  const restarts = { redis: 0, mongo: 0 };
  const restarting: Array<Promise<void>> = [];

  /** Waits for the server to exit, then starts it again on its port until it comes up or stop() is called. */
  const supervise = (name: 'redis' | 'mongo', exited: Promise<number | null>, pid: number | null): void => {
    const loop = (async () => {
      const exitCode = await exited;
      if (stopping) return;
      const diedAt = Date.now();
      for (let attempt = 1; !stopping; attempt++) {
        const port = name === 'redis' ? redis.port : Number(new URL(mongo.uri).port);
        try {
          if (name === 'redis') {
            redis = await startRedis({ runDir: options.runDir, appendOnly: options.redisAppendOnly, port });
          } else {
            mongo = await startMongo({ runDir: options.runDir, env: options.env, port });
          }
          const next = name === 'redis' ? redis : mongo;
          if (stopping) {
            await next.stop();
            return;
          }
          restarts[name]++;
          options.onEvent?.({ service: name === 'redis' ? 'redis' : mongo.kind, event: 'restarted', port, oldPid: pid, pid: next.pid, exitCode, downMs: Date.now() - diedAt, restarts: restarts[name] });
          supervise(name, next.exited, next.pid);
          return;
        } catch (error) {
          // One line per failed attempt would flood the log during a long outage: the first, then every tenth.
          if (attempt === 1 || attempt % 10 === 0) {
            options.onEvent?.({ service: name === 'redis' ? 'redis' : mongo.kind, event: 'restart_failed', port, oldPid: pid, pid: null, exitCode, downMs: Date.now() - diedAt, restarts: restarts[name], error: (error as Error).message.slice(0, 300) });
          }
          await sleep(Math.min(5000, 500 * attempt));
        }
      }
    })();
    restarting.push(loop);
  };
  if (options.supervise) {
    supervise('redis', redis.exited, redis.pid);
    if (mongo.kind !== 'external') supervise('mongo', mongo.exited, mongo.pid);
  }
  return {
    redisUrl: redis.url,
    mongoUri: mongo.uri,
    mongoKind: mongo.kind,
    pids: () => ({ redis: redis.pid, mongo: mongo.pid }),
    restarts: () => ({ ...restarts }),
    stop: async () => {
      stopping = true;
      await Promise.all([redis.stop(), mongo.stop()]);
      // A restart in progress stops what it started.
      await Promise.race([Promise.all(restarting), sleep(15_000)]);
      await Promise.all([redis.stop(), mongo.stop()]);
    },
  };
}
