import { z } from 'zod';

/** Parses `true/false/1/0/yes/no` environment strings. */
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : v === 'true' || v === '1' || v === 'yes'));

const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const list = (fallback: string[]) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? fallback : v.split(',').map((s) => s.trim()).filter(Boolean)));

/** Proxy URLs checked one by one: http(s)/socks scheme, a host, a port; a bad one names `name`. */
function proxyList(urls: string[], name: string, ctx: z.RefinementCtx): string[] {
  for (const u of urls) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(u);
    } catch {
      parsed = null;
    }
    if (!parsed || !/^(https?|socks[45]?):$/.test(parsed.protocol) || !parsed.hostname || !parsed.port) {
      ctx.addIssue({ code: 'custom', message: `${name}: "${u.replace(/\/\/[^@/]*@/, '//***@')}" is not a proxy URL (http://user:pass@host:port)` });
    }
  }
  return urls;
}

/** `host:port,host:port` → `[{ host, port }]`; undefined or blank → undefined. */
function hostPorts(v: string | undefined, name: string, ctx: z.RefinementCtx): Array<{ host: string; port: number }> | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const out: Array<{ host: string; port: number }> = [];
  for (const part of v.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(part);
    const port = m ? Number(m[2]) : 0;
    if (!m || port < 1 || port > 65_535) {
      ctx.addIssue({ code: 'custom', message: `${name}: "${part}" is not host:port` });
      continue;
    }
    out.push({ host: m[1]!.replace(/^\[|\]$/g, ''), port });
  }
  return out;
}

/**
 * A JSON array of accounts `[{id, login, password, …extra}]` in one variable (EPGU, Russian Post):
 * blank → `[]`; a value that is not such an array is an error naming the variable and the bad
 * fields, never echoing the value (it holds passwords).
 */
function jsonAccounts<E extends z.ZodRawShape>(name: string, extraNames: string, extra: E) {
  const item = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), login: z.string().min(1), password: z.string().min(1), ...extra });
  type Account = z.infer<typeof item>;
  return z
    .string()
    .optional()
    .transform((v, ctx): Account[] => {
      if (!v || !v.trim()) return [];
      let raw: unknown;
      try {
        raw = JSON.parse(v);
      } catch {
        ctx.addIssue({ code: 'custom', message: `${name} must be a JSON array of {id, login, password${extraNames ? `, ${extraNames}` : ''}}` });
        return z.NEVER;
      }
      const parsed = z.array(item).safeParse(raw);
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: `${name}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` });
        return z.NEVER;
      }
      return parsed.data;
    });
}

/** Default target hosts the robots may contact; anything else is refused (DESIGN.md §Politeness). */
export const DEFAULT_TARGET_HOSTS = [
  '*.sudrf.ru',
  '*.msudrf.ru',
  'mirsud.spb.ru',
  'mos-sud.ru',
  'mos-gorsud.ru',
  'fssp.gov.ru',
  'is.fssp.gov.ru',
  '*.gosuslugi.ru',
  'gosuslugi.ru',
  'tracking.russianpost.ru',
];

/**
 * Every environment variable konveyer reads, declared once with its default.
 * `loadConfig` turns it into the nested, frozen `Config`.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** pino level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Folder for embedded services, robot scratch files and demo output. */
  KONVEYER_RUN_DIR: z.string().min(1).default('.run'),

  /** Redis for the queues; unset = the embedded redis-server started by `konveyer services|demo`. */
  REDIS_URL: z.string().url().optional(),
  /**
   * Redis Sentinel (production fail-over): `host:port,host:port` of the sentinels; when set, REDIS_URL
   * is not needed and ioredis asks the sentinels for the master named REDIS_SENTINEL_NAME.
   */
  REDIS_SENTINELS: z
    .string()
    .optional()
    .transform((v, ctx) => hostPorts(v, 'REDIS_SENTINELS', ctx)),
  /** Master name the sentinels watch (`sentinel monitor <name> …`). */
  REDIS_SENTINEL_NAME: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).default('mymaster'),
  /**
   * Redis Cluster: `host:port,…` of some cluster nodes (ioredis discovers the rest). BullMQ needs
   * every key of a queue in one slot, so QUEUE_PREFIX is wrapped in a `{hash tag}` when it has none.
   */
  REDIS_CLUSTER_NODES: z
    .string()
    .optional()
    .transform((v, ctx) => hostPorts(v, 'REDIS_CLUSTER_NODES', ctx)),
  /** MongoDB (or any MongoDB-wire server); unset = mongod on PATH, else embedded FerretDB. */
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'a mongodb:// or mongodb+srv:// URI').optional(),
  /** Database name used when the URI names none. */
  MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/).default('konveyer'),
  /** BullMQ key prefix; tests use one per file. */
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_:{}-]{1,66}$/).default('konveyer'),

  /** Job attempts before a lookup ends failed (retryable errors only). */
  JOB_ATTEMPTS: int(5, 1, 50),
  /** First backoff delay in ms; doubles each attempt. */
  JOB_BACKOFF_MS: int(2000, 10, 3_600_000),

  /** Jobs one robot process runs at once (HTTP-mode jobs). */
  ROBOT_CONCURRENCY: int(16, 1, 256),
  /** Browser pages one robot process keeps open and reuses (browser-mode jobs). */
  ROBOT_BROWSER_PAGES: int(4, 1, 32),
  /** Job lock of a robot, ms: a job whose robot died (kill -9) is taken over by another after this. */
  ROBOT_LOCK_DURATION_MS: int(60_000, 1000, 3_600_000),
  /** Chromium binary; empty = Playwright's own downloaded browser. */
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
  BROWSER_HEADLESS: bool(true),
  /** A browser (with its context) is retired — closed and replaced — after its pages served this many jobs, or this many pages were opened in it. */
  BROWSER_RETIRE_AFTER_PAGES: int(500, 1, 100_000),
  /** A reused page is closed and replaced after this many jobs. */
  BROWSER_PAGE_REUSE: int(100, 1, 100_000),
  /** Which mode the sudrf robot uses: plain HTTP or a real browser. */
  COURT_SUDRF_MODE: z.enum(['http', 'browser']).default('http'),
  /** Which mode the mos-sud.ru robot uses (cards are server-rendered; mirsud.spb.ru is always browser). */
  COURT_MOS_SUD_MODE: z.enum(['http', 'browser']).default('http'),

  /** Per-request timeout; real court sites often take 30 s and more. */
  HTTP_TIMEOUT_MS: int(90_000, 100, 600_000),
  /** Allowed target hosts (`*.` wildcards); robots refuse every other host. */
  TARGET_HOSTS: list(DEFAULT_TARGET_HOSTS),
  /**
   * When set (e.g. `http://127.0.0.1:4100`), every target host resolves to this address and is
   * spoken to over plain HTTP on its port: the sandbox replicas answer by Host header.
   */
  SANDBOX_ORIGIN: z.string().url().optional(),

  /** Egress (issue 15 §1): the default proxy pool, comma-separated `http://user:pass@host:port`; unset = direct. */
  PROXY_URLS: z.string().optional().transform((v, ctx) => proxyList((v ?? '').split(',').map((s) => s.trim()).filter(Boolean), 'PROXY_URLS', ctx)),
  /** Proxy pools by target host group, JSON `{"*.sudrf.ru":["http://u:p@h:port"],"is.fssp.gov.ru":[…]}`; hosts of no group use PROXY_URLS. */
  PROXY_POOLS: z.string().optional().transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return {} as Record<string, string[]>;
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'PROXY_POOLS is not JSON ({"*.sudrf.ru":["http://u:p@h:port"]})' });
      return {} as Record<string, string[]>;
    }
    const out: Record<string, string[]> = {};
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      ctx.addIssue({ code: 'custom', message: 'PROXY_POOLS must be an object of host pattern → proxy URL list' });
      return out;
    }
    for (const [pattern, urls] of Object.entries(parsed as Record<string, unknown>)) {
      if (!Array.isArray(urls) || urls.some((u) => typeof u !== 'string')) {
        ctx.addIssue({ code: 'custom', message: `PROXY_POOLS["${pattern}"] must be a list of proxy URLs` });
        continue;
      }
      out[pattern.toLowerCase()] = proxyList(urls as string[], `PROXY_POOLS["${pattern}"]`, ctx);
    }
    return out;
  }),
  /** How long a proxy rests after it failed (dead, 407, blocked), seconds. */
  PROXY_REST_SECS: int(300, 1, 86_400),
  /** Requests in flight through one proxy, across all target hosts of this process. */
  PROXY_CONCURRENCY: int(8, 1, 1024),

  /** Default politeness per target host: requests per second and requests in flight. */
  POLITENESS_RPS: z.coerce.number().positive().max(1000).default(4),
  POLITENESS_CONCURRENCY: int(2, 1, 256),
  /** Per-host overrides: `host=rps/concurrency,host2=rps/concurrency`. */
  POLITENESS_HOSTS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const out: Record<string, { rps: number; concurrency: number }> = {};
      for (const part of (v ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
        const m = /^([^=\s]+)=(\d+(?:\.\d+)?)\/(\d+)$/.exec(part);
        if (!m) {
          ctx.addIssue({ code: 'custom', message: `"${part}" is not host=rps/concurrency (e.g. oktyabrsky--spb.sudrf.ru=2/1)` });
          return z.NEVER;
        }
        out[m[1]!] = { rps: Number(m[2]), concurrency: Number(m[3]) };
      }
      return out;
    }),

  // ---- Ops (issue 8) ----
  /** Consecutive failures (5xx, network, timeout) of a target host that open its circuit for the whole farm. */
  CIRCUIT_FAILURES: int(5, 1, 1000),
  /** How long an open circuit refuses requests before one probe goes through. */
  CIRCUIT_COOLDOWN_MS: int(30_000, 100, 3_600_000),
  /** On SIGTERM or drain, active jobs get this long to finish; the rest go back to the queue. */
  SHUTDOWN_DEADLINE_MS: int(30_000, 0, 3_600_000),
  /** Browsers are recycled when this robot's Chromium processes use more than this many MB (0 = never). */
  BROWSER_RECYCLE_MB: int(3000, 0, 1_000_000),
  /** Seconds between robot heartbeats in MongoDB `robots`. */
  HEARTBEAT_SECS: int(10, 1, 3600),
  /** A robot serves its Prometheus metrics on this port (0 = off). */
  ROBOT_METRICS_PORT: int(0, 0, 65_535),
  /** Seconds between a robot's sweeps for lookups left `running` whose queue job failed or vanished (0 = off). */
  STUCK_SWEEP_SECS: int(120, 0, 86_400),

  /** Captcha answers tried within one job attempt before the attempt fails as captcha_wrong. */
  CAPTCHA_MAX_TRIES: int(6, 1, 50),
  /** tesseract traineddata folder (Debian's tesseract-ocr-rus/eng). */
  TESSDATA_DIR: z.string().default('/usr/share/tesseract-ocr/5/tessdata'),
  /** rucaptcha/2captcha-compatible solving service: API key (unset = the service is not used) and base URL. */
  RUCAPTCHA_KEY: z.string().optional(),
  RUCAPTCHA_URL: z.string().url().default('https://rucaptcha.com'),
  /** How often the service is polled for an answer, and how long an answer is waited for. */
  RUCAPTCHA_POLL_MS: int(5000, 10, 60_000),
  RUCAPTCHA_TIMEOUT_SECS: int(120, 1, 600),
  /** How long a robot waits in-process for an operator's answer before it parks the lookup (0 = park at once). */
  CAPTCHA_OPERATOR_WAIT_SECS: int(20, 0, 600),
  /** How long a parked captcha task (and its site session) is worth answering. */
  CAPTCHA_TASK_TTL_SECS: int(1800, 10, 86_400),

  /** OCR (ocr/): tesseract.js workers (0 = one per core), pages per worker before its scheduler is recycled, render DPI. */
  OCR_WORKERS: int(0, 0, 64),
  OCR_RECYCLE_AFTER_PAGES: int(200, 1, 100_000),
  OCR_RENDER_DPI: int(300, 72, 600),

  /** Screenshot format for browser evidence, and JPEG quality. */
  EVIDENCE_SCREENSHOT_FORMAT: z.enum(['png', 'jpeg']).default('png'),
  EVIDENCE_JPEG_QUALITY: int(70, 1, 100),
  /** Where evidence bodies go: MongoDB GridFS (bucket `evidence`) or a folder (`EVIDENCE_DIR`). S3: see storage/evidence/s3.backend.ts. */
  EVIDENCE_STORE: z.enum(['gridfs', 'fs']).default('gridfs'),
  /** Folder of the `fs` evidence store. */
  EVIDENCE_DIR: z.string().min(1).default('.run/evidence'),
  /** Bodies older than this many days are deleted by `konveyer evidence retention` (items and manifests stay); 0 = keep forever. */
  EVIDENCE_RETENTION_DAYS: int(0, 0, 36_500),
  /** A picture of every HTTP capture: robots serve `capture.picture`, drawing each offline (JPEG at EVIDENCE_JPEG_QUALITY) into the same chain. */
  EVIDENCE_PICTURES: bool(true),

  // ---- Re-check schedule (issue 4) ----
  /** Hours between re-checks of a tracked court case far from a deadline. */
  RECHECK_INTERVAL_HOURS: z.coerce.number().positive().max(24 * 365).default(72),
  /** Hours between re-checks when the expected date is near or past. */
  RECHECK_NEAR_DEADLINE_HOURS: z.coerce.number().positive().max(24 * 365).default(24),
  /** "Near a deadline": the expected date is at most this many working days ahead. */
  RECHECK_NEAR_DEADLINE_WORKING_DAYS: int(2, 0, 60),
  /** Seconds between scheduler passes. */
  RECHECK_PASS_SECS: int(300, 1, 86_400),
  /** Re-checks submitted per pass at most. */
  RECHECK_MAX_PER_PASS: int(5000, 1, 1_000_000),
  /** Courts' time zone for "today" in deadlines (IANA). */
  COURT_TIME_ZONE: z.string().min(1).default('Europe/Moscow'),
  /** Admin override of the production calendar: a JSON file shaped like core/calendar/ru-2024-2027.json. */
  CALENDAR_OVERRIDE_PATH: z.string().optional(),

  // ---- HTTP API (issue 6) ----
  /** Address and port `konveyer api` listens on. */
  API_HOST: z.string().min(1).default('0.0.0.0'),
  API_PORT: int(8080, 0, 65_535),
  /** Largest request body (JSON or CSV) in bytes; larger gets 413. */
  API_BODY_LIMIT_BYTES: int(64 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  /** Most rows in one batch; more gets 413. */
  API_BATCH_MAX_ROWS: int(100_000, 1, 1_000_000),
  /** `/metrics` on its own port (0 = on the API's port); METRICS_HOST is its address (default API_HOST). */
  METRICS_PORT: int(0, 0, 65_535),
  METRICS_HOST: z.string().min(1).optional(),
  /** A bearer token Prometheus may scrape `/metrics` with instead of an `ops` API key (at least 24 characters). */
  METRICS_TOKEN: z.string().min(24).optional(),
  /** Origins the ops and auditor UIs are reached under, comma-separated (behind a proxy); default each request's own. */
  API_PUBLIC_ORIGINS: list([]),
  /** Lifetime of an ops or auditor UI login, hours. */
  UI_SESSION_HOURS: z.coerce.number().positive().max(24 * 30).default(8),
  /** Requests per API key per minute (shared through Redis by every API process); over → 429 with Retry-After. 0 = no limit. */
  API_RATE_LIMIT_REQUESTS_PER_MIN: int(1200, 0, 10_000_000),
  /** Batch rows per API key per minute; 0 = no limit. A batch bigger than this gets 413 (split it). */
  API_RATE_LIMIT_ROWS_PER_MIN: int(200_000, 0, 100_000_000),
  /** Keys with the `ops` scope are not limited. */
  API_RATE_LIMIT_EXEMPT_OPS: bool(true),
  /** Port of the health endpoint of the robots, OCR and scheduler roles (/livez, /readyz) for probes; 0 = none. */
  ROLE_HEALTH_PORT: int(8081, 0, 65_535),
  /** Allow webhook URLs on loopback/private/link-local addresses (tests, closed networks). */
  WEBHOOK_ALLOW_PRIVATE: bool(false),
  /** How long a webhook delivery is retried before it is kept as undelivered (default 24 h). */
  WEBHOOK_RETRY_WINDOW_MS: int(24 * 3600 * 1000, 100, 30 * 24 * 3600 * 1000),
  /** First retry delay of a webhook delivery; doubles, capped at 1 h. */
  WEBHOOK_BACKOFF_MS: int(10_000, 10, 3_600_000),
  /** Per-delivery HTTP timeout. */
  WEBHOOK_TIMEOUT_MS: int(10_000, 100, 120_000),

  // ---- EPGU (issue 5) ----
  /**
   * EPGU accounts as JSON: `[{"id":"acc1","login":"…","password":"…","totpSecret":"BASE32…"}]`
   * (totpSecret optional: without it the second factor is an SMS code typed by an operator).
   * Jobs name the account id only; credentials never leave config.
   */
  EPGU_ACCOUNTS: jsonAccounts('EPGU_ACCOUNTS', 'totpSecret?', { totpSecret: z.string().regex(/^[A-Za-z2-7=\s]+$/).optional() }),
  /** AES-256-GCM key for secrets at rest (EPGU session cookies): 64 hex characters or base64 of 32 bytes. */
  ENCRYPTION_KEY: z
    .string()
    .optional()
    .refine((v) => !v || /^[0-9a-fA-F]{64}$/.test(v.trim()) || Buffer.from(v.trim(), 'base64').length === 32, 'ENCRYPTION_KEY must be 32 bytes: 64 hex characters or base64'),
  /** Working days FSSP has to decide a party's application (229-ФЗ ст.64.1 ч.5). */
  EPGU_ANSWER_WORKING_DAYS: int(10, 1, 60),
  /** Pauses between retries of a ГЭПС feed call that answered 5xx, and how many tries. */
  EPGU_FEED_RETRY_MS: int(1000, 0, 60_000),
  EPGU_FEED_TRIES: int(4, 1, 20),

  // ---- Russian Post tracking (issue 17) ----
  /**
   * Tracking API accounts as JSON: `[{"id":"main","login":"…","password":"…"}]` (login and password
   * from «Настройки доступа» of tracking.pochta.ru). Jobs never carry credentials; the robot picks
   * the first account with requests left today.
   */
  POST_TRACKING_ACCOUNTS: jsonAccounts('POST_TRACKING_ACCOUNTS', '', {}),
  /** Requests one account may make a (Moscow) day, counted in Redis across the farm; past it lookups wait for the next day. */
  POST_TRACKING_DAILY_LIMIT: int(100, 1, 10_000_000),
  /** A batch lookup with more identifiers than this goes through batch access (getTicket); fewer, one by one. */
  POST_TRACKING_BATCH_MIN: int(5, 0, 3000),
  /** Wait before asking for a ticket's answer, and between asks, ms (the specification: not more often than every 15 minutes). */
  POST_TRACKING_TICKET_POLL_MS: int(900_000, 10, 86_400_000),
  /** Re-check of a letter not final: after a change, and the ceiling it doubles up to while nothing changes, seconds. */
  POST_TRACKING_RECHECK_SECS: int(21_600, 1, 30 * 86_400),
  POST_TRACKING_RECHECK_MAX_SECS: int(172_800, 1, 90 * 86_400),
});

export type Env = z.input<typeof envSchema>;
export type ParsedEnv = z.output<typeof envSchema>;
