/**
 * UI logins as server-side sessions (issue 13, item 4), over real HTTP against a listening API
 * server: the cookie holds a random id (never the key), stored only hashed, on the UI's own path;
 * logout and revoking the key end it; an expired one is refused; every POST form carries a CSRF
 * token tied to the session; a cookie-only request from another origin (another port of the same
 * host, which SameSite lets through) changes nothing; Bull Board's own actions need a same-origin
 * JSON request.
 */
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoUiSessionStore } from '../../storage/ui-sessions.repo.ts';
import { openApiHarness, type ApiHarness } from './api-harness.ts';
import { cookieFrom, rawRequest, type RawResponse } from './http-raw.ts';

let h: ApiHarness;
let base: string;
let opsToken: string;
let opsKeyId: string;
let auditToken: string;
const HOST = 'leninsky--perm.sudrf.ru';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

beforeAll(async () => {
  h = await openApiHarness();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  const ops = await h.storage.apiKeys.create({ name: 'sess-ops', scopes: ['ops'] });
  opsToken = ops.token;
  opsKeyId = ops.key._id;
  auditToken = (await h.storage.apiKeys.create({ name: 'sess-audit', scopes: ['audit'] })).token;
}, 60_000);
afterAll(async () => h?.close());

async function login(realm: 'ops' | 'audit', token: string, headers: Record<string, string> = { origin: base }): Promise<{ res: RawResponse; cookie: string; attributes: string }> {
  const res = await rawRequest(base, 'POST', `/${realm}/login`, { headers: { ...FORM, ...headers }, body: `key=${encodeURIComponent(token)}` });
  const c = cookieFrom(res, `konveyer_${realm}`);
  return { res, cookie: c?.pair ?? '', attributes: c?.attributes ?? '' };
}
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? null;
/** The pause flag every robot reads (runtime/politeness.ts). */
async function isHostPaused(): Promise<boolean> {
  const redis = h.queueFor('court.case').opts.connection as unknown as import('ioredis').Redis;
  return (await redis.exists(`${h.config.queue.prefix}:polite:{${HOST}}:paused`)) === 1;
}
const pause = (cookie: string, headers: Record<string, string>, csrf: string | null) =>
  rawRequest(base, 'POST', '/ops/actions/pause', { headers: { ...FORM, cookie, ...headers }, body: `target=${HOST}${csrf === null ? '' : `&_csrf=${encodeURIComponent(csrf)}`}` });

describe('login cookie = server-side session', () => {
  it('holds a random id on Path=/ops, stored only as its SHA-256, never the key', async () => {
    const a = await login('ops', opsToken);
    expect(a.res.status).toBe(303);
    const value = a.cookie.split('=')[1]!;
    expect(value).not.toContain(opsToken);
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.attributes).toMatch(/Path=\/ops(;|$)/);
    expect(a.attributes).toMatch(/HttpOnly/);
    expect(a.attributes).toMatch(/SameSite=Strict/);
    const b = await login('ops', opsToken);
    expect(b.cookie).not.toBe(a.cookie);
    const docs = await h.storage.conn.db!.collection('ui_sessions').find({}).toArray();
    expect(docs.map((d) => d._id)).toContain(createHash('sha256').update(value).digest('hex'));
    const stored = JSON.stringify(docs);
    expect(stored).not.toContain(value);
    expect(stored).not.toContain(opsToken);
    // The auditor UI's cookie lives on its own path.
    expect((await login('audit', auditToken)).attributes).toMatch(/Path=\/audit(;|$)/);
  });

  it('opens the pages; logout ends the session for good', async () => {
    const { cookie } = await login('ops', opsToken);
    const page = await rawRequest(base, 'GET', '/ops/hosts', { headers: { cookie, accept: 'text/html' } });
    expect(page.status).toBe(200);
    const csrf = csrfOf(page.body)!;
    const out = await rawRequest(base, 'POST', '/ops/logout', { headers: { ...FORM, cookie, origin: base }, body: `_csrf=${encodeURIComponent(csrf)}` });
    expect(out.status).toBe(303);
    expect(String(out.headers['set-cookie'])).toMatch(/konveyer_ops=; .*Max-Age=0/);
    const after = await rawRequest(base, 'GET', '/ops/hosts', { headers: { cookie, accept: 'text/html' } });
    expect(after.status).toBe(401);
    expect(after.body).toContain('action="/ops/login"');
  });

  it('revoking the key ends its sessions at once (ops and audit)', async () => {
    const { key, token } = await h.storage.apiKeys.create({ name: 'to-revoke', scopes: ['ops', 'audit'] });
    const ops = await login('ops', token);
    const audit = await login('audit', token);
    expect((await rawRequest(base, 'GET', '/ops/api/state', { headers: { cookie: ops.cookie } })).status).toBe(200);
    expect((await rawRequest(base, 'GET', '/audit/log', { headers: { cookie: audit.cookie } })).status).toBe(200);
    await h.storage.apiKeys.revoke(key._id);
    expect((await rawRequest(base, 'GET', '/ops/api/state', { headers: { cookie: ops.cookie } })).status).toBe(401);
    expect((await rawRequest(base, 'GET', '/audit/log', { headers: { cookie: audit.cookie } })).status).toBe(401);
    const ended = await h.storage.conn.db!.collection('ui_sessions').find({ keyId: key._id }).toArray();
    expect(ended.length).toBe(2);
    expect(ended.every((s) => s.endedAt instanceof Date && s.endReason === 'key_revoked')).toBe(true);
  });

  it('an expired session is refused, and a session of one UI does not open the other', async () => {
    const store = new MongoUiSessionStore(h.storage.conn);
    const short = await store.create({ realm: 'ops', keyId: opsKeyId, ttlMs: 300 });
    expect((await rawRequest(base, 'GET', '/ops/api/state', { headers: { cookie: `konveyer_ops=${short.id}` } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect((await rawRequest(base, 'GET', '/ops/api/state', { headers: { cookie: `konveyer_ops=${short.id}` } })).status).toBe(401);
    const { key, token } = await h.storage.apiKeys.create({ name: 'both', scopes: ['ops', 'audit'] });
    const audit = await login('audit', token);
    const id = audit.cookie.split('=')[1]!;
    expect((await rawRequest(base, 'GET', '/ops/api/state', { headers: { cookie: `konveyer_ops=${id}` } })).status).toBe(401);
    await h.storage.apiKeys.revoke(key._id);
  });
});

describe('CSRF token and Origin on every state change', () => {
  it('every POST form of every ops page carries the session’s token', async () => {
    const { cookie } = await login('ops', opsToken);
    await h.storage.lookups.insertMany([{ _id: 'csrf-failed-1', type: 'court.case', input: { court: HOST, number: '2-5/2025' } }]);
    await h.storage.lookups.markFinished('csrf-failed-1', 'failed', { error: { code: 'layout_drift', kind: 'permanent', message: 'drift' } });
    let forms = 0;
    for (const path of ['/ops', '/ops/robots', '/ops/hosts', '/ops/captcha', '/ops/failures']) {
      const page = await rawRequest(base, 'GET', path, { headers: { cookie } });
      const tags = page.body.match(/<form\b[^>]*method="post"[^>]*>(<input type="hidden" name="_csrf" value="[^"]+">)?/g) ?? [];
      forms += tags.length;
      expect(tags.filter((t) => !t.includes('name="_csrf"'))).toEqual([]);
    }
    expect(forms).toBeGreaterThan(5);
  });

  it('a cookie-only POST from another origin (another port of this host) changes nothing; the same form from our page works', async () => {
    const { cookie } = await login('ops', opsToken);
    const csrf = csrfOf((await rawRequest(base, 'GET', '/ops/hosts', { headers: { cookie } })).body)!;
    const other = `http://127.0.0.1:${Number(new URL(base).port) + 1}`;
    const refused = [
      await pause(cookie, { origin: other }, null),
      await pause(cookie, { origin: other }, csrf),
      await pause(cookie, { origin: 'null' }, csrf),
      await pause(cookie, { 'sec-fetch-site': 'same-site' }, csrf),
      await pause(cookie, {}, csrf),
      await pause(cookie, { origin: base }, null),
      await pause(cookie, { origin: base }, 'forged-token'),
      await pause(cookie, { origin: base }, csrfOf((await rawRequest(base, 'GET', '/ops/hosts', { headers: { cookie: (await login('ops', opsToken)).cookie } })).body)),
    ];
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403, 403, 403]);
    expect(await isHostPaused()).toBe(false);
    const ok = await pause(cookie, { origin: base }, csrf);
    expect(ok.status).toBe(303);
    expect(await isHostPaused()).toBe(true);
    const resumed = await rawRequest(base, 'POST', '/ops/actions/resume', { headers: { ...FORM, cookie, 'sec-fetch-site': 'same-origin' }, body: `target=${HOST}&_csrf=${encodeURIComponent(csrf)}` });
    expect(resumed.status).toBe(303);
    expect(await isHostPaused()).toBe(false);
  });

  it('a login form posted from another origin is refused', async () => {
    const other = `http://127.0.0.1:${Number(new URL(base).port) + 1}`;
    for (const realm of ['ops', 'audit'] as const) {
      const res = await login(realm, realm === 'ops' ? opsToken : auditToken, { origin: other });
      expect(res.res.status).toBe(403);
      expect(res.cookie).toBe('');
    }
  });

  it('the auditor’s sign-out form carries the token; without it the session survives', async () => {
    const { cookie } = await login('audit', auditToken);
    const page = await rawRequest(base, 'GET', '/audit', { headers: { cookie } });
    const csrf = csrfOf(page.body)!;
    expect(page.body).toMatch(/action="\/audit\/logout"><input type="hidden" name="_csrf"/);
    expect((await rawRequest(base, 'POST', '/audit/logout', { headers: { ...FORM, cookie, origin: base }, body: '' })).status).toBe(403);
    expect((await rawRequest(base, 'GET', '/audit/log', { headers: { cookie } })).status).toBe(200);
    expect((await rawRequest(base, 'POST', '/audit/logout', { headers: { ...FORM, cookie, origin: base }, body: `_csrf=${encodeURIComponent(csrf)}` })).status).toBe(303);
    expect((await rawRequest(base, 'GET', '/audit/log', { headers: { cookie } })).status).toBe(401);
  });

  it('Bull Board’s own actions need a same-origin JSON request', async () => {
    const { cookie } = await login('ops', opsToken);
    const put = (headers: Record<string, string>, body: string) => rawRequest(base, 'PUT', '/ops/queues/api/queues/court.case/pause', { headers: { cookie, ...headers }, body });
    const other = `http://127.0.0.1:${Number(new URL(base).port) + 1}`;
    expect((await put({ origin: other, 'content-type': 'application/json' }, '{}')).status).toBe(403);
    expect((await put({ origin: base, 'content-type': 'text/plain' }, '{}')).status).toBe(403);
    expect(await h.queueFor('court.case').isPaused()).toBe(false);
    expect((await put({ origin: base, 'content-type': 'application/json' }, '{}')).status).toBe(200);
    expect(await h.queueFor('court.case').isPaused()).toBe(true);
    await h.queueFor('court.case').resume();
  });
});
