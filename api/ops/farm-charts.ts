import { LATENCY_BUCKETS_MS, minuteOf, readSeriesBuckets, type SeriesMetric } from '../../queues/farm-series.ts';
import type { Redis } from 'ioredis';

/** The ranges the dashboard shows. */
export const SERIES_RANGES = { '1h': 3600, '1d': 86_400 } as const;
export type SeriesRange = keyof typeof SERIES_RANGES;

/** One line of a chart: a name (an outcome, a host, a queue, a solver, a robot) and a value per time; null = nothing known then. */
export interface ChartSeries {
  name: string;
  values: Array<number | null>;
}

/** One chart of the dashboard. An empty `series` means no data (the page says so, it never draws zeros). */
export interface FarmChart {
  id: 'lookups' | 'latency' | 'success' | 'circuits' | 'queues' | 'captcha' | 'robots' | 'memory';
  title: string;
  unit: string;
  series: ChartSeries[];
}

/** `GET /ops/api/series`: the charts over one range, on one time axis (Unix seconds). */
export interface FarmSeriesPayload {
  range: SeriesRange;
  source: 'redis' | 'prometheus';
  stepSecs: number;
  times: number[];
  charts: FarmChart[];
}

/** Where the charts' series come from: Redis buckets, or Prometheus when PROMETHEUS_URL is set. */
export interface FarmSeriesSource {
  read(range: SeriesRange): Promise<FarmSeriesPayload>;
}

/** Chart titles and units, in page order. */
export const CHART_META: ReadonlyArray<Pick<FarmChart, 'id' | 'title' | 'unit'>> = [
  { id: 'lookups', title: 'Lookups per minute by outcome', unit: 'attempts/min' },
  { id: 'latency', title: 'Latency per host (p50 / p90 / p99)', unit: 'ms' },
  { id: 'success', title: 'Success rate per host', unit: '%' },
  { id: 'circuits', title: 'Circuit state per host (0 closed, 1 half-open, 2 open)', unit: 'state' },
  { id: 'queues', title: 'Queue depth (jobs waiting) per queue', unit: 'jobs' },
  { id: 'captcha', title: 'Captcha answers per minute by solver', unit: 'calls/min' },
  { id: 'robots', title: 'Robots online', unit: 'robots' },
  { id: 'memory', title: 'Robot memory (process and its browsers)', unit: 'MB' },
];

/** Hosts drawn per host chart: the busiest of the range (plus, on the circuit chart, every host whose circuit opened). */
export const TOP_HOSTS = 6;

/**
 * A quantile from a fixed-bucket histogram, as Prometheus' `histogram_quantile`: linear within the
 * bucket the rank falls in; in the last (unbounded) bucket, the highest finite bound. Null when empty.
 * `counts[i]` is the number of observations in bucket i (not cumulative); `bounds` the upper bounds.
 */
export function quantileFromBuckets(q: number, counts: readonly number[], bounds: readonly number[]): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i] ?? 0;
    if (n > 0 && below + n >= rank) {
      if (i >= bounds.length) return bounds[bounds.length - 1]!;
      const lower = i === 0 ? 0 : bounds[i - 1]!;
      return lower + (bounds[i]! - lower) * ((rank - below) / n);
    }
    below += n;
  }
  return bounds[bounds.length - 1]!;
}

type Buckets = Record<SeriesMetric, Array<Record<string, string>>>;

/** Splits `a|b` at its last separator. */
const split = (f: string): [string, string] => {
  const i = f.lastIndexOf('|');
  return [f.slice(0, i), f.slice(i + 1)];
};

/** Field → series name of every field seen in the range (null = not on this chart). */
function namesOf(minutes: Array<Record<string, string>>, nameOf: (fieldName: string) => string | null): Map<string, string> {
  const names = new Map<string, string>();
  for (const h of minutes) for (const f of Object.keys(h)) if (!names.has(f)) { const n = nameOf(f); if (n !== null) names.set(f, n); }
  return names;
}

/** Counted events: one series per name seen in the range, 0 in the minutes it had none. */
function counted(minutes: Array<Record<string, string>>, nameOf: (fieldName: string) => string | null = (f) => f): ChartSeries[] {
  const names = namesOf(minutes, nameOf);
  const series = new Map([...new Set(names.values())].sort().map((n) => [n, new Array<number>(minutes.length).fill(0)] as const));
  minutes.forEach((h, i) => {
    for (const [f, v] of Object.entries(h)) {
      const n = names.get(f);
      if (n !== undefined) series.get(n)![i]! += Number(v);
    }
  });
  return [...series.entries()].map(([name, values]) => ({ name, values }));
}

/** Sampled gauges: one series per name sampled in the range, null in the minutes without a sample. */
function sampled(minutes: Array<Record<string, string>>, pick: (fieldName: string) => string | null, scale = 1): ChartSeries[] {
  const names = namesOf(minutes, pick);
  const series = new Map([...new Set(names.values())].sort().map((n) => [n, new Array<number | null>(minutes.length).fill(null)] as const));
  minutes.forEach((h, i) => {
    for (const [f, v] of Object.entries(h)) {
      const n = names.get(f);
      if (n !== undefined) series.get(n)![i] = Math.round((Number(v) / scale) * 10) / 10;
    }
  });
  return [...series.entries()].map(([name, values]) => ({ name, values }));
}

/** Builds the dashboard's charts from per-minute buckets (oldest first). Pure. */
export function chartsFromBuckets(buckets: Buckets): FarmChart[] {
  // Hosts ranked by requests over the range.
  const requestsByHost = new Map<string, number>();
  for (const h of buckets.hosts) for (const [f, v] of Object.entries(h)) requestsByHost.set(split(f)[0], (requestsByHost.get(split(f)[0]) ?? 0) + Number(v));
  const top = [...requestsByHost.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, TOP_HOSTS).map(([h]) => h).sort();

  // Per minute, the histogram of each drawn host.
  const perMinute = buckets.latency.map((h) => {
    const byHost = new Map<string, number[]>();
    for (const [f, v] of Object.entries(h)) {
      const [name, bucket] = split(f);
      if (!top.includes(name)) continue;
      const counts = byHost.get(name) ?? new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
      counts[Number(bucket)] = (counts[Number(bucket)] ?? 0) + Number(v);
      byHost.set(name, counts);
    }
    return byHost;
  });
  const empty = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  const latency: ChartSeries[] = [];
  for (const host of top) {
    const histograms = perMinute.map((m) => m.get(host) ?? empty);
    if (histograms.every((c) => c.every((n) => n === 0))) continue;
    for (const [label, q] of [['p50', 0.5], ['p90', 0.9], ['p99', 0.99]] as const) {
      latency.push({ name: `${host} ${label}`, values: histograms.map((c) => round(quantileFromBuckets(q, c, LATENCY_BUCKETS_MS))) });
    }
  }

  const success: ChartSeries[] = top.map((host) => ({
    name: host,
    values: buckets.hosts.map((h) => {
      const ok = Number(h[`${host}|ok`] ?? 0);
      const fail = Number(h[`${host}|fail`] ?? 0);
      // A minute without requests has no rate (not 0 %, not 100 %).
      return ok + fail === 0 ? null : Math.round((ok / (ok + fail)) * 1000) / 10;
    }),
  }));

  const circuitHosts = new Set(top);
  for (const h of buckets.circuits) for (const [host, v] of Object.entries(h)) if (Number(v) > 0) circuitHosts.add(host);
  const circuits = sampled(buckets.circuits, (f) => (circuitHosts.has(f) ? f : null));

  const series: Record<FarmChart['id'], ChartSeries[]> = {
    lookups: counted(buckets.lookups),
    latency,
    success,
    circuits,
    queues: sampled(buckets.queues, (f) => f),
    captcha: counted(buckets.captcha, (f) => f.replace('|', ' ')),
    robots: sampled(buckets.robots, (f) => (f === 'online' ? 'robots online' : null)),
    memory: sampled(buckets.robots, (f) => (f.startsWith('mem|') ? f.slice(4) : null), 1024 * 1024),
  };
  return CHART_META.map((m) => ({ ...m, series: series[m.id] }));
}

const round = (v: number | null): number | null => (v === null ? null : Math.round(v));

/** The charts from the Redis buckets (queues/farm-series.ts), one point per minute. */
export class RedisSeriesSource implements FarmSeriesSource {
  constructor(private readonly options: { redis: Redis; prefix: string; now?: () => number }) {}

  async read(range: SeriesRange): Promise<FarmSeriesPayload> {
    const toMinute = minuteOf((this.options.now ?? Date.now)());
    const fromMinute = toMinute - SERIES_RANGES[range] / 60 + 1;
    const buckets = await readSeriesBuckets(this.options.redis, this.options.prefix, fromMinute, toMinute);
    const times = Array.from({ length: toMinute - fromMinute + 1 }, (_, i) => (fromMinute + i) * 60);
    return { range, source: 'redis', stepSecs: 60, times, charts: chartsFromBuckets(buckets) };
  }
}
