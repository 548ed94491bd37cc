import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Locker } from '../storage/key-lock.ts';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * A per-key mutex in Redis (`SET NX PX` + compare-and-delete), for storage saves that must not
 * interleave. Same contract as storage/key-lock.ts KeyLock, without two MongoDB round trips per
 * save; a holder that dies frees the key after `ttlMs`.
 */
export class RedisKeyLock implements Locker {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly options: { ttlMs?: number; waitMs?: number } = {},
  ) {}

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const k = `${this.prefix}:lock:${key}`;
    const token = randomUUID();
    const ttlMs = this.options.ttlMs ?? 30_000;
    const deadline = Date.now() + (this.options.waitMs ?? 60_000);
    for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
      if ((await this.redis.set(k, token, 'PX', ttlMs, 'NX')) === 'OK') break;
      if (Date.now() > deadline) throw new Error(`lock ${key}: still held after ${this.options.waitMs ?? 60_000} ms`);
      await new Promise((r) => setTimeout(r, wait + Math.random() * wait));
    }
    try {
      return await fn();
    } finally {
      await this.redis.eval(RELEASE, 1, k, token);
    }
  }
}
