import type { Logger } from '../../core/logger.ts';
import type { FarmGaugeSample, FarmSeriesWriter } from '../../queues/farm-series.ts';
import type { OpsService } from './ops.service.ts';

export interface SeriesSamplerOptions {
  ops: Pick<OpsService, 'queues' | 'hosts' | 'robots'>;
  writer: FarmSeriesWriter;
  /** SERIES_SAMPLE_SECS: seconds between samples; default 60. The last sample of a minute is the minute's value. */
  everySecs?: number;
  log?: Logger;
}

/** One sample of the farm's gauges as the dashboard reads them: jobs waiting, circuits, robots and their memory. */
export async function takeGaugeSample(ops: SeriesSamplerOptions['ops']): Promise<FarmGaugeSample> {
  const [queues, hosts, robots] = await Promise.all([ops.queues(), ops.hosts(), ops.robots()]);
  const online = robots.filter((r) => r.status !== 'stopped');
  return {
    queues: Object.fromEntries(queues.map((q) => [q.name, (q.counts.waiting ?? 0) + (q.counts.prioritized ?? 0) + (q.counts.delayed ?? 0)])),
    circuits: Object.fromEntries(hosts.map((h) => [h.host, h.circuit === 'closed' ? 0 : h.circuit === 'half_open' ? 1 : 2])),
    robotsOnline: online.length,
    robotMemoryBytes: Object.fromEntries(online.map((r) => [r._id, (r.rssBytes ?? 0) + (r.browserBytes ?? 0)])),
  };
}

/**
 * Samples the farm's gauges into the series store at once and then every `everySecs`, until
 * `stop()`. Run by the API process (it already reads all of them for `/ops`); several API replicas
 * write the same values into the same minute, which is harmless.
 */
export function startSeriesSampler(options: SeriesSamplerOptions): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    running = takeGaugeSample(options.ops)
      .then((s) => options.writer.sample(s))
      .catch((err: unknown) => options.log?.warn({ err }, 'sampling the farm for the dashboard charts failed'));
  };
  tick();
  const timer = setInterval(tick, (options.everySecs ?? 60) * 1000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
