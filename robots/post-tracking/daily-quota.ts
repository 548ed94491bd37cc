/**
 * The tracking service's daily request limit per account, counted in Redis so every robot process
 * of the farm draws from the same count. A day is a Moscow calendar day (the service's). Past the
 * limit on every account, the lookup waits for the next day: a RateLimitedError whose
 * `retryAfterMs` reaches the next Moscow midnight — the queue delays the job, it does not fail it.
 */
import type { Redis } from 'ioredis';
import { RateLimitedError } from '../../core/errors.ts';

const MSK_MS = 3 * 3600_000;

/** Moscow calendar day of `ms`. */
export const moscowDay = (ms: number): string => new Date(ms + MSK_MS).toISOString().slice(0, 10);

/** Milliseconds from `ms` to the next Moscow midnight. */
export function msToNextMoscowDay(ms: number): number {
  const msk = ms + MSK_MS;
  return 86_400_000 - (msk % 86_400_000);
}

// INCR, set the expiry on first use, give the value back; over the limit the count is taken back.
const TAKE = `
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if n == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
if n > tonumber(ARGV[2]) then redis.call('DECRBY', KEYS[1], ARGV[1]) return -1 end
return n`;

export interface DailyQuotaOptions {
  redis: Redis;
  /** Key prefix (the queue prefix): tests and farms sharing a Redis stay apart. */
  prefix: string;
  /** Requests per account per day. */
  limit: number;
  /** Clock, ms (tests). */
  now?: () => number;
}

/** Per-account daily request counts shared by the farm. */
export class DailyQuota {
  private readonly now: () => number;
  constructor(private readonly options: DailyQuotaOptions) {
    this.now = options.now ?? Date.now;
  }

  private key(account: string): string {
    return `${this.options.prefix}:post-tracking:quota:${account}:${moscowDay(this.now())}`;
  }

  /** Takes `n` requests of `account`'s day; false (nothing taken) when they would pass the limit. */
  async take(account: string, n = 1): Promise<boolean> {
    const res = await this.options.redis.eval(TAKE, 1, this.key(account), String(n), String(this.options.limit), String(2 * 86_400_000));
    return Number(res) >= 0;
  }

  /** Requests `account` has used today. */
  async used(account: string): Promise<number> {
    return Number((await this.options.redis.get(this.key(account))) ?? 0);
  }

  /** The service said the limit is reached: count the day as spent (another process's count may lag). */
  async exhaust(account: string): Promise<void> {
    await this.options.redis.set(this.key(account), String(this.options.limit), 'PX', 2 * 86_400_000);
  }

  /** The first of `accounts` with `n` requests left today (taken), or a wait-for-tomorrow error. */
  async takeFrom<A extends { id: string }>(accounts: readonly A[], n = 1): Promise<A> {
    for (const a of accounts) if (await this.take(a.id, n)) return a;
    const waitMs = msToNextMoscowDay(this.now()) + 60_000;
    throw new RateLimitedError(`daily limit of ${this.options.limit} tracking requests reached on ${accounts.length} account(s); waiting for the next day`, waitMs, {
      target: 'post-tracking',
      details: { dailyLimit: true, limit: this.options.limit, day: moscowDay(this.now()) },
    });
  }
}
