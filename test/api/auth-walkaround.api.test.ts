/**
 * The auth walk-around matrix (issue 13, item 1): a real API server listening on a port, with the
 * ops dashboard, Bull Board, the auditor UI and /metrics mounted, gets real HTTP requests for every
 * route of /docs/json, every ops, audit and metrics path, and every route the server itself
 * declares, each in encoded (%6f), double-slash, trailing-slash, mixed-case and other spellings,
 * without a key, with a forged key, with each key lacking the route's scope, and with a session
 * cookie of the other UI. Every answer must be 401, 403 or 404, and nothing may change: Redis
 * (pause flags, drain flags, queues) and MongoDB (lookups, webhooks, keys) are compared before
 * and after.
 */
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAND_TARGETS, attackBody, cookieFrom, documentedScope, farmStateDigest, isPublicPath, rawRequest, runAuthMatrix, type AuthTarget } from '../../soak/lib/auth-matrix.ts';
import { openApiHarness, type ApiHarness } from './api-harness.ts';

let h: ApiHarness;
let base: string;
const keys: Record<'submit' | 'read' | 'audit' | 'ops' | 'none', string> = { submit: '', read: '', audit: '', ops: '', none: '' };
const cookies = { ops: '', audit: '' };
const HOST = 'oktyabrsky--ufa.sudrf.ru';
const FAILED_ID = 'walkaround-failed-1';

beforeAll(async () => {
  h = await openApiHarness();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  for (const scope of ['submit', 'read', 'audit', 'ops'] as const) keys[scope] = (await h.storage.apiKeys.create({ name: `walk-${scope}`, scopes: [scope] })).token;
  keys.none = (await h.storage.apiKeys.create({ name: 'walk-none', scopes: [] })).token;
  // A failed lookup: a retry or discard that got through would change it.
  await h.storage.lookups.insertMany([{ _id: FAILED_ID, type: 'court.case', input: { court: HOST, number: '2-1/2025' } }]);
  await h.storage.lookups.markFinished(FAILED_ID, 'failed', { error: { code: 'layout_drift', kind: 'permanent', message: 'drift' } });
  // Real UI sessions of each realm, to send on the other UI's routes.
  for (const realm of ['ops', 'audit'] as const) {
    const res = await rawRequest(base, 'POST', `/${realm}/login`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
      body: `key=${encodeURIComponent(keys[realm])}`,
    });
    expect(res.status).toBe(303);
    cookies[realm] = cookieFrom(res, `konveyer_${realm}`)?.pair ?? '';
  }
}, 60_000);
afterAll(async () => h?.close());

/** Everything a refused request could have changed. */
const snapshot = () => farmStateDigest(h.queueFor('court.case').opts.connection as unknown as Redis, h.config.queue.prefix, h.storage.conn.db!);
const BODY = attackBody(HOST, FAILED_ID);

describe('auth walk-around matrix (real HTTP)', () => {
  it('refuses every route in every spelling without a key, with a forged key, with each wrong scope and with the other UI’s session, and changes nothing', async () => {
    const docs = await rawRequest(base, 'GET', '/docs/json');
    expect(docs.status).toBe(200);
    const spec = JSON.parse(docs.body) as { paths: Record<string, Record<string, unknown>> };
    const targets = new Map<string, AuthTarget>();
    const add = (t: AuthTarget) => targets.set(`${t.method} ${t.path}`, t);
    for (const [path, methods] of Object.entries(spec.paths)) if (!isPublicPath(path)) for (const m of Object.keys(methods)) add(documentedScope(m, path));
    expect(targets.size).toBeGreaterThanOrEqual(8);
    for (const t of HAND_TARGETS) add(t);
    // Every route the server declares (Bull Board's included), where the code under test can list them.
    const auth = (await import('../../api/auth.ts')) as { declaredRoutes?: (app: unknown) => Array<{ method: string; url: string; scope?: string; session?: 'ops' | 'audit' }> };
    for (const r of auth.declaredRoutes?.(h.app) ?? []) {
      if (r.scope === 'public' || r.method === 'HEAD') continue;
      add({ ...documentedScope(r.method, r.url), scope: r.scope ?? 'ops', session: r.session });
    }

    const before = await snapshot();
    const run = await runAuthMatrix(base, targets.values(), { keys, sessions: cookies }, BODY);
    expect(run.letThrough).toEqual([]);
    expect(run.sent).toBeGreaterThan(1000);
    expect(await snapshot()).toBe(before);
    console.info(`auth walk-around: ${run.routes} routes, ${run.sent} requests, 0 let through`);
  }, 300_000);

  it('lets the right key through (the matrix is not vacuous), and the snapshot sees a real pause', async () => {
    const before = await snapshot();
    expect((await rawRequest(base, 'GET', '/ops/api/state', { headers: { 'x-api-key': keys.ops } })).status).toBe(200);
    expect((await rawRequest(base, 'GET', '/metrics', { headers: { 'x-api-key': keys.ops } })).status).toBe(200);
    expect((await rawRequest(base, 'GET', '/audit/log', { headers: { 'x-api-key': keys.audit } })).status).toBe(200);
    const paused = await rawRequest(base, 'POST', '/ops/actions/pause', { headers: { 'x-api-key': keys.ops, 'content-type': 'application/json' }, body: BODY });
    expect(paused.status).toBe(200);
    expect(await snapshot()).not.toBe(before);
    await rawRequest(base, 'POST', '/ops/actions/resume', { headers: { 'x-api-key': keys.ops, 'content-type': 'application/json' }, body: BODY });
  });

  it('every route the server registers declares its scope', async () => {
    const { declaredRoutes } = await import('../../api/auth.ts');
    const routes = declaredRoutes(h.app);
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((r) => !r.scope)).toEqual([]);
    // Public are only health, the docs and the login forms.
    const open = routes.filter((r) => r.scope === 'public').map((r) => r.url);
    expect(open.every((u) => u === '/healthz' || u.startsWith('/docs') || u === '/ops/login' || u === '/audit/login')).toBe(true);
    expect(routes.filter((r) => r.url.startsWith('/ops/queues')).every((r) => r.scope === 'ops')).toBe(true);
  });

  it('HEAD and OPTIONS get the same check; a server with a route that declares no scope does not start', async () => {
    expect((await rawRequest(base, 'HEAD', '/%6fps/api/state')).status).toBe(401);
    expect((await rawRequest(base, 'HEAD', '/audit/log', { headers: { 'x-api-key': keys.ops } })).status).toBe(403);
    expect([401, 404]).toContain((await rawRequest(base, 'OPTIONS', '/ops/actions/pause', { headers: { origin: 'http://evil.example' } })).status);
    const Fastify = (await import('fastify')).default;
    const { installAuth } = await import('../../api/auth.ts');
    const bare = Fastify();
    installAuth(bare, { keys: h.storage.apiKeys });
    bare.get('/declared', { config: { scope: 'read' } }, async () => 'ok');
    bare.get('/forgotten', async () => 'open?');
    await expect(bare.ready()).rejects.toThrow(/declare config\.scope.*GET \/forgotten/);
  });
});
