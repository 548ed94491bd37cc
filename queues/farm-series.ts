import type { ChainableCommander, Redis } from 'ioredis';

/**
 * The farm's time series for the ops dashboard's charts, kept in Redis in per-minute buckets: one
 * hash per metric per minute, `<prefix>:series:<metric>:<minute>` (minute = Unix ms / 60 000),
 * expiring `SERIES_TTL_SECS` after its last write, so the store is bounded by design (a day and a
 * margin of minutes, each with at most one field per outcome / host × latency bucket / solver ×
 * result / queue / robot). Events are counted where they happen (a lookup attempt finished, a host
 * answered, a captcha answered); gauges (queue depth, circuits, robots and their memory) are
 * sampled by the API (api/ops/series-sampler.ts) and overwrite the minute's value.
 */
export const SERIES_TTL_SECS = 26 * 3600;

/** Upper bounds (ms) of the host latency histogram, as Prometheus' `konveyer_host_request_duration_seconds`; a last bucket holds the rest. */
export const LATENCY_BUCKETS_MS = [50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 90_000] as const;

/** What each metric's hash holds, field → value. */
export type SeriesMetric =
  /** `<outcome>` → lookup attempts finished (succeeded, not_found, failed, needs_human, retry, delay). */
  | 'lookups'
  /** `<host>|ok`, `<host>|fail` → requests to a target host. */
  | 'hosts'
  /** `<host>|<bucket index>` → requests whose latency fell in that LATENCY_BUCKETS_MS bucket. */
  | 'latency'
  /** `<solver>|<result>` → captcha solver calls (answered, declined, error). */
  | 'captcha'
  /** Sampled: `<queue>` → jobs waiting (waiting, prioritized, delayed). */
  | 'queues'
  /** Sampled: `<host>` → 0 closed, 1 half-open, 2 open. */
  | 'circuits'
  /** Sampled: `online` → robots with a recent heartbeat; `mem|<robot>` → its RSS plus its browsers', bytes. */
  | 'robots';

export const SERIES_METRICS: readonly SeriesMetric[] = ['lookups', 'hosts', 'latency', 'captcha', 'queues', 'circuits', 'robots'];

/** The minute number of a time (Unix ms). */
export const minuteOf = (atMs: number): number => Math.floor(atMs / 60_000);

/** Redis key of one metric's bucket of one minute. */
export const seriesKey = (prefix: string, metric: SeriesMetric, minute: number): string => `${prefix}:series:${metric}:${minute}`;

/** Index into LATENCY_BUCKETS_MS of a latency (LATENCY_BUCKETS_MS.length = above the last bound). */
export function latencyBucket(ms: number): number {
  const i = LATENCY_BUCKETS_MS.findIndex((upper) => ms <= upper);
  return i === -1 ? LATENCY_BUCKETS_MS.length : i;
}

/** Field names hold hosts, outcomes, solver names and robot ids: no separator, no control characters. */
const field = (s: string): string => s.replace(/[|\s]+/g, '_').slice(0, 200);

/**
 * Appends a host request (its result and, when measured, its latency) to a pipeline the caller
 * runs: the circuit breaker counts it in the same round trip as its own health counters.
 */
export function addHostRequest(pipeline: ChainableCommander, prefix: string, host: string, ok: boolean, latencyMs: number | undefined, atMs = Date.now()): void {
  const minute = minuteOf(atMs);
  const hosts = seriesKey(prefix, 'hosts', minute);
  pipeline.hincrby(hosts, `${field(host)}|${ok ? 'ok' : 'fail'}`, 1).expire(hosts, SERIES_TTL_SECS);
  if (latencyMs !== undefined) {
    const latency = seriesKey(prefix, 'latency', minute);
    pipeline.hincrby(latency, `${field(host)}|${latencyBucket(latencyMs)}`, 1).expire(latency, SERIES_TTL_SECS);
  }
}

/** A sample of the farm's gauges, taken once a minute (or more often; the last one of a minute stays). */
export interface FarmGaugeSample {
  /** Jobs waiting per queue. */
  queues: Record<string, number>;
  /** Circuit per host: 0 closed, 1 half-open, 2 open. */
  circuits: Record<string, number>;
  /** Robots with a recent heartbeat. */
  robotsOnline: number;
  /** Memory per robot (its RSS plus its browsers'), bytes. */
  robotMemoryBytes: Record<string, number>;
}

/** Options of a {@link FarmSeriesWriter}. */
export interface FarmSeriesWriterOptions {
  /**
   * Counts of events (lookups, captcha answers) are added up in the process and written at most
   * once per this many ms, one MULTI per minute bucket, each in the minute it happened; `flush()`
   * writes them at once. Default 0: every event is its own MULTI. A process that dies loses the
   * counts of its last interval (best-effort, like every series write).
   */
  flushEveryMs?: number;
  /** Where a failed batched write is reported (the batch is then dropped); default: ignored. */
  onFlushError?: (err: unknown) => void;
}

/**
 * Writes the farm's series. Borrowed Redis, never closed here. Writes are best-effort: a lost count
 * makes a chart a little low, it never fails a lookup (the callers log a failed write).
 *
 * @example await new FarmSeriesWriter(redis, config.queue.prefix).lookupFinished('succeeded')
 */
export class FarmSeriesWriter {
  /** Batched counts (flushEveryMs > 0): key → field → count. */
  private pending = new Map<string, Map<string, number>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
    private readonly options: FarmSeriesWriterOptions = {},
  ) {}

  /** A lookup attempt ended with `outcome` (succeeded, not_found, failed, needs_human, retry, delay). */
  async lookupFinished(outcome: string): Promise<void> {
    await this.incr('lookups', field(outcome));
  }

  /** A captcha solver was called: `result` ∈ answered, declined, error. */
  async captchaAnswered(solver: string, result: string): Promise<void> {
    await this.incr('captcha', `${field(solver)}|${field(result)}`);
  }

  /** A request to a target host ended (outside the circuit breaker's pipeline). */
  async hostRequest(host: string, ok: boolean, latencyMs?: number): Promise<void> {
    const pipeline = this.redis.multi();
    addHostRequest(pipeline, this.prefix, host, ok, latencyMs, this.now());
    await pipeline.exec();
  }

  /** Stores the gauges of this minute (replacing an earlier sample of the same minute, field by field). */
  async sample(sample: FarmGaugeSample): Promise<void> {
    const minute = minuteOf(this.now());
    const pipeline = this.redis.multi();
    const put = (metric: SeriesMetric, fields: Record<string, number>) => {
      if (Object.keys(fields).length === 0) return;
      const key = seriesKey(this.prefix, metric, minute);
      pipeline.hset(key, fields).expire(key, SERIES_TTL_SECS);
    };
    put('queues', Object.fromEntries(Object.entries(sample.queues).map(([k, v]) => [field(k), v])));
    put('circuits', Object.fromEntries(Object.entries(sample.circuits).map(([k, v]) => [field(k), v])));
    put('robots', { online: sample.robotsOnline, ...Object.fromEntries(Object.entries(sample.robotMemoryBytes).map(([k, v]) => [`mem|${field(k)}`, Math.round(v)])) });
    await pipeline.exec();
  }

  /** Writes the batched counts now (flushEveryMs); resolves when Redis has them. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    if (batch.size === 0) return;
    this.pending = new Map();
    // One MULTI per key: a minute's hash and its expiry stay in one slot on a Redis Cluster too.
    await Promise.all([...batch].map(([key, fields]) => {
      const multi = this.redis.multi();
      for (const [name, n] of fields) multi.hincrby(key, name, n);
      return multi.expire(key, SERIES_TTL_SECS).exec();
    }));
  }

  private async incr(metric: SeriesMetric, name: string): Promise<void> {
    const key = seriesKey(this.prefix, metric, minuteOf(this.now()));
    const every = this.options.flushEveryMs ?? 0;
    if (every <= 0) {
      await this.redis.multi().hincrby(key, name, 1).expire(key, SERIES_TTL_SECS).exec();
      return;
    }
    let fields = this.pending.get(key);
    if (!fields) this.pending.set(key, (fields = new Map()));
    fields.set(name, (fields.get(name) ?? 0) + 1);
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush().catch((err: unknown) => this.options.onFlushError?.(err)), every);
      // The process may exit between two writes (its close flushes: see queues/worker.ts).
      this.timer.unref();
    }
  }
}

/** Every metric's hash of each minute from `fromMinute` to `toMinute` (inclusive), one pipeline. */
export async function readSeriesBuckets(redis: Redis, prefix: string, fromMinute: number, toMinute: number): Promise<Record<SeriesMetric, Array<Record<string, string>>>> {
  const pipeline = redis.pipeline();
  for (const metric of SERIES_METRICS) for (let m = fromMinute; m <= toMinute; m++) pipeline.hgetall(seriesKey(prefix, metric, m));
  const replies = (await pipeline.exec()) ?? [];
  const n = toMinute - fromMinute + 1;
  const out = {} as Record<SeriesMetric, Array<Record<string, string>>>;
  SERIES_METRICS.forEach((metric, i) => {
    out[metric] = replies.slice(i * n, (i + 1) * n).map(([err, value]) => {
      if (err) throw err;
      return (value ?? {}) as Record<string, string>;
    });
  });
  return out;
}
