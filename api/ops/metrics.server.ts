import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { enableProcessMetrics } from '../../core/metrics.ts';
import type { Logger } from '../../core/logger.ts';
import { installAuth } from '../auth.ts';
import type { ApiServerDeps } from '../context.ts';
import { installErrorHandling } from '../errors.ts';
import { RequestLogController } from '../request-log.ts';
import { metricsRoutes } from './metrics.plugin.ts';
import { opsDepsFromApi } from './ops.plugin.ts';
import { OpsService } from './ops.service.ts';

/**
 * `/metrics` alone on its own listener (METRICS_PORT, METRICS_HOST), with the same auth as on the
 * API port: an `ops` key or METRICS_TOKEN. Every other path answers 404. Not listening: the caller
 * (cli/api.ts) calls `listen` and owns `close()`.
 */
export async function createMetricsServer(deps: ApiServerDeps, options: { log?: Logger; authCacheMs?: number } = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    ...(options.log ? { loggerInstance: options.log as FastifyBaseLogger } : { logger: false }),
    logController: new RequestLogController(),
    routerOptions: { ignoreTrailingSlash: true },
  });
  installErrorHandling(app);
  installAuth(app, { keys: deps.storage.apiKeys, cacheMs: options.authCacheMs });
  enableProcessMetrics();
  const opsDeps = opsDepsFromApi(deps);
  await app.register(metricsRoutes({ ops: new OpsService(opsDeps), lookups: deps.storage.lookups, token: deps.config.metrics?.token }));
  await app.ready();
  return app;
}
