import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import type { Logger } from '../core/logger.ts';
import { createAuthHook } from './auth.ts';
import type { ApiServerDeps } from './context.ts';
import { installErrorHandling } from './errors.ts';
import { openApiOptions } from './openapi.ts';
import { ApiRateLimiter } from './rate-limit.ts';
import { registerExportRoutes } from './routes/exports.routes.ts';
import { registerLookupRoutes } from './routes/lookups.routes.ts';
import { registerRecordRoutes } from './routes/records.routes.ts';
import { registerWebhookRoutes } from './routes/webhooks.routes.ts';
import { auditorPlugin, isAuditorStorage } from './auditor/auditor.plugin.ts';
import { zodValidatorCompiler } from './schemas.ts';

export type { ApiServerDeps } from './context.ts';

export interface ApiServerOptions {
  /** pino logger for requests; default none. */
  log?: Logger;
  /** Seconds a verified API key is trusted without asking MongoDB; default 5000 ms (tests: 0). */
  authCacheMs?: number;
}

/**
 * The HTTP API (fastify): lookups in, results out, exports, webhooks; OpenAPI 3 at
 * `/docs/json` generated from the same zod schemas the queues validate with, docs page at `/docs`.
 * Not listening: the caller calls `listen` (cli/api.ts) or `inject` (tests) and owns `close()`.
 */
export async function createApiServer(deps: ApiServerDeps, options: ApiServerOptions = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    ...(options.log ? { loggerInstance: options.log as FastifyBaseLogger } : { logger: false }),
    bodyLimit: deps.config.api.bodyLimitBytes,
    // Query strings are flat key=value: `a[$gt]=` stays a key named "a[$gt]", refused by the strict schemas.
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  // The batch route reads CSV as a stream; it counts bytes and rows itself.
  app.addContentTypeParser('text/csv', (_req, payload, done) => done(null, payload));
  app.addHook('onRequest', createAuthHook({ keys: deps.storage.apiKeys, cacheMs: options.authCacheMs }));
  if (deps.redis) new ApiRateLimiter({ redis: deps.redis, prefix: deps.config.queue.prefix, limits: deps.config.api.rateLimit }).install(app);

  await app.register(fastifySwagger, openApiOptions(deps.config));
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  app.get('/healthz', { schema: { hide: true } }, async (_req, reply) => {
    const checks = await Promise.allSettled([deps.storage.conn.db!.admin().ping(), deps.pingRedis()]);
    const [mongo, redis] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : String((c as PromiseRejectedResult).reason)));
    const ok = mongo === 'ok' && redis === 'ok';
    return reply.code(ok ? 200 : 503).send({ ok, mongo, redis });
  });
  registerLookupRoutes(app, deps);
  registerRecordRoutes(app, deps);
  registerExportRoutes(app, deps);
  registerWebhookRoutes(app, deps);
  // Auditor UI (issue 7): pages under /audit with their own auth (audit scope: header or login cookie).
  if (isAuditorStorage(deps.storage)) await app.register(auditorPlugin({ storage: deps.storage }));
  // Ops dashboard (issue 8): /ops pages, Bull Board at /ops/queues, /metrics — ops scope, header or login cookie.
  if ('captchaTasks' in deps.storage) await app.register(await (await import('./ops/ops.plugin.ts')).opsPluginFromApi(deps));
  await app.ready();
  return app;
}
