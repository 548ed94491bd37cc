/**
 * `/metrics` of a robot or OCR process (ROBOT_METRICS_PORT): this process's Prometheus registry.
 * The same rule as the API's `/metrics` (issue 13): with `METRICS_TOKEN` set, a scrape must send
 * `Authorization: Bearer <token>` (else 401) and the listener binds `METRICS_HOST`; without a token
 * it binds loopback only, so nobody off the machine reads it unauthenticated.
 */
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { enableProcessMetrics, metricsRegistry } from '../core/metrics.ts';

export interface RoleMetricsOptions {
  /** TCP port; 0 picks a free one (tests). */
  port: number;
  /** Address to bind when a token is set (METRICS_HOST); without a token always 127.0.0.1. */
  host: string;
  /** METRICS_TOKEN: the bearer token a scrape must present. */
  token?: string;
}

/** True when the request carries `Authorization: Bearer <token>` (compared in constant time). */
function hasToken(req: http.IncomingMessage, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''));
  if (!m) return false;
  const given = Buffer.from(m[1]!);
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** Starts the listener; resolves with it and the address it bound. The caller closes it. */
export async function serveRoleMetrics(options: RoleMetricsOptions): Promise<{ server: http.Server; address: AddressInfo }> {
  enableProcessMetrics();
  const host = options.token ? options.host : '127.0.0.1';
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    if (options.token && !hasToken(req, options.token)) {
      res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
      return;
    }
    metricsRegistry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  return { server, address: server.address() as AddressInfo };
}
