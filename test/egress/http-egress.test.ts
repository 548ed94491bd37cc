/**
 * Egress through real forward proxies (proxy-chain, which Crawlee itself uses) in front of the real
 * sandbox: the HTTP client's traffic goes through the configured proxies, a proxy that answers 407
 * is retired and the request succeeds through another, a host that refuses one proxy's egress
 * address (the sandbox's geo-block fault, keyed on the source address) is recognised as blocked,
 * and with every proxy dead the answer is `no_egress` (retryable), never not found.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.ts';
import { errorKindOf } from '../../core/errors.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';
import { EgressPool } from '../../robots/runtime/egress/egress-pool.ts';
import { HttpClient } from '../../robots/runtime/http-client.ts';
import { TargetRouter } from '../../robots/runtime/targets.ts';
import { startTestProxy, type TestProxy } from './test-proxy.ts';

const startProxy = (egressAddress: string, refuse = false): Promise<TestProxy> => startTestProxy({ egressAddress, refuse });

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
beforeEach(() => sandbox.setFaults({}));

function clientWith(proxyUrls: string[], pools: Record<string, string[]> = {}): { client: HttpClient; egress: EgressPool } {
  const router = new TargetRouter({ hosts: ['*.sudrf.ru', 'is.fssp.gov.ru'], sandboxOrigin: sandbox.url });
  const egress = new EgressPool({ proxyUrls, pools, restSecs: 60, perProxyConcurrency: 4 });
  return { client: new HttpClient({ router, timeoutMs: 5000, egress }), egress };
}

describe('HTTP egress through proxies', () => {
  it('sends every request through the configured proxy, with the target Host kept and Russian fingerprint headers', async () => {
    const proxy = await startProxy('127.0.0.2');
    proxies.push(proxy);
    const { client, egress } = clientWith([proxy.url]);
    const session = client.session();
    const res = await session.request(`http://${host}:${sandbox.port}/`);
    await session.request(`http://${host}:${sandbox.port}/`);
    expect(res.status).toBe(200);
    // The sandbox routed by Host: the court's own page came back.
    expect(res.body.length).toBeGreaterThan(200);
    expect(proxy.seen.length).toBeGreaterThanOrEqual(1);
    expect(egress.requestsByProxy.get(proxy.url)).toBe(2);
    expect(sandbox.stats()[host]?.requests).toBeGreaterThanOrEqual(2);
    await client.close();
    await egress.close();
  });

  it('retires a proxy that answers 407 and succeeds through the next one', async () => {
    const refusing = await startProxy('127.0.0.3', true);
    const good = await startProxy('127.0.0.4');
    proxies.push(refusing, good);
    const { client, egress } = clientWith([refusing.url, good.url]);
    for (let i = 0; i < 3; i++) {
      const res = await client.session().request(`http://${host}:${sandbox.port}/`);
      expect(res.status).toBe(200);
    }
    expect(refusing.seen.length).toBe(1);
    expect(egress.isResting(refusing.url)).toBe(true);
    expect(egress.requestsByProxy.get(good.url)).toBe(3);
    await client.close();
    await egress.close();
  });

  it('a host that geo-blocks one egress address is blocked through it (not not-found) and reached through another', async () => {
    const blockedEgress = await startProxy('127.0.0.5');
    const other = await startProxy('127.0.0.6');
    proxies.push(blockedEgress, other);
    sandbox.setFaults({ host, geoBlockAddresses: ['127.0.0.5'] });
    // Only the geo-blocked proxy: the lookup is blocked (retryable), not failed as not found.
    const only = clientWith([blockedEgress.url]);
    const err = await only.client.session().request(`http://${host}:${sandbox.port}/`).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('blocked');
    expect(errorKindOf(err)).toBe('retryable');
    await only.client.close();
    await only.egress.close();
    // With another proxy in the pool the same request goes through.
    const both = clientWith([blockedEgress.url, other.url]);
    const res = await both.client.session().request(`http://${host}:${sandbox.port}/`);
    expect(res.status).toBe(200);
    expect(both.egress.requestsByProxy.get(other.url)).toBeGreaterThanOrEqual(1);
    await both.client.close();
    await both.egress.close();
  });

  it('with every proxy dead the request waits with no_egress (retryable), and pools pick proxies by host group', async () => {
    const dead = ['http://127.0.0.1:9', 'http://127.0.0.1:10'];
    const good = await startProxy('127.0.0.7');
    proxies.push(good);
    const { client, egress } = clientWith([good.url], { '*.sudrf.ru': dead });
    const err = await client.session().request(`http://${host}:${sandbox.port}/`).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('no_egress');
    const again = await client.session().request(`http://${host}:${sandbox.port}/`).catch((e: unknown) => e);
    expect((again as { code?: string }).code).toBe('no_egress');
    expect(errorKindOf(again)).toBe('retryable');
    expect(good.seen.length).toBe(0);
    await client.close();
    await egress.close();
  });
});

describe('egress configuration', () => {
  it('stops at start-up naming the variable of a proxy URL that does not parse', () => {
    expect(() => loadConfig({ PROXY_URLS: 'http://ok:1@127.0.0.1:8000,not a url' } as never)).toThrow(/PROXY_URLS/);
    expect(() => loadConfig({ PROXY_POOLS: '{"*.sudrf.ru":["ftp//x"]}' } as never)).toThrow(/PROXY_POOLS/);
    expect(() => loadConfig({ PROXY_POOLS: 'not json' } as never)).toThrow(/PROXY_POOLS/);
    const ok = loadConfig({ PROXY_URLS: 'http://u:p@10.0.0.1:3128', PROXY_POOLS: '{"*.sudrf.ru":["http://u:p@10.0.0.2:3128"]}' } as never);
    expect(ok.egress.proxyUrls).toEqual(['http://u:p@10.0.0.1:3128']);
    expect(ok.egress.pools['*.sudrf.ru']).toEqual(['http://u:p@10.0.0.2:3128']);
  });
});
