import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, openApiHarness, type ApiHarness } from './api-harness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await openApiHarness({ API_BATCH_MAX_ROWS: '50', API_BODY_LIMIT_BYTES: '20000' });
});
afterAll(async () => h?.close());

const court = 'oktyabrsky--ufa.sudrf.ru';
const one = (number: string, clientKey?: string) => ({ type: 'court.case', input: { court, number }, ...(clientKey ? { clientKey } : {}) });

describe('POST /v1/lookups', () => {
  it('stores a lookup, queues one job, and reads it back', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/v1/lookups', headers: bearer(h.tokens.all), payload: one('2-1043/2025') });
    expect(res.statusCode).toBe(201);
    const { lookup, existed } = res.json();
    expect(existed).toBe(false);
    expect(lookup).toMatchObject({ type: 'court.case', status: 'queued', input: { court, number: '2-1043/2025' } });
    const job = await h.queueFor('court.case').getJob(lookup.id);
    expect(job?.data).toMatchObject({ lookupId: lookup.id });
    const got = await h.app.inject({ method: 'GET', url: `/v1/lookups/${lookup.id}`, headers: bearer(h.tokens.read) });
    expect(got.statusCode).toBe(200);
    expect(got.json().lookup.id).toBe(lookup.id);
  });

  it('is idempotent under 50 concurrent identical requests: one lookup, one job', async () => {
    const before = await h.queueFor('court.case').getJobCounts('wait', 'delayed', 'active');
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        h.app.inject({ method: 'POST', url: '/v1/lookups', headers: { ...bearer(h.tokens.submit), 'idempotency-key': 'conc-1' }, payload: one('2-7/2024') }),
      ),
    );
    const ids = new Set(answers.map((a) => a.json().lookup.id));
    expect(answers.every((a) => a.statusCode === 201 || a.statusCode === 200)).toBe(true);
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.json().existed === false)).toHaveLength(1);
    const after = await h.queueFor('court.case').getJobCounts('wait', 'delayed', 'active');
    expect(after.wait! - before.wait!).toBe(1);
    const stored = await h.storage.readModels.page('lookups', {}, { limit: 500 });
    expect(stored.items.filter((d) => d.clientKey === 'court.case:conc-1')).toHaveLength(1);
    // Field and header name the same key.
    const again = await h.app.inject({ method: 'POST', url: '/v1/lookups', headers: bearer(h.tokens.submit), payload: one('2-7/2024', 'conc-1') });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ existed: true, lookup: { id: [...ids][0], clientKey: 'conc-1' } });
  });

  it('names the field and what was expected', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ type: 'court.case', input: { court, number: 'zzz' } }, /input\.number: malformed case number: expected/],
      [{ type: 'court.case', input: { court: 42, number: '2-1/2025' } }, /input\.court: /],
      [{ type: 'court.case', input: { court, number: '2-1/2025', evil: 1 } }, /unknown field\(s\) evil/],
      [{ type: 'court.case', input: { court, number: '2-1/2025' }, extra: true }, /unknown field\(s\) extra/],
      [{ type: 'nope.nothing', input: {} }, /type: unknown lookup type; expected one of court\.case/],
      [{ type: 'court.case', input: { court, number: '2-1/2025' }, clientKey: 'bad key!' }, /clientKey: expected 1–128/],
      [[1, 2], /expected object/i],
    ];
    for (const [payload, message] of cases) {
      const res = await h.app.inject({ method: 'POST', url: '/v1/lookups', headers: bearer(h.tokens.submit), payload: payload as object });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('bad_input');
      expect(res.json().error.issues.join(' | ')).toMatch(message);
    }
    const broken = await h.app.inject({ method: 'POST', url: '/v1/lookups', headers: { ...bearer(h.tokens.submit), 'content-type': 'application/json' }, payload: '{"type":' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('bad_input');
    const big = await h.app.inject({ method: 'POST', url: '/v1/lookups', headers: bearer(h.tokens.submit), payload: { ...one('2-1/2025'), pad: 'x'.repeat(30_000) } });
    expect(big.statusCode).toBe(413);
  });
});

describe('auth', () => {
  it('401 without or with a wrong key, 403 without the scope, X-Api-Key works, revoked keys stop', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/v1/lookups' })).statusCode).toBe(401);
    expect((await h.app.inject({ method: 'GET', url: '/v1/lookups', headers: bearer('kvk_wrong') })).statusCode).toBe(401);
    const noScope = await h.app.inject({ method: 'POST', url: '/v1/lookups', headers: bearer(h.tokens.read), payload: one('2-2/2025') });
    expect(noScope.statusCode).toBe(403);
    expect(noScope.json().error.message).toMatch(/"submit" scope/);
    expect((await h.app.inject({ method: 'GET', url: '/v1/lookups', headers: bearer(h.tokens.submit) })).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'GET', url: '/v1/lookups', headers: { 'x-api-key': h.tokens.read } })).statusCode).toBe(200);
    const { key, token } = await h.storage.apiKeys.create({ name: 'temp', scopes: ['read'] });
    expect((await h.app.inject({ method: 'GET', url: '/v1/lookups', headers: bearer(token) })).statusCode).toBe(200);
    expect(await h.storage.apiKeys.revoke(key._id)).toBe(true);
    expect((await h.app.inject({ method: 'GET', url: '/v1/lookups', headers: bearer(token) })).statusCode).toBe(401);
    const stored = (await h.storage.apiKeys.list()).find((k) => k._id === key._id)!;
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it('public: health, OpenAPI from the queue schemas, docs; unknown routes 404 JSON', async () => {
    const health = await h.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.json()).toEqual({ ok: true, mongo: 'ok', redis: 'ok', down: [] });
    const doc = (await h.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    const body = JSON.stringify(doc.paths['/v1/lookups'].post.requestBody);
    // The court.case input schema (queues/court-case.payload.ts) is what the document shows.
    expect(body).toContain('"caseUid"');
    expect(body).toContain('"court.case"');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/lookups/batch', '/v1/court-cases', '/v1/exports', '/v1/webhooks']));
    expect((await h.app.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
    const nf = await h.app.inject({ method: 'GET', url: '/v1/nothing', headers: bearer(h.tokens.all) });
    expect(nf.statusCode).toBe(404);
    expect(nf.json().error.code).toBe('not_found');
  });
});
