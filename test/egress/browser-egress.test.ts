/**
 * The browser pool's traffic through real forward proxies (proxy-chain) in front of the real
 * sandbox and real Chromium: the page is fetched through the configured proxy (the proxy counts it,
 * the sandbox sees it arrive from the proxy's egress address), and a proxy that refuses (407) is
 * retired and the next job goes through another. In sandbox mode the proxy resolves the target
 * names to the sandbox (its own DNS, as a proxy host's hosts file would), because Chromium hands
 * the target name to its proxy and never resolves it itself.
 */
import { execFileSync } from 'node:child_process';
import { lookup as dnsLookup } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { loadConfig } from '../../config/index.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';
import { chromium } from 'playwright';
import { EgressPool } from '../../robots/runtime/egress/egress-pool.ts';
import { chromiumVersion } from '../../robots/runtime/egress/fingerprints.ts';
import { RobotBrowserPool } from '../../robots/runtime/browser-pool.ts';
import { LeasedBrowsers } from '../../robots/pool/leased-browsers.ts';
import { TargetRouter } from '../../robots/runtime/targets.ts';
import { startTestProxy, type TestProxy } from './test-proxy.ts';

/** A proxy whose DNS sends *.sudrf.ru to the sandbox; `refuse` answers 407 to everyone. */
async function startProxy(egressAddress: string, refuse = false): Promise<TestProxy> {
  const lookup = ((hostname: string, options: unknown, cb: (...a: unknown[]) => void) => {
    if (!hostname.endsWith('.sudrf.ru')) return dnsLookup(hostname, options as never, cb as never);
    const all = (options as { all?: boolean })?.all;
    return all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4);
  }) as never;
  return startTestProxy({ egressAddress, refuse, dnsLookup: lookup });
}

let sandbox: RunningSandbox;
let host: string;
const proxies: TestProxy[] = [];
beforeAll(async () => {
  sandbox = await startSandbox();
  host = sandbox.world.courts[0]!.host;
}, 60_000);
afterAll(async () => {
  for (const p of proxies) await p.close().catch(() => undefined);
  await sandbox?.close();
});

function browserPoolWith(proxyUrls: string[], reuse = { retireBrowserAfterPages: 50, pageReuse: 10 }): { browsers: RobotBrowserPool; egress: EgressPool } {
  const executablePath = loadConfig({}).browser.executablePath;
  // As the robot process builds it (robot-services.build.ts): sessions claim the Chromium that wears them.
  const egress = new EgressPool({ proxyUrls, pools: {}, restSecs: 60, perProxyConcurrency: 4, browserVersion: () => chromiumVersion(executablePath ?? chromium.executablePath()) });
  const browsers = new RobotBrowserPool({
    executablePath,
    headless: true,
    maxPages: 1,
    ...reuse,
    egress,
    log: pino({ level: 'silent' }),
  });
  return { browsers, egress };
}

describe('browser egress through proxies', () => {
  it('fetches pages through the configured proxy; a 407 proxy is retired and the next job goes through another', async () => {
    const refusing = await startProxy('127.0.0.8', true);
    const good = await startProxy('127.0.0.9');
    proxies.push(refusing, good);
    // Only the good egress address is let in: a page that arrives directly is refused.
    sandbox.setFaults({ host, geoBlockAddresses: ['127.0.0.1'] });
    const { browsers, egress } = browserPoolWith([refusing.url, good.url]);
    try {
      const statuses: Array<number | string> = [];
      for (let i = 0; i < 3; i++) {
        const status = await browsers
          .withPage(async (page) => {
            const res = await page.goto(`http://${host}:${sandbox.port}/`, { timeout: 15_000 });
            if (res && res.status() === 407) throw new Error(`proxy answered 407 for ${host}`);
            return res?.status() ?? 0;
          }, host)
          .catch((e: unknown) => `error: ${(e as Error).message.split('\n')[0]}`);
        statuses.push(status);
      }
      // The 407 proxy fails at most its one job, then rests; the rest go through the good proxy.
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(2);
      expect(statuses.at(-1)).toBe(200);
      expect(good.seen.some((h) => h === host)).toBe(true);
      expect(egress.isResting(refusing.url) || refusing.seen.length === 0).toBe(true);
      expect(egress.requestsByProxy.get(good.url)).toBeGreaterThanOrEqual(2);
    } finally {
      sandbox.setFaults({});
      await browsers.close();
      await egress.close();
    }
  }, 120_000);
});

describe('browser fingerprints of egress sessions', () => {
  it('a job sends its session\'s fingerprint (user agent of the real Chromium, ru Accept-Language): the same for every job of the session, another for another session', async () => {
    const a = await startProxy('127.0.0.12');
    const b = await startProxy('127.0.0.13');
    proxies.push(a, b);
    // The Chromium version, as the binary itself states it: the user agent must claim this major.
    const executablePath = loadConfig({}).browser.executablePath ?? '/usr/bin/chromium';
    const major = /(\d+)\.\d+\.\d+\.\d+/.exec(execFileSync(executablePath, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))![1]!;
    // Pages replaced after 2 jobs, browsers after 3: the fingerprint outlives both (it is the session's).
    const { browsers, egress } = browserPoolWith([a.url, b.url], { retireBrowserAfterPages: 3, pageReuse: 2 });
    const jobs: Array<{ proxy: 'a' | 'b'; ua: string; headerUa: string; acceptLanguage: string; page: string }> = [];
    try {
      for (let i = 0; i < 8; i++) {
        const before = { a: a.headers.length, b: b.headers.length };
        const seen = await browsers.withPage(async (page) => {
          const res = await page.goto(`http://${host}:${sandbox.port}/`, { timeout: 15_000 });
          expect(res?.status()).toBe(200);
          return page.evaluate(() => ({
            ua: navigator.userAgent,
            language: navigator.language,
            languages: [...navigator.languages],
            screen: `${screen.width}x${screen.height}`,
            cores: navigator.hardwareConcurrency,
            memory: (navigator as unknown as { deviceMemory?: number }).deviceMemory,
            intl: Intl.DateTimeFormat().resolvedOptions().locale,
          }));
        }, host);
        // The job's proxy is the one that carried its document: any request counts would also take a
        // late request of the other proxy's browser (a favicon after its page was reused) for this job.
        const docA = a.headers.slice(before.a).find((h) => h.host === host);
        const docB = b.headers.slice(before.b).find((h) => h.host === host);
        expect(Boolean(docA) !== Boolean(docB), 'exactly one proxy carried the document').toBe(true);
        const via = docA ? 'a' : 'b';
        const document = (docA ?? docB)!;
        expect(seen.language).toBe('ru-RU');
        expect(seen.languages[0]).toBe('ru-RU');
        expect(seen.intl).toMatch(/^ru/);
        jobs.push({ proxy: via, ua: seen.ua, headerUa: document.userAgent, acceptLanguage: document.acceptLanguage, page: JSON.stringify(seen) });
      }
      for (const j of jobs) {
        // What the site receives is what the page's scripts see: one fingerprint, not two.
        expect(j.headerUa).toBe(j.ua);
        expect(j.ua).toMatch(new RegExp(`^Mozilla/5\\.0 \\((Windows NT 10\\.0; Win64; x64|X11; Linux x86_64)\\) AppleWebKit/537\\.36 \\(KHTML, like Gecko\\) Chrome/${major}\\.0\\.0\\.0 Safari/537\\.36$`));
        expect(j.ua).not.toMatch(/HeadlessChrome/);
        expect(j.acceptLanguage).toMatch(/^ru-RU,ru/);
      }
      const byProxy = (p: 'a' | 'b') => new Set(jobs.filter((j) => j.proxy === p).map((j) => j.page));
      // Both sessions served jobs; each kept one fingerprint across page and browser replacements.
      expect(byProxy('a').size).toBe(1);
      expect(byProxy('b').size).toBe(1);
      expect([...byProxy('a')][0]).not.toBe([...byProxy('b')][0]);
      expect(browsers.browsersRetired).toBeGreaterThanOrEqual(1);
    } finally {
      await browsers.close();
      await egress.close();
    }
  }, 180_000);
});

describe('browser jobs pick the proxy pool of their host', () => {
  it('the robot process\'s browsers (LeasedBrowsers) pass the job\'s host through: a sudrf host goes through the sudrf pool, no host through the default pool', async () => {
    const sudrfProxy = await startProxy('127.0.0.14');
    const defaultProxy = await startProxy('127.0.0.15');
    proxies.push(sudrfProxy, defaultProxy);
    const config = loadConfig({});
    const egress = new EgressPool({ proxyUrls: [defaultProxy.url], pools: { '*.sudrf.ru': [sudrfProxy.url] }, restSecs: 60, perProxyConcurrency: 4 });
    const leased = new LeasedBrowsers({ config, router: new TargetRouter({ hosts: ['*.sudrf.ru'] }), egress, log: pino({ level: 'silent' }) });
    const open = (page: import('playwright').Page) => page.goto(`http://${host}:${sandbox.port}/`, { timeout: 15_000 }).then((r) => r?.status());
    try {
      expect(await leased.pool().withPage(open, host)).toBe(200);
      expect(sudrfProxy.seen).toContain(host);
      expect(defaultProxy.seen).toEqual([]);
      expect(await leased.pool().withPage(open)).toBe(200);
      expect(defaultProxy.seen).toContain(host);
    } finally {
      await leased.close(10_000);
      await egress.close();
    }
  }, 120_000);
});
