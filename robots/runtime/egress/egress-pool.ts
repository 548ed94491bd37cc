import { randomUUID } from 'node:crypto';
import { ProxyConfiguration, Session, SessionPool } from '@crawlee/core';
import { HeaderGenerator } from 'header-generator';
import { NoEgressError } from '../../../core/errors.ts';

/** Egress settings (config.egress): default pool, pools by host pattern, rest time, per-proxy limit. */
export interface EgressOptions {
  proxyUrls: string[];
  pools: Record<string, string[]>;
  restSecs: number;
  /** In flight per proxy: across the farm when `limiter` is given, else within this process. */
  perProxyConcurrency: number;
  /** The farm-wide per-proxy limit (runtime/politeness.ts `acquireProxy`, shared through Redis). */
  limiter?: ProxyLimiter;
  /** Clock, ms (tests of resting). */
  now?: () => number;
}

/** Grants a slot on a proxy across every robot process (Politeness.acquireProxy); returns the release. */
export interface ProxyLimiter {
  acquireProxy(proxyUrl: string, signal?: AbortSignal): Promise<() => Promise<void>>;
}

/** One site session: a proxy (null = direct), the Crawlee session behind it and its fingerprint headers. */
export interface EgressSession {
  /** Pool (host group) this session belongs to: the PROXY_POOLS pattern or `default`. */
  group: string;
  proxyUrl: string | null;
  /** Browser-like headers from Crawlee's header-generator (Accept-Language ru), fixed for the session. */
  headers: Record<string, string>;
  crawlee: Session | null;
}

const headerGenerator = new HeaderGenerator({
  browsers: [{ name: 'chrome', minVersion: 120 }],
  devices: ['desktop'],
  operatingSystems: ['windows', 'linux'],
  locales: ['ru-RU', 'ru'],
});

/** Fresh browser-like headers (user agent, sec-ch-ua, accept…) with a Russian Accept-Language. */
export function fingerprintHeaders(): Record<string, string> {
  const generated = headerGenerator.getHeaders() as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(generated)) {
    const key = k.toLowerCase();
    // Transport-level headers are the client's business, not the fingerprint's.
    if (['connection', 'accept-encoding', 'host', 'upgrade-insecure-requests', 'te'].includes(key)) continue;
    out[key] = v;
  }
  out['accept-language'] = 'ru-RU,ru;q=0.9';
  return out;
}

interface Group {
  pattern: string;
  urls: string[];
  proxies: ProxyConfiguration;
  sessions: Promise<SessionPool>;
}

/**
 * The process's egress: which proxy a request to a target host goes through. Rotation, session
 * scores and retirement are Crawlee's (`ProxyConfiguration.newUrl(sessionId)` and `SessionPool`);
 * this class adds pools by host group, resting a failed proxy for `restSecs`, and `no_egress` when
 * every proxy of a group rests. With no proxies configured every session is direct.
 */
export class EgressPool {
  private readonly groups: Group[] = [];
  private readonly restedUntil = new Map<string, number>();
  private readonly now: () => number;
  private readonly inFlight = new Map<string, number>();
  private slotWaiters: Array<() => void> = [];
  /** Requests counted per proxy URL (observability and tests). */
  readonly requestsByProxy = new Map<string, number>();

  constructor(readonly options: EgressOptions) {
    this.now = options.now ?? Date.now;
    const entries: Array<[string, string[]]> = [...Object.entries(options.pools), ['default', options.proxyUrls]];
    for (const [pattern, urls] of entries) {
      if (urls.length === 0) continue;
      const proxies = new ProxyConfiguration({ proxyUrls: urls });
      const group: Group = { pattern, urls, proxies, sessions: null as never };
      group.sessions = SessionPool.open({
        maxPoolSize: Math.max(2, urls.length * 2),
        persistenceOptions: { enable: false },
        // Blocked statuses are judged by the client (403/451 and the geo-block page), not by Crawlee.
        blockedStatusCodes: [],
        createSessionFunction: async (pool, opts) => this.createSession(group, pool, opts?.sessionOptions ?? {}),
      });
      this.groups.push(group);
    }
  }

  /** Whether any proxy is configured at all. */
  get enabled(): boolean {
    return this.groups.length > 0;
  }

  /** The group of a host: the first PROXY_POOLS pattern that matches, else the default pool, else none (direct). */
  groupFor(host: string): Group | null {
    const h = host.toLowerCase();
    for (const g of this.groups) {
      if (g.pattern === 'default') continue;
      if (g.pattern === h || (g.pattern.startsWith('*.') && (h.endsWith(g.pattern.slice(1)) || h === g.pattern.slice(2)))) return g;
    }
    return this.groups.find((g) => g.pattern === 'default') ?? null;
  }

  /** A usable session for `host`: a live Crawlee session on a proxy that is not resting; `no_egress` if none. */
  async sessionFor(host: string): Promise<EgressSession> {
    const group = this.groupFor(host);
    if (!group) return { group: 'direct', proxyUrl: null, headers: fingerprintHeaders(), crawlee: null };
    const pool = await group.sessions;
    for (let tries = 0; tries < group.urls.length * 4 + 4; tries++) {
      const session = await pool.getSession().catch((error: unknown) => {
        if (error instanceof NoEgressError) return null;
        throw error;
      });
      if (!session) break;
      const proxyUrl = (session.userData as { proxyUrl?: string }).proxyUrl ?? null;
      if (proxyUrl && this.isResting(proxyUrl)) {
        session.retire();
        continue;
      }
      return { group: group.pattern, proxyUrl, headers: (session.userData as { headers: Record<string, string> }).headers, crawlee: session };
    }
    throw this.noEgress(group, host);
  }

  /** The proxy failed (dead, 407, blocked for this host group): the session is retired and the proxy rests. */
  retire(session: EgressSession, reason: string): void {
    session.crawlee?.retire();
    if (session.proxyUrl) this.restedUntil.set(session.proxyUrl, this.now() + this.options.restSecs * 1000);
    void reason;
  }

  /** Rate-limited or captcha-storming: the session's error score rises; Crawlee retires it after a few. */
  markBad(session: EgressSession): void {
    session.crawlee?.markBad();
  }

  markGood(session: EgressSession): void {
    session.crawlee?.markGood();
  }

  /** Counts one request through `proxyUrl`. */
  count(proxyUrl: string | null): void {
    if (proxyUrl) this.requestsByProxy.set(proxyUrl, (this.requestsByProxy.get(proxyUrl) ?? 0) + 1);
  }

  /** Runs `fn` holding one of the proxy's slots: farm-wide through `limiter`, else one of this process's `perProxyConcurrency` (direct traffic is not limited here). */
  async withSlot<T>(proxyUrl: string | null, fn: () => Promise<T>): Promise<T> {
    if (!proxyUrl) return fn();
    const limiter = this.options.limiter;
    if (limiter) {
      // Farm-wide: the slot (and the proxy's rate) is shared through Redis with every robot process.
      const release = await limiter.acquireProxy(proxyUrl);
      this.count(proxyUrl);
      try {
        return await fn();
      } finally {
        await release();
      }
    }
    const limit = this.options.perProxyConcurrency;
    while ((this.inFlight.get(proxyUrl) ?? 0) >= limit) await new Promise<void>((r) => this.slotWaiters.push(r));
    this.inFlight.set(proxyUrl, (this.inFlight.get(proxyUrl) ?? 0) + 1);
    this.count(proxyUrl);
    try {
      return await fn();
    } finally {
      this.inFlight.set(proxyUrl, (this.inFlight.get(proxyUrl) ?? 1) - 1);
      // Wake every waiter; each re-checks its own proxy's count.
      for (const w of this.slotWaiters.splice(0)) w();
    }
  }

  isResting(proxyUrl: string): boolean {
    const until = this.restedUntil.get(proxyUrl);
    return until !== undefined && until > this.now();
  }

  async close(): Promise<void> {
    for (const g of this.groups) await (await g.sessions).teardown().catch(() => undefined);
  }

  private async createSession(group: Group, pool: SessionPool, sessionOptions: object): Promise<Session> {
    // ProxyConfiguration hands proxies round-robin to new session ids; skip the resting ones.
    for (let i = 0; i < group.urls.length; i++) {
      const id = `s_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
      const proxyUrl = await group.proxies.newUrl(id);
      if (proxyUrl && this.isResting(proxyUrl)) continue;
      return new Session({ ...sessionOptions, id, sessionPool: pool, userData: { proxyUrl, headers: fingerprintHeaders() } });
    }
    throw this.noEgress(group, group.pattern);
  }

  private noEgress(group: Group, host: string): NoEgressError {
    const soonest = Math.min(...group.urls.map((u) => this.restedUntil.get(u) ?? this.now()));
    const waitMs = Math.max(1000, soonest - this.now());
    return new NoEgressError(`no egress to ${host}: all ${group.urls.length} proxies of pool "${group.pattern}" are dead or resting`, waitMs, { details: { pool: group.pattern } });
  }
}
