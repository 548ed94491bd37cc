/**
 * Redis clients of the farm: one URL, Sentinel (fail-over) or Cluster, all through ioredis, with a
 * reconnect policy that never gives up and one log line per connection state change.
 */
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { ConnectionStateLog, isConnectionError } from '../core/connection-state.ts';
import type { Logger } from '../core/logger.ts';

/** Host and port of a sentinel or cluster node. */
export interface RedisNode {
  host: string;
  port: number;
}

/**
 * Where Redis is: `url`, or `sentinels` + `sentinelName` (ioredis asks the sentinels for the current
 * master and follows a fail-over), or `clusterNodes`. A plain string is a URL. Config's `redis` fits.
 */
export type RedisTarget = string | { url?: string; sentinels?: RedisNode[]; sentinelName?: string; clusterNodes?: RedisNode[] };

/**
 * Delay before reconnect attempt `times` (1-based), ms: 100, 200, 400, … capped at 2 000, forever.
 * A farm outlives a Redis restart; giving up would leave workers that never resume.
 */
export function redisRetryDelayMs(times: number): number {
  return Math.min(2000, 50 * 2 ** Math.min(Math.max(times, 1), 6));
}

/**
 * How long a sentinel may take to answer "where is the master?", ms. ioredis waits forever by
 * default, so one hung sentinel (accepting connections, never replying) would hold every reconnect
 * after a fail-over; past this it asks the next one. A live sentinel answers in a millisecond.
 */
export const SENTINEL_COMMAND_TIMEOUT_MS = 2000;

/** True when the target names a Redis (URL, sentinels or cluster nodes). */
export function hasRedisTarget(target: RedisTarget | undefined): boolean {
  if (target === undefined) return false;
  if (typeof target === 'string') return target !== '';
  return Boolean(target.url || target.sentinels?.length || target.clusterNodes?.length);
}

/** A short description for logs: the URL without password, or the sentinel/cluster node list. */
export function describeRedisTarget(target: RedisTarget): string {
  const t = typeof target === 'string' ? { url: target } : target;
  if (t.clusterNodes?.length) return `cluster ${t.clusterNodes.map((n) => `${n.host}:${n.port}`).join(',')}`;
  if (t.sentinels?.length) return `sentinel ${t.sentinelName ?? 'mymaster'}@${t.sentinels.map((n) => `${n.host}:${n.port}`).join(',')}`;
  return (t.url ?? '').replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/**
 * A Redis connection fit for BullMQ workers (maxRetriesPerRequest null, so blocking commands wait
 * out a Redis restart instead of failing; reconnects forever by {@link redisRetryDelayMs}). The caller
 * owns and closes it. For a Cluster the client is an ioredis `Cluster`, which speaks the same
 * commands (BullMQ takes either); it is typed as `Redis` so that callers need not branch.
 * @example createRedis(config.redis) // URL, sentinels or cluster, as configured
 * @example createRedis('redis://127.0.0.1:6379', { enableOfflineQueue: false }) // producers that must fail fast
 */
export function createRedis(target: RedisTarget, options: RedisOptions = {}): Redis {
  const t = typeof target === 'string' ? { url: target } : target;
  const base: RedisOptions = { maxRetriesPerRequest: null, enableReadyCheck: true, retryStrategy: redisRetryDelayMs, ...options };
  if (t.clusterNodes?.length) {
    const { enableOfflineQueue, ...redisOptions } = base;
    return new Cluster(t.clusterNodes, {
      redisOptions,
      enableOfflineQueue: enableOfflineQueue ?? true,
      enableReadyCheck: true,
      clusterRetryStrategy: redisRetryDelayMs,
    }) as unknown as Redis;
  }
  if (t.sentinels?.length) {
    return new Redis({
      ...base,
      sentinels: t.sentinels,
      name: t.sentinelName ?? 'mymaster',
      sentinelRetryStrategy: redisRetryDelayMs,
      sentinelCommandTimeout: SENTINEL_COMMAND_TIMEOUT_MS,
      // Subscribe to +switch-master: reconnect to the new master at once rather than on the next error.
      failoverDetector: true,
    });
  }
  if (!t.url) throw new Error('Redis: none configured; set REDIS_URL, or REDIS_SENTINELS (+ REDIS_SENTINEL_NAME), or REDIS_CLUSTER_NODES');
  return new Redis(t.url, base);
}

/**
 * Logs the connection's state changes once each (lost / retrying / back, see core/connection-state.ts)
 * and swallows ioredis' per-attempt `error` events, which would otherwise print a stack trace per
 * reconnect attempt. Errors that are not about reaching Redis are logged as they come.
 * @returns the state tracker (its `state` says whether the connection is up).
 */
export function watchRedisConnection(redis: Redis, log: Logger, connection: string): ConnectionStateLog {
  const state = new ConnectionStateLog(log, { service: 'redis', connection });
  redis.on('error', (err: unknown) => {
    if (isConnectionError(err)) state.lost(err);
    else log.error({ err, service: 'redis', connection }, 'redis error');
  });
  // A close followed by a reconnect is an outage; a close we asked for ends without one.
  redis.on('reconnecting', (delayMs: number) => state.retrying(delayMs));
  redis.on('ready', () => state.back());
  return state;
}

/** True when the client can take commands now (connected and ready; a Cluster reports `ready` too). */
export function isRedisReady(redis: Redis): boolean {
  return redis.status === 'ready';
}
