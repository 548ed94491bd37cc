import { createHash, randomUUID } from 'node:crypto';
import type { ChainableCommander, Redis } from 'ioredis';
import { HostPausedError } from '../core/errors.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';

export interface HostLimit {
  /** Request starts per second; starts are spaced evenly (no bursts at window edges). */
  rps: number;
  /** Requests in flight at once, across every robot process. */
  concurrency: number;
}

export interface PolitenessOptions {
  redis: Redis;
  /** Key prefix shared by every robot of one farm. */
  prefix: string;
  defaultLimit: HostLimit;
  hostLimits?: Record<string, HostLimit>;
  /** A lease not released within this time is reclaimed (a robot died holding it). */
  leaseMs?: number;
  /** How long a paused host makes the job wait before it is retried. */
  pausedRetryMs?: number;
  /** The host's circuit breaker (shared through Redis); `run` goes through it when given. */
  breaker?: CircuitBreaker;
  /** How long limits set at run time (`setLimit`, stored in Redis) are cached; default 2000 ms. */
  limitsCacheMs?: number;
  /** The limit of each egress proxy across the farm (PROXY_RPS / PROXY_CONCURRENCY); unset = proxies are not limited here. */
  proxyLimit?: HostLimit;
}

/**
 * Grants a slot (concurrency) and a start time (rate) in one atomic step. Uses the Redis clock,
 * so robot processes on different machines agree. Returns 0 when granted, -1 when paused, else
 * the milliseconds to wait.
 */
const ACQUIRE = `
local inflight, nextKey, pausedKey = KEYS[1], KEYS[2], KEYS[3]
local leaseId, leaseMs, concurrency, intervalMs = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
if redis.call('EXISTS', pausedKey) == 1 then return -1 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', inflight, '-inf', now)
if redis.call('ZCARD', inflight) >= concurrency then
  local first = redis.call('ZRANGE', inflight, 0, 0, 'WITHSCORES')
  local wait = 25
  if first[2] then wait = math.min(25, math.max(1, tonumber(first[2]) - now)) end
  return wait
end
local nxt = tonumber(redis.call('GET', nextKey) or '0')
if nxt > now then return nxt - now end
redis.call('SET', nextKey, tostring(now + intervalMs), 'PX', math.floor(intervalMs) + 60000)
redis.call('ZADD', inflight, now + leaseMs, leaseId)
redis.call('PEXPIRE', inflight, leaseMs * 2)
return 0
`;

/**
 * Per-target-host politeness shared through Redis: every robot process of the farm respects one
 * rate and one concurrency limit per host, and ops can pause a host. A request holds a lease from
 * `acquire` until its `release`; the lease expires on its own if the robot dies.
 */
export class Politeness {
  private readonly leaseMs: number;
  constructor(private readonly options: PolitenessOptions) {
    this.leaseMs = options.leaseMs ?? 120_000;
    options.redis.defineCommand('konveyerPoliteAcquire', { numberOfKeys: 3, lua: ACQUIRE });
  }

  /** The limit of `host`: one set at run time (Redis, cached briefly), else config's. */
  limitFor(host: string): HostLimit {
    return this.runtimeLimits.get(host) ?? this.options.hostLimits?.[host] ?? this.options.defaultLimit;
  }

  private runtimeLimits = new Map<string, HostLimit>();
  private limitsReadAt = 0;

  /** Re-reads the limits ops set while the farm runs, at most once per `limitsCacheMs`. */
  private async refreshLimits(): Promise<void> {
    if (Date.now() - this.limitsReadAt < (this.options.limitsCacheMs ?? 2000)) return;
    this.limitsReadAt = Date.now();
    this.runtimeLimits = parseLimits(await this.options.redis.hgetall(limitsKey(this.options.prefix)));
  }

  /** Sets `host`'s limit for the whole farm while it runs (robots see it within `limitsCacheMs`); null = back to config. */
  async setLimit(host: string, limit: HostLimit | null): Promise<void> {
    if (limit) await this.options.redis.hset(limitsKey(this.options.prefix), host, `${limit.rps}/${limit.concurrency}`);
    else await this.options.redis.hdel(limitsKey(this.options.prefix), host);
    this.limitsReadAt = 0;
  }

  /** Waits for a slot on `host`; returns the release function. Throws HostPausedError when paused. */
  async acquire(host: string, signal?: AbortSignal): Promise<Release> {
    await this.refreshLimits();
    return this.acquireKeys(this.keys(host), this.limitFor(host), signal, () => new HostPausedError(`target host ${host} is paused`, this.options.pausedRetryMs ?? 30_000, { target: host }));
  }

  /**
   * Waits for a slot on the egress proxy `proxyUrl` under `proxyLimit`, shared by every robot
   * process of the farm like a host's; returns the release function. The Redis key names the proxy
   * by a hash ({@link proxyId}), never by its URL (which carries credentials).
   */
  async acquireProxy(proxyUrl: string, signal?: AbortSignal): Promise<() => Promise<void>> {
    const limit = this.options.proxyLimit;
    if (!limit) return async () => undefined;
    const id = proxyId(proxyUrl);
    return this.acquireKeys(this.proxyKeys(id), limit, signal, () => new HostPausedError(`egress proxy ${id} is paused`, this.options.pausedRetryMs ?? 30_000, { details: { proxy: id } }));
  }

  private async acquireKeys(keys: { inflight: string; next: string; paused: string }, limit: HostLimit, signal: AbortSignal | undefined, paused: () => Error): Promise<Release> {
    const { concurrency, rps } = limit;
    const leaseId = randomUUID();
    const intervalMs = 1000 / rps;
    for (;;) {
      signal?.throwIfAborted();
      const wait = Number(
        await (this.options.redis as unknown as Record<string, (...a: unknown[]) => Promise<number>>).konveyerPoliteAcquire!(
          keys.inflight, keys.next, keys.paused, leaseId, this.leaseMs, concurrency, intervalMs,
        ),
      );
      if (wait === 0) {
        let released = false;
        const release = async () => {
          if (released) return;
          released = true;
          await this.options.redis.zrem(keys.inflight, leaseId);
        };
        return Object.assign(release, {
          into(multi: ChainableCommander) {
            // Not marked released: if the MULTI fails, release() still gives the slot back (a second ZREM is harmless).
            if (!released) multi.zrem(keys.inflight, leaseId);
          },
        });
      }
      if (wait < 0) throw paused();
      // A little jitter so waiting robots do not all ask again at the same millisecond.
      await sleep(Math.ceil(wait) + Math.floor(Math.random() * 5));
    }
  }

  /**
   * Runs `fn` inside a slot on `host`, through the host's circuit breaker when one is configured
   * (`isFailure` marks a result that counts against the host, e.g. a browser page with status 5xx).
   */
  async run<T>(host: string, fn: () => Promise<T>, signal?: AbortSignal, isFailure?: (result: T) => boolean): Promise<T> {
    // An open circuit refuses before a slot is taken, so a dead host does not hold leases.
    await this.options.breaker?.assertAllowed(host);
    const release = await this.acquire(host, signal);
    let releasedByBreaker = false;
    try {
      if (!this.options.breaker) return await fn();
      // The lease goes back in the breaker's own round trip (the MULTI recording the outcome), not one of its own.
      const result = await this.options.breaker.observe(host, fn, isFailure, (multi) => release.into(multi));
      releasedByBreaker = true;
      return result;
    } finally {
      // Without a breaker, or when fn or the breaker's write threw (then the MULTI may not have run).
      if (!releasedByBreaker) await release();
    }
  }

  async pause(host: string): Promise<void> {
    await this.options.redis.set(this.keys(host).paused, '1');
  }

  async resume(host: string): Promise<void> {
    await this.options.redis.del(this.keys(host).paused);
  }

  async isPaused(host: string): Promise<boolean> {
    return (await this.options.redis.exists(this.keys(host).paused)) === 1;
  }

  private keys(host: string) {
    const base = `${this.options.prefix}:polite:{${host}}`;
    return { inflight: `${base}:inflight`, next: `${base}:next`, paused: `${base}:paused` };
  }

  private proxyKeys(id: string) {
    const base = `${this.options.prefix}:polite:proxy:{${id}}`;
    return { inflight: `${base}:inflight`, next: `${base}:next`, paused: `${base}:paused` };
  }
}

/** Gives a slot back: by itself (one round trip, once), or `into` a MULTI the caller runs (none of its own). */
export type Release = (() => Promise<void>) & { into(multi: ChainableCommander): void };

/** A proxy's id in Redis keys, logs and metrics: a hash of its URL, so credentials never leave the process. */
export const proxyId = (proxyUrl: string): string => `p_${createHash('sha256').update(proxyUrl).digest('hex').slice(0, 16)}`;

/** Redis hash of per-host limits set while the farm runs: host → "rps/concurrency". */
export const limitsKey = (prefix: string) => `${prefix}:polite:limits`;

function parseLimits(raw: Record<string, string>): Map<string, HostLimit> {
  const out = new Map<string, HostLimit>();
  for (const [host, v] of Object.entries(raw)) {
    const [rps, concurrency] = v.split('/').map(Number);
    if (rps! > 0 && concurrency! >= 1) out.set(host, { rps: rps!, concurrency: Math.floor(concurrency!) });
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
