import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import type { Logger } from '../core/logger.ts';
import { MongoUiSessionStore, type UiSessionStore } from '../storage/ui-sessions.repo.ts';
import { installAuth, type AuthOptions } from './auth.ts';
import type { ApiServerDeps } from './context.ts';
import { installBodyGuards } from './body-guards.ts';
import { installErrorHandling } from './errors.ts';
import { openApiOptions } from './openapi.ts';
import { ApiRateLimiter } from './rate-limit.ts';
import { registerExportRoutes } from './routes/exports.routes.ts';
import { registerLookupRoutes } from './routes/lookups.routes.ts';
import { registerRecordRoutes } from './routes/records.routes.ts';
import { registerWebhookRoutes } from './routes/webhooks.routes.ts';
import { auditorPlugin, isAuditorStorage } from './auditor/auditor.plugin.ts';
import { RequestLogController } from './request-log.ts';
import { zodValidatorCompiler } from './schemas.ts';

/** How long /healthz waits for each service's answer before it reports the service down, ms. */
const HEALTH_CHECK_MS = 800;

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
    // Request lines carry the route pattern and a redacted query, never the raw URL (core/logger.ts serializers).
    logController: new RequestLogController(),
    bodyLimit: deps.config.api.bodyLimitBytes,
    // Query strings are flat key=value: `a[$gt]=` stays a key named "a[$gt]", refused by the strict schemas.
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  installBodyGuards(app);
  // The batch route reads CSV as a stream; it counts bytes and rows itself.
  app.addContentTypeParser('text/csv', (_req, payload, done) => done(null, payload));
  // Every route declares config.scope where it is defined; the check runs on the route fastify matched.
  const sessions: UiSessionStore = 'uiSessions' in deps.storage ? (deps.storage.uiSessions as UiSessionStore) : new MongoUiSessionStore(deps.storage.conn);
  const auth: AuthOptions = { keys: deps.storage.apiKeys, sessions, cacheMs: options.authCacheMs, origins: deps.config.ui?.publicOrigins };
  installAuth(app, auth);
  if (deps.redis) new ApiRateLimiter({ redis: deps.redis, prefix: deps.config.queue.prefix, limits: deps.config.api.rateLimit }).install(app);

  await app.register(fastifySwagger, openApiOptions(deps.config));
  // The docs page and /docs/json are public: declared here, on every route the docs plugin adds.
  await app.register(async (docs) => {
    docs.addHook('onRoute', (route) => void (route.config = { ...route.config, scope: 'public' }));
    await docs.register(fastifySwaggerUi, { routePrefix: '/docs' });
  });

  // Answers within a second even with a service gone: each check is bounded (HEALTH_CHECK_MS) and
  // names what is down; 503 when anything is.
  app.get('/healthz', { config: { scope: 'public' }, schema: { hide: true } }, async (_req, reply) => {
    const bounded = (check: () => Promise<unknown>): Promise<string> =>
      new Promise<string>((resolve) => {
        const timer = setTimeout(() => resolve(`down: no answer within ${HEALTH_CHECK_MS} ms`), HEALTH_CHECK_MS);
        Promise.resolve()
          .then(check)
          .then(
            () => resolve('ok'),
            (err: unknown) => resolve(`down: ${String((err as Error)?.message ?? err).slice(0, 160)}`),
          )
          .finally(() => clearTimeout(timer));
      });
    const [mongo, redis] = await Promise.all([
      bounded(() => deps.storage.conn.db!.admin().ping()),
      bounded(() => (deps.queueReady && !deps.queueReady() ? Promise.reject(new Error('not connected (reconnecting)')) : deps.pingRedis())),
    ]);
    const ok = mongo === 'ok' && redis === 'ok';
    const down = [mongo === 'ok' ? null : 'mongo', redis === 'ok' ? null : 'redis'].filter((x): x is string => x !== null);
    return reply.code(ok ? 200 : 503).send({ ok, mongo, redis, down });
  });
  registerLookupRoutes(app, deps);
  registerRecordRoutes(app, deps);
  registerExportRoutes(app, deps);
  registerWebhookRoutes(app, deps);
  // Auditor UI (issue 7): pages under /audit with their own auth (audit scope: header or login cookie).
  const sessionMaxAgeSecs = (deps.config.ui?.sessionHours ?? 8) * 3600;
  if (isAuditorStorage(deps.storage)) await app.register(auditorPlugin({ storage: deps.storage, auth, sessionMaxAgeSecs }));
  // Ops dashboard (issue 8): /ops pages, Bull Board at /ops/queues, /metrics — ops scope, header or login cookie.
  // /metrics stays here unless METRICS_PORT puts it on its own listener (api/ops/metrics.server.ts).
  if ('captchaTasks' in deps.storage) await app.register(await (await import('./ops/ops.plugin.ts')).opsPluginFromApi(deps, { auth, sessionMaxAgeSecs }));
  await app.ready();
  return app;
}
