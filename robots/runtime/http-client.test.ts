import http from 'node:http';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlockedError, ForbiddenTargetError, RateLimitedError, ServerError, TimeoutError } from '../../core/errors.ts';
import { HttpClient, parseRetryAfter } from './http-client.ts';
import { TargetRouter } from './targets.ts';

let server: http.Server;
let client: HttpClient;
let port: number;
const seen: Array<{ host?: string; cookie?: string }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ host: req.headers.host, cookie: req.headers.cookie });
    const url = new URL(req.url ?? '/', 'http://x');
    switch (url.pathname) {
      case '/login':
        res.writeHead(302, { location: '/home', 'set-cookie': 'PHPSESSID=abc123; Path=/' });
        return res.end();
      case '/home':
        res.writeHead(200, { 'content-type': 'text/html; charset=windows-1251' });
        return res.end(iconv.encode('<p>Дело № 2-1/2025</p>', 'win1251'));
      case '/busy':
        res.writeHead(429, { 'retry-after': '7' });
        return res.end();
      case '/down':
        res.writeHead(502);
        return res.end();
      case '/forbidden':
        res.writeHead(403);
        return res.end();
      case '/slow':
        return setTimeout(() => res.end('late'), 1500);
      case '/escape':
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' });
        return res.end();
      default:
        res.writeHead(404);
        return res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  const router = new TargetRouter({ hosts: ['*.sudrf.ru'], sandboxOrigin: `http://127.0.0.1:${port}` });
  client = new HttpClient({ router, timeoutMs: 5000 });
});

afterAll(async () => {
  await client.close();
  server.close();
});

const url = (path: string) => `http://court--spb.sudrf.ru:${port}${path}`;

describe('HttpClient', () => {
  it('reaches a target host through the sandbox, keeps its name in Host, follows redirects with cookies', async () => {
    const session = client.session();
    const res = await session.request(url('/login'));
    expect(res.status).toBe(200);
    expect(res.url).toBe(url('/home'));
    expect(iconv.decode(res.body, 'win1251')).toContain('Дело № 2-1/2025');
    expect(res.contentType).toContain('windows-1251');
    expect(seen.at(-1)).toEqual({ host: `court--spb.sudrf.ru:${port}`, cookie: 'PHPSESSID=abc123' });
    // A new session starts without cookies.
    await client.session().request(url('/home'));
    expect(seen.at(-1)?.cookie).toBeUndefined();
  });

  it('turns HTTP failures into typed errors', async () => {
    const s = client.session();
    const busy = await s.request(url('/busy')).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(RateLimitedError);
    expect((busy as RateLimitedError).retryAfterMs).toBe(7000);
    await expect(s.request(url('/down'))).rejects.toBeInstanceOf(ServerError);
    await expect(s.request(url('/forbidden'))).rejects.toBeInstanceOf(BlockedError);
    await expect(s.request(url('/slow'), { timeoutMs: 300 })).rejects.toBeInstanceOf(TimeoutError);
  });

  it('refuses hosts outside the targets, also when a redirect points there', async () => {
    await expect(client.session().request(`http://127.0.0.1:${port}/home`)).rejects.toBeInstanceOf(ForbiddenTargetError);
    const before = seen.length;
    await expect(client.session().request(url('/escape'))).rejects.toBeInstanceOf(ForbiddenTargetError);
    expect(seen.length).toBe(before + 1);
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeNull();
  });
});
