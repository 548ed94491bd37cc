import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { hostNameProblem } from './host-name.ts';

/**
 * Where a webhook may point. A webhook makes the farm send a request on a client's behalf, so an
 * address inside the farm's own reach would let any `submit` key probe or steer it (SSRF: issue 13,
 * a webhook to `http://<own address>:8080/%6fps/actions/drain` stopped every robot). Unless
 * `WEBHOOK_ALLOW_PRIVATE` is set, every address a host resolves to must be public: not one of the
 * special-purpose ranges below (IANA IPv4/IPv6 special-purpose registries), not an address of this
 * machine's interfaces, and not such an address embedded in an IPv6 one (mapped, NAT64, 6to4, Teredo).
 */

/** IPv4 ranges refused, with the name shown in the refusal. */
export const BLOCKED_IPV4: ReadonlyArray<readonly [cidr: string, name: string]> = [
  ['0.0.0.0/8', '"this network"'],
  ['10.0.0.0/8', 'private (RFC 1918)'],
  ['100.64.0.0/10', 'carrier-grade NAT (RFC 6598)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private (RFC 1918)'],
  ['192.0.0.0/24', 'IETF protocol assignments'],
  ['192.0.2.0/24', 'documentation (TEST-NET-1)'],
  ['192.88.99.0/24', 'reserved (former 6to4 relay anycast)'],
  ['192.168.0.0/16', 'private (RFC 1918)'],
  ['198.18.0.0/15', 'benchmarking (RFC 2544)'],
  ['198.51.100.0/24', 'documentation (TEST-NET-2)'],
  ['203.0.113.0/24', 'documentation (TEST-NET-3)'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved (incl. broadcast)'],
];

/** IPv6 ranges refused outright (embedded-IPv4 forms are judged by their IPv4 address instead). */
export const BLOCKED_IPV6: ReadonlyArray<readonly [cidr: string, name: string]> = [
  ['64:ff9b:1::/48', 'local-use NAT64 (RFC 8215)'],
  ['fc00::/7', 'unique local (private)'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local (deprecated)'],
  ['ff00::/8', 'multicast'],
  ['2001:2::/48', 'benchmarking (RFC 5180)'],
  ['2001:10::/28', 'ORCHID (deprecated)'],
  ['2001:20::/28', 'ORCHIDv2'],
  ['2001:db8::/32', 'documentation'],
  ['3fff::/20', 'documentation (RFC 9637)'],
];

/** The 4 bytes of a dotted-quad IPv4 address, or null. */
export function ipv4Bytes(address: string): Uint8Array | null {
  if (isIP(address) !== 4) return null;
  return Uint8Array.from(address.split('.').map(Number));
}

/** The 16 bytes of an IPv6 address (zone `%eth0` ignored, trailing dotted quad allowed), or null. */
export function ipv6Bytes(address: string): Uint8Array | null {
  const addr = address.replace(/%.*$/, '');
  if (isIP(addr) !== 6) return null;
  let text = addr;
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const b = ipv4Bytes(quad[1]!)!;
    text = `${text.slice(0, quad.index)}${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  });
  return out;
}

function inPrefix(bytes: Uint8Array, net: Uint8Array, bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const mask = 0x80 >> i % 8;
    if ((bytes[i >> 3]! & mask) !== (net[i >> 3]! & mask)) return false;
  }
  return true;
}

const parseCidr = (cidr: string, parse: (a: string) => Uint8Array | null): [Uint8Array, number] => {
  const [net, bits] = cidr.split('/');
  return [parse(net!)!, Number(bits)];
};
const V4 = BLOCKED_IPV4.map(([cidr, name]) => [...parseCidr(cidr, ipv4Bytes), name] as const);
const V6 = BLOCKED_IPV6.map(([cidr, name]) => [...parseCidr(cidr, ipv6Bytes), name] as const);
const v6 = (cidr: string) => parseCidr(cidr, ipv6Bytes);
const MAPPED = v6('::ffff:0:0/96');
const NAT64 = v6('64:ff9b::/96');
const GLOBAL = v6('2000::/3');
const SIX_TO_FOUR = v6('2002::/16');
const TEREDO = v6('2001::/32');

const dotted = (b: Uint8Array) => Array.from(b).join('.');
const hexKey = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Every address of this machine's interfaces, as byte keys (IPv4 and IPv6); read on each call. */
export function ownAddressKeys(): Set<string> {
  const keys = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      const b = a.family === 'IPv4' || (a.family as unknown) === 4 ? ipv4Bytes(a.address) : ipv6Bytes(a.address);
      if (b) keys.add(hexKey(b));
    }
  }
  return keys;
}

/** Joins the range (if any) and "an address of this machine" (if it is one). */
const withOwn = (range: string | null, b: Uint8Array, own: Set<string>): string | null =>
  own.has(hexKey(b)) ? (range ? `${range}, an address of this machine` : 'an address of this machine') : range;

function classifyIpv4(b: Uint8Array, own: Set<string>): string | null {
  for (const [net, bits, name] of V4) if (inPrefix(b, net, bits)) return withOwn(name, b, own);
  return withOwn(null, b, own);
}

/**
 * Why an IP address may not receive webhooks (a phrase naming the range), or null when it is a
 * public address. `own` defaults to this machine's interface addresses.
 */
export function blockedRangeOf(address: string, own: Set<string> = ownAddressKeys()): string | null {
  const four = ipv4Bytes(address);
  if (four) return classifyIpv4(four, own);
  const b = ipv6Bytes(address);
  if (!b) return 'not an IP address';
  return withOwn(classifyIpv6(b, own), b, own);
}

function classifyIpv6(b: Uint8Array, own: Set<string>): string | null {
  if (b.every((x, i) => x === 0 || (i === 15 && x <= 1))) return b[15] === 1 ? 'loopback' : 'unspecified';
  const embedded = (v4: Uint8Array, form: string) => {
    const why = classifyIpv4(v4, own);
    return why ? `${form} of ${dotted(v4)}, ${why}` : null;
  };
  if (inPrefix(b, ...MAPPED)) return embedded(b.slice(12), 'IPv4-mapped form');
  if (inPrefix(b, ...NAT64)) return embedded(b.slice(12), 'NAT64 form');
  for (const [net, bits, name] of V6) if (inPrefix(b, net, bits)) return name;
  // Outside global unicast: IPv4-compatible (::a.b.c.d), IPv4-translated, discard-only, reserved.
  if (!inPrefix(b, ...GLOBAL)) return 'reserved (outside 2000::/3 global unicast; IPv4-compatible and -translated forms included)';
  if (inPrefix(b, ...SIX_TO_FOUR)) return embedded(b.slice(2, 6), '6to4 form');
  if (inPrefix(b, ...TEREDO)) {
    const server = embedded(b.slice(4, 8), 'Teredo server');
    return server ?? embedded(b.slice(12).map((x) => x ^ 0xff), 'Teredo client');
  }
  return null;
}

/** Kept for callers of the first version: true when `blockedRangeOf` refuses the address. */
export function isPrivateAddress(address: string): boolean {
  return blockedRangeOf(address) !== null;
}

/** Where a delivery connects: the checked address, pinned for the connection. */
export interface WebhookTarget {
  url: URL;
  /** Host name as in the URL (brackets of an IPv6 literal removed). */
  host: string;
  address: string;
  family: 4 | 6;
}

export interface WebhookTargetOptions {
  /** `WEBHOOK_ALLOW_PRIVATE`: skip the address checks (tests, closed networks). */
  allowPrivate: boolean;
  /** DNS resolver (default `dns.lookup` with all answers). */
  resolve?: (host: string) => Promise<Array<{ address: string; family: number }>>;
}

const defaultResolve = (host: string) => lookup(host, { all: true, verbatim: true });

/**
 * Checks a webhook URL and resolves its host once: http(s) only, no credentials, a well-formed host
 * name, and — unless `allowPrivate` — every address it resolves to is public. Returns the address
 * to connect to, or a sentence naming the problem.
 */
export async function resolveWebhookTarget(raw: string, options: WebhookTargetOptions): Promise<{ target: WebhookTarget } | { refused: string }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { refused: 'url: expected an absolute http:// or https:// URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { refused: `url: expected http or https, got ${url.protocol.replace(':', '')}` };
  if (url.username || url.password) return { refused: 'url: credentials in the URL are not allowed; sign with the secret instead' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let answers: Array<{ address: string; family: number }>;
  if (isIP(host)) answers = [{ address: host, family: isIP(host) }];
  else {
    const problem = hostNameProblem(host.replace(/\.$/, ''));
    if (problem) return { refused: `url: ${problem}` };
    try {
      answers = await (options.resolve ?? defaultResolve)(host);
    } catch {
      return { refused: `url: host ${host} does not resolve` };
    }
    if (answers.length === 0) return { refused: `url: host ${host} does not resolve` };
  }
  if (!options.allowPrivate) {
    const own = ownAddressKeys();
    for (const a of answers) {
      const why = blockedRangeOf(a.address, own);
      if (why) return { refused: `url: ${host} resolves to ${a.address}: ${why}; refused (WEBHOOK_ALLOW_PRIVATE=false)` };
    }
  }
  const first = answers[0]!;
  return { target: { url, host, address: first.address, family: first.family === 6 ? 6 : 4 } };
}

/** Registration check: a sentence naming the problem, or null when the URL may be used. */
export async function checkWebhookUrl(raw: string, options: WebhookTargetOptions): Promise<string | null> {
  const res = await resolveWebhookTarget(raw, options);
  return 'refused' in res ? res.refused : null;
}
