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
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiHarness, type ApiHarness } from './api-harness.ts';
import { cookieFrom, rawRequest } from './http-raw.ts';

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
async function snapshot(): Promise<string> {
  const redis = h.queueFor('court.case').opts.connection as unknown as import('ioredis').Redis;
  const names = (await redis.keys(`${h.config.queue.prefix}*`)).sort();
  const parts: string[] = [];
  for (const k of names) {
    const type = await redis.type(k);
    const value =
      type === 'string' ? await redis.get(k)
      : type === 'hash' ? JSON.stringify(Object.entries(await redis.hgetall(k)).sort())
      : type === 'set' ? JSON.stringify((await redis.smembers(k)).sort())
      : type === 'zset' ? JSON.stringify(await redis.call('ZRANGE', k, '0', '-1', 'WITHSCORES'))
      : type === 'list' ? JSON.stringify(await redis.lrange(k, 0, -1))
      : type;
    parts.push(`${k}=${value}`);
  }
  const db = h.storage.conn.db!;
  for (const c of ['lookups', 'webhooks', 'api_keys', 'captcha_tasks']) {
    const docs = await db.collection(c).find({}).sort({ _id: 1 }).toArray();
    parts.push(`${c}=${createHash('sha256').update(JSON.stringify(docs)).digest('hex')}:${docs.length}`);
  }
  return parts.join('\n');
}

const SAMPLE: Record<string, string> = { id: FAILED_ID, queueName: 'court.case', jobId: 'x1', sha: 'a'.repeat(64), scope: 'job', collection: 'court_cases', schedulerId: 's1', '*': 'index.html' };
/** A concrete path for a route pattern (`:param` and `*` filled with sample values). */
const concrete = (pattern: string) => pattern.replace(/:(\w+)/g, (_m, p: string) => SAMPLE[p] ?? 'x').replace(/\*$/, SAMPLE['*']!);

/** The ops, audit and metrics paths, written by hand so the matrix does not depend on the code under test. */
const HAND: Array<[string, string, string]> = [
  ['GET', '/ops', 'ops'], ['GET', '/ops/robots', 'ops'], ['GET', '/ops/hosts', 'ops'], ['GET', '/ops/captcha', 'ops'], ['GET', '/ops/failures', 'ops'],
  ['GET', '/ops/api/state', 'ops'], ['GET', '/ops/queues', 'ops'], ['GET', '/ops/queues/api/queues', 'ops'], ['GET', '/ops/queues/api/redis/stats', 'ops'],
  ['PUT', '/ops/queues/api/queues/pause', 'ops'], ['PUT', '/ops/queues/api/queues/court.case/pause', 'ops'], ['POST', '/ops/queues/api/queues/court.case/add', 'ops'],
  ['POST', '/ops/actions/pause', 'ops'], ['POST', '/ops/actions/resume', 'ops'], ['POST', '/ops/actions/limit', 'ops'], ['POST', '/ops/actions/circuit-reset', 'ops'],
  ['POST', '/ops/actions/retry', 'ops'], ['POST', '/ops/actions/discard', 'ops'], ['POST', '/ops/actions/drain', 'ops'], ['POST', '/ops/captcha/c1/answer', 'ops'],
  ['GET', '/metrics', 'ops'],
  ['GET', '/audit', 'audit'], ['GET', '/audit/jobs/x1', 'audit'], ['GET', `/audit/blobs/${'a'.repeat(64)}`, 'audit'], ['GET', '/audit/export/job/x1', 'audit'], ['GET', '/audit/log', 'audit'],
];

/** Spellings of one path that a URL-string check would miss and a router might still match. */
function variants(path: string): string[] {
  const [p, q] = path.split('?') as [string, string | undefined];
  const segs = p.split('/').slice(1);
  const enc = (s: string, upper = false) => (s ? `%${s.charCodeAt(0).toString(16)[upper ? 'toUpperCase' : 'toLowerCase']()}${s.slice(1)}` : s);
  const forms = new Set<string>([
    p,
    `/${[enc(segs[0]!), ...segs.slice(1)].join('/')}`,
    `/${[enc(segs[0]!, true), ...segs.slice(1)].join('/')}`,
    `/${segs.map((s) => enc(s)).join('/')}`,
    `/${p}`,
    p.replace(/\//g, '//'),
    `${p}/`,
    `${p}//`,
    p.toUpperCase(),
    `/${segs.map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join('/')}`,
    `${p};x=1`,
    `/${segs.join('%2F')}`,
    `/${segs.join('/./')}`,
    `/x/..${p}`,
    `${p}?x=1`,
  ]);
  return [...forms].map((f) => (q ? `${f}${f.includes('?') ? '&' : '?'}${q}` : f));
}

/** JSON a state-changing route would act on if it let the request through. */
const BODY = JSON.stringify({
  target: HOST, host: HOST, rps: '1', concurrency: '1', code: 'layout_drift', id: FAILED_ID, answer: 'x',
  type: 'court.case', input: { court: HOST, number: '2-2/2025' }, url: 'http://127.0.0.1:9/hook', name: 'x', data: {}, queueName: 'court.case',
});

type Cred = { label: string; headers: Record<string, string> };
function wrongCredentials(scope: string, session: string | undefined): Cred[] {
  const creds: Cred[] = [
    { label: 'no key', headers: {} },
    { label: 'forged key', headers: { authorization: 'Bearer kvk_forged' } },
    { label: 'forged session', headers: { cookie: 'konveyer_ops=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA; konveyer_audit=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } },
  ];
  for (const [name, token] of Object.entries(keys)) if (name !== scope) creds.push({ label: `${name} key`, headers: { 'x-api-key': token } });
  // The other UI's real session cookie (sent under both cookie names: the server must check realm, not name only).
  for (const realm of ['ops', 'audit'] as const) {
    if (realm === session || realm === scope) continue;
    const value = cookies[realm].split('=').slice(1).join('=');
    creds.push({ label: `${realm} session`, headers: { cookie: `konveyer_ops=${value}; konveyer_audit=${value}`, origin: base } });
  }
  return creds;
}

describe('auth walk-around matrix (real HTTP)', () => {
  it('refuses every route in every spelling without a key, with a forged key, with each wrong scope and with the other UI’s session, and changes nothing', async () => {
    const docs = await rawRequest(base, 'GET', '/docs/json');
    expect(docs.status).toBe(200);
    const spec = JSON.parse(docs.body) as { paths: Record<string, Record<string, unknown>> };
    const targets = new Map<string, { method: string; path: string; scope: string; session?: string }>();
    const add = (method: string, path: string, scope: string, session?: string) => targets.set(`${method} ${path}`, { method, path, scope, session });
    // Public by design: health, docs, the two login forms.
    const isPublic = (path: string) => ['/healthz', '/ops/login', '/audit/login'].includes(path) || path.startsWith('/docs');
    for (const [path, ops] of Object.entries(spec.paths)) {
      if (isPublic(path)) continue;
      for (const method of Object.keys(ops)) {
        const scope =
          path.startsWith('/ops') || path === '/metrics' ? 'ops'
          : path.startsWith('/audit') ? 'audit'
          : (path.startsWith('/v1/lookups') && method !== 'get') || path.startsWith('/v1/webhooks') ? 'submit'
          : 'read';
        add(method.toUpperCase(), path.replace(/\{(\w+)\}/g, (_m, p: string) => SAMPLE[p] ?? 'x'), scope, scope === 'ops' || scope === 'audit' ? scope : undefined);
      }
    }
    expect(targets.size).toBeGreaterThanOrEqual(8);
    for (const [method, path, scope] of HAND) add(method, path, scope, scope === 'ops' && path !== '/metrics' ? 'ops' : scope === 'audit' ? 'audit' : undefined);
    // Every route the server declares (Bull Board's included), where the code under test can list them.
    const auth = (await import('../../api/auth.ts')) as { declaredRoutes?: (app: unknown) => Array<{ method: string; url: string; scope?: string; session?: string }> };
    for (const r of auth.declaredRoutes?.(h.app) ?? []) {
      if (r.scope === 'public' || r.method === 'HEAD') continue;
      add(r.method, concrete(r.url), r.scope ?? 'ops', r.session);
    }

    const before = await snapshot();
    const leaks: string[] = [];
    let sent = 0;
    const jobs: Array<() => Promise<void>> = [];
    for (const t of targets.values()) {
      for (const path of variants(t.path)) {
        for (const cred of wrongCredentials(t.scope, t.session)) {
          jobs.push(async () => {
            const hasBody = !['GET', 'HEAD', 'DELETE'].includes(t.method);
            const res = await rawRequest(base, t.method, path, { headers: { ...cred.headers, ...(hasBody ? { 'content-type': 'application/json' } : {}) }, body: hasBody ? BODY : undefined });
            sent++;
            if (![401, 403, 404].includes(res.status)) leaks.push(`${t.method} ${path} with ${cred.label}: ${res.status} ${res.body.slice(0, 80)}`);
          });
        }
      }
    }
    for (let i = 0; i < jobs.length; i += 16) await Promise.all(jobs.slice(i, i + 16).map((j) => j()));
    expect(leaks).toEqual([]);
    expect(sent).toBeGreaterThan(1000);
    expect(await snapshot()).toBe(before);
    console.info(`auth walk-around: ${targets.size} routes, ${sent} requests, 0 let through`);
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
