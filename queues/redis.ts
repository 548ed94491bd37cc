import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis connection fit for BullMQ workers (maxRetriesPerRequest null, so blocking commands
 * wait out a Redis restart instead of failing). The caller owns and closes it.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...options });
}
