import { randomUUID } from 'node:crypto';
import { ProxyConfiguration, Session, SessionPool } from '@crawlee/core';
import { NoEgressError } from '../../../core/errors.ts';
import type { Logger } from '../../../core/logger.ts';
import { egressResumes } from '../../../core/metrics.ts';
import { proxyId } from '../../../runtime/politeness.ts';
import type { ParkedEgress } from '../../../storage/captcha-tasks.types.ts';
import { browserFingerprint, fingerprintOs, fingerprintSignature, headerIdentity, sessionHeaders, type BrowserFingerprint } from './fingerprints.ts';

/** Retired sessions' looks that fresh fingerprints avoid (of ~13 the generator's data holds; see fingerprintSignature). */
const RETIRED_LOOKS_KEPT = 4;

/** Egress settings (config.egress): default pool, pools by host pattern, rest time, per-proxy limit. */
export interface EgressOptions {
  proxyUrls: string[];
  pools: Record<string, string[]>;
  restSecs: number;
  /** In flight per proxy: across the farm when `limiter` is given, else within this process. */
  perProxyConcurrency: number;
  /** The farm-wide per-proxy limit (runtime/politeness.ts `acquireProxy`, shared through Redis). */
  limiter?: ProxyLimiter;
  /**
   * The Chromium version every session's fingerprint claims (`156.0.8078.114`; fingerprints.ts
   * `chromiumVersion`), asked once on the first session; null or absent = the generator's own.
   */
  browserVersion?: string | null | (() => string | null);
  /** Clock, ms (tests of resting). */
  now?: () => number;
  /** Where a resume that cannot keep its parked egress is reported (warn). */
  log?: Logger;
}

/** Grants a slot on a proxy across every robot process (Politeness.acquireProxy); returns the release. */
export interface ProxyLimiter {
  acquireProxy(proxyUrl: string, signal?: AbortSignal): Promise<() => Promise<void>>;
}

/**
 * One site session: a proxy (null = direct), the Crawlee session behind it and its one fingerprint.
 * The HTTP client sends `headers` and the session's browser wears `fingerprint`: the same user
 * agent, client hints and Accept-Language, so the site sees one client on that proxy.
 */
export interface EgressSession {
  /** Pool (host group) this session belongs to: the PROXY_POOLS pattern or `default`. */
  group: string;
  proxyUrl: string | null;
  /** Crawlee's fingerprint suite (fingerprint-generator, header-generator): made once for the session. */
  fingerprint: BrowserFingerprint;
  /** The fingerprint's headers an HTTP request of this session sends (fingerprints.ts `sessionHeaders`). */
  headers: Record<string, string>;
  crawlee: Session | null;
}

/**
 * What a parked lookup keeps of `session` to resume on it (captcha-tasks.types.ts ParkedEgress):
 * the proxy's id (never its URL) and the fingerprint; null for a direct session (nothing to keep).
 * `host`: the target host the session was picked for.
 */
export function parkEgress(session: EgressSession, host: string): ParkedEgress | null {
  if (!session.proxyUrl) return null;
  return { host, proxyId: proxyId(session.proxyUrl), fingerprint: JSON.stringify(session.fingerprint) };
}

/** A stored fingerprint back, or null when it is not one (the fields a browser and the HTTP client wear). */
function readFingerprint(json: string): BrowserFingerprint | null {
  try {
    const fp = JSON.parse(json) as BrowserFingerprint;
    return typeof fp?.fingerprint?.navigator?.userAgent === 'string' && fp.headers && typeof fp.headers === 'object' ? fp : null;
  } catch {
    return null;
  }
}

/** What a Crawlee session of the pool carries. */
interface SessionData {
  proxyUrl: string | null;
  fingerprint: BrowserFingerprint;
}

interface Group {
  pattern: string;
  urls: string[];
  proxies: ProxyConfiguration;
  sessions: Promise<SessionPool>;
}

/** How many fingerprints a process draws for its direct HTTP sessions' headers (EgressPool.directHeaders). */
export const DIRECT_HEADER_DRAWS = 32;

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
  /** The live Crawlee session on each proxy: one per proxy, so one fingerprint per egress address. */
  private readonly liveOnProxy = new Map<string, Session>();
  /** Signatures of the fingerprints handed out and not yet retired, so two sessions never look alike. */
  private readonly signatures = new Map<string, number>();
  /** Looks of the last few retired sessions: a site turned them away, so no fresh session wears one again soon. */
  private readonly retiredLooks: string[] = [];
  /** Header sets drawn for direct HTTP sessions (directHeaders). */
  private readonly directDraws: Array<Readonly<Record<string, string>>> = [];
  /** What the site saw of the last session on each proxy (headerIdentity), which the next one must not repeat. */
  private readonly lastIdentity = new Map<string, string>();
  private version: string | null | undefined;
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
        // One session per proxy: an egress address wears one fingerprint (its HTTP and its browser alike).
        maxPoolSize: urls.length,
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
    if (!group) return this.directSession();
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
        this.forget(session);
        continue;
      }
      const { fingerprint } = session.userData as unknown as SessionData;
      return { group: group.pattern, proxyUrl, fingerprint, headers: sessionHeaders(fingerprint), crawlee: session };
    }
    throw this.noEgress(group, host);
  }

  /** Whether `a` and `b` go out through the same pool (PROXY_POOLS pattern, the default pool, or none). */
  sameGroup(a: string, b: string): boolean {
    return this.groupFor(a)?.pattern === this.groupFor(b)?.pattern;
  }

  /**
   * The session a parked lookup resumes in (issue 15): on the proxy it parked on, wearing the
   * fingerprint the site saw, so the solved captcha's cookie comes back from the same address as
   * the same client. When this process's live session on that proxy wears another fingerprint
   * (the lookup parked in another robot process), the parked one replaces it as the proxy's live
   * session — a proxy still shows one client per process. A proxy that rests or is no longer
   * configured for the host, or a fingerprint that does not parse, falls back to a fresh session
   * (logged, counted in `konveyer_egress_resumes_total`): the lookup still resumes, and the site
   * may then refuse the answer, which the chain handles as any refused answer.
   */
  async resume(parked: ParkedEgress): Promise<EgressSession> {
    const group = this.groupFor(parked.host);
    const proxyUrl = group?.urls.find((u) => proxyId(u) === parked.proxyId) ?? null;
    const fingerprint = readFingerprint(parked.fingerprint);
    if (!group || !proxyUrl || !fingerprint || this.isResting(proxyUrl)) {
      const reason = !proxyUrl ? 'proxy_gone' : !fingerprint ? 'unreadable' : 'proxy_resting';
      egressResumes.inc({ result: reason });
      this.options.log?.warn({ host: parked.host, proxy: parked.proxyId, reason }, 'parked egress not available; resuming on a fresh session');
      return this.sessionFor(parked.host);
    }
    egressResumes.inc({ result: 'same' });
    const live = this.liveOnProxy.get(proxyUrl);
    const liveData = live?.userData as unknown as SessionData | undefined;
    if (live?.isUsable() && liveData && JSON.stringify(liveData.fingerprint) === parked.fingerprint) {
      return { group: group.pattern, proxyUrl, fingerprint: liveData.fingerprint, headers: sessionHeaders(liveData.fingerprint), crawlee: live };
    }
    const pool = await group.sessions;
    if (live) {
      // Displaced, not turned away: its look stays free for fresh draws.
      live.retire();
      this.forget(live, false);
    }
    const session = this.newSession(pool, {}, `s_${randomUUID().replace(/-/g, '').slice(0, 16)}`, proxyUrl, fingerprint);
    await pool.addSession(session);
    return { group: group.pattern, proxyUrl, fingerprint, headers: sessionHeaders(fingerprint), crawlee: session };
  }

  /**
   * The headers of a direct HTTP session (what the site sees of it: no proxy, no browser): a fresh
   * fingerprint's for the first {@link DIRECT_HEADER_DRAWS} sessions of the process, then one of
   * those draws picked at random. A pick from independent draws is distributed as one draw, so each
   * session's headers follow the generator's distribution as before (its desktop-ru data gives ~3
   * distinct sets once the version is the real one); what is spared is ~0.6–0.9 ms of generator
   * per lookup. The object is shared: callers copy it before adding to it.
   */
  directHeaders(): Readonly<Record<string, string>> {
    if (this.directDraws.length < DIRECT_HEADER_DRAWS) {
      const headers = Object.freeze(sessionHeaders(this.freshFingerprint()));
      this.directDraws.push(headers);
      return headers;
    }
    return this.directDraws[Math.floor(Math.random() * this.directDraws.length)]!;
  }

  /** How many fingerprints direct HTTP sessions have drawn in this process (at most {@link DIRECT_HEADER_DRAWS}). */
  get directHeaderDraws(): number {
    return this.directDraws.length;
  }

  /** A session of no proxy (direct egress): its own fresh fingerprint, kept by whoever holds it. */
  directSession(): EgressSession {
    const fingerprint = this.freshFingerprint();
    return { group: 'direct', proxyUrl: null, fingerprint, headers: sessionHeaders(fingerprint), crawlee: null };
  }

  /**
   * A new fingerprint of desktop Chrome claiming `browserVersion`, unlike any session's in use here
   * (a few tries; the generator rarely repeats itself) and, given `unlike` (a headerIdentity), one
   * the site tells apart from it on every request: on the other system when the first draw repeats it.
   */
  freshFingerprint(unlike?: string): BrowserFingerprint {
    if (this.version === undefined) {
      const v = this.options.browserVersion;
      this.version = typeof v === 'function' ? v() : (v ?? null);
    }
    const taken = (f: BrowserFingerprint) => this.signatures.has(fingerprintSignature(f)) || this.retiredLooks.includes(fingerprintSignature(f));
    let fp = browserFingerprint(this.version);
    for (let i = 0; i < 20 && taken(fp); i++) fp = browserFingerprint(this.version);
    if (unlike && headerIdentity(fp) === unlike) {
      const other = fingerprintOs(fp) === 'windows' ? 'linux' : 'windows';
      for (let i = 0; i < 20 && (headerIdentity(fp) === unlike || taken(fp)); i++) fp = browserFingerprint(this.version, [other]);
    }
    return fp;
  }

  /** The proxy failed (dead, 407, blocked for this host group): the session is retired and the proxy rests. */
  retire(session: EgressSession, reason: string): void {
    session.crawlee?.retire();
    this.forget(session.crawlee);
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
    // ProxyConfiguration hands proxies round-robin to new session ids: take the first that neither
    // rests nor has a live session already (else the least bad: one that only has a session).
    let shared: { id: string; proxyUrl: string } | null = null;
    for (let i = 0; i < group.urls.length; i++) {
      const id = `s_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
      const proxyUrl = await group.proxies.newUrl(id);
      if (!proxyUrl || this.isResting(proxyUrl)) continue;
      if (this.liveOnProxy.get(proxyUrl)?.isUsable()) {
        shared ??= { id, proxyUrl };
        continue;
      }
      return this.newSession(pool, sessionOptions, id, proxyUrl);
    }
    if (shared) return this.newSession(pool, sessionOptions, shared.id, shared.proxyUrl);
    throw this.noEgress(group, group.pattern);
  }

  /** A Crawlee session on `proxyUrl` with a fingerprint of its own for its whole life (`worn`: a parked session's, resumed). */
  private newSession(pool: SessionPool, sessionOptions: object, id: string, proxyUrl: string, worn?: BrowserFingerprint): Session {
    const previous = this.liveOnProxy.get(proxyUrl);
    if (previous && !previous.isUsable()) this.forget(previous);
    // A session replacing a retired one on this proxy must not look like it: that client was turned away.
    const fingerprint = worn ?? this.freshFingerprint(this.lastIdentity.get(proxyUrl));
    this.lastIdentity.set(proxyUrl, headerIdentity(fingerprint));
    const signature = fingerprintSignature(fingerprint);
    this.signatures.set(signature, (this.signatures.get(signature) ?? 0) + 1);
    const data: SessionData = { proxyUrl, fingerprint };
    const session = new Session({ ...sessionOptions, id, sessionPool: pool, userData: data as unknown as Record<string, unknown> });
    this.liveOnProxy.set(proxyUrl, session);
    return session;
  }

  /** Drops a retired session's fingerprint from those in use (once); a turned-away one's look is kept among the retired looks. */
  private forget(session: Session | null, turnedAway = true): void {
    if (!session) return;
    const data = session.userData as Partial<SessionData> & { forgotten?: boolean };
    if (!data.fingerprint || data.forgotten) return;
    data.forgotten = true;
    const signature = fingerprintSignature(data.fingerprint);
    if (turnedAway) {
      this.retiredLooks.push(signature);
      if (this.retiredLooks.length > RETIRED_LOOKS_KEPT) this.retiredLooks.shift();
    }
    const n = (this.signatures.get(signature) ?? 1) - 1;
    if (n > 0) this.signatures.set(signature, n);
    else this.signatures.delete(signature);
    if (data.proxyUrl && this.liveOnProxy.get(data.proxyUrl) === session) this.liveOnProxy.delete(data.proxyUrl);
  }

  private noEgress(group: Group, host: string): NoEgressError {
    const soonest = Math.min(...group.urls.map((u) => this.restedUntil.get(u) ?? this.now()));
    const waitMs = Math.max(1000, soonest - this.now());
    return new NoEgressError(`no egress to ${host}: all ${group.urls.length} proxies of pool "${group.pattern}" are dead or resting`, waitMs, { details: { pool: group.pattern } });
  }
}
