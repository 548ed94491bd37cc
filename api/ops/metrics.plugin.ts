import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { circuitState, lookupsByState, metricsRegistry, queueDepth, robotsOnline } from '../../core/metrics.ts';
import { JOB_NAMES } from '../../queues/names.ts';
import type { LookupStore } from '../../storage/types.ts';
import { sha256Hex } from '../auth.ts';
import type { OpsService } from './ops.service.ts';

export interface MetricsRoutesOptions {
  ops: OpsService;
  lookups: Pick<LookupStore, 'countByStatus'>;
  /** METRICS_TOKEN: a bearer token accepted instead of an `ops` key. */
  token?: string;
}

/**
 * `GET /metrics` (Prometheus text): scope `ops` by API key, or `Authorization: Bearer <METRICS_TOKEN>`.
 * Farm-wide gauges (queue depth, lookups by state, circuits, robots online) are computed at scrape time.
 */
export function metricsRoutes(options: MetricsRoutesOptions): FastifyPluginAsync {
  const tokenSha256 = options.token ? sha256Hex(options.token) : undefined;
  return async (app: FastifyInstance) => {
    app.get('/metrics', { config: { scope: 'ops', tokenSha256 }, schema: { hide: true } }, async (_req, reply) => {
      await refreshGauges(options.ops, options.lookups);
      return reply.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
    });
  };
}

async function refreshGauges(ops: OpsService, lookups: MetricsRoutesOptions['lookups']): Promise<void> {
  const [queues, hosts, robots] = await Promise.all([ops.queues(), ops.hosts(), ops.robots()]);
  queueDepth.reset();
  for (const q of queues) for (const [state, n] of Object.entries(q.counts)) queueDepth.set({ queue: q.name, state }, n);
  circuitState.reset();
  for (const h of hosts) circuitState.set({ host: h.host }, h.circuit === 'closed' ? 0 : h.circuit === 'half_open' ? 1 : 2);
  robotsOnline.reset();
  robotsOnline.set({ role: 'robots' }, robots.filter((r) => r.status !== 'stopped').length);
  lookupsByState.reset();
  for (const type of JOB_NAMES) {
    for (const [state, n] of Object.entries(await lookups.countByStatus({ type }))) lookupsByState.set({ type, state }, n);
  }
}
