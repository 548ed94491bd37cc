import { lookup as dnsLookup } from 'node:dns';
import { Agent, ProxyAgent, request, errors as undiciErrors, type Dispatcher } from 'undici';
import { CookieJar } from 'tough-cookie';
import {
  BlockedError,
  KonveyerError,
  NetworkError,
  RateLimitedError,
  ServerError,
  TimeoutError,
} from '../../core/errors.ts';
import type { TargetRouter } from './targets.ts';
import { parkEgress, type EgressPool, type EgressSession } from './egress/egress-pool.ts';
import type { ParkedEgress } from '../../storage/captcha-tasks.types.ts';
import { browserFingerprint, sessionHeaders } from './egress/fingerprints.ts';

export interface HttpResponse {
  /** Final URL after redirects. */
  url: string;
  status: number;
  headers: Record<string, string>;
  /** Raw bytes as received (the evidence). */
  body: Buffer;
  contentType: string;
}

export interface HttpRequestOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
  /** Statuses returned as responses instead of thrown (e.g. 404 on a site that means "no such case"). */
  acceptStatuses?: number[];
}

export interface HttpClientOptions {
  router: TargetRouter;
  timeoutMs: number;
  /** A fixed user agent instead of the session fingerprint's (default: the fingerprint's). */
  userAgent?: string;
  /** Connections kept per origin. */
  connectionsPerOrigin?: number;
  /** Proxies (PROXY_URLS / PROXY_POOLS); absent or empty = direct. */
  egress?: EgressPool;
}

export const DEFAULT_USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

const MAX_REDIRECTS = 5;

/**
 * The plain HTTP client of robots that need no browser: undici with keep-alive, a cookie jar per
 * session, the target allowlist enforced on every request and redirect, and HTTP failures turned
 * into the farm's typed errors. One client per process; one `HttpSession` per job or site session.
 */
export class HttpClient {
  readonly agent: Agent;
  constructor(readonly options: HttpClientOptions) {
    const router = options.router;
    this.agent = new Agent({
      connections: options.connectionsPerOrigin ?? 16,
      keepAliveTimeout: 30_000,
      connect: {
        // In sandbox mode target hosts resolve to the sandbox; everything else uses DNS.
        lookup: (hostname: string, opts: object, cb: (...args: never[]) => void) => {
          const address = router.addressFor(hostname);
          if (address) {
            const family = address.includes(':') ? 6 : 4;
            const all = (opts as { all?: boolean }).all;
            return all ? (cb as (e: null, a: unknown) => void)(null, [{ address, family }]) : (cb as (e: null, a: string, f: number) => void)(null, address, family);
          }
          return dnsLookup(hostname, opts as never, cb as never);
        },
      } as never,
    });
  }

  private readonly proxyAgents = new Map<string, ProxyAgent>();

  /**
   * A session: its own cookies, sharing the connection pool. `resume`: the egress a parked lookup
   * kept (its captcha task's `session.egress`); the session's requests to that host's pool go out
   * on it again (EgressPool.resume).
   */
  session(options: { resume?: ParkedEgress | null } = {}): HttpSession {
    return new HttpSession(this, options.resume ?? null);
  }

  /** The dispatcher for a proxy URL (one undici ProxyAgent per proxy, kept alive), or the direct agent. */
  dispatcherFor(proxyUrl: string | null): Dispatcher {
    if (!proxyUrl) return this.agent;
    let agent = this.proxyAgents.get(proxyUrl);
    if (!agent) {
      agent = new ProxyAgent({ uri: proxyUrl, connections: this.options.connectionsPerOrigin ?? 16, keepAliveTimeout: 30_000 } as never);
      this.proxyAgents.set(proxyUrl, agent);
    }
    return agent;
  }

  async close(): Promise<void> {
    await this.agent.close();
    for (const a of this.proxyAgents.values()) await a.close().catch(() => undefined);
  }
}

export class HttpSession {
  readonly jar = new CookieJar();
  /** Egress session per host group, kept for the life of this session (site state lives in it). */
  private readonly egress = new Map<string, EgressSession>();
  /** Fingerprint headers of a direct session (made on its first request, kept for its life). */
  private directHeaders: Readonly<Record<string, string>> | null = null;
  constructor(private readonly client: HttpClient, private parked: ParkedEgress | null = null) {}

  /** The proxy this session's requests to `host` currently go through (null = direct). */
  async proxyFor(host: string): Promise<string | null> {
    return (await this.egressFor(host))?.proxyUrl ?? null;
  }

  private async egressFor(host: string): Promise<EgressSession | null> {
    const pool = this.client.options.egress;
    if (!pool?.enabled) return null;
    const group = pool.groupFor(host)?.pattern ?? 'direct';
    let es = this.egress.get(group);
    if (!es) {
      const parked = this.parked && pool.sameGroup(this.parked.host, host) ? this.parked : null;
      // The parked egress is taken once: a proxy that fails after it is switched like any other.
      if (parked) this.parked = null;
      es = parked ? await pool.resume(parked) : await pool.sessionFor(host);
      this.egress.set(group, es);
    }
    return es;
  }

  /** What a parked lookup keeps of this session's egress to `host` (null: direct, or no request sent there yet). */
  parkedEgress(host: string): ParkedEgress | null {
    const pool = this.client.options.egress;
    const es = pool?.enabled ? this.egress.get(pool.groupFor(host)?.pattern ?? 'direct') : undefined;
    return es ? parkEgress(es, host) : null;
  }

  /** Sends one hop; through a proxy, a dead/refusing (407) or blocked proxy is retired and the next one tried. */
  private async send(target: URL, init: { method: string; headers: Record<string, string>; body: string | Buffer | undefined; timeoutMs: number }, acceptStatuses: number[] | undefined): Promise<Dispatcher.ResponseData> {
    const { router, egress: pool } = this.client.options;
    let lastBlocked: KonveyerError | null = null;
    const maxSwitches = pool?.enabled ? (pool.groupFor(target.hostname)?.urls.length ?? 0) : 0;
    for (let attempt = 0; ; attempt++) {
      const es = await this.egressFor(target.hostname);
      const proxyUrl = es?.proxyUrl ?? null;
      let url: URL | string = target;
      // The egress session's fingerprint: the headers its browser sends too (one client per session).
      const headers = { ...(es ? es.headers : this.ownHeaders()), ...init.headers };
      if (this.client.options.userAgent) headers['user-agent'] = this.client.options.userAgent;
      const sandboxAddress = proxyUrl ? router.addressFor(target.hostname) : null;
      if (sandboxAddress) {
        // Through a proxy the sandbox address is what the proxy connects to; the Host header keeps the target's name.
        const direct = new URL(target);
        direct.hostname = sandboxAddress.includes(':') ? `[${sandboxAddress}]` : sandboxAddress;
        url = direct;
        headers.host = target.host;
      }
      const call = () => request(url, {
        method: init.method as 'GET',
        headers,
        body: init.body,
        dispatcher: this.client.dispatcherFor(proxyUrl),
        headersTimeout: init.timeoutMs,
        bodyTimeout: init.timeoutMs,
        signal: AbortSignal.timeout(init.timeoutMs),
      });
      let res: Dispatcher.ResponseData;
      try {
        res = pool && proxyUrl ? await pool.withSlot(proxyUrl, call) : await call();
      } catch (error) {
        const typed = toTypedError(error, target);
        if (es && proxyUrl && isProxyFailure(error) && attempt < maxSwitches) {
          pool!.retire(es, typed.message);
          this.egress.delete(es.group);
          continue;
        }
        if (es && proxyUrl && isProxyFailure(error)) {
          pool!.retire(es, typed.message);
          this.egress.delete(es.group);
        }
        throw typed;
      }
      const blocked = (res.statusCode === 403 || res.statusCode === 451) && !acceptStatuses?.includes(res.statusCode);
      if (es && proxyUrl && blocked) {
        // This egress is refused by the host (geo-block, ban): rest it and try another one.
        await res.body.dump().catch(() => undefined);
        lastBlocked = new BlockedError(`HTTP ${res.statusCode} from ${target.host} through proxy ${redactProxy(proxyUrl)}`, { url: target.toString(), details: { status: res.statusCode, proxy: redactProxy(proxyUrl) } });
        pool!.retire(es, 'blocked');
        this.egress.delete(es.group);
        // Tried each proxy of the group once: the host refuses them all — blocked (retryable), not no_egress.
        if (attempt + 1 < maxSwitches) continue;
        throw lastBlocked;
      }
      if (es && res.statusCode === 429) pool!.markBad(es);
      return res;
    }
  }

  /** The fingerprint headers of this session's requests to `host` (what the site sees of it). */
  async headersFor(host: string): Promise<Readonly<Record<string, string>>> {
    return (await this.egressFor(host))?.headers ?? this.ownHeaders();
  }

  /** A direct session's headers: a fingerprint's, like an egress session's (EgressPool.directHeaders: drawn as one, kept for its life). */
  private ownHeaders(): Readonly<Record<string, string>> {
    const pool = this.client.options.egress;
    return (this.directHeaders ??= pool ? pool.directHeaders() : sessionHeaders(browserFingerprint(null)));
  }

  async request(url: string, options: HttpRequestOptions = {}): Promise<HttpResponse> {
    const { router, timeoutMs: defaultTimeout } = this.client.options;
    let current = router.assertAllowed(url);
    let method = options.method ?? 'GET';
    let body = options.body;
    const timeoutMs = options.timeoutMs ?? defaultTimeout;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const cookie = await this.jar.getCookieString(current.toString());
      const headers: Record<string, string> = {
        accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
        'accept-language': 'ru-RU,ru;q=0.9',
        ...options.headers,
        ...(cookie ? { cookie } : {}),
      };
      const res = await this.send(current, { method, headers, body, timeoutMs }, options.acceptStatuses);
      let raw: Buffer;
      try {
        raw = Buffer.from(await res.body.arrayBuffer());
      } catch (error) {
        throw toTypedError(error, current);
      }
      const resHeaders = flattenHeaders(res.headers);
      for (const sc of toArray(res.headers['set-cookie'])) {
        await this.jar.setCookie(sc, current.toString(), { ignoreError: true });
      }
      if (res.statusCode >= 300 && res.statusCode < 400 && resHeaders.location) {
        current = router.assertAllowed(new URL(resHeaders.location, current));
        if (res.statusCode !== 307 && res.statusCode !== 308) {
          method = 'GET';
          body = undefined;
        }
        continue;
      }
      const response: HttpResponse = {
        url: current.toString(),
        status: res.statusCode,
        headers: resHeaders,
        body: raw,
        contentType: resHeaders['content-type'] ?? 'application/octet-stream',
      };
      if (res.statusCode >= 400 && !options.acceptStatuses?.includes(res.statusCode)) throw statusError(response);
      return response;
    }
    throw new NetworkError(`too many redirects from ${url}`, { url });
  }
}

/** Whether an error of a proxied request means the proxy itself failed (refused, 407, tunnel not opened). */
function isProxyFailure(error: unknown): boolean {
  const e = error as { code?: string; message?: string; cause?: { code?: string } };
  const msg = String(e?.message ?? '');
  if (/proxy|tunnel/i.test(msg)) return true;
  const code = e?.code ?? e?.cause?.code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_ABORTED';
}

/** A proxy URL without its credentials, for messages and logs. */
export function redactProxy(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/** Turns an HTTP error status into the typed error the queue acts on. */
export function statusError(res: HttpResponse): KonveyerError {
  const where = { url: res.url, details: { status: res.status } };
  if (res.status === 429 || res.status === 503) {
    const retryAfterMs = parseRetryAfter(res.headers['retry-after']);
    if (res.status === 429 || retryAfterMs !== null) {
      return new RateLimitedError(`HTTP ${res.status} from ${new URL(res.url).host}`, retryAfterMs ?? 30_000, where);
    }
  }
  if (res.status >= 500) return new ServerError(`HTTP ${res.status} from ${new URL(res.url).host}`, where);
  if (res.status === 403 || res.status === 451) return new BlockedError(`HTTP ${res.status} from ${new URL(res.url).host}`, where);
  return new ServerError(`unexpected HTTP ${res.status} from ${new URL(res.url).host}`, where);
}

/** `Retry-After` as milliseconds (seconds or an HTTP date), or null. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

function toTypedError(error: unknown, url: URL): KonveyerError {
  const where = { url: url.toString(), cause: error };
  if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError || (error as Error)?.name === 'TimeoutError' || (error as Error)?.name === 'AbortError') {
    return new TimeoutError(`timed out fetching ${url.host}`, where);
  }
  if (error instanceof KonveyerError) return error;
  return new NetworkError(`network error fetching ${url.host}: ${(error as Error)?.message ?? String(error)}`, where);
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

const toArray = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
