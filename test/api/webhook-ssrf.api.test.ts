/**
 * Issue 13 item 2: webhooks that cannot reach inside. A table of the refused ranges (IPv4, IPv6,
 * embedded forms), this machine's own interface addresses refused at registration and at delivery,
 * the connection pinned to the checked address, redirects not followed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { createRedis } from '../../queues/redis.ts';
import { blockedRangeOf, resolveWebhookTarget } from '../../queues/webhook-target.ts';
import { startWebhookWorker } from '../../queues/webhook.worker.ts';
import { pinnedAgent } from '../../queues/webhook.worker.ts';
import { createWebhookNotifier, webhookQueue } from '../../queues/webhook.queue.ts';
import { serviceUrls } from '../helpers/services.ts';
import { bearer, openApiHarness, type ApiHarness } from './api-harness.ts';

/** [address, words the refusal must contain] — ranges from the IANA special-purpose registries. */
const REFUSED: Array<[string, string]> = [
  ['0.0.0.0', 'this network'],
  ['10.1.2.3', 'private'],
  ['172.20.0.1', 'private'],
  ['192.168.1.1', 'private'],
  ['100.64.0.1', 'carrier-grade NAT'],
  ['100.127.255.254', 'carrier-grade NAT'],
  ['127.0.0.1', 'loopback'],
  ['127.255.0.9', 'loopback'],
  ['169.254.169.254', 'link-local'],
  ['192.0.0.8', 'IETF protocol assignments'],
  ['192.0.2.1', 'documentation'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.9', 'documentation'],
  ['198.18.0.1', 'benchmarking'],
  ['198.19.255.255', 'benchmarking'],
  ['192.88.99.1', 'reserved'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'reserved'],
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['::ffff:127.0.0.1', 'IPv4-mapped form of 127.0.0.1, loopback'],
  ['::ffff:7f00:1', 'IPv4-mapped form of 127.0.0.1, loopback'],
  ['::ffff:a00:1', 'IPv4-mapped form of 10.0.0.1, private'],
  ['::ffff:192.0.2.1', 'IPv4-mapped form of 192.0.2.1, documentation'],
  ['::127.0.0.1', 'IPv4-compatible'],
  ['::7f00:1', 'IPv4-compatible'],
  ['::ffff:0:7f00:1', 'IPv4-compatible and -translated'],
  ['64:ff9b::7f00:1', 'NAT64 form of 127.0.0.1, loopback'],
  ['64:ff9b::10.0.0.1', 'NAT64 form of 10.0.0.1, private'],
  ['64:ff9b:1::1', 'local-use NAT64'],
  ['100::1', 'reserved'],
  ['fc00::1', 'unique local'],
  ['fd12:3456::1', 'unique local'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['fec0::1', 'site-local'],
  ['ff02::1', 'multicast'],
  ['2001:db8::1', 'documentation'],
  ['2001:2::1', 'benchmarking'],
  ['2001:10::1', 'ORCHID'],
  ['3fff::1', 'documentation'],
  ['2002:7f00:1::1', '6to4 form of 127.0.0.1, loopback'],
  ['2002:c0a8:101::1', '6to4 form of 192.168.1.1, private'],
  ['2001:0:a00:1::1', 'Teredo server of 10.0.0.1, private'],
  // Teredo client 127.0.0.1, stored inverted (~7f000001 = 80fffffe); server 8.8.8.8.
  ['2001:0:808:808:0:0:80ff:fffe', 'Teredo client of 127.0.0.1, loopback'],
];
const PUBLIC = ['8.8.8.8', '1.1.1.1', '93.184.215.14', '2606:4700:4700::1111', '2a00:1450:4010:c0e::64', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1', '2001:0:808:808::f7f7:f7f7'];

/** Addresses of this machine's interfaces other than loopback (192.0.2.2 and fd00::2 in the sandbox). */
const ownAddresses = Object.values(networkInterfaces()).flatMap((l) => l ?? []).filter((a) => !a.internal).map((a) => a.address);
const ownV4 = ownAddresses.find((a) => !a.includes(':'));

describe('the refused ranges', () => {
  it.each(REFUSED)('%s is refused (%s)', (address, words) => {
    expect(blockedRangeOf(address, new Set())).toContain(words);
  });
  it.each(PUBLIC)('%s is public', (address) => {
    expect(blockedRangeOf(address, new Set())).toBeNull();
  });
  it('refuses every address of this machine\'s own interfaces as such', () => {
    expect(ownAddresses.length).toBeGreaterThan(0);
    for (const a of ownAddresses) expect(blockedRangeOf(a), a).toMatch(/(^|, )an address of this machine$/);
  });
  it('refuses a host name resolving to a refused address, and a malformed one, before any connection', async () => {
    const resolve = async () => [{ address: '93.184.215.14', family: 4 }, { address: '10.0.0.7', family: 4 }];
    const res = await resolveWebhookTarget('https://mixed.example/hook', { allowPrivate: false, resolve });
    expect(res).toEqual({ refused: expect.stringContaining('mixed.example resolves to 10.0.0.7: private (RFC 1918); refused') });
    expect(await resolveWebhookTarget(`https://${'a'.repeat(64)}.example/`, { allowPrivate: false, resolve })).toEqual({ refused: expect.stringMatching(/at most 63/) });
    // WHATWG URL forms of loopback: decimal, hex, mapped hex.
    for (const url of ['http://2130706433/', 'http://0x7f.1/', 'http://[::ffff:127.0.0.1]/', 'http://[0:0:0:0:0:ffff:7f00:1]/']) {
      expect(await resolveWebhookTarget(url, { allowPrivate: false }), url).toEqual({ refused: expect.stringContaining('loopback') });
    }
  });
});

let h: ApiHarness;
const servers: Server[] = [];
const conns = [createRedis(serviceUrls().redisUrl), createRedis(serviceUrls().redisUrl)];
beforeAll(async () => {
  h = await openApiHarness({ WEBHOOK_ALLOW_PRIVATE: 'false' });
});
afterAll(async () => {
  for (const s of servers) s.close();
  for (const c of conns) c.disconnect();
  await h?.close();
});

/** A receiver on every interface that counts what reaches it; `redirectTo` answers 302 there. */
async function receiver(redirectTo?: string): Promise<{ port: number; got: string[] }> {
  const got: string[] = [];
  const server = createServer((req, res) => {
    got.push(`${req.method} ${req.url} host=${req.headers.host}`);
    req.resume();
    if (redirectTo) res.writeHead(302, { location: redirectTo });
    else res.statusCode = 204;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
  servers.push(server);
  return { port: (server.address() as AddressInfo).port, got };
}

describe('a webhook to this machine', () => {
  it('is refused at registration: http://<own interface address>:<api port>/%6fps/actions/drain', async () => {
    expect(ownV4, 'this machine has a non-loopback IPv4 address').toBeDefined();
    await h.app.listen({ host: '0.0.0.0', port: 0 });
    const apiPort = (h.app.server.address() as AddressInfo).port;
    for (const address of ownAddresses) {
      const host = address.includes(':') ? `[${address.replace(/%.*$/, '')}]` : address;
      const url = `http://${host}:${apiPort}/%6fps/actions/drain`;
      const res = await h.app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(h.tokens.submit), payload: { url, secret: 's'.repeat(16) } });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.message, url).toContain('an address of this machine');
    }
    expect(await h.storage.webhooks.list()).toHaveLength(0);
  });

  it('is refused at delivery too (stored before the check existed): nothing reaches the address', async () => {
    const target = await receiver();
    const hook = await h.storage.webhooks.create({ url: `http://${ownV4}:${target.port}/%6fps/actions/drain`, secret: 's'.repeat(16), events: ['succeeded'], ownerKeyId: null });
    const worker = startWebhookWorker({
      connection: conns[1]!, prefix: h.config.queue.prefix, lookups: h.storage.lookups, webhooks: h.storage.webhooks,
      log: createLogger({ level: 'silent' }), retryWindowMs: 60_000, backoffMs: 50, timeoutMs: 2000, allowPrivate: false,
    });
    try {
      const id = 'ssrf-lookup-1';
      await h.storage.lookups.insertMany([{ _id: id, type: 'court.case', input: { court: 'a.bkr.sudrf.ru', number: '2-1/2025' } }]);
      await h.storage.lookups.markFinished(id, 'succeeded', { result: { collection: 'court_cases', id: 'x' } });
      await createWebhookNotifier(webhookQueue(conns[0]!, h.config.queue.prefix))((await h.storage.lookups.get(id))!);
      const deadline = Date.now() + 20_000;
      let delivery = await h.storage.webhooks.getDelivery(`${hook._id}.${id}.succeeded`);
      while (delivery?.status !== 'undelivered' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        delivery = await h.storage.webhooks.getDelivery(`${hook._id}.${id}.succeeded`);
      }
      expect(delivery).toMatchObject({ status: 'undelivered', lastError: expect.stringContaining('an address of this machine') });
      expect(target.got).toEqual([]);
    } finally {
      await worker.close();
    }
  });
});

describe('the connection', () => {
  it('goes to the checked address only: a name no DNS knows reaches the pinned receiver, Host kept', async () => {
    const target = await receiver();
    const url = new URL(`http://rebind.invalid:${target.port}/hook`);
    const agent = pinnedAgent({ url, host: url.hostname, address: '127.0.0.1', family: 4 });
    try {
      const res = await undiciFetch(url, { method: 'POST', body: '{}', dispatcher: agent });
      expect(res.status).toBe(204);
    } finally {
      await agent.close();
    }
    expect(target.got).toEqual([`POST /hook host=rebind.invalid:${target.port}`]);
  });

  it('does not follow a redirect', async () => {
    const inner = await receiver();
    const outer = await receiver(`http://127.0.0.1:${inner.port}/inside`);
    const url = new URL(`http://127.0.0.1:${outer.port}/hook`);
    const agent = pinnedAgent({ url, host: url.hostname, address: '127.0.0.1', family: 4 });
    try {
      const res = await undiciFetch(url, { method: 'POST', body: '{}', dispatcher: agent, redirect: 'manual' });
      expect(res.status).toBe(302);
    } finally {
      await agent.close();
    }
    expect(outer.got).toHaveLength(1);
    expect(inner.got).toEqual([]);
  });
});
