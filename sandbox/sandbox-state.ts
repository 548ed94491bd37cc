/**
 * Per-host request statistics (to check robot politeness) and switchable faults of a sandbox.
 */
import { NO_TRANSPORT_FAULTS } from './faults/site-faults.ts';

/** Traffic one host has seen. */
export interface HostStats {
  requests: number;
  /** Most requests that arrived within any 1-second window. */
  maxPerSecond: number;
  /** Most requests in flight at the same time. */
  maxConcurrent: number;
  /** Requests in flight now. */
  concurrent: number;
}

/** Faults of one host (or of all hosts when set without `host`). */
export interface FaultSpec {
  host?: string;
  /** Serve cards with renamed ids/classes. */
  layoutDrift?: boolean;
  /**
   * Egress addresses this host refuses like a geo-block (403 with an "access denied for your region"
   * page): the source address the request arrives from, i.e. the proxy's egress address.
   */
  geoBlockAddresses?: string[];
  /** Share of requests answered with HTTP 503, 0..1. */
  errorRate?: number;
  /** Delay added before every answer, ms. */
  latencyMs?: number;
  /** Share of requests never answered (hang until the client gives up), 0..1. */
  timeoutRate?: number;
  /** Share of requests answered 429 with `Retry-After: retryAfterSecs` (default 2), 0..1. */
  rate429?: number;
  retryAfterSecs?: number;
  /** Delay of slow pages, ms (e.g. 10 000), for a `slowRate` share of requests (0 or unset = all). */
  slowMs?: number;
  slowRate?: number;
  /** Every captcha answer sent is spoiled: every answer is wrong while on. */
  captchaStorm?: boolean;
  /** Share of answers cut mid-body (the connection drops), 0..1. */
  truncateRate?: number;
  /**
   * Court cards in one of the real layout variants (sudrf old template, msudrf layout B), `none` by
   * default: `movement_only` (just the number and the movement pane, like
   * fixtures/real/sudrf/sudrf_oldtpl_leninsky_tyumen_2-3891-2026_card_movement_sanitized.html),
   * `panes_reordered` (parties before movement), `panes_missing` (no parties pane), `name_first_parties`
   * (the name column before the role, as on the Anadyr msudrf card).
   */
  layoutVariant?: CourtLayoutVariant;
  /** Share of court pages answered with the anti-bruteforce page «Информация временно недоступна» (HTTP 200), 0..1. */
  antiBruteforceRate?: number;
  /** sudrf: a request without `srv_num` gets the server-choice landing «Выберите сервер» instead of server 1. */
  serverChoice?: boolean;
}

/** The real card layout variants the court replicas can serve (FaultSpec.layoutVariant). */
export type CourtLayoutVariant = 'none' | 'movement_only' | 'panes_reordered' | 'panes_missing' | 'name_first_parties';
export const COURT_LAYOUT_VARIANTS: readonly CourtLayoutVariant[] = ['none', 'movement_only', 'panes_reordered', 'panes_missing', 'name_first_parties'];

/** Every fault off (sandbox/faults/site-faults.ts holds the transport part). */
const NO_FAULTS: Required<Omit<FaultSpec, 'host'>> = {
  layoutDrift: false, geoBlockAddresses: [], errorRate: 0, latencyMs: 0, ...NO_TRANSPORT_FAULTS, layoutVariant: 'none', antiBruteforceRate: 0, serverChoice: false,
};

/**
 * Who asked, as a site sees it: the source address and the headers that make a client's
 * fingerprint (`GET /__sandbox/clients`; one per request, the last {@link CLIENT_LOG_SIZE} kept).
 */
export interface SeenClient {
  host: string;
  path: string;
  source: string;
  userAgent: string;
  acceptLanguage: string;
  secChUa: string;
  secChUaPlatform: string;
}

/** Requests kept in the client log (oldest dropped first). */
export const CLIENT_LOG_SIZE = 5000;

/** Counts requests per host, and keeps who asked. */
export class StatsRecorder {
  readonly #hosts = new Map<string, HostStats & { recent: number[] }>();
  readonly #clients: SeenClient[] = [];

  /** Note who sent a request. */
  client(seen: SeenClient): void {
    this.#clients.push(seen);
    if (this.#clients.length > CLIENT_LOG_SIZE) this.#clients.splice(0, this.#clients.length - CLIENT_LOG_SIZE);
  }

  /** The client log, oldest first (a copy). */
  clients(): SeenClient[] {
    return this.#clients.map((c) => ({ ...c }));
  }

  /** Note a request start; call the returned function when it ends. */
  begin(host: string, nowMs: number): () => void {
    let s = this.#hosts.get(host);
    if (!s) {
      s = { requests: 0, maxPerSecond: 0, maxConcurrent: 0, concurrent: 0, recent: [] };
      this.#hosts.set(host, s);
    }
    const st = s;
    st.requests++;
    st.recent.push(nowMs);
    while ((st.recent[0] ?? nowMs) <= nowMs - 1000) st.recent.shift();
    st.maxPerSecond = Math.max(st.maxPerSecond, st.recent.length);
    st.concurrent++;
    st.maxConcurrent = Math.max(st.maxConcurrent, st.concurrent);
    return () => { st.concurrent--; };
  }

  /** A copy of the figures per host. */
  snapshot(): Record<string, HostStats> {
    const out: Record<string, HostStats> = {};
    for (const [host, { recent: _r, ...s }] of this.#hosts) out[host] = { ...s };
    return out;
  }
}

/** Active faults: per host, plus a default for every host. */
export class FaultBoard {
  readonly #byHost = new Map<string, Required<Omit<FaultSpec, 'host'>>>();

  /** Apply a spec; `{}` clears everything, `{ host }` alone clears that host. */
  set(spec: FaultSpec): void {
    const { host, ...rest } = spec;
    const key = host?.toLowerCase() ?? '*';
    if (Object.keys(rest).length === 0) {
      if (host === undefined) this.#byHost.clear();
      else this.#byHost.delete(key);
      return;
    }
    const rate = rest.errorRate ?? 0;
    if (!(rate >= 0 && rate <= 1)) throw new RangeError('errorRate must be within 0..1');
    for (const k of ['timeoutRate', 'rate429', 'slowRate', 'truncateRate', 'antiBruteforceRate'] as const) {
      const v = rest[k] ?? 0;
      if (!(v >= 0 && v <= 1)) throw new RangeError(`${k} must be within 0..1`);
    }
    if (rest.layoutVariant !== undefined && !COURT_LAYOUT_VARIANTS.includes(rest.layoutVariant)) {
      throw new RangeError(`layoutVariant must be one of ${COURT_LAYOUT_VARIANTS.join(', ')}`);
    }
    const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    this.#byHost.set(key, {
      ...NO_FAULTS,
      ...defined,
      layoutDrift: rest.layoutDrift ?? false,
      errorRate: rate,
      latencyMs: Math.max(0, rest.latencyMs ?? 0),
    });
  }

  /** Effective faults for a host (host-specific beats the default). */
  get(host: string): Required<Omit<FaultSpec, 'host'>> {
    return this.#byHost.get(host) ?? this.#byHost.get('*') ?? { ...NO_FAULTS };
  }

  /** All active specs. */
  list(): FaultSpec[] {
    return [...this.#byHost].map(([host, f]) => (host === '*' ? { ...f } : { host, ...f }));
  }
}
