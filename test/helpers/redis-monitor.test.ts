/**
 * The plain-socket MONITOR (test/helpers/redis-monitor.ts): lines as Redis 7 writes them, and the
 * commands of a real connection seen on real Redis, MULTI's included, from the first one on.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { monitorRedis, parseMonitorLine, type MonitoredCommand } from './redis-monitor.ts';
import { testRedis } from './services.ts';

const redis = testRedis();
afterAll(() => redis.disconnect());

describe('parseMonitorLine', () => {
  it('reads the arguments and the sender of a line, escapes undone', () => {
    expect(parseMonitorLine('+1796292985.139328 [0 127.0.0.1:60684] "hset" "t:meta" "a \\"b\\"" "\\xd0\\x96"')).toEqual({
      args: ['hset', 't:meta', 'a "b"', '\xd0\x96'],
      source: '127.0.0.1:60684',
    });
    expect(parseMonitorLine('+1796292985.139330 [0 lua] "hincrby" "k" "f" "1"')).toEqual({ args: ['hincrby', 'k', 'f', '1'], source: 'lua' });
  });

  it('is null for what is not a monitored command', () => {
    expect(parseMonitorLine('+OK')).toBeNull();
    expect(parseMonitorLine('-ERR unknown command')).toBeNull();
  });
});

describe('monitorRedis on real Redis', () => {
  it('sees every command sent right after MONITOR was confirmed, a MULTI as its own commands', async () => {
    const key = `t-monitor-${randomUUID()}`;
    const seen: MonitoredCommand[] = [];
    const monitor = await monitorRedis(redis, (c) => seen.push(c));
    await redis.set(key, '1');
    await redis.multi().hincrby(`${key}:h`, 'f', 2).hincrby(`${key}:h`, 'f', 3).exec();
    await redis.del(key, `${key}:h`);
    const mine = () => seen.filter((c) => c.args[1] === key || c.args[1] === `${key}:h`).map((c) => c.args.join(' '));
    for (const until = Date.now() + 5000; mine().length < 4 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
    monitor.stop();
    expect(mine()).toEqual([`set ${key} 1`, `hincrby ${key}:h f 2`, `hincrby ${key}:h f 3`, `del ${key} ${key}:h`]);
    expect(seen.some((c) => c.args[0] === 'multi') && seen.some((c) => c.args[0] === 'exec')).toBe(true);
  });
});
