/**
 * A robot's or OCR worker's own `/metrics` (ROBOT_METRICS_PORT) follows the API's rule (issue 13):
 * with METRICS_TOKEN it needs that bearer token, without one it listens on loopback only.
 */
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type http from 'node:http';
import { serveRoleMetrics } from '../../runtime/role-metrics.server.ts';

const TOKEN = 'scrape-token-of-at-least-24-chars';
let server: http.Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

const get = (port: number, host = '127.0.0.1', headers: Record<string, string> = {}) =>
  fetch(`http://${host}:${port}/metrics`, { headers }).then(async (r) => ({ status: r.status, body: await r.text() }));

describe('role /metrics', () => {
  it('with a token: 401 without it or with another, the registry with it; other paths 404', async () => {
    const started = await serveRoleMetrics({ port: 0, host: '127.0.0.1', token: TOKEN });
    server = started.server;
    const { port } = started.address;
    expect((await get(port)).status).toBe(401);
    expect((await get(port, '127.0.0.1', { authorization: 'Bearer not-the-token-but-as-long-as-it' })).status).toBe(401);
    const ok = await get(port, '127.0.0.1', { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('process_cpu_user_seconds_total');
    expect((await fetch(`http://127.0.0.1:${port}/%6detrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });

  it('without a token: bound to loopback only, whatever METRICS_HOST says', async () => {
    const started = await serveRoleMetrics({ port: 0, host: '0.0.0.0' });
    server = started.server;
    expect(started.address.address).toBe('127.0.0.1');
    expect((await get(started.address.port)).status).toBe(200);
    const outside = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal);
    if (outside) await expect(get(started.address.port, outside.address)).rejects.toThrow();
  });
});
