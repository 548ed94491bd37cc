/**
 * The auditor plugin on a bare fastify: who gets in (401/403), what is written to audit_log, the
 * login cookie, the live chain status and the export download. The real browser test is
 * auditor-ui.e2e.test.ts.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditorPlugin } from '../../api/auditor/auditor.plugin.ts';
import type { Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage, testPrefix, testRedis } from '../helpers/services.ts';

let storage: Storage;
let app: FastifyInstance;
let auditToken: string;
let readToken: string;
const jobId = randomUUID();

beforeAll(async () => {
  storage = await openTestStorage();
  app = Fastify();
  await app.register(auditorPlugin({ storage }));
  await app.ready();
  auditToken = (await storage.apiKeys.create({ name: 'auditor-anna', scopes: ['audit'] })).token;
  readToken = (await storage.apiKeys.create({ name: 'billing', scopes: ['read', 'submit'] })).token;
  await storage.lookups.insertMany([{ _id: jobId, type: 'court.case', input: { court: 'x--spb.sudrf.ru', number: '2-1/2025' } }]);
  for (const step of ['search', 'case-card']) {
    await storage.evidence.append(
      { jobId, lookupId: jobId, robot: 'r', step, kind: 'http_response', url: `http://x--spb.sudrf.ru/${step}`, contentType: 'text/html', at: new Date() },
      Buffer.from(`<html><script>alert(1)</script>${step}</html>`),
    );
  }
  await storage.evidence.seal(jobId);
});
afterAll(async () => {
  await app?.close();
  await dropStorage(storage);
});

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

describe('access control', () => {
  it('refuses without a key (401), with a key lacking the audit scope (403), and logs the refusals', async () => {
    const none = await get('/audit');
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('unauthorized');
    const browser = await get(`/audit/jobs/${jobId}`, { accept: 'text/html' });
    expect(browser.statusCode).toBe(401);
    expect(browser.body).toContain('action="/audit/login"');
    expect((await get('/audit', { authorization: 'Bearer kvk_forged' })).statusCode).toBe(401);
    const wrong = await get(`/audit/export/job/${jobId}`, { 'x-api-key': readToken });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.message).toMatch(/"audit" scope/);
    const denied = await storage.auditLog.list({ action: 'denied' });
    expect(denied.map((d) => d.actor)).toEqual(expect.arrayContaining(['anonymous', expect.stringMatching(/^key:.*:billing$/)]));
    expect(denied.find((d) => d.actor.endsWith(':billing'))!.target).toBe(`/audit/export/job/${jobId}`);
  });

  it('refuses a revoked key at once', async () => {
    const { key, token } = await storage.apiKeys.create({ name: 'gone', scopes: ['audit'] });
    expect((await get('/audit', { authorization: `Bearer ${token}` })).statusCode).toBe(200);
    await storage.apiKeys.revoke(key._id);
    expect((await get('/audit', { authorization: `Bearer ${token}` })).statusCode).toBe(401);
  });

  it('signs in with the form: an HttpOnly cookie that then opens the pages; a bad key gets the form again', async () => {
    const bad = await app.inject({ method: 'POST', url: '/audit/login', payload: `key=${encodeURIComponent(readToken)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(bad.statusCode).toBe(403);
    const res = await app.inject({ method: 'POST', url: '/audit/login', payload: `key=${encodeURIComponent(auditToken)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.statusCode).toBe(303);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await get(`/audit/jobs/${jobId}`, { cookie: cookie.split(';')[0]! });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-ok="true"');
  });
});

describe('views, exports and the audit log', () => {
  const auth = () => ({ authorization: `Bearer ${auditToken}` });

  it('writes every view and export to audit_log with who, what, when and ip', async () => {
    const before = Date.now();
    expect((await get('/audit?caseNumber=2-1%2F2025', auth())).body).toContain(jobId);
    expect((await get(`/audit/jobs/${jobId}`, auth())).statusCode).toBe(200);
    const zip = await get(`/audit/export/job/${jobId}`, auth());
    expect(zip.statusCode).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    expect(zip.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const key = (await storage.apiKeys.findByToken(auditToken))!;
    const log = await storage.auditLog.list({ actor: `key:${key._id}:auditor-anna` });
    const actions = log.filter((e) => e.at.getTime() >= before - 1000).map((e) => [e.action, e.target]);
    expect(actions).toEqual(expect.arrayContaining([['view.search', expect.stringContaining('2-1/2025')], ['view.job', jobId], ['export.job', jobId]]));
    expect(log.length).toBeGreaterThanOrEqual(3);
    expect(log.every((e) => e.ip === '127.0.0.1')).toBe(true);
  });

  it('serves a captured page as inert text, never as HTML', async () => {
    const [item] = await storage.evidence.listByJob(jobId);
    const res = await get(`/audit/blobs/${item!.sha256}`, auth());
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.headers['content-security-policy']).toMatch(/sandbox/);
    expect(res.body).toContain('<script>alert(1)</script>');
  });

  it('flags a body changed behind the farm’s back on the job page', async () => {
    const [, second] = await storage.evidence.listByJob(jobId);
    const db = storage.conn.db!;
    const file = await db.collection('evidence.files').findOne({ filename: second!.sha256 });
    await db.collection('evidence.chunks').updateOne({ files_id: file!._id, n: 0 }, { $set: { data: Buffer.from('<html>forged</html>') } });
    const page = await get(`/audit/jobs/${jobId}`, auth());
    expect(page.body).toContain('data-ok="false"');
    expect(page.body).toMatch(/<section class="step flagged" data-seq="2" data-flag="changed">/);
    expect(page.body).toMatch(/<section class="step" data-seq="1" data-flag="">/);
  });
});

describe('mounted by the API server', () => {
  it('serves /audit from createApiServer with its own auth', async () => {
    const { createApiServer } = await import('../../api/server.ts');
    const { loadConfig } = await import('../../config/index.ts');
    const { Queue } = await import('bullmq');
    const redis = testRedis();
    const queues: { close(): Promise<void> }[] = [];
    const queueFor = (name: string) => {
      const q = new Queue(name, { connection: redis, prefix: testPrefix('audit-api') });
      queues.push(q);
      return q;
    };
    const api = await createApiServer({ storage, config: loadConfig({}), queueFor, pingRedis: () => redis.ping() } as never, { authCacheMs: 0 });
    try {
      expect((await api.inject({ method: 'GET', url: '/audit' })).statusCode).toBe(401);
      expect((await api.inject({ method: 'GET', url: '/audit', headers: { 'x-api-key': readToken } })).statusCode).toBe(403);
      const ok = await api.inject({ method: 'GET', url: `/audit/jobs/${jobId}`, headers: { authorization: `Bearer ${auditToken}` } });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('id="timeline"');
    } finally {
      await api.close();
      for (const q of queues) await q.close();
      redis.disconnect();
    }
  });
});
