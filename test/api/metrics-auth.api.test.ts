/**
 * `/metrics` (issue 13, item 1): needs the `ops` scope or METRICS_TOKEN, in every spelling of its
 * path; with METRICS_PORT it moves to its own listener (same auth, nothing else served there) and
 * the API port no longer serves it. Real servers on real ports, real HTTP.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsServer } from '../../api/ops/metrics.server.ts';
import { createApiServer } from '../../api/server.ts';
import { openApiHarness, type ApiHarness } from './api-harness.ts';
import { rawRequest } from './http-raw.ts';

const TOKEN = 'metrics-token-0123456789abcdef';
let h: ApiHarness;
let api: FastifyInstance;
let metrics: FastifyInstance;
let apiBase: string;
let metricsBase: string;
let opsKey: string;
let readKey: string;

beforeAll(async () => {
  h = await openApiHarness({ METRICS_TOKEN: TOKEN });
  opsKey = (await h.storage.apiKeys.create({ name: 'm-ops', scopes: ['ops'] })).token;
  readKey = h.tokens.read;
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  // The same deps with METRICS_PORT set: /metrics leaves the API port for its own listener.
  const config = { ...h.config, metrics: { ...h.config.metrics, port: 1 } };
  const deps = { storage: h.storage, queueFor: h.queueFor, config, pingRedis: async () => 'PONG' };
  api = await createApiServer(deps, { authCacheMs: 0 });
  await api.listen({ port: 0, host: '127.0.0.1' });
  metrics = await createMetricsServer(deps, { authCacheMs: 0 });
  await metrics.listen({ port: 0, host: '127.0.0.1' });
  apiBase = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
  metricsBase = `http://127.0.0.1:${(metrics.server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await metrics?.close();
  await api?.close();
  await h?.close();
});

// Spellings the router maps to /metrics; others (`/metrics;x`, `/METRICS`, `//metrics`) reach no route (404).
const SPELLINGS = ['/metrics', '/metrics/', '/%6detrics', '/%6Detrics/', '/metrics?x=1'];
const UNROUTED = ['/metrics;x', '/METRICS', '//metrics', '/metrics%2F'];

describe('/metrics', () => {
  it('on the API port: 401 without a key, 403 with a wrong scope or a wrong token, in every spelling; ops key or METRICS_TOKEN scrape', async () => {
    const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    for (const path of SPELLINGS) {
      expect((await rawRequest(base, 'GET', path)).status, path).toBe(401);
      expect((await rawRequest(base, 'GET', path, { headers: { 'x-api-key': readKey } })).status, path).toBe(403);
      expect((await rawRequest(base, 'GET', path, { headers: { authorization: `Bearer ${TOKEN}x` } })).status, path).toBe(401);
    }
    for (const path of UNROUTED) expect((await rawRequest(base, 'GET', path)).status, path).toBe(404);
    const byKey = await rawRequest(base, 'GET', '/metrics', { headers: { 'x-api-key': opsKey } });
    expect(byKey.status).toBe(200);
    expect(byKey.body).toContain('# TYPE');
    expect((await rawRequest(base, 'GET', '/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('with METRICS_PORT: served on its own port with the same auth, gone from the API port', async () => {
    for (const path of SPELLINGS) {
      expect((await rawRequest(metricsBase, 'GET', path)).status, path).toBe(401);
      expect((await rawRequest(metricsBase, 'GET', path, { headers: { 'x-api-key': readKey } })).status, path).toBe(403);
    }
    const scraped = await rawRequest(metricsBase, 'GET', '/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(scraped.status).toBe(200);
    expect(scraped.body).toContain('konveyer_');
    expect((await rawRequest(metricsBase, 'GET', '/metrics', { headers: { 'x-api-key': opsKey } })).status).toBe(200);
    for (const path of ['/ops/api/state', '/v1/lookups', '/healthz', '/docs/json']) expect((await rawRequest(metricsBase, 'GET', path, { headers: { 'x-api-key': opsKey } })).status, path).toBe(404);
    expect((await rawRequest(apiBase, 'GET', '/metrics', { headers: { 'x-api-key': opsKey } })).status).toBe(404);
    expect((await rawRequest(apiBase, 'GET', '/ops/api/state', { headers: { 'x-api-key': opsKey } })).status).toBe(200);
  });
});
