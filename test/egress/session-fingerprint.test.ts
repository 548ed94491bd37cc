/**
 * One fingerprint per egress session (issue 15 §1), as the site sees it: real forward proxies
 * (proxy-chain) in front of the real sandbox, which logs who sent each request (source address,
 * user agent, client hints, Accept-Language). Every HTTP request of a session, and every job that
 * session serves, arrives with one user agent; a session retired for rate limiting is followed on
 * that proxy by one the site tells apart (another user agent and client hints); and the session's browser (real Chromium) sends the same user agent and client
 * hints as its HTTP requests — one client per proxy, not two.
 */
import { execFileSync } from 'node:child_process';
import { lookup as dnsLookup } from 'node:dns';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.ts';
import { RobotBrowserPool } from '../../robots/runtime/browser-pool.ts';
import { EgressPool } from '../../robots/runtime/egress/egress-pool.ts';
import { chromiumVersion } from '../../robots/runtime/egress/fingerprints.ts';
import { HttpClient } from '../../robots/runtime/http-client.ts';
import { TargetRouter } from '../../robots/runtime/targets.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';
import type { SeenClient } from '../../sandbox/sandbox-state.ts';
import { startTestProxy, type TestProxy } from './test-proxy.ts';

let sandbox: RunningSandbox;
let host: string;
const proxies: TestProxy[] = [];
beforeAll(async () => {
  sandbox = await startSandbox();
  host = sandbox.world.courts[1]!.host;
}, 60_000);
afterAll(async () => {
  for (const p of proxies) await p.close().catch(() => undefined);
  await sandbox?.close();
});
beforeEach(() => sandbox.setFaults({}));

/** A proxy leaving from `egressAddress` whose DNS sends *.sudrf.ru to the sandbox (Chromium hands it the name). */
async function startProxy(egressAddress: string): Promise<TestProxy> {
  const lookup = ((hostname: string, options: unknown, cb: (...a: unknown[]) => void) => {
    if (!hostname.endsWith('.sudrf.ru')) return dnsLookup(hostname, options as never, cb as never);
    const all = (options as { all?: boolean })?.all;
    return all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4);
  }) as never;
  const proxy = await startTestProxy({ egressAddress, dnsLookup: lookup });
  proxies.push(proxy);
  return proxy;
}

/** What the sandbox saw of `host` from `source` since `from` (an index into its client log). */
const seenSince = (from: number, source: string): SeenClient[] => sandbox.clients().slice(from).filter((c) => c.host === host && c.source === source);

const url = () => `http://${host}:${sandbox.port}/`;

describe('HTTP sessions wear one fingerprint', () => {
  it('every request and every job of a proxy\'s session sends one user agent; after the session is retired (429s) the next has another', async () => {
    const proxy = await startProxy('127.0.0.21');
    const router = new TargetRouter({ hosts: ['*.sudrf.ru'], sandboxOrigin: sandbox.url });
    const egress = new EgressPool({ proxyUrls: [proxy.url], pools: {}, restSecs: 60, perProxyConcurrency: 4 });
    const client = new HttpClient({ router, timeoutMs: 5000, egress });
    try {
      const from = sandbox.clients().length;
      // Two jobs (two HTTP sessions) on the one proxy: one site session, one client.
      for (const session of [client.session(), client.session()]) {
        for (let i = 0; i < 3; i++) expect((await session.request(url())).status).toBe(200);
      }
      const first = seenSince(from, '127.0.0.21');
      expect(first).toHaveLength(6);
      expect(new Set(first.map((c) => c.userAgent)).size).toBe(1);
      expect(new Set(first.map((c) => c.secChUa)).size).toBe(1);
      expect(first[0]!.userAgent).toMatch(/^Mozilla\/5\.0 \(.+\) AppleWebKit\/537\.36 \(KHTML, like Gecko\) Chrome\/\d+\.0\.0\.0 Safari\/537\.36$/);
      expect(first[0]!.secChUa).toMatch(/"Chromium";v="\d+"/);
      for (const c of first) expect(c.acceptLanguage).toMatch(/^ru-RU,ru/);

      // The site rate-limits this client: three 429s and Crawlee retires the session.
      sandbox.setFaults({ host, rate429: 1, retryAfterSecs: 1 });
      const limited = client.session();
      for (let i = 0; i < 3; i++) expect(((await limited.request(url()).catch((e: unknown) => e)) as { code?: string }).code).toBe('rate_limited');
      sandbox.setFaults({});
      const afterRetire = sandbox.clients().length;
      const next = client.session();
      for (let i = 0; i < 2; i++) expect((await next.request(url())).status).toBe(200);
      const second = seenSince(afterRetire, '127.0.0.21');
      expect(second).toHaveLength(2);
      expect(new Set(second.map((c) => c.userAgent)).size).toBe(1);
      // A new session on the same proxy: another client, not the retired one back.
      expect(`${second[0]!.userAgent}|${second[0]!.secChUa}`).not.toBe(`${first[0]!.userAgent}|${first[0]!.secChUa}`);
      expect(second[0]!.acceptLanguage).toMatch(/^ru-RU,ru/);
    } finally {
      await client.close();
      await egress.close();
    }
  });

  it('two proxies are two sessions: each keeps its one user agent over the jobs it serves', async () => {
    const a = await startProxy('127.0.0.22');
    const b = await startProxy('127.0.0.23');
    const router = new TargetRouter({ hosts: ['*.sudrf.ru'], sandboxOrigin: sandbox.url });
    const egress = new EgressPool({ proxyUrls: [a.url, b.url], pools: {}, restSecs: 60, perProxyConcurrency: 4 });
    const client = new HttpClient({ router, timeoutMs: 5000, egress });
    try {
      const from = sandbox.clients().length;
      for (let i = 0; i < 8; i++) await client.session().request(url());
      const uaOf = (source: string) => new Set(seenSince(from, source).map((c) => c.userAgent + c.secChUa));
      expect(seenSince(from, '127.0.0.22').length + seenSince(from, '127.0.0.23').length).toBe(8);
      // Both served jobs (each proxy's session is made on its first one) and neither changed its headers.
      expect(uaOf('127.0.0.22').size).toBe(1);
      expect(uaOf('127.0.0.23').size).toBe(1);
    } finally {
      await client.close();
      await egress.close();
    }
  });
});

describe('a session\'s HTTP requests and its browser are one client', () => {
  it('the browser of a proxy\'s session sends the user agent, client hints and Accept-Language its HTTP requests send', async () => {
    const proxy = await startProxy('127.0.0.24');
    const executablePath = loadConfig({}).browser.executablePath ?? '/usr/bin/chromium';
    const major = /(\d+)\.\d+\.\d+\.\d+/.exec(execFileSync(executablePath, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))![1]!;
    const router = new TargetRouter({ hosts: ['*.sudrf.ru'], sandboxOrigin: sandbox.url });
    // As the robot process builds it: the sessions' fingerprints claim the Chromium that wears them.
    const egress = new EgressPool({ proxyUrls: [proxy.url], pools: {}, restSecs: 60, perProxyConcurrency: 4, browserVersion: () => chromiumVersion(executablePath) });
    const client = new HttpClient({ router, timeoutMs: 5000, egress });
    const browsers = new RobotBrowserPool({ executablePath, headless: true, maxPages: 1, retireBrowserAfterPages: 50, pageReuse: 10, egress, log: pino({ level: 'silent' }) });
    try {
      const from = sandbox.clients().length;
      expect((await client.session().request(url())).status).toBe(200);
      const seenByScript = await browsers.withPage(async (page) => {
        expect((await page.goto(url(), { timeout: 15_000 }))?.status()).toBe(200);
        return page.evaluate(() => navigator.userAgent);
      }, host);
      expect((await client.session().request(url())).status).toBe(200);
      const seen = seenSince(from, '127.0.0.24');
      const documents = seen.filter((c) => c.path === '/');
      expect(documents).toHaveLength(3);
      const [http1, browser, http2] = documents;
      expect(browser!.userAgent).toBe(http1!.userAgent);
      expect(browser!.secChUa).toBe(http1!.secChUa);
      expect(browser!.secChUaPlatform).toBe(http1!.secChUaPlatform);
      expect(http2!.userAgent).toBe(http1!.userAgent);
      // What the page's scripts read is what the site received.
      expect(seenByScript).toBe(http1!.userAgent);
      expect(http1!.userAgent).toContain(`Chrome/${major}.0.0.0`);
      expect(http1!.secChUa).toContain(`"Chromium";v="${major}"`);
      for (const c of documents) expect(c.acceptLanguage).toMatch(/^ru-RU,ru/);
    } finally {
      await browsers.close();
      await client.close();
      await egress.close();
    }
  }, 120_000);
});
