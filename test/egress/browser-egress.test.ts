/**
 * The browser pool's traffic through real forward proxies (proxy-chain) in front of the real
 * sandbox and real Chromium: the page is fetched through the configured proxy (the proxy counts it,
 * the sandbox sees it arrive from the proxy's egress address), and a proxy that refuses (407) is
 * retired and the next job goes through another. In sandbox mode the proxy resolves the target
 * names to the sandbox (its own DNS, as a proxy host's hosts file would), because Chromium hands
 * the target name to its proxy and never resolves it itself.
 */
import { lookup as dnsLookup } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { loadConfig } from '../../config/index.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';
import { EgressPool } from '../../robots/runtime/egress/egress-pool.ts';
import { RobotBrowserPool } from '../../robots/runtime/browser-pool.ts';
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

function browserPoolWith(proxyUrls: string[]): { browsers: RobotBrowserPool; egress: EgressPool } {
  const egress = new EgressPool({ proxyUrls, pools: {}, restSecs: 60, perProxyConcurrency: 4 });
  const browsers = new RobotBrowserPool({
    executablePath: loadConfig({}).browser.executablePath,
    headless: true,
    maxPages: 1,
    retireBrowserAfterPages: 50,
    pageReuse: 10,
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
