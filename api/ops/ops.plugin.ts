import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { answerCaptchaTask } from '../../queues/captcha-handoff.ts';
import { circuitState, enableProcessMetrics, lookupsByState, metricsRegistry, queueDepth, robotsOnline } from '../../core/metrics.ts';
import { JOB_NAMES, type JobName } from '../../queues/names.ts';
import { MongoRobotStore } from '../../storage/robots.repo.ts';
import type { ApiKeyStore, CaptchaTaskStore } from '../../storage/types.ts';
import { tokenOf } from '../auth.ts';
import type { ApiServerDeps } from '../context.ts';
import { OpsService, type FailedFilter, type OpsDeps } from './ops.service.ts';
import { captchaPage, failuresPage, hostsPage, layout, loginPage, overviewPage, robotsPage } from './ops.views.ts';

/** What the dashboard needs; the caller owns (and closes) all of it. */
export interface OpsPluginDeps extends OpsDeps {
  apiKeys: ApiKeyStore;
  captchaTasks: CaptchaTaskStore;
  /** Serve `/metrics` (Prometheus text, `ops` scope); default true. */
  metrics?: boolean;
  /** How long the login cookie lives; default 8 hours. */
  sessionMaxAgeSecs?: number;
}

const HTML = 'text/html; charset=utf-8';
const COOKIE = 'konveyer_ops';

/**
 * The ops dashboard under `/ops` (scope `ops`: API key by header, or the login form's HttpOnly
 * cookie): Bull Board at `/ops/queues`; robots online, host health, the captcha hand-off and
 * failures by code as server-rendered pages; controls as plain form posts (pause/resume a host or a
 * queue, set a host's limit, close a circuit, retry/discard, drain). Also `/metrics` for Prometheus.
 *
 * @example await app.register(opsPlugin({ redis, prefix, queueFor, lookups, robots, apiKeys, captchaTasks, … }))
 */
export function opsPlugin(deps: OpsPluginDeps): FastifyPluginAsync {
  const ops = new OpsService(deps);
  const maxAge = deps.sessionMaxAgeSecs ?? 8 * 3600;
  enableProcessMetrics();
  return async (app: FastifyInstance) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });

    /** The `ops` key of a request (header or cookie), or a refusal already sent. */
    const who = async (req: FastifyRequest): Promise<{ actor: string } | { status: 401 | 403; reason: string }> => {
      const token = tokenOf(req) ?? cookieOf(req, COOKIE);
      if (!token) return { status: 401, reason: 'an API key with the "ops" scope is required' };
      const key = await deps.apiKeys.findByToken(token);
      if (!key) return { status: 401, reason: 'the API key is unknown or revoked' };
      if (!key.scopes.includes('ops')) return { status: 403, reason: 'this API key lacks the "ops" scope' };
      return { actor: `key:${key.name ?? key._id}` };
    };
    const actors = new WeakMap<FastifyRequest, string>();
    app.addHook('onRequest', async (req, reply) => {
      const path = req.url.split('?')[0]!;
      if (path === '/ops/login') return;
      if (!path.startsWith('/ops') && path !== '/metrics') return;
      const out = await who(req);
      if ('actor' in out) {
        actors.set(req, out.actor);
        return;
      }
      // Browsers get the login form; scripts and Prometheus get the status.
      if (req.method === 'GET' && path !== '/metrics' && String(req.headers.accept ?? '').includes('text/html')) return reply.code(out.status).type(HTML).send(loginPage(out.reason));
      return reply.code(out.status).send({ error: { code: out.status === 401 ? 'unauthorized' : 'forbidden', message: out.reason } });
    });
    const actorOf = (req: FastifyRequest) => actors.get(req) ?? 'ops';

    app.get('/ops/login', async (_req, reply) => reply.type(HTML).send(loginPage()));
    app.post<{ Body: { key?: string } }>('/ops/login', async (req, reply) => {
      const key = req.body?.key?.trim() ?? '';
      const found = key ? await deps.apiKeys.findByToken(key) : null;
      if (!found?.scopes.includes('ops')) return reply.code(401).type(HTML).send(loginPage('that key is unknown or lacks the "ops" scope'));
      const secure = req.protocol === 'https' ? '; Secure' : '';
      return reply.header('set-cookie', `${COOKIE}=${encodeURIComponent(key)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`).redirect('/ops', 303);
    });

    // Bull Board for the queues themselves (waiting, active, delayed, failed; job data and logs).
    const board = new FastifyAdapter();
    board.setBasePath('/ops/queues');
    createBullBoard({ queues: JOB_NAMES.map((n) => new BullMQAdapter(deps.queueFor(n) as never)), serverAdapter: board });
    await app.register(board.registerPlugin() as never, { prefix: '/ops/queues' });

    const flashOf = (req: FastifyRequest) => (req.query as { flash?: string }).flash;
    app.get('/ops', async (req, reply) => {
      const [queues, robots, hosts, captchas] = await Promise.all([ops.queues(), ops.robots(), ops.hosts(), deps.captchaTasks.list({ status: 'open' }, 500)]);
      return reply.type(HTML).send(overviewPage(queues, robots, hosts, captchas.length, flashOf(req)));
    });
    app.get('/ops/robots', async (req, reply) => reply.type(HTML).send(robotsPage(await ops.robots(), flashOf(req))));
    app.get('/ops/hosts', async (req, reply) => reply.type(HTML).send(hostsPage(await ops.hosts(), flashOf(req))));
    app.get('/ops/captcha', async (req, reply) => reply.type(HTML).send(captchaPage(await deps.captchaTasks.list({ status: 'open' }, 100), flashOf(req))));
    app.get('/ops/failures', async (req, reply) => reply.type(HTML).send(failuresPage(await ops.failures(), flashOf(req))));

    // JSON for scripts: the same data as the pages.
    app.get('/ops/api/state', async () => ({ queues: await ops.queues(), robots: await ops.robots(), hosts: await ops.hosts(), failures: await ops.failures() }));

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
    app.post('/ops/actions/pause', async (req, reply) => {
      const target = String((req.body as Record<string, string> | undefined)?.target ?? '');
      return act(backTo(target), async () => `paused ${(await ops.pause(target)).kind} ${target}`)(req, reply);
    });
    app.post('/ops/actions/resume', async (req, reply) => {
      const target = String((req.body as Record<string, string> | undefined)?.target ?? '');
      return act(backTo(target), async () => `resumed ${(await ops.resume(target)).kind} ${target}`)(req, reply);
    });
    app.post('/ops/actions/limit', act('/ops/hosts', async (b) => {
      const clear = b.rps === '' || b.rps === undefined;
      await ops.setLimit(b.host ?? '', clear ? null : { rps: Number(b.rps), concurrency: Number(b.concurrency) });
      return clear ? `limit of ${b.host} back to config` : `limit of ${b.host} set to ${b.rps} rps / ${b.concurrency}`;
    }));
    app.post('/ops/actions/circuit-reset', act('/ops/hosts', async (b) => {
      await ops.resetCircuit(b.host ?? '');
      return `circuit of ${b.host} closed`;
    }));
    const filterOf = (b: Record<string, string>): FailedFilter => ({
      id: b.id || undefined,
      code: b.code || undefined,
      batch: b.batch || undefined,
      status: b.status === 'needs_human' ? 'needs_human' : undefined,
    });
    app.post('/ops/actions/retry', act('/ops/failures', async (b) => `retried ${(await ops.retry(filterOf(b))).length} lookup(s)`));
    app.post('/ops/actions/discard', act('/ops/failures', async (b, req) => `discarded ${(await ops.discard(filterOf(b), actorOf(req))).length} lookup(s)`));
    app.post('/ops/actions/drain', act('/ops/robots', async (b) => {
      await ops.drain(b.robot || undefined);
      return b.robot ? `robot ${b.robot} drains` : 'every running robot drains';
    }));
    app.post<{ Params: { id: string } }>('/ops/captcha/:id/answer', async (req, reply) =>
      act('/ops/captcha', async (b) => {
        const res = await answerCaptchaTask({ captchaTasks: deps.captchaTasks, lookups: deps.lookups, queueFor: deps.queueFor, jobOptions: deps.jobOptions }, req.params.id, b.answer ?? '', { by: actorOf(req) });
        return res.resumed ? `answered; lookup ${res.task.lookupId} resumes` : `answered (${res.note ?? 'taken by a waiting robot'})`;
      })(req, reply),
    );

    if (deps.metrics !== false) {
      app.get('/metrics', async (_req, reply) => {
        await refreshGauges(ops, deps);
        return reply.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
      });
    }
  };
}

/** Farm-wide gauges computed at scrape time: queue depth, lookups by state, circuits, robots online. */
async function refreshGauges(ops: OpsService, deps: OpsPluginDeps): Promise<void> {
  const [queues, hosts, robots] = await Promise.all([ops.queues(), ops.hosts(), ops.robots()]);
  queueDepth.reset();
  for (const q of queues) for (const [state, n] of Object.entries(q.counts)) queueDepth.set({ queue: q.name, state }, n);
  circuitState.reset();
  for (const h of hosts) circuitState.set({ host: h.host }, h.circuit === 'closed' ? 0 : h.circuit === 'half_open' ? 1 : 2);
  robotsOnline.reset();
  robotsOnline.set({ role: 'robots' }, robots.filter((r) => r.status !== 'stopped').length);
  lookupsByState.reset();
  for (const type of JOB_NAMES) {
    for (const [state, n] of Object.entries(await deps.lookups.countByStatus({ type }))) lookupsByState.set({ type, state }, n);
  }
}

function cookieOf(req: FastifyRequest, name: string): string | null {
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

const escapeText = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The dashboard wired from the API server's deps (one registration line in api/server.ts): Redis
 * from the queues' connection, the `robots`, `captcha_tasks` and `audit_log` stores from storage.
 */
export async function opsPluginFromApi(deps: ApiServerDeps): Promise<FastifyPluginAsync> {
  const storage = deps.storage as ApiServerDeps['storage'] & { captchaTasks: CaptchaTaskStore; auditLog?: OpsDeps['auditLog'] };
  const config = deps.config as ApiServerDeps['config'] & { politeness?: OpsDeps['politeness'] };
  // The queues' own connection (an ioredis instance the caller owns): no second connection to close.
  const redis = deps.queueFor('court.case' as JobName).opts.connection as unknown as OpsDeps['redis'];
  if (typeof redis?.hgetall !== 'function') throw new Error('opsPluginFromApi: the queues must be built on an ioredis instance');
  return opsPlugin({
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
  });
}
