import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostPausedError } from '../core/errors.ts';
import { testPrefix, testRedis } from '../test/helpers/services.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { Politeness } from './politeness.ts';

let a: Redis;
let b: Redis;
const prefix = testPrefix('polite');

beforeAll(() => {
  a = testRedis();
  b = testRedis();
});
afterAll(() => {
  a.disconnect();
  b.disconnect();
});

/** Two limiters on two connections stand for two robot processes. */
const pair = (rps: number, concurrency: number, host: string) => {
  const opts = { prefix, defaultLimit: { rps, concurrency } };
  return { host, x: new Politeness({ ...opts, redis: a }), y: new Politeness({ ...opts, redis: b }) };
};

describe('Politeness (shared through Redis)', () => {
  it('holds one concurrency limit across two processes', async () => {
    const { host, x, y } = pair(1000, 2, 'conc.sudrf.ru');
    let inFlight = 0;
    let maxInFlight = 0;
    const task = async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 30));
      inFlight--;
    };
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? x : y).run(host, task)));
    expect(maxInFlight).toBe(2);
  });

  it('spaces request starts to the rate across two processes (no bursts)', async () => {
    const { host, x, y } = pair(20, 10, 'rate.sudrf.ru');
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? x : y).run(host, async () => void starts.push(Date.now()))));
    starts.sort((p, q) => p - q);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    // 20 rps = one start per 50 ms; allow timer slack below, none of the bursts a fixed window gives.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(40);
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(9 * 45);
  });

  it('refuses a paused host until it is resumed', async () => {
    const { host, x, y } = pair(100, 1, 'paused.sudrf.ru');
    await x.pause(host);
    expect(await y.isPaused(host)).toBe(true);
    await expect(y.run(host, async () => 1)).rejects.toBeInstanceOf(HostPausedError);
    await x.resume(host);
    await expect(y.run(host, async () => 1)).resolves.toBe(1);
  });

  it('reclaims the lease of a robot that died holding it', async () => {
    const opts = { prefix, defaultLimit: { rps: 1000, concurrency: 1 }, leaseMs: 150 };
    const dying = new Politeness({ ...opts, redis: a });
    const alive = new Politeness({ ...opts, redis: b });
    await dying.acquire('lease.sudrf.ru'); // never released
    const t0 = Date.now();
    await alive.run('lease.sudrf.ru', async () => undefined);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
  });

  it('with a circuit breaker, the slot goes back in the breaker\'s MULTI (no round trip of its own), also when the request throws', async () => {
    const host = 'breaker.sudrf.ru';
    const breaker = new CircuitBreaker({ redis: a, prefix });
    const limiter = new Politeness({ prefix, defaultLimit: { rps: 1000, concurrency: 1 }, redis: a, breaker });
    const inflight = `${prefix}:polite:{${host}}:inflight`;
    const sent: string[] = [];
    // Only what connection `a` sends (other test files share this Redis).
    const addr = /\baddr=(\S+)/.exec(String(await a.call('CLIENT', 'INFO')))![1];
    const monitor = await b.monitor();
    monitor.on('monitor', (_t: string, args: string[], source: string) => {
      if (source === addr) sent.push(String(args[0]).toLowerCase());
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(await limiter.run(host, async () => 'ok')).toBe('ok');
    await new Promise((r) => setTimeout(r, 100));
    monitor.disconnect();
    // ZREM only inside MULTI … EXEC: the breaker's write carried it.
    const exec = sent.indexOf('exec');
    expect(sent.lastIndexOf('zrem')).toBeGreaterThan(sent.indexOf('multi'));
    expect(sent.lastIndexOf('zrem')).toBeLessThan(exec);
    expect(sent.filter((c) => c === 'zrem')).toHaveLength(1);
    expect(await a.zcard(inflight)).toBe(0);
    // A failing request (a network error counts against the host) gives its slot back too: the next one runs at concurrency 1.
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'network' });
    await expect(limiter.run(host, async () => Promise.reject(refused))).rejects.toThrow('ECONNREFUSED');
    expect(await a.zcard(inflight)).toBe(0);
    expect(await limiter.run(host, async () => 'again')).toBe('again');
  });
});
