import type { Command } from 'commander';
import { withOverrides } from '../config/index.ts';
import { loadConfigOrExit } from './config-file.ts';
import { parsePositive } from './robots.ts';
import { armShutdownWatchdog, stopReason, waitForShutdown } from '../runtime/shutdown.ts';

/**
 * `konveyer api [--port N] [--host H] [--no-webhooks]`: the HTTP API (docs at /docs) plus, unless
 * disabled, the webhook delivery worker. On SIGINT/SIGTERM/SIGHUP stops accepting, finishes in-flight
 * requests and deliveries, then closes its connections — every step bounded, so a stop takes at most
 * API_STOP_MS even with Redis or MongoDB gone (SIGHUP: a graceful restart, see runtime/shutdown.ts).
 */
export function registerApi(program: Command): void {
  program
    .command('api')
    .description('HTTP API: submit lookups, read results, exports, webhooks (OpenAPI docs at /docs)')
    .option('--port <n>', 'port (default API_PORT, 8080)', (v) => parsePositive(v, '--port'))
    .option('--host <host>', 'address (default API_HOST, 0.0.0.0)')
    .option('--no-webhooks', 'do not run the webhook delivery worker in this process')
    .action(async (opts: { port?: number; host?: string; webhooks: boolean }) => {
      const config = withOverrides(loadConfigOrExit(), { api: { port: opts.port, host: opts.host } });
      const [{ openFarm }, { createApiServer }, { createMetricsServer }, { startWebhookWorker }, { createRedis, watchRedisConnection }, { within }] = await Promise.all([
        import('../runtime/farm.ts'),
        import('../api/server.ts'),
        import('../api/ops/metrics.server.ts'),
        import('../queues/webhook.worker.ts'),
        import('../queues/redis.ts'),
        import('../runtime/shutdown.ts'),
      ]);
      // Submits fail fast (503) while Redis is away instead of hanging on an offline queue.
      const farm = await openFarm(config, { failFast: true, role: 'api' });
      const workerRedis = opts.webhooks ? createRedis(farm.config.redis) : null;
      if (workerRedis) watchRedisConnection(workerRedis, farm.log, 'api-webhooks');
      const webhooks = workerRedis
        ? startWebhookWorker({
            connection: workerRedis,
            prefix: farm.config.queue.prefix,
            lookups: farm.storage.lookups,
            webhooks: farm.storage.webhooks,
            log: farm.log,
            ...farm.config.webhooks,
          })
        : null;
      const serverDeps = { storage: farm.storage, queueFor: farm.queueFor, config: farm.config, pingRedis: () => farm.redis.ping(), queueReady: farm.redisReady, redis: farm.redis };
      const app = await createApiServer(serverDeps, { log: farm.log });
      const address = await app.listen({ port: farm.config.api.port, host: farm.config.api.host });
      farm.log.info({ address, docs: `${address}/docs` }, 'api listening');
      // METRICS_PORT: /metrics on its own listener (e.g. reachable by Prometheus only), same auth.
      const metrics = farm.config.metrics.port ? await createMetricsServer(serverDeps, { log: farm.log }) : null;
      if (metrics) farm.log.info({ address: await metrics.listen({ port: farm.config.metrics.port, host: farm.config.metrics.host }) }, 'metrics listening');
      const signal = await waitForShutdown();
      farm.log.info({ signal }, `api ${stopReason(signal)}`);
      // Each step is bounded: requests in flight get 10 s, deliveries 5 s, connections 5 s.
      armShutdownWatchdog(API_STOP_MS, farm.log);
      await within(app.close(), 10_000, 'http server', farm.log);
      await within(metrics?.close(), 5000, 'metrics server', farm.log);
      await within(webhooks?.close(), 5000, 'webhook worker', farm.log);
      workerRedis?.disconnect();
      await within(farm.close(), 5000, 'farm services', farm.log);
      farm.log.info({ signal }, 'api stopped');
      process.exit(0);
    });
}

/** The longest an API stop may take (its bounded steps plus slack); beyond it the process exits 1. */
export const API_STOP_MS = 25_000;
