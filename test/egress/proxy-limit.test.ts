/**
 * The per-proxy limit holds across the farm: two robot processes — here two egress pools, each with
 * its own Politeness on its own Redis connection, as two processes have — send requests through one
 * real forward proxy (proxy-chain) to a slow origin, and the origin, counting what arrives from the
 * proxy's egress address, never has more than PROXY_CONCURRENCY of them in flight at once, nor more
 * starts than PROXY_RPS allows. The Redis keys name the proxy by a hash, never by its credentials.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.ts';
import { EgressPool } from '../../robots/runtime/egress/egress-pool.ts';
import { HttpClient } from '../../robots/runtime/http-client.ts';
import { TargetRouter } from '../../robots/runtime/targets.ts';
import { Politeness } from '../../runtime/politeness.ts';
import { testPrefix, testRedis } from '../helpers/services.ts';
import { startTestProxy, type TestProxy } from './test-proxy.ts';

/** An origin that holds each request `delayMs` and records, per source address, in flight and start times. */
function startOrigin(delayMs: number) {
  const stats = { inFlight: 0, maxInFlight: 0, starts: [] as number[], sources: new Set<string>() };
  const server: Server = createServer((req, res) => {
    stats.sources.add(req.socket.remoteAddress ?? '');
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    stats.starts.push(Date.now());
    setTimeout(() => {
      stats.inFlight -= 1;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html><body>Районный суд</body></html>');
    }, delayMs);
  });
  return new Promise<{ url: string; port: number; stats: typeof stats; close: () => Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({ url: `http://127.0.0.1:${port}`, port, stats, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

const redises: Redis[] = [];
let proxy: TestProxy;
beforeAll(async () => {
  proxy = await startTestProxy({ egressAddress: '127.0.0.11' });
});
afterAll(async () => {
  await proxy?.close();
  for (const r of redises) r.disconnect();
});

/** One robot process's egress: its own Redis connection, Politeness with the proxy limit, pool and HTTP client. */
function robotProcess(prefix: string, origin: string, limit: { rps: number; concurrency: number }) {
  const redis = testRedis();
  redises.push(redis);
  const politeness = new Politeness({ redis, prefix, defaultLimit: { rps: 1000, concurrency: 100 }, proxyLimit: limit });
  // perProxyConcurrency is the process's own fallback; with the farm limiter it is not what holds.
  const egress = new EgressPool({ proxyUrls: [proxy.url], pools: {}, restSecs: 60, perProxyConcurrency: 100, limiter: politeness });
  const router = new TargetRouter({ hosts: ['*.sudrf.ru'], sandboxOrigin: origin });
  return { redis, egress, client: new HttpClient({ router, timeoutMs: 10_000, egress }) };
}

describe('per-proxy limit across the farm (Redis)', () => {
  it('two processes together never have more than PROXY_CONCURRENCY requests in flight through one proxy', async () => {
    const origin = await startOrigin(150);
    const prefix = testPrefix('proxy-conc');
    const a = robotProcess(prefix, origin.url, { rps: 1000, concurrency: 2 });
    const b = robotProcess(prefix, origin.url, { rps: 1000, concurrency: 2 });
    try {
      const url = (i: number) => `http://a${i}.sudrf.ru:${origin.port}/`;
      const results = await Promise.all([
        ...Array.from({ length: 6 }, (_, i) => a.client.session().request(url(i))),
        ...Array.from({ length: 6 }, (_, i) => b.client.session().request(url(i + 6))),
      ]);
      expect(results.every((r) => r.status === 200)).toBe(true);
      // Every request came through the proxy, and all twelve reached the origin.
      expect([...origin.stats.sources]).toEqual(['127.0.0.11']);
      expect(origin.stats.starts.length).toBe(12);
      // Per process the limit would allow 2 + 2 = 4; across the farm it is 2, and it is used.
      expect(origin.stats.maxInFlight).toBe(2);
      expect(a.egress.requestsByProxy.get(proxy.url)).toBe(6);
      expect(b.egress.requestsByProxy.get(proxy.url)).toBe(6);
      // The proxy is named by a hash in Redis: no key carries its URL or its credentials.
      const keys = await a.redis.keys(`${prefix}:*`);
      expect(keys.some((k) => k.includes(':polite:proxy:{p_'))).toBe(true);
      expect(keys.filter((k) => k.includes('user') || k.includes('pass') || k.includes(String(new URL(proxy.url).port)))).toEqual([]);
    } finally {
      for (const p of [a, b]) {
        await p.client.close();
        await p.egress.close();
      }
      await origin.close();
    }
  }, 60_000);

  it('two processes together start no more than PROXY_RPS requests a second through one proxy', async () => {
    const origin = await startOrigin(5);
    const prefix = testPrefix('proxy-rps');
    const a = robotProcess(prefix, origin.url, { rps: 5, concurrency: 10 });
    const b = robotProcess(prefix, origin.url, { rps: 5, concurrency: 10 });
    try {
      const url = (i: number) => `http://r${i}.sudrf.ru:${origin.port}/`;
      await Promise.all([
        ...Array.from({ length: 3 }, (_, i) => a.client.session().request(url(i))),
        ...Array.from({ length: 3 }, (_, i) => b.client.session().request(url(i + 3))),
      ]);
      const starts = origin.stats.starts.sort((x, y) => x - y);
      expect(starts.length).toBe(6);
      // 5 a second = one start each 200 ms: six starts span at least 5 × 200 ms (a little slack for clocks).
      expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(900);
      for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(150);
    } finally {
      for (const p of [a, b]) {
        await p.client.close();
        await p.egress.close();
      }
      await origin.close();
    }
  }, 60_000);

  it('stops at start-up naming PROXY_RPS or PROXY_CONCURRENCY when it is not a positive number', () => {
    expect(() => loadConfig({ PROXY_RPS: '0' } as never)).toThrow(/PROXY_RPS/);
    expect(() => loadConfig({ PROXY_RPS: 'fast' } as never)).toThrow(/PROXY_RPS/);
    expect(() => loadConfig({ PROXY_CONCURRENCY: '0' } as never)).toThrow(/PROXY_CONCURRENCY/);
    const ok = loadConfig({ PROXY_RPS: '2.5', PROXY_CONCURRENCY: '3' } as never);
    expect(ok.egress.perProxyRps).toBe(2.5);
    expect(ok.egress.perProxyConcurrency).toBe(3);
  });
});
