import { envSchema, type ParsedEnv } from './schema.ts';

export { DEFAULT_TARGET_HOSTS } from './schema.ts';

/** The farm's configuration: parsed once from the environment, nested, frozen. */
export interface Config {
  env: ParsedEnv['NODE_ENV'];
  log: { level: ParsedEnv['LOG_LEVEL'] };
  runDir: string;
  /**
   * Redis: one URL, or Sentinel (`sentinels` + `sentinelName`, fail-over), or Cluster (`clusterNodes`).
   * queues/redis.ts createRedis builds the right ioredis client from it.
   */
  redis: { url: string | undefined; sentinels?: Array<{ host: string; port: number }>; sentinelName: string; clusterNodes?: Array<{ host: string; port: number }> };
  mongo: { uri: string | undefined; db: string };
  queue: { prefix: string; attempts: number; backoffMs: number };
  robot: {
    concurrency: number;
    browserPages: number;
    /** BullMQ job lock, ms; stalled jobs of a dead robot are recovered after it (ROBOT_LOCK_DURATION_MS). */
    lockDurationMs: number;
    modes: { 'court-sudrf': 'http' | 'browser'; 'court-mos-sud'?: 'http' | 'browser' };
  };
  browser: { executablePath: string | undefined; headless: boolean; retireAfterPages: number; pageReuse: number };
  http: { timeoutMs: number };
  targets: { hosts: string[]; sandboxOrigin: string | undefined };
  /** Egress proxies (issue 15 §1): default pool, pools by host pattern, rest after failure, in flight per proxy. Empty = direct. */
  egress: { proxyUrls: string[]; pools: Record<string, string[]>; restSecs: number; perProxyConcurrency: number };
  politeness: {
    default: { rps: number; concurrency: number };
    hosts: Record<string, { rps: number; concurrency: number }>;
  };
  captcha: {
    maxTries: number;
    tessdataDir: string;
    rucaptcha: { key: string | undefined; url: string; pollMs: number; timeoutMs: number };
    operator: { waitMs: number; taskTtlMs: number };
  };
  /** OCR workers (ocr/): `workers` 0 = one per core. */
  ocr: { workers: number; recycleAfterPages: number; renderDpi: number };
  evidence: {
    screenshotFormat: 'png' | 'jpeg'; jpegQuality: number; store: 'gridfs' | 'fs'; dir: string; retentionDays: number;
    /** Pictures of HTTP captures (robots/capture-picture/); optional so configs built before it keep working (absent = on). */
    pictures?: boolean;
  };
  /** Re-check schedule of court cases (scheduler/): cadence, pass interval, courts' time zone, calendar override. */
  recheck: { intervalHours: number; nearDeadlineHours: number; nearDeadlineWorkingDays: number; passSecs: number; maxPerPass: number; timeZone: string };
  calendar: { overridePath: string | undefined };
  /** HTTP API: listen address, body and batch limits. */
  api: {
    host: string; port: number; bodyLimitBytes: number; batchMaxRows: number;
    /** Per API key and minute, shared through Redis; 0 = unlimited; ops keys exempt when `exemptOps`. */
    rateLimit: { requestsPerMinute: number; rowsPerMinute: number; exemptOps: boolean };
  };
  /** `/metrics`: own port (0 = the API's), address, optional scrape token (else an `ops` key). */
  metrics: { port: number; host: string; token: string | undefined };
  /** Ops and auditor UIs: the origins forms may come from (empty = each request's own), login lifetime. */
  ui: { publicOrigins: string[]; sessionHours: number };
  /** Ops (issue 8): circuit breaker, shutdown deadline, browser recycling by memory, heartbeats, robot metrics port. */
  ops: { circuitFailures: number; circuitCooldownMs: number; shutdownDeadlineMs: number; browserRecycleMb: number; heartbeatSecs: number; robotMetricsPort: number; stuckSweepSecs: number; roleHealthPort: number };
  /** Webhook deliveries: private targets allowed?, retry window, first backoff, timeout. */
  webhooks: { allowPrivate: boolean; retryWindowMs: number; backoffMs: number; timeoutMs: number };
  /** EPGU: accounts (credentials stay here), the key sealing cookies at rest, answer term, feed retries. */
  epgu: { accounts: Array<{ id: string; login: string; password: string; totpSecret?: string }>; encryptionKey: string | undefined; answerWorkingDays: number; feedRetryMs: number; feedTries: number };
  /** Russian Post tracking: accounts (credentials stay here), the daily limit per account, batch threshold, ticket polling, re-check cadence. */
  postTracking: { accounts: Array<{ id: string; login: string; password: string }>; dailyLimit: number; batchMin: number; ticketPollMs: number; recheckSecs: number; recheckMaxSecs: number };
}

/** Thrown when the environment does not parse; the message lists every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses `env` (default: `process.env`) into a frozen `Config`.
 * Tests pass a plain object. Throws ConfigError naming each bad variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const e = parsed.data;
  return deepFreeze({
    env: e.NODE_ENV,
    log: { level: e.LOG_LEVEL },
    runDir: e.KONVEYER_RUN_DIR,
    redis: { url: e.REDIS_URL, sentinels: e.REDIS_SENTINELS, sentinelName: e.REDIS_SENTINEL_NAME, clusterNodes: e.REDIS_CLUSTER_NODES },
    mongo: { uri: e.MONGODB_URI, db: e.MONGODB_DB },
    // Redis Cluster: a queue's keys must share one slot, so the prefix carries a {hash tag}.
    queue: { prefix: e.REDIS_CLUSTER_NODES && !/\{[^}]+\}/.test(e.QUEUE_PREFIX) ? `{${e.QUEUE_PREFIX}}` : e.QUEUE_PREFIX, attempts: e.JOB_ATTEMPTS, backoffMs: e.JOB_BACKOFF_MS },
    robot: {
      concurrency: e.ROBOT_CONCURRENCY,
      browserPages: e.ROBOT_BROWSER_PAGES,
      lockDurationMs: e.ROBOT_LOCK_DURATION_MS,
      modes: { 'court-sudrf': e.COURT_SUDRF_MODE, 'court-mos-sud': e.COURT_MOS_SUD_MODE },
    },
    browser: {
      executablePath: e.CHROMIUM_PATH === '' ? undefined : e.CHROMIUM_PATH,
      headless: e.BROWSER_HEADLESS,
      retireAfterPages: e.BROWSER_RETIRE_AFTER_PAGES,
      pageReuse: e.BROWSER_PAGE_REUSE,
    },
    http: { timeoutMs: e.HTTP_TIMEOUT_MS },
    targets: { hosts: e.TARGET_HOSTS, sandboxOrigin: e.SANDBOX_ORIGIN },
    egress: { proxyUrls: e.PROXY_URLS, pools: e.PROXY_POOLS, restSecs: e.PROXY_REST_SECS, perProxyConcurrency: e.PROXY_CONCURRENCY },
    politeness: {
      default: { rps: e.POLITENESS_RPS, concurrency: e.POLITENESS_CONCURRENCY },
      hosts: e.POLITENESS_HOSTS,
    },
    captcha: {
      maxTries: e.CAPTCHA_MAX_TRIES,
      tessdataDir: e.TESSDATA_DIR,
      rucaptcha: { key: e.RUCAPTCHA_KEY || undefined, url: e.RUCAPTCHA_URL, pollMs: e.RUCAPTCHA_POLL_MS, timeoutMs: e.RUCAPTCHA_TIMEOUT_SECS * 1000 },
      operator: { waitMs: e.CAPTCHA_OPERATOR_WAIT_SECS * 1000, taskTtlMs: e.CAPTCHA_TASK_TTL_SECS * 1000 },
    },
    ocr: { workers: e.OCR_WORKERS, recycleAfterPages: e.OCR_RECYCLE_AFTER_PAGES, renderDpi: e.OCR_RENDER_DPI },
    evidence: { screenshotFormat: e.EVIDENCE_SCREENSHOT_FORMAT, jpegQuality: e.EVIDENCE_JPEG_QUALITY, store: e.EVIDENCE_STORE, dir: e.EVIDENCE_DIR, retentionDays: e.EVIDENCE_RETENTION_DAYS, pictures: e.EVIDENCE_PICTURES },
    recheck: {
      intervalHours: e.RECHECK_INTERVAL_HOURS,
      nearDeadlineHours: e.RECHECK_NEAR_DEADLINE_HOURS,
      nearDeadlineWorkingDays: e.RECHECK_NEAR_DEADLINE_WORKING_DAYS,
      passSecs: e.RECHECK_PASS_SECS,
      maxPerPass: e.RECHECK_MAX_PER_PASS,
      timeZone: e.COURT_TIME_ZONE,
    },
    calendar: { overridePath: e.CALENDAR_OVERRIDE_PATH || undefined },
    api: {
      host: e.API_HOST, port: e.API_PORT, bodyLimitBytes: e.API_BODY_LIMIT_BYTES, batchMaxRows: e.API_BATCH_MAX_ROWS,
      rateLimit: { requestsPerMinute: e.API_RATE_LIMIT_REQUESTS_PER_MIN, rowsPerMinute: e.API_RATE_LIMIT_ROWS_PER_MIN, exemptOps: e.API_RATE_LIMIT_EXEMPT_OPS },
    },
    metrics: { port: e.METRICS_PORT, host: e.METRICS_HOST ?? e.API_HOST, token: e.METRICS_TOKEN || undefined },
    ui: { publicOrigins: e.API_PUBLIC_ORIGINS, sessionHours: e.UI_SESSION_HOURS },
    ops: {
      circuitFailures: e.CIRCUIT_FAILURES,
      circuitCooldownMs: e.CIRCUIT_COOLDOWN_MS,
      shutdownDeadlineMs: e.SHUTDOWN_DEADLINE_MS,
      browserRecycleMb: e.BROWSER_RECYCLE_MB,
      heartbeatSecs: e.HEARTBEAT_SECS,
      robotMetricsPort: e.ROBOT_METRICS_PORT,
      roleHealthPort: e.ROLE_HEALTH_PORT,
      stuckSweepSecs: e.STUCK_SWEEP_SECS,
    },
    webhooks: {
      allowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
      retryWindowMs: e.WEBHOOK_RETRY_WINDOW_MS,
      backoffMs: e.WEBHOOK_BACKOFF_MS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
    },
    postTracking: { accounts: e.POST_TRACKING_ACCOUNTS, dailyLimit: e.POST_TRACKING_DAILY_LIMIT, batchMin: e.POST_TRACKING_BATCH_MIN, ticketPollMs: e.POST_TRACKING_TICKET_POLL_MS, recheckSecs: e.POST_TRACKING_RECHECK_SECS, recheckMaxSecs: Math.max(e.POST_TRACKING_RECHECK_MAX_SECS, e.POST_TRACKING_RECHECK_SECS) },
    epgu: { accounts: e.EPGU_ACCOUNTS, encryptionKey: e.ENCRYPTION_KEY?.trim() || undefined, answerWorkingDays: e.EPGU_ANSWER_WORKING_DAYS, feedRetryMs: e.EPGU_FEED_RETRY_MS, feedTries: e.EPGU_FEED_TRIES },
  });
}

/** A copy of `config` with parts replaced; for tests and for the demo, which fills in service URLs. */
export function withOverrides(config: Config, patch: DeepPartial<Config>): Config {
  return deepFreeze(merge(structuredClone(config) as unknown as Record<string, unknown>, patch as Record<string, unknown>) as unknown as Config);
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

function merge(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(patch)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && target[k] && typeof target[k] === 'object') {
      merge(target[k] as Record<string, unknown>, v as Record<string, unknown>);
    } else if (v !== undefined) {
      target[k] = v;
    }
  }
  return target;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
