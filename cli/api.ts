import type { Command } from 'commander';
import { withOverrides } from '../config/index.ts';
import { loadConfigOrExit } from './config-file.ts';
import { parsePositive } from './robots.ts';
import { waitForShutdown } from './shutdown.ts';

/**
 * `konveyer api [--port N] [--host H] [--no-webhooks]`: the HTTP API (docs at /docs) plus, unless
 * disabled, the webhook delivery worker. On SIGINT/SIGTERM stops accepting, finishes in-flight
 * requests and deliveries, then closes its connections.
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
      const [{ openFarm }, { createApiServer }, { startWebhookWorker }, { createRedis }] = await Promise.all([
        import('./farm.ts'),
        import('../api/server.ts'),
        import('../queues/webhook.worker.ts'),
        import('../queues/redis.ts'),
      ]);
      const farm = await openFarm(config);
      const workerRedis = opts.webhooks ? createRedis(farm.config.redis.url!) : null;
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
      const app = await createApiServer(
        { storage: farm.storage, queueFor: farm.queueFor, config: farm.config, pingRedis: () => farm.redis.ping(), redis: farm.redis },
        { log: farm.log },
      );
      const address = await app.listen({ port: farm.config.api.port, host: farm.config.api.host });
      farm.log.info({ address, docs: `${address}/docs` }, 'api listening');
      const signal = await waitForShutdown();
      farm.log.info({ signal }, 'api stopping');
      await app.close();
      await webhooks?.close();
      workerRedis?.disconnect();
      await farm.close();
    });
}
