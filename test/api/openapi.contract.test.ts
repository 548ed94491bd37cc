/**
 * The OpenAPI contract (issue 20): Redocly's recommended ruleset finds nothing, the served document
 * is the generated one (and `konveyer openapi` prints it), each operation's documented scope is the
 * one the server enforces, and the error answers the server gives are the ones documented, with the
 * Error schema. Real MongoDB-wire server and Redis.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer } from '../../api/server.ts';
import { generateOpenApiDocument } from '../../api/openapi-document.ts';
import { OPERATIONS } from '../../api/openapi-bodies.ts';
import { clientTypesSource } from '../../client/types-source.ts';
import type { ApiScope } from '../../storage/api-keys.types.ts';
import { bearer, openApiHarness, type ApiHarness } from './api-harness.ts';
import { openApiContract, type OpenApiContract } from './openapi-validator.ts';
import { testRedis } from '../helpers/services.ts';

const run = promisify(execFile);
type Obj = Record<string, any>;

let h: ApiHarness;
let contract: OpenApiContract;
beforeAll(async () => {
  h = await openApiHarness({ API_BATCH_MAX_ROWS: '3', API_BODY_LIMIT_BYTES: '2048' });
  contract = await openApiContract();
});
afterAll(async () => h?.close());

const operations = () =>
  Object.entries(contract.doc.paths as Obj).flatMap(([path, methods]) => Object.entries(methods as Obj).map(([method, op]) => ({ path, method, op: op as Obj })));

describe('the OpenAPI document', () => {
  it('passes redocly lint (recommended ruleset) with 0 errors and 0 warnings', async () => {
    await mkdir('.run', { recursive: true });
    const file = `.run/openapi-${randomUUID().slice(0, 8)}.json`;
    await writeFile(file, JSON.stringify(contract.doc, null, 2));
    const { stdout } = await run('npx', ['--no-install', 'redocly', 'lint', file, '--format=json'], { maxBuffer: 64 * 1024 * 1024 }).catch((e: { stdout?: string; stderr?: string }) => {
      throw new Error(`redocly lint failed:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
    });
    const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: Array<{ ruleId: string; message: string }> };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 120_000);

  it('is what a serving API answers at /docs/json (ops and auditor pages and /metrics left out)', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const served = res.json() as Obj;
    // The served one knows the harness's config; servers name the port only in words.
    expect(Object.keys(served.paths).sort()).toEqual(Object.keys(contract.doc.paths).sort());
    expect(served.components).toEqual(contract.doc.components);
    expect(Object.keys(served.paths).some((p) => /^\/(ops|audit|metrics)/.test(p))).toBe(false);
  });

  it('is what `konveyer openapi` prints', async () => {
    const { stdout } = await run(process.execPath, ['bin/konveyer.mjs', 'openapi'], { env: { ...process.env, LOG_LEVEL: 'silent' }, maxBuffer: 64 * 1024 * 1024 });
    expect(JSON.parse(stdout)).toEqual(await generateOpenApiDocument(h.config));
  }, 60_000);

  it('is what client/konveyer-api.d.ts was generated from (openapi-typescript)', async () => {
    const committed = await readFile('client/konveyer-api.d.ts', 'utf8');
    expect(committed === (await clientTypesSource(contract.doc)), 'stale client types: run `npx tsx scripts/generate-client-types.ts`').toBe(true);
  }, 60_000);

  it('gives every operation an operationId, summary, tags, a documented 4xx, and its scope', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThanOrEqual(17);
    for (const { path, method, op } of ops) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(op.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
      expect(OPERATIONS[op.operationId], `${where}: answers documented in api/openapi-bodies.ts`).toBeTruthy();
      expect(op.summary, where).toBeTruthy();
      expect(op.tags?.length, where).toBeGreaterThan(0);
      expect(Object.keys(op.responses).some((s) => s.startsWith('4')), where).toBe(true);
      expect(op['x-required-scope'], where).toBeTruthy();
      expect(op.security, where).toEqual([{ bearer: [op['x-required-scope']] }, { apiKey: [op['x-required-scope']] }]);
    }
    expect(new Set(ops.map((o) => o.op.operationId)).size).toBe(ops.length);
  });
});

/** A concrete URL of a documented path (ids filled in). */
const urlOf = (path: string) => path.replace(/\{[^}]+\}/g, 'no-such-id');

describe('the server answers what the document says', () => {
  it('enforces exactly the documented scope: 401 without a key, 403 without that scope, neither with it', async () => {
    const all: ApiScope[] = ['submit', 'read', 'audit', 'ops'];
    for (const { path, method, op } of operations()) {
      const scope = op['x-required-scope'] as ApiScope;
      const lacking = (await h.storage.apiKeys.create({ name: `no-${scope}`, scopes: all.filter((s) => s !== scope) })).token;
      const only = (await h.storage.apiKeys.create({ name: `only-${scope}`, scopes: [scope] })).token;
      const where = `${method.toUpperCase()} ${path}`;
      const url = urlOf(path);
      const none = await h.app.inject({ method: method.toUpperCase() as 'GET', url });
      expect(none.statusCode, where).toBe(401);
      contract.check(method, path, 401, none.headers['content-type'] as string, none.json());
      const forbidden = await h.app.inject({ method: method.toUpperCase() as 'GET', url, headers: bearer(lacking) });
      expect(forbidden.statusCode, where).toBe(403);
      contract.check(method, path, 403, forbidden.headers['content-type'] as string, forbidden.json());
      const allowed = await h.app.inject({ method: method.toUpperCase() as 'GET', url, headers: bearer(only) });
      expect([401, 403], `${where}: ${allowed.body}`).not.toContain(allowed.statusCode);
      // Whatever it answered (400 for a missing body, 404 for the made-up id, 200 …) is documented.
      contract.check(method, path, allowed.statusCode, (allowed.headers['content-type'] as string) ?? null, allowed.body ? allowed.json() : undefined);
    }
  });

  it('documents the 400, 404, 413 and 415 it gives, with the Error schema', async () => {
    const cases: Array<{ method: 'GET' | 'POST'; url: string; path: string; status: number; payload?: string | object; type?: string }> = [
      { method: 'GET', url: '/v1/lookups?limit=0', path: '/v1/lookups', status: 400 },
      { method: 'POST', url: '/v1/lookups', path: '/v1/lookups', status: 400, payload: { type: 'court.case', input: {} } },
      { method: 'GET', url: '/v1/court-cases/nope', path: '/v1/court-cases/{id}', status: 404 },
      { method: 'GET', url: '/v1/lookups/nope', path: '/v1/lookups/{id}', status: 404 },
      { method: 'POST', url: '/v1/lookups/batch', path: '/v1/lookups/batch', status: 413, payload: Array.from({ length: 4 }, (_, i) => ({ type: 'court.case', input: { court: 'oktyabrsky--ufa.sudrf.ru', number: `2-${i + 1}/2026` } })) },
      { method: 'POST', url: '/v1/lookups', path: '/v1/lookups', status: 413, payload: JSON.stringify({ type: 'court.case', input: { court: 'x'.repeat(4000) } }), type: 'application/json' },
      { method: 'POST', url: '/v1/lookups', path: '/v1/lookups', status: 415, payload: '<lookup/>', type: 'application/xml' },
    ];
    for (const c of cases) {
      const res = await h.app.inject({ method: c.method, url: c.url, headers: { ...bearer(h.tokens.all), ...(c.type ? { 'content-type': c.type } : {}) }, payload: c.payload as string });
      expect(res.statusCode, `${c.method} ${c.url}: ${res.body}`).toBe(c.status);
      contract.check(c.method, c.path, c.status, res.headers['content-type'] as string, res.json());
    }
  });

  it('documents the 429 with Retry-After that the per-key limit gives', async () => {
    const redis = testRedis();
    const app = await createApiServer(
      { storage: h.storage, queueFor: h.queueFor, config: { ...h.config, api: { ...h.config.api, rateLimit: { requestsPerMinute: 1, rowsPerMinute: 0, exemptOps: true } } }, pingRedis: () => redis.ping(), redis },
      { authCacheMs: 0 },
    );
    try {
      // The limiter lets requests through while its Redis connection is not up yet (fail open).
      await redis.ping();
      const ok = await app.inject({ method: 'GET', url: '/v1/lookups', headers: bearer(h.tokens.read) });
      contract.check('get', '/v1/lookups', ok.statusCode, ok.headers['content-type'] as string, ok.json());
      const over = await app.inject({ method: 'GET', url: '/v1/lookups', headers: bearer(h.tokens.read) });
      expect(over.statusCode).toBe(429);
      expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      contract.check('get', '/v1/lookups', 429, over.headers['content-type'] as string, over.json());
      expect(Object.keys(contract.doc.components.responses.TooManyRequests.headers)).toContain('Retry-After');
    } finally {
      await app.close();
      redis.disconnect();
    }
  });

  it('refuses, through the validator, a body with a field the document lacks (the check can fail)', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/v1/lookups', headers: bearer(h.tokens.submit), payload: { type: 'court.case', input: { court: 'oktyabrsky--ufa.sudrf.ru', number: '2-77/2026' } } });
    expect(res.statusCode).toBe(201);
    const body = res.json() as Obj;
    contract.check('post', '/v1/lookups', 201, res.headers['content-type'] as string, body);
    expect(() => contract.check('post', '/v1/lookups', 201, 'application/json', { ...body, lookup: { ...body.lookup, robot: 'r1' } })).toThrow(/additional properties/);
    const { evidenceCount: _gone, ...lookup } = body.lookup as Obj;
    expect(() => contract.check('post', '/v1/lookups', 201, 'application/json', { ...body, lookup })).toThrow(/evidenceCount/);
    expect(() => contract.check('post', '/v1/lookups', 418, 'application/json', body)).toThrow(/does not document status 418/);
  });
});
