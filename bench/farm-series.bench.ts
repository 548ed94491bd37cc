/**
 * Cost of the dashboard's charts from Redis (issue 19): a full day of per-minute buckets for a
 * busy farm (H hosts, each with ok/fail counts and 4 latency buckets a minute, 4 outcomes, 3 solver
 * results, 8 queues, H circuits, R robots) is written as queues/farm-series.ts stores it, then
 * `GET /ops/api/series`'s reader (RedisSeriesSource) is timed over the last hour and the last day;
 * the memory the series take in Redis is measured (MEMORY USAGE of every key).
 *
 *   npx tsx bench/farm-series.bench.ts [hosts=30] [rounds=5] [robots=4]
 */
import { randomUUID } from 'node:crypto';
import { RedisSeriesSource } from '../api/ops/farm-charts.ts';
import { SERIES_TTL_SECS, minuteOf, seriesKey, type SeriesMetric } from '../queues/farm-series.ts';
import { createRedis } from '../queues/redis.ts';
import { startBenchServices } from './support/farm.ts';
import { figureOf, finish } from './support/report.ts';

const [hosts = 30, rounds = 5, robots = 4] = process.argv.slice(2).map(Number);
const services = await startBenchServices();
const redis = createRedis(services.redisUrl);
const prefix = `bench-series-${randomUUID().slice(0, 8)}`;
const now = Date.now();
const last = minuteOf(now);
const hostNames = Array.from({ length: hosts }, (_, i) => `court-${i}.sudrf.ru`);

// A day of minutes, written in batches of 60 minutes.
for (let m0 = last - 1439; m0 <= last; m0 += 60) {
  const p = redis.pipeline();
  for (let m = m0; m < Math.min(m0 + 60, last + 1); m++) {
    const put = (metric: SeriesMetric, fields: Record<string, number>) => p.hset(seriesKey(prefix, metric, m), fields).expire(seriesKey(prefix, metric, m), SERIES_TTL_SECS);
    put('lookups', { succeeded: 40, not_found: 5, failed: 1, retry: 3 });
    put('hosts', Object.fromEntries(hostNames.flatMap((h) => [[`${h}|ok`, 20], [`${h}|fail`, 1]])));
    put('latency', Object.fromEntries(hostNames.flatMap((h) => [2, 3, 4, 6].map((b) => [`${h}|${b}`, 5]))));
    put('captcha', { 'local-ocr|answered': 10, 'local-ocr|declined': 2, 'rucaptcha|answered': 1 });
    put('queues', Object.fromEntries(['court.case', 'court.search', 'fssp.search', 'epgu.request', 'epgu.inbox', 'ocr.document', 'post.tracking', 'webhook'].map((q) => [q, 12])));
    put('circuits', Object.fromEntries(hostNames.map((h) => [h, 0])));
    put('robots', { online: robots, ...Object.fromEntries(Array.from({ length: robots }, (_, i) => [`mem|robot-${i}`, 900 * 1024 * 1024])) });
  }
  await p.exec();
}

let bytes = 0;
let keys = 0;
for await (const batch of redis.scanStream({ match: `${prefix}:series:*`, count: 1000 })) {
  for (const key of batch as string[]) {
    bytes += Number(await redis.call('MEMORY', 'USAGE', key));
    keys++;
  }
}

const source = new RedisSeriesSource({ redis, prefix, now: () => now });
const hourMs: number[] = [];
const dayMs: number[] = [];
for (let r = 0; r < rounds; r++) {
  let t = performance.now();
  await source.read('1h');
  hourMs.push(performance.now() - t);
  t = performance.now();
  const day = await source.read('1d');
  dayMs.push(performance.now() - t);
  if (day.charts.find((c) => c.id === 'latency')!.series.length !== 18) throw new Error('expected 6 hosts × 3 percentiles on the latency chart');
}

finish({
  bench: 'farm-series',
  figures: [
    figureOf('charts from Redis, last hour (60 minutes)', 'ms', hourMs),
    figureOf('charts from Redis, last day (1440 minutes)', 'ms', dayMs),
    figureOf('Redis memory of a full day of series', 'MB', [bytes / 1024 / 1024]),
  ],
  notes: [`${hosts} hosts, ${robots} robots, ${keys} keys (1440 minutes × 7 metrics); embedded Redis on the 2-core VM shared with other work; ${rounds} rounds`],
  rounds: [{ hourMs, dayMs, bytes, keys }],
});
const cleanup = redis.pipeline();
for (let m = last - 1439; m <= last; m++) for (const metric of ['lookups', 'hosts', 'latency', 'captcha', 'queues', 'circuits', 'robots'] as const) cleanup.del(seriesKey(prefix, metric, m));
await cleanup.exec();
redis.disconnect();
await services.stop();
