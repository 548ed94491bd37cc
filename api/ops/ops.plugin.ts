import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyContextConfig, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { answerCaptchaTask } from '../../queues/captcha-handoff.ts';
import { enableProcessMetrics } from '../../core/metrics.ts';
import { JOB_NAMES, type JobName } from '../../queues/names.ts';
import { MongoRobotStore } from '../../storage/robots.repo.ts';
import { MongoUiSessionStore, type UiSessionStore } from '../../storage/ui-sessions.repo.ts';
import type { ApiKeyStore } from '../../storage/api-keys.types.ts';
import type { CaptchaTaskStore } from '../../storage/captcha-tasks.types.ts';
import { installAuth, type AuthOptions, type RefusalHandler } from '../auth.ts';
import type { ApiServerDeps } from '../context.ts';
import { endUiSession, isSameOrigin, startUiSession, withCsrfFields } from '../ui-session.ts';
import { FarmSeriesWriter } from '../../queues/farm-series.ts';
import { chartRoutes } from './charts.plugin.ts';
import { RedisSeriesSource, type FarmSeriesSource } from './farm-charts.ts';
import { metricsRoutes } from './metrics.plugin.ts';
import { PrometheusSeriesSource } from './prometheus-series.ts';
import { startSeriesSampler } from './series-sampler.ts';
import { OpsService, type FailedFilter, type OpsDeps } from './ops.service.ts';
import { captchaPage, failuresPage, hostsPage, layout, loginPage, overviewPage, robotsPage } from './ops.views.ts';

/** What the dashboard needs; the caller owns (and closes) all of it. */
export interface OpsPluginDeps extends OpsDeps {
  apiKeys: ApiKeyStore;
  captchaTasks: CaptchaTaskStore;
  /** Server-side logins of the dashboard; without it only API keys by header get in. */
  uiSessions?: UiSessionStore;
  /** The API server's auth (keys, sessions, cache, origins); default built from `apiKeys` and `uiSessions`. */
  auth?: AuthOptions;
  /** Serve `/metrics` (Prometheus text, `ops` scope or METRICS_TOKEN); default true. */
  metrics?: boolean;
  /** METRICS_TOKEN: a bearer token that may scrape `/metrics` instead of an `ops` key. */
  metricsToken?: string;
  /** How long the login session lives; default 8 hours. */
  sessionMaxAgeSecs?: number;
  /**
   * The charts at `/ops/charts` (issue 19): read from Prometheus when `prometheusUrl` is set, else
   * from the Redis buckets, which this server samples every `sampleSecs` (default 60; 0 = it does not).
   */
  series?: { prometheusUrl?: string; sampleSecs?: number; source?: FarmSeriesSource };
}

const HTML = 'text/html; charset=utf-8';

/** Browsers get the login form on a refused page; scripts and Prometheus get the status as JSON. */
const refuseOps: RefusalHandler = (req, reply, r) => {
  if (req.method === 'GET' && String(req.headers.accept ?? '').includes('text/html')) return reply.code(r.status).type(HTML).send(loginPage(r.reason));
  return reply.code(r.status).send({ error: { code: r.code, message: r.reason } });
};

/** Route config of every dashboard route: the `ops` scope, by key or by the dashboard's login session. */
const OPS: FastifyContextConfig = { scope: 'ops', session: 'ops', refuse: refuseOps };
const PUBLIC: FastifyContextConfig = { scope: 'public' };

/**
 * The ops dashboard under `/ops` (scope `ops`: API key by header, or the login form's server-side
 * session, its cookie on Path=/ops): Bull Board at `/ops/queues`; robots online, host health, the
 * captcha hand-off and failures by code as server-rendered pages; controls as plain form posts
 * (pause/resume a host or a queue, set a host's limit, close a circuit, retry/discard, drain),
 * each carrying the session's CSRF token and checked for a same-origin `Origin`. Also `/metrics`
 * for Prometheus unless `metrics: false`.
 *
 * @example await app.register(opsPlugin({ redis, prefix, queueFor, lookups, robots, apiKeys, captchaTasks, … }))
 */
export function opsPlugin(deps: OpsPluginDeps): FastifyPluginAsync {
  const ops = new OpsService(deps);
  const maxAge = deps.sessionMaxAgeSecs ?? 8 * 3600;
  const auth: AuthOptions = deps.auth ?? { keys: deps.apiKeys, sessions: deps.uiSessions, cacheMs: 0 };
  enableProcessMetrics();
  return async (app: FastifyInstance) => {
    // Mounted alone (tests, another server) the dashboard still checks every route; on the API server this is a no-op.
    installAuth(app, auth);
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    // Every POST form of every page carries this session's CSRF token.
    app.addHook('onSend', async (req, reply, payload) => {
      const token = req.uiSession?.csrf;
      if (!token || typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
      return withCsrfFields(payload, token);
    });
    const actorOf = (req: FastifyRequest) => (req.apiKey ? `key:${req.apiKey.name ?? req.apiKey._id}` : 'ops');

    app.get('/ops/login', { config: PUBLIC }, async (_req, reply) => reply.type(HTML).send(loginPage()));
    app.post<{ Body: { key?: string } }>('/ops/login', { config: PUBLIC }, async (req, reply) => {
      // A login forged from another origin would sign the victim's browser in as someone else.
      if (!isSameOrigin(req, auth.origins, false)) return reply.code(403).type(HTML).send(loginPage('sign in from this dashboard\'s own page'));
      const key = req.body?.key?.trim() ?? '';
      const found = key ? await auth.keys.findByToken(key) : null;
      if (!found?.scopes.includes('ops')) return reply.code(401).type(HTML).send(loginPage('that key is unknown or lacks the "ops" scope'));
      if (!auth.sessions) return reply.code(503).type(HTML).send(loginPage('sign-in is not available on this server; use an API key header'));
      await startUiSession(req, reply, auth.sessions, 'ops', found, maxAge);
      return reply.redirect('/ops', 303);
    });
    app.post('/ops/logout', { config: OPS }, async (req, reply) => {
      if (auth.sessions) await endUiSession(req, reply, auth.sessions, 'ops');
      return reply.redirect('/ops/login', 303);
    });

    // Bull Board for the queues themselves (waiting, active, delayed, failed; job data and logs).
    const board = new FastifyAdapter();
    board.setBasePath('/ops/queues');
    createBullBoard({ queues: JOB_NAMES.map((n) => new BullMQAdapter(deps.queueFor(n) as never)), serverAdapter: board });
    // Its routes are not ours to write: the `ops` scope is declared here, on every route it adds. Its
    // own UI cannot carry our CSRF token, so its state changes need a same-origin JSON request.
    await app.register(async (queues) => {
      queues.addHook('onRoute', (route) => void (route.config = { ...route.config, ...OPS, csrf: 'origin-json' }));
      await queues.register(board.registerPlugin() as never, { prefix: '/ops/queues' });
    });

    const flashOf = (req: FastifyRequest) => (req.query as { flash?: string }).flash;
    app.get('/ops', { config: OPS }, async (req, reply) => {
      const [queues, robots, hosts, captchas, lookups] = await Promise.all([ops.queues(), ops.robots(), ops.hosts(), deps.captchaTasks.list({ status: 'open' }, 500), ops.lookupCounts()]);
      return reply.type(HTML).send(overviewPage(queues, robots, hosts, captchas.length, flashOf(req), lookups));
    });
    app.get('/ops/robots', { config: OPS }, async (req, reply) => reply.type(HTML).send(robotsPage(await ops.robots(), flashOf(req))));
    app.get('/ops/hosts', { config: OPS }, async (req, reply) => reply.type(HTML).send(hostsPage(await ops.hosts(), flashOf(req))));
    app.get('/ops/captcha', { config: OPS }, async (req, reply) => reply.type(HTML).send(captchaPage(await deps.captchaTasks.list({ status: 'open' }, 100), flashOf(req))));
    app.get('/ops/failures', { config: OPS }, async (req, reply) => reply.type(HTML).send(failuresPage(await ops.failures(), flashOf(req))));

    // JSON for scripts: the same data as the pages.
    app.get('/ops/api/state', { config: OPS }, async () => ({ queues: await ops.queues(), robots: await ops.robots(), hosts: await ops.hosts(), failures: await ops.failures() }));

    /** Runs an action; forms get a redirect back with a message, scripts get JSON. */
    const act = (back: string, run: (body: Record<string, string>, req: FastifyRequest) => Promise<string>) => async (req: FastifyRequest, reply: FastifyReply) => {
      const body = (req.body ?? {}) as Record<string, string>;
      const isForm = String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      try {
        const message = await run(body, req);
        return isForm ? reply.redirect(`${back}?flash=${encodeURIComponent(message)}`, 303) : reply.send({ ok: true, message });
      } catch (error) {
        const message = (error as Error).message;
        return isForm ? reply.code(400).type(HTML).send(layout('Not done', `<p class="bad">${escapeText(message)}</p><p><a href="${back}">back</a></p>`)) : reply.code(400).send({ error: { code: 'bad_request', message } });
      }
    };
    const backTo = (target: string) => (JOB_NAMES as readonly string[]).includes(target) ? '/ops' : '/ops/hosts';
    app.post('/ops/actions/pause', { config: OPS }, async (req, reply) => {
      const target = String((req.body as Record<string, string> | undefined)?.target ?? '');
      return act(backTo(target), async () => `paused ${(await ops.pause(target)).kind} ${target}`)(req, reply);
    });
    app.post('/ops/actions/resume', { config: OPS }, async (req, reply) => {
      const target = String((req.body as Record<string, string> | undefined)?.target ?? '');
      return act(backTo(target), async () => `resumed ${(await ops.resume(target)).kind} ${target}`)(req, reply);
    });
    app.post('/ops/actions/limit', { config: OPS }, act('/ops/hosts', async (b) => {
      const clear = b.rps === '' || b.rps === undefined;
      await ops.setLimit(b.host ?? '', clear ? null : { rps: Number(b.rps), concurrency: Number(b.concurrency) });
      return clear ? `limit of ${b.host} back to config` : `limit of ${b.host} set to ${b.rps} rps / ${b.concurrency}`;
    }));
    app.post('/ops/actions/circuit-reset', { config: OPS }, act('/ops/hosts', async (b) => {
      await ops.resetCircuit(b.host ?? '');
      return `circuit of ${b.host} closed`;
    }));
    const filterOf = (b: Record<string, string>): FailedFilter => ({
      id: b.id || undefined,
      code: b.code || undefined,
      batch: b.batch || undefined,
      status: b.status === 'needs_human' ? 'needs_human' : undefined,
    });
    app.post('/ops/actions/retry', { config: OPS }, act('/ops/failures', async (b) => `retried ${(await ops.retry(filterOf(b))).length} lookup(s)`));
    app.post('/ops/actions/discard', { config: OPS }, act('/ops/failures', async (b, req) => `discarded ${(await ops.discard(filterOf(b), actorOf(req))).length} lookup(s)`));
    app.post('/ops/actions/drain', { config: OPS }, act('/ops/robots', async (b) => {
      await ops.drain(b.robot || undefined);
      return b.robot ? `robot ${b.robot} drains` : 'every running robot drains';
    }));
    app.post<{ Params: { id: string } }>('/ops/captcha/:id/answer', { config: OPS }, async (req, reply) =>
      act('/ops/captcha', async (b) => {
        const res = await answerCaptchaTask({ captchaTasks: deps.captchaTasks, lookups: deps.lookups, queueFor: deps.queueFor, jobOptions: deps.jobOptions }, req.params.id, b.answer ?? '', { by: actorOf(req) });
        return res.resumed ? `answered; lookup ${res.task.lookupId} resumes` : `answered (${res.note ?? 'taken by a waiting robot'})`;
      })(req, reply),
    );

    if (deps.metrics !== false) await app.register(metricsRoutes({ ops, lookups: deps.lookups, token: deps.metricsToken }));

    // The farm in charts: series from Prometheus, or from Redis buckets with the gauges sampled here.
    const prometheusUrl = deps.series?.prometheusUrl;
    const source = deps.series?.source ?? (prometheusUrl ? new PrometheusSeriesSource({ url: prometheusUrl }) : new RedisSeriesSource({ redis: deps.redis, prefix: deps.prefix }));
    await app.register(chartRoutes({ source, config: OPS }));
    const sampleSecs = deps.series?.sampleSecs ?? 60;
    if (!prometheusUrl && sampleSecs > 0) {
      const sampler = startSeriesSampler({ ops, writer: new FarmSeriesWriter(deps.redis, deps.prefix), everySecs: sampleSecs, log: app.log as never });
      app.addHook('onClose', async () => sampler.stop());
    }
  };
}

const escapeText = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The dashboard's deps from the API server's: Redis from the queues' connection, the `robots`,
 * `captcha_tasks` and `audit_log` stores from storage. Shared with the metrics listener.
 */
export function opsDepsFromApi(deps: ApiServerDeps): OpsPluginDeps {
  const storage = deps.storage as ApiServerDeps['storage'] & { captchaTasks: CaptchaTaskStore; auditLog?: OpsDeps['auditLog']; uiSessions?: UiSessionStore };
  const config = deps.config as ApiServerDeps['config'] & { politeness?: OpsDeps['politeness']; series?: { prometheusUrl?: string; sampleSecs?: number } };
  // The queues' own connection (an ioredis instance the caller owns): no second connection to close.
  const redis = deps.queueFor('court.case' as JobName).opts.connection as unknown as OpsDeps['redis'];
  if (typeof redis?.hgetall !== 'function') throw new Error('opsPluginFromApi: the queues must be built on an ioredis instance');
  return {
    redis,
    prefix: deps.config.queue.prefix,
    queueFor: deps.queueFor,
    lookups: deps.storage.lookups,
    robots: new MongoRobotStore(deps.storage.conn),
    jobOptions: { attempts: deps.config.queue.attempts, backoffMs: deps.config.queue.backoffMs },
    politeness: config.politeness ?? { default: { rps: 4, concurrency: 2 }, hosts: {} },
    auditLog: storage.auditLog,
    apiKeys: deps.storage.apiKeys,
    captchaTasks: storage.captchaTasks,
    uiSessions: storage.uiSessions ?? new MongoUiSessionStore(deps.storage.conn),
    // With METRICS_PORT set, /metrics lives on its own listener (api/ops/metrics.plugin.ts createMetricsServer).
    metrics: !(deps.config.metrics?.port),
    metricsToken: deps.config.metrics?.token,
    // Optional chaining: configs built by older tests lack `series`.
    series: { prometheusUrl: config.series?.prometheusUrl, sampleSecs: config.series?.sampleSecs },
  };
}

/** The dashboard wired from the API server's deps (one registration line in api/server.ts). */
export async function opsPluginFromApi(deps: ApiServerDeps, options: { auth?: AuthOptions; sessionMaxAgeSecs?: number } = {}): Promise<FastifyPluginAsync> {
  return opsPlugin({ ...opsDepsFromApi(deps), ...options });
}
