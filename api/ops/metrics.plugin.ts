import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import {
  captchaOldestOpen,
  captchaTasksOpen,
  circuitState,
  evidenceVerifyFindings,
  evidenceVerifyLastRun,
  evidenceVerifyOk,
  hostPaused,
  lookupsByState,
  lookupsQueuedWithoutJob,
  metricsRegistry,
  queueDepth,
  queuePaused,
  robotsOnline,
} from '../../core/metrics.ts';
import type { LookupStore } from '../../storage/lookups.types.ts';
import { sha256Hex } from '../auth.ts';
import type { OpsService } from './ops.service.ts';

export interface MetricsRoutesOptions {
  ops: OpsService;
  /** Kept for the callers; the lookup counts now come from `ops.lookupCounts()`. */
  lookups?: Pick<LookupStore, 'countByStatus'>;
  /** METRICS_TOKEN: a bearer token accepted instead of an `ops` key. */
  token?: string;
}

/**
 * `GET /metrics` (Prometheus text): scope `ops` by API key, or `Authorization: Bearer <METRICS_TOKEN>`.
 * Farm-wide gauges (queue depth, lookups by state and queued without a job, circuits, paused hosts,
 * robots online, captchas waiting, the last evidence verify) are computed at scrape time.
 */
export function metricsRoutes(options: MetricsRoutesOptions): FastifyPluginAsync {
  const tokenSha256 = options.token ? sha256Hex(options.token) : undefined;
  return async (app: FastifyInstance) => {
    app.get('/metrics', { config: { scope: 'ops', tokenSha256 }, schema: { hide: true } }, async (_req, reply) => {
      await refreshGauges(options.ops);
      return reply.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
    });
  };
}

async function refreshGauges(ops: OpsService): Promise<void> {
  const [queues, hosts, robots, counts, captchas, verify] = await Promise.all([ops.queues(), ops.hosts(), ops.robots(), ops.lookupCounts(), ops.captchaWaiting(), ops.lastEvidenceVerify()]);
  queueDepth.reset();
  queuePaused.reset();
  for (const q of queues) {
    for (const [state, n] of Object.entries(q.counts)) queueDepth.set({ queue: q.name, state }, n);
    queuePaused.set({ queue: q.name }, q.paused ? 1 : 0);
  }
  circuitState.reset();
  hostPaused.reset();
  for (const h of hosts) {
    circuitState.set({ host: h.host }, h.circuit === 'closed' ? 0 : h.circuit === 'half_open' ? 1 : 2);
    hostPaused.set({ host: h.host }, h.paused ? 1 : 0);
  }
  robotsOnline.reset();
  robotsOnline.set({ role: 'robots' }, robots.filter((r) => r.status !== 'stopped').length);
  lookupsByState.reset();
  lookupsQueuedWithoutJob.reset();
  for (const c of counts) {
    for (const [state, n] of Object.entries(c.byStatus)) lookupsByState.set({ type: c.name, state }, n);
    lookupsQueuedWithoutJob.set({ type: c.name }, c.queuedWithoutJob);
  }
  captchaTasksOpen.set(captchas.open);
  captchaOldestOpen.set(captchas.oldestSecs);
  if (verify) {
    evidenceVerifyOk.set(verify.ok ? 1 : 0);
    evidenceVerifyFindings.set(verify.findings);
    evidenceVerifyLastRun.set(Math.floor(verify.at.getTime() / 1000));
  }
}
