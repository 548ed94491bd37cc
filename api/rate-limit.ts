import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from '../config/index.ts';
import { ApiError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Charges batch rows to the request's API key (set by the rate limiter on keyed requests):
     * resolves when allowed, throws 429 (Retry-After) when the key's rows of this minute are used
     * up, 413 when the batch alone is above the per-minute allowance.
     */
    chargeBatchRows?: (rows: number) => Promise<void>;
  }
}

/** What the limiter needs. */
export interface RateLimitOptions {
  redis: Redis;
  /** Key prefix (the farm's queue prefix): farms sharing a Redis keep their own counters. */
  prefix: string;
  limits: Config['api']['rateLimit'];
  /** Longest wait for Redis before a request goes through unlimited (fail open); default 500 ms. */
  redisTimeoutMs?: number;
}

const WINDOW_MS = 60_000;

/**
 * Adds `n` to a counter that lives one minute from its first charge, unless that would pass
 * `limit`: then nothing is added. Answers {allowed 1|0, count after, ms until the counter expires}.
 * One key per call, so it works on Redis Cluster too.
 */
const CHARGE_LUA = `
local n = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if cur + n > limit then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then ttl = tonumber(ARGV[3]) end
  return {0, cur, ttl}
end
local v = redis.call('INCRBY', KEYS[1], n)
if v == n then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
local ttl = redis.call('PTTL', KEYS[1])
return {1, v, ttl}
`;

/** The outcome of one charge. */
export interface Charge {
  allowed: boolean;
  count: number;
  /** Milliseconds until this minute's counter is gone. */
  resetMs: number;
}

/**
 * Per-API-key limits of requests and of batch rows per minute, counted in Redis so every API
 * process behind a load balancer shares them: over the limit → 429 `rate_limited` with
 * `Retry-After` (seconds). Keys with `ops` are exempt when configured so; a limit of 0 is none.
 * When Redis does not answer in time the request goes through (logged): the limiter must not take
 * reads down with it.
 */
export class ApiRateLimiter {
  private readonly timeoutMs: number;

  constructor(private readonly options: RateLimitOptions) {
    this.timeoutMs = options.redisTimeoutMs ?? 500;
  }

  /** Charges `n` units of `kind` to an API key (see CHARGE_LUA); null when Redis did not answer in time. */
  async charge(keyId: string, kind: 'requests' | 'rows', n: number, limit: number): Promise<Charge | null> {
    // Not connected: no command is queued behind the outage (ioredis would hold it until reconnect).
    if (this.options.redis.status !== 'ready') return null;
    const key = `${this.options.prefix}:ratelimit:${kind}:${keyId}`;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.timeoutMs)));
    try {
      const res = (await Promise.race([this.options.redis.eval(CHARGE_LUA, 1, key, n, limit, WINDOW_MS), timeout])) as [number, number, number] | null;
      if (!res) return null;
      return { allowed: res[0] === 1, count: res[1], resetMs: res[2] };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Registers the `onRequest` hook; call after the auth hook (it needs `req.apiKey`). */
  install(app: FastifyInstance): void {
    const { limits } = this.options;
    app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      const key = req.apiKey;
      if (!key) return;
      if (limits.exemptOps && key.scopes.includes('ops')) return;
      if (limits.rowsPerMinute > 0) req.chargeBatchRows = (rows) => this.enforce(req, reply, key._id, 'rows', rows, limits.rowsPerMinute);
      if (limits.requestsPerMinute > 0) await this.enforce(req, reply, key._id, 'requests', 1, limits.requestsPerMinute);
    });
  }

  private async enforce(req: FastifyRequest, reply: FastifyReply, keyId: string, kind: 'requests' | 'rows', n: number, limit: number): Promise<void> {
    if (n > limit) throw new ApiError(413, 'too_large', `a batch of ${n} rows is more than this API key may submit in a minute (${limit}); split it`);
    const charge = await this.charge(keyId, kind, n, limit).catch((err: unknown) => {
      req.log.warn({ err }, 'rate limiter: Redis failed; request not limited');
      return null;
    });
    if (!charge) return;
    const unit = kind === 'rows' ? 'X-RateLimit-Rows' : 'X-RateLimit';
    void reply.header(`${unit}-Limit`, limit).header(`${unit}-Remaining`, Math.max(0, limit - charge.count));
    if (charge.allowed) return;
    const seconds = Math.max(1, Math.ceil(charge.resetMs / 1000));
    void reply.header('retry-after', seconds);
    throw new ApiError(
      429,
      'rate_limited',
      kind === 'rows'
        ? `this API key may submit ${limit} batch rows per minute; ${limit - charge.count} are left, the batch has ${n}; retry in ${seconds} s`
        : `this API key may make ${limit} requests per minute; retry in ${seconds} s`,
    );
  }
}
