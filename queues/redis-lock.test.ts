import { afterAll, describe, expect, it } from 'vitest';
import { testPrefix, testRedis } from '../test/helpers/services.ts';
import { RedisKeyLock } from './redis-lock.ts';

const a = testRedis();
const b = testRedis();
afterAll(() => {
  a.disconnect();
  b.disconnect();
});

describe('RedisKeyLock', () => {
  it('lets one holder at a time run per key, across connections', async () => {
    const prefix = testPrefix('lock');
    const locks = [new RedisKeyLock(a, prefix), new RedisKeyLock(b, prefix)];
    let inside = 0;
    let maxInside = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        locks[i % 2]!.withLock('case-1', async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await new Promise((r) => setTimeout(r, 10));
          inside--;
          done++;
        }),
      ),
    );
    expect(maxInside).toBe(1);
    expect(done).toBe(10);
  });

  it('frees the key of a holder that died', async () => {
    const prefix = testPrefix('lock');
    await a.set(`${prefix}:lock:case-2`, 'dead-holder', 'PX', 100);
    const t0 = Date.now();
    await new RedisKeyLock(b, prefix).withLock('case-2', async () => undefined);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(50);
  });
});
