import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook may not point at unless config allows it: loopback, private (RFC 1918,
 * ULA), link-local, carrier-grade NAT, unspecified, multicast and reserved ranges. A webhook to
 * one of these would let a client make the farm probe its own network (SSRF).
 */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) BLOCKED.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}

/** True for an address in a blocked range (IPv4-mapped IPv6 is judged by its IPv4 part). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return BLOCKED.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family === 6) return BLOCKED.check(address, 'ipv6');
  return true;
}

/**
 * Checks a webhook URL: http(s) only, no credentials, and — unless `allowPrivate` — every address
 * its host name resolves to is public. Returns a sentence naming the problem, or null when fine.
 */
export async function checkWebhookUrl(raw: string, options: { allowPrivate: boolean }): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url: expected an absolute http:// or https:// URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `url: expected http or https, got ${url.protocol.replace(':', '')}`;
  if (url.username || url.password) return 'url: credentials in the URL are not allowed; sign with the secret instead';
  if (options.allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      return `url: host ${host} does not resolve`;
    }
  }
  const bad = addresses.find(isPrivateAddress);
  return bad ? `url: ${host} resolves to ${bad}, a loopback/private/link-local address; refused (WEBHOOK_ALLOW_PRIVATE=false)` : null;
}
