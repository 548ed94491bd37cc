import { lookup as dnsLookup } from 'node:dns';
import { Agent, request, errors as undiciErrors } from 'undici';
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
  userAgent?: string;
  /** Connections kept per origin. */
  connectionsPerOrigin?: number;
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

  /** A session: its own cookies, sharing the connection pool. */
  session(): HttpSession {
    return new HttpSession(this);
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

export class HttpSession {
  readonly jar = new CookieJar();
  constructor(private readonly client: HttpClient) {}

  async request(url: string, options: HttpRequestOptions = {}): Promise<HttpResponse> {
    const { router, timeoutMs: defaultTimeout, userAgent } = this.client.options;
    let current = router.assertAllowed(url);
    let method = options.method ?? 'GET';
    let body = options.body;
    const timeoutMs = options.timeoutMs ?? defaultTimeout;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const cookie = await this.jar.getCookieString(current.toString());
      const headers: Record<string, string> = {
        'user-agent': userAgent ?? DEFAULT_USER_AGENT,
        accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
        'accept-language': 'ru-RU,ru;q=0.9,en;q=0.5',
        ...options.headers,
        ...(cookie ? { cookie } : {}),
      };
      let res;
      try {
        res = await request(current, {
          method,
          headers,
          body,
          dispatcher: this.client.agent,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw toTypedError(error, current);
      }
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
