/**
 * The dashboard's series store on a real Redis (queues/farm-series.ts) and the charts read from it
 * (api/ops/farm-charts.ts): counts per minute by outcome, latency percentiles and success rate per
 * host, captcha answers by solver, sampled gauges; bounded by expiry; an empty farm is "no data"
 * (no series), never a line of zeros. Expected numbers are worked out by hand in the comments.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { RedisSeriesSource, quantileFromBuckets, type FarmChart, type FarmSeriesPayload } from '../../api/ops/farm-charts.ts';
import { FarmSeriesWriter, LATENCY_BUCKETS_MS, SERIES_TTL_SECS, minuteOf, seriesKey } from '../../queues/farm-series.ts';
import { CircuitBreaker } from '../../runtime/circuit-breaker.ts';
import { testPrefix, testRedis } from '../helpers/services.ts';

const redis = testRedis();
afterAll(() => redis.disconnect());

// A fixed "now": 30 s into minute M.
const M = minuteOf(Date.UTC(2026, 11, 1, 12, 0, 0));
const NOW = M * 60_000 + 30_000;
const at = (minute: number) => () => minute * 60_000 + 5_000;
const chart = (p: FarmSeriesPayload, id: FarmChart['id']) => p.charts.find((c) => c.id === id)!;
const line = (p: FarmSeriesPayload, id: FarmChart['id'], name: string) => chart(p, id).series.find((s) => s.name === name)?.values;

describe('quantileFromBuckets', () => {
  it('interpolates within the bucket the rank falls in, like histogram_quantile', () => {
    // 8 in (100, 250], 2 in (2500, 5000]: rank 5 → 100 + 150·5/8 = 193.75; rank 9 → 2500 + 2500·1/2 = 3750.
    const counts = [0, 0, 8, 0, 0, 0, 2, 0, 0, 0, 0];
    expect(quantileFromBuckets(0.5, counts, LATENCY_BUCKETS_MS)).toBe(193.75);
    expect(quantileFromBuckets(0.9, counts, LATENCY_BUCKETS_MS)).toBe(3750);
    // Everything above the last bound: the highest finite bound. Nothing: no value.
    expect(quantileFromBuckets(0.5, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3], LATENCY_BUCKETS_MS)).toBe(90_000);
    expect(quantileFromBuckets(0.5, new Array(11).fill(0), LATENCY_BUCKETS_MS)).toBeNull();
  });
});

describe('farm series in Redis', () => {
  it('an empty farm: every chart has no series (the page says "no data"), on a full hour of minutes', async () => {
    const p = await new RedisSeriesSource({ redis, prefix: testPrefix('series-empty'), now: () => NOW }).read('1h');
    expect(p.times).toHaveLength(60);
    expect(p.times[59]).toBe(M * 60);
    expect(p.charts.map((c) => c.id)).toEqual(['lookups', 'latency', 'success', 'circuits', 'queues', 'captcha', 'robots', 'memory']);
    for (const c of p.charts) expect(c.series, c.id).toEqual([]);
  });

  it('counts, percentiles, success rate, solvers and sampled gauges land in their minute', async () => {
    const prefix = testPrefix('series');
    const w = (minute: number) => new FarmSeriesWriter(redis, prefix, at(minute));
    for (let i = 0; i < 3; i++) await w(M - 2).lookupFinished('succeeded');
    await w(M - 2).lookupFinished('not_found');
    await w(M).lookupFinished('succeeded');
    await w(M).lookupFinished('succeeded');
    await w(M - 61).lookupFinished('succeeded'); // outside the last hour, inside the day
    // Minute M-1 on a.sudrf.ru: 8 answers in 120 ms, 1 in 3 s, 1 failure in 3 s.
    for (let i = 0; i < 8; i++) await w(M - 1).hostRequest('a.sudrf.ru', true, 120);
    await w(M - 1).hostRequest('a.sudrf.ru', true, 3000);
    await w(M - 1).hostRequest('a.sudrf.ru', false, 3000);
    await w(M).captchaAnswered('local-ocr', 'answered');
    await w(M).captchaAnswered('local-ocr', 'answered');
    await w(M).captchaAnswered('rucaptcha', 'error');
    await w(M - 3).sample({ queues: { 'court.case': 4, 'fssp.search': 0 }, circuits: { 'a.sudrf.ru': 2 }, robotsOnline: 1, robotMemoryBytes: { 'robot-1': 300 * 1024 * 1024 } });

    const hour = await new RedisSeriesSource({ redis, prefix, now: () => NOW }).read('1h');
    const zeros = (n: number) => new Array<number>(n).fill(0);
    expect(line(hour, 'lookups', 'succeeded')).toEqual([...zeros(57), 3, 0, 2]);
    expect(line(hour, 'lookups', 'not_found')).toEqual([...zeros(57), 1, 0, 0]);
    expect(chart(hour, 'lookups').series).toHaveLength(2); // no outcome nobody reached
    // p50: rank 5 of 10 in (100, 250] holding 8 → 194 ms; p90: rank 9 in (2500, 5000] holding 2 → 3750; p99: rank 9.9 → 4875.
    expect(line(hour, 'latency', 'a.sudrf.ru p50')?.[58]).toBe(194);
    expect(line(hour, 'latency', 'a.sudrf.ru p90')?.[58]).toBe(3750);
    expect(line(hour, 'latency', 'a.sudrf.ru p99')?.[58]).toBe(4875);
    expect(line(hour, 'latency', 'a.sudrf.ru p50')?.[57]).toBeNull(); // no request that minute: no latency
    // 9 of 10 answered; minutes without requests have no rate at all.
    const success = line(hour, 'success', 'a.sudrf.ru')!;
    expect(success[58]).toBe(90);
    expect(success.filter((v) => v !== null)).toEqual([90]);
    expect(line(hour, 'captcha', 'local-ocr answered')?.[59]).toBe(2);
    expect(line(hour, 'captcha', 'rucaptcha error')?.[59]).toBe(1);
    // Gauges: the sampled minute only; the others are unknown (null), not 0.
    const queue = line(hour, 'queues', 'court.case')!;
    expect(queue[56]).toBe(4);
    expect(queue.filter((v) => v !== null)).toEqual([4]);
    expect(line(hour, 'queues', 'fssp.search')?.[56]).toBe(0);
    expect(line(hour, 'circuits', 'a.sudrf.ru')?.[56]).toBe(2);
    expect(line(hour, 'robots', 'robots online')?.[56]).toBe(1);
    expect(line(hour, 'memory', 'robot-1')?.[56]).toBe(300);

    const day = await new RedisSeriesSource({ redis, prefix, now: () => NOW }).read('1d');
    expect(day.times).toHaveLength(1440);
    const daySucceeded = line(day, 'lookups', 'succeeded')!;
    expect(daySucceeded[1440 - 1 - 61]).toBe(1);
    expect(daySucceeded.reduce((a, b) => a! + b!, 0)).toBe(6);
    expect(line(hour, 'lookups', 'succeeded')!.reduce((a, b) => a! + b!, 0)).toBe(5);

    // Bounded: every bucket expires a day and a margin after its last write.
    const ttl = await redis.ttl(seriesKey(prefix, 'lookups', M));
    expect(ttl).toBeGreaterThan(24 * 3600);
    expect(ttl).toBeLessThanOrEqual(SERIES_TTL_SECS);
    expect(await redis.ttl(seriesKey(prefix, 'queues', M - 3))).toBeGreaterThan(24 * 3600);
  });

  it('batched counts (flushEveryMs) are written together, each in the minute it happened, by flush() or by the timer', async () => {
    const prefix = testPrefix('series-batched');
    let now = (M - 1) * 60_000 + 50_000;
    const w = new FarmSeriesWriter(redis, prefix, () => now, { flushEveryMs: 60_000 });
    await w.lookupFinished('succeeded');
    await w.lookupFinished('succeeded');
    await w.lookupFinished('failed');
    now = M * 60_000 + 1_000; // the next minute, before the batch is written
    await w.lookupFinished('succeeded');
    await w.captchaAnswered('local-ocr', 'answered');
    // Nothing in Redis until the batch goes out.
    expect(await redis.exists(seriesKey(prefix, 'lookups', M - 1), seriesKey(prefix, 'lookups', M), seriesKey(prefix, 'captcha', M))).toBe(0);
    await w.flush();
    expect(await redis.hgetall(seriesKey(prefix, 'lookups', M - 1))).toEqual({ succeeded: '2', failed: '1' });
    expect(await redis.hgetall(seriesKey(prefix, 'lookups', M))).toEqual({ succeeded: '1' });
    expect(await redis.hgetall(seriesKey(prefix, 'captcha', M))).toEqual({ 'local-ocr|answered': '1' });
    expect(await redis.ttl(seriesKey(prefix, 'lookups', M - 1))).toBeGreaterThan(24 * 3600);
    // A second flush has nothing left to add.
    await w.flush();
    expect(await redis.hgetall(seriesKey(prefix, 'lookups', M - 1))).toEqual({ succeeded: '2', failed: '1' });

    // Without flush(): the timer writes the batch on its own.
    const timed = new FarmSeriesWriter(redis, prefix, () => now, { flushEveryMs: 50 });
    await timed.lookupFinished('not_found');
    await vi.waitFor(async () => expect(await redis.hget(seriesKey(prefix, 'lookups', M), 'not_found')).toBe('1'), { timeout: 5000, interval: 20 });
  });

  it('the circuit breaker counts each host request into the series as it records its health', async () => {
    const prefix = testPrefix('series-breaker');
    const breaker = new CircuitBreaker({ redis, prefix, failureThreshold: 5 });
    await breaker.run('b.sudrf.ru', async () => 'answer');
    await breaker.run('b.sudrf.ru', async () => 'answer');
    await breaker.recordFailure('b.sudrf.ru');
    const p = await new RedisSeriesSource({ redis, prefix }).read('1h');
    // Two answers, one failure in this minute: 66.7 %; both measured answers took well under 50 ms.
    expect(line(p, 'success', 'b.sudrf.ru')?.filter((v) => v !== null)).toEqual([66.7]);
    const p50 = line(p, 'latency', 'b.sudrf.ru p50')!.filter((v) => v !== null);
    expect(p50).toHaveLength(1);
    expect(p50[0]).toBeLessThanOrEqual(50);
  });
});
