import { CHART_META, SERIES_RANGES, TOP_HOSTS, type ChartSeries, type FarmChart, type FarmSeriesPayload, type FarmSeriesSource, type SeriesRange } from './farm-charts.ts';

export interface PrometheusSeriesOptions {
  /** PROMETHEUS_URL: the Prometheus server that scrapes the farm's `/metrics`, e.g. http://prometheus:9090. */
  url: string;
  /** Per request; default 10 000 ms. */
  timeoutMs?: number;
  now?: () => number;
}

/** Range-query answer of Prometheus' HTTP API (`/api/v1/query_range`). */
interface RangeAnswer {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: 'matrix'; result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
}

/** Step of each range: one point a minute over an hour, one per five minutes over a day. */
const STEP_SECS: Record<SeriesRange, number> = { '1h': 60, '1d': 300 };

/**
 * The dashboard's charts read from Prometheus (PROMETHEUS_URL) with range queries over the farm's
 * own metrics (core/metrics.ts) instead of the Redis buckets: the same charts, as long as
 * Prometheus keeps the data. Lines are named by the same labels (outcome, host, queue, solver).
 */
export class PrometheusSeriesSource implements FarmSeriesSource {
  constructor(private readonly options: PrometheusSeriesOptions) {}

  async read(range: SeriesRange): Promise<FarmSeriesPayload> {
    const stepSecs = STEP_SECS[range];
    const end = Math.floor((this.options.now ?? Date.now)() / 1000);
    const start = end - SERIES_RANGES[range] + stepSecs;
    const times = Array.from({ length: Math.floor((end - start) / stepSecs) + 1 }, (_, i) => start + i * stepSecs);
    const w = `${Math.max(60, stepSecs)}s`;
    const q = (expr: string, nameOf: (labels: Record<string, string>) => string, scale = 1) => this.query(expr, times, stepSecs, nameOf, scale);
    const perMinute = 60 / Math.max(60, stepSecs);
    const [lookups, p50, p90, p99, success, circuits, queues, captcha, robots, memory] = await Promise.all([
      q(`sum by (outcome) (increase(konveyer_lookup_attempts_total[${w}])) * ${perMinute}`, (l) => l.outcome ?? '?'),
      ...[0.5, 0.9, 0.99].map((quantile) =>
        q(`histogram_quantile(${quantile}, sum by (host, le) (rate(konveyer_host_request_duration_seconds_bucket[${w}]))) * 1000`, (l) => `${l.host ?? '?'} p${Math.round(quantile * 100)}`),
      ),
      q(`100 * sum by (host) (rate(konveyer_host_requests_total{result="ok"}[${w}])) / sum by (host) (rate(konveyer_host_requests_total{result=~"ok|failure"}[${w}]))`, (l) => l.host ?? '?'),
      q('max by (host) (konveyer_circuit_state)', (l) => l.host ?? '?'),
      q('sum by (queue) (konveyer_queue_jobs{state=~"waiting|prioritized|delayed"})', (l) => l.queue ?? '?'),
      q(`sum by (solver, result) (increase(konveyer_captcha_attempts_total[${w}])) * ${perMinute}`, (l) => `${l.solver ?? '?'} ${l.result ?? '?'}`),
      q('max(konveyer_robots_online)', () => 'robots online'),
      // Per scraped process: its RSS plus its browsers' (robots export both; the API only its RSS).
      q('sum by (instance) ({__name__=~"konveyer_process_resident_memory_bytes|konveyer_browser_memory_bytes"})', (l) => l.instance ?? '?', 1024 * 1024),
    ]);
    // The busiest hosts by request rate, as the Redis charts pick them.
    const busiest = new Set(await this.topHosts(end, SERIES_RANGES[range]));
    const byHost = (s: ChartSeries) => busiest.has(s.name.split(' ')[0]!);
    const latency = [...p50!, ...p90!, ...p99!].filter(byHost).sort((a, b) => a.name.localeCompare(b.name));
    const series: Record<FarmChart['id'], ChartSeries[]> = {
      lookups: lookups!,
      latency,
      success: success!.filter(byHost),
      circuits: circuits!.filter((s) => byHost(s) || s.values.some((v) => (v ?? 0) > 0)),
      queues: queues!,
      captcha: captcha!,
      robots: robots!,
      memory: memory!,
    };
    return { range, source: 'prometheus', stepSecs, times, charts: CHART_META.map((m) => ({ ...m, series: series[m.id] })) };
  }

  private async topHosts(end: number, rangeSecs: number): Promise<string[]> {
    const res = await this.get('/api/v1/query', { query: `topk(${TOP_HOSTS}, sum by (host) (increase(konveyer_host_requests_total[${rangeSecs}s])))`, time: String(end) });
    const result = (res.data?.result ?? []) as unknown as Array<{ metric: Record<string, string>; value: [number, string] }>;
    return result.filter((r) => Number(r.value[1]) > 0 && r.metric.host).map((r) => r.metric.host!);
  }

  /** One range query, put on `times`; a series whose every point is missing is left out. */
  private async query(expr: string, times: number[], stepSecs: number, nameOf: (labels: Record<string, string>) => string, scale: number): Promise<ChartSeries[]> {
    const res = await this.get('/api/v1/query_range', { query: expr, start: String(times[0]), end: String(times[times.length - 1]), step: String(stepSecs) });
    const out: ChartSeries[] = [];
    for (const r of res.data?.result ?? []) {
      const at = new Map(r.values.map(([t, v]) => [Math.round(t), Number(v)]));
      const values = times.map((t) => {
        const v = at.get(t);
        return v === undefined || !Number.isFinite(v) ? null : Math.round((v / scale) * 10) / 10;
      });
      if (values.some((v) => v !== null)) out.push({ name: nameOf(r.metric), values });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  private async get(path: string, params: Record<string, string>): Promise<RangeAnswer> {
    // Relative to the configured URL, so a Prometheus behind a path prefix (…/prometheus/) works.
    const url = new URL(path.replace(/^\//, ''), this.options.url.endsWith('/') ? this.options.url : `${this.options.url}/`);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const res = await fetch(url, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) });
    const body = (await res.json().catch(() => null)) as RangeAnswer | null;
    if (!res.ok || !body || body.status !== 'success') throw new Error(`Prometheus ${path} answered ${res.status}: ${body?.error ?? 'not a Prometheus answer'}`);
    return body;
  }
}
