import type { ChainableCommander, Redis } from 'ioredis';
import { HostPausedError, describeError } from '../core/errors.ts';
import { hostLatency, hostRequests } from '../core/metrics.ts';
import { addHostRequest } from '../queues/farm-series.ts';

/** State of one host's circuit, as every robot of the farm sees it. */
export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  redis: Redis;
  /** Key prefix shared by the farm (QUEUE_PREFIX). */
  prefix: string;
  /** Consecutive failures (5xx, network, timeout) that open the circuit; default 5. */
  failureThreshold?: number;
  /** How long an open circuit refuses requests before one probe is let through; default 30 000 ms. */
  cooldownMs?: number;
  /** How long a half-open probe may take before another robot may probe; default 60 000 ms. */
  probeTimeoutMs?: number;
}

/** A host's circuit with its counters, for the dashboard. */
export interface CircuitInfo {
  host: string;
  state: CircuitState;
  /** Consecutive failures counted so far. */
  failures: number;
  /** When an open circuit lets a probe through (epoch ms), else null. */
  openUntil: number | null;
}

/** Error codes that count against a host: it is down or overloaded, not our request being wrong. */
const FAILURE_CODES = new Set(['network', 'timeout', 'server_error']);

/** A network error, a timeout or any 5xx (also a 503 with Retry-After, which the client reports as rate_limited). */
function countsAgainstHost(error: unknown): boolean {
  const d = describeError(error);
  return FAILURE_CODES.has(d.code) || Number(d.details?.status) >= 500;
}

/**
 * Decides in one step, on the Redis clock, whether a request may go to the host.
 * Returns 0 = go (closed, or this caller is the half-open probe), >0 = ms until a probe may go.
 */
const ALLOW = `
local key = KEYS[1]
local probeMs = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HGET', key, 'state')
if state == false or state == 'closed' then return 0 end
if state == 'open' then
  local untilMs = tonumber(redis.call('HGET', key, 'openUntil') or '0')
  if now < untilMs then return untilMs - now end
  redis.call('HSET', key, 'state', 'half_open', 'probeUntil', tostring(now + probeMs))
  return 0
end
-- half_open: one probe at a time; a probe that never reported is replaced after probeMs.
local probeUntil = tonumber(redis.call('HGET', key, 'probeUntil') or '0')
if now < probeUntil then return math.min(1000, probeUntil - now) end
redis.call('HSET', key, 'probeUntil', tostring(now + probeMs))
return 0
`;

/** Counts a failure; opens the circuit at the threshold, or at once when it was half-open. Returns the new state. */
const FAIL = `
local key = KEYS[1]
local threshold, cooldownMs = tonumber(ARGV[1]), tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local failures = redis.call('HINCRBY', key, 'failures', 1)
local state = redis.call('HGET', key, 'state') or 'closed'
if state == 'half_open' or (state == 'closed' and failures >= threshold) then
  redis.call('HSET', key, 'state', 'open', 'openUntil', tostring(now + cooldownMs), 'openedAt', tostring(now))
  return 'open'
end
return state
`;

/**
 * A circuit breaker per target host whose state lives in Redis, so that every robot process on
 * every machine stops hammering a host that is down as soon as any of them saw it fail K times in a
 * row: closed → open (after `failureThreshold` consecutive failures) → half-open after
 * `cooldownMs` (one probe request) → closed on its success, open again on its failure.
 * An open circuit throws HostPausedError (retryable, with retry-after): the job waits, it never
 * ends as not found. The same pattern as cockatiel's ConsecutiveBreaker, with shared state.
 */
export class CircuitBreaker {
  readonly failureThreshold: number;
  readonly cooldownMs: number;
  private readonly probeTimeoutMs: number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.failureThreshold = options.failureThreshold ?? 5;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.probeTimeoutMs = options.probeTimeoutMs ?? 60_000;
    options.redis.defineCommand('konveyerCircuitAllow', { numberOfKeys: 1, lua: ALLOW });
    options.redis.defineCommand('konveyerCircuitFail', { numberOfKeys: 1, lua: FAIL });
  }

  /** Throws HostPausedError when the host's circuit is open (or another robot is probing it). */
  async assertAllowed(host: string): Promise<void> {
    const wait = Number(await this.cmd('konveyerCircuitAllow')(this.key(host), this.probeTimeoutMs));
    if (wait > 0) {
      hostRequests.inc({ host, result: 'rejected' });
      throw new HostPausedError(`circuit of target host ${host} is open`, wait, { target: host, details: { circuit: 'open' } });
    }
  }

  /**
   * Runs `fn` for `host` through the circuit: refused when open; a thrown network/timeout/5xx error
   * or a result `isFailure` marks as failed counts against the host, anything else closes it.
   */
  async run<T>(host: string, fn: () => Promise<T>, isFailure?: (result: T) => boolean): Promise<T> {
    await this.assertAllowed(host);
    return this.observe(host, fn, isFailure);
  }

  /** Runs `fn` and records its outcome against `host`, without asking first (the caller did: `assertAllowed`). */
  /** `also` adds the caller's commands to the MULTI that records the outcome (e.g. politeness giving its slot back): one round trip for both. */
  async observe<T>(host: string, fn: () => Promise<T>, isFailure?: (result: T) => boolean, also?: (multi: ChainableCommander) => void): Promise<T> {
    const started = performance.now();
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      if (countsAgainstHost(error)) await this.recordFailure(host, started, also);
      else await this.recordSuccess(host, started, also);
      throw error;
    }
    if (isFailure?.(result)) await this.recordFailure(host, started, also);
    else await this.recordSuccess(host, started, also);
    return result;
  }

  /** The host answered: the circuit closes and the failure count restarts. */
  async recordSuccess(host: string, startedAt?: number, also?: (multi: ChainableCommander) => void): Promise<void> {
    const multi = this.options.redis.multi().hset(this.key(host), 'state', 'closed', 'failures', '0');
    this.countHealth(multi, host, 'ok', startedAt);
    also?.(multi);
    await multi.exec();
    hostRequests.inc({ host, result: 'ok' });
  }

  /** The host failed (5xx, network, timeout). Returns the state after it. */
  async recordFailure(host: string, startedAt?: number, also?: (multi: ChainableCommander) => void): Promise<CircuitState> {
    const state = String(await this.cmd('konveyerCircuitFail')(this.key(host), this.failureThreshold, this.cooldownMs)) as CircuitState;
    const multi = this.options.redis.multi();
    this.countHealth(multi, host, 'fail', startedAt);
    also?.(multi);
    await multi.exec();
    hostRequests.inc({ host, result: 'failure' });
    return state;
  }

  /** The circuit of one host as stored (closed when never seen). */
  async info(host: string): Promise<CircuitInfo> {
    const h = await this.options.redis.hgetall(this.key(host));
    const state = (h.state as CircuitState | undefined) ?? 'closed';
    return { host, state, failures: Number(h.failures ?? 0), openUntil: state === 'open' ? Number(h.openUntil) : null };
  }

  /** Closes a circuit by hand (ops: "the site is back"). */
  async reset(host: string): Promise<void> {
    await this.options.redis.del(this.key(host));
  }

  private countHealth(multi: ReturnType<Redis['multi']>, host: string, field: 'ok' | 'fail', startedAt?: number): void {
    const now = Date.now();
    const key = healthKey(this.options.prefix, host, now);
    multi.hincrby(key, field, 1);
    const ms = startedAt === undefined ? undefined : performance.now() - startedAt;
    if (ms !== undefined) {
      multi.hincrby(key, 'latencyMs', Math.round(ms));
      hostLatency.observe({ host }, ms / 1000);
    }
    // The dashboard's charts (a day of per-minute buckets): success rate and latency percentiles per host.
    addHostRequest(multi, this.options.prefix, host, field === 'ok', ms, now);
    multi.sadd(`${this.options.prefix}:health:hosts`, host);
    multi.expire(key, 3600);
  }

  private key(host: string): string {
    return circuitKey(this.options.prefix, host);
  }

  private cmd(name: string): (...args: unknown[]) => Promise<unknown> {
    return (this.options.redis as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]!.bind(this.options.redis);
  }
}

/** Redis key of a host's circuit. */
export const circuitKey = (prefix: string, host: string) => `${prefix}:circuit:{${host}}`;

/** Redis hash of a host's outcomes in one minute (ok, fail, latencyMs): the dashboard's health. */
export const healthKey = (prefix: string, host: string, atMs: number) => `${prefix}:health:{${host}}:${Math.floor(atMs / 60_000)}`;
