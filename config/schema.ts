import { z } from 'zod';
import { readSigningKeyPem, readVerifyKeyPems } from './evidence-keys.ts';

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

/** Members of CAPTCHA_CHAIN. */
const CAPTCHA_CHAIN_MEMBERS = ['local', 'service', 'operator'] as const;

/** A key variable read by `read` (PEM text or files); its error names the variable, never the value. */
function keyVar<T>(read: (v: string | undefined) => T) {
  return z
    .string()
    .optional()
    .transform((v, ctx): T => {
      try {
        return read(v);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    });
}

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

/** Seconds in the environment, milliseconds in the config. */
const secsToMs = (secs: number) => secs * 1000;

/** One setting: the environment variable it is read from and its schema (type, checks, default). */
export interface Setting<S extends z.ZodType = z.ZodType> {
  readonly env: string;
  readonly schema: S;
}

const from = <S extends z.ZodType>(env: string, schema: S): Setting<S> => ({ env, schema });

/** A tree of settings: each leaf a `Setting`, each branch a group of the config. */
export interface SettingsTree {
  readonly [key: string]: Setting | SettingsTree;
}

/**
 * Every setting konveyer reads, declared once: its place in the config, its environment variable,
 * its type, checks and default, and (the comment above it) what it means. `Config` is inferred from
 * this tree; `loadConfig` parses the environment with `envSchema` and puts each value in its place.
 */
export const settings = {
  /** `development`, `production` or `test`. */
  env: from('NODE_ENV', z.enum(['development', 'production', 'test']).default('development')),
  log: {
    /** pino level. */
    level: from('LOG_LEVEL', z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  },
  /** Folder for embedded services, robot scratch files and demo output. */
  runDir: from('KONVEYER_RUN_DIR', z.string().min(1).default('.run')),
  /** Redis: one URL, or Sentinel (`sentinels` + `sentinelName`, fail-over), or Cluster (`clusterNodes`); queues/redis.ts createRedis builds the right ioredis client from it. */
  redis: {
    /** Redis for the queues; unset = the embedded redis-server started by `konveyer services|demo`. */
    url: from('REDIS_URL', z.string().url().optional()),
    /**
     * Redis Sentinel (production fail-over): `host:port,host:port` of the sentinels; when set, REDIS_URL
     * is not needed and ioredis asks the sentinels for the master named REDIS_SENTINEL_NAME.
     */
    sentinels: from('REDIS_SENTINELS', z
      .string()
      .optional()
      .transform((v, ctx) => hostPorts(v, 'REDIS_SENTINELS', ctx))),
    /** Master name the sentinels watch (`sentinel monitor <name> …`). */
    sentinelName: from('REDIS_SENTINEL_NAME', z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).default('mymaster')),
    /**
     * Redis Cluster: `host:port,…` of some cluster nodes (ioredis discovers the rest). BullMQ needs
     * every key of a queue in one slot, so QUEUE_PREFIX is wrapped in a `{hash tag}` when it has none.
     */
    clusterNodes: from('REDIS_CLUSTER_NODES', z
      .string()
      .optional()
      .transform((v, ctx) => hostPorts(v, 'REDIS_CLUSTER_NODES', ctx))),
  },
  mongo: {
    /** MongoDB (or any MongoDB-wire server); unset = mongod on PATH, else embedded FerretDB. */
    uri: from('MONGODB_URI', z.string().regex(/^mongodb(\+srv)?:\/\//, 'a mongodb:// or mongodb+srv:// URI').optional()),
    /** Database name used when the URI names none. */
    db: from('MONGODB_DB', z.string().regex(/^[A-Za-z0-9_-]{1,63}$/).default('konveyer')),
    /**
     * Diagnostics: a file this process rewrites (every 0.5 s while they change) with the MongoDB commands it sent by
     * command and collection, and the bytes it wrote per collection (JSON). Unset = not counted. `bench/http-mode.bench.ts --profile` sets it.
     */
    commandStatsFile: from('MONGODB_COMMAND_STATS_FILE', z.string().min(1).optional()),
  },
  queue: {
    /** BullMQ key prefix; tests use one per file. */
    prefix: from('QUEUE_PREFIX', z.string().regex(/^[A-Za-z0-9_:{}-]{1,66}$/).default('konveyer')),
    /** Job attempts before a lookup ends failed (retryable errors only). */
    attempts: from('JOB_ATTEMPTS', int(5, 1, 50)),
    /** First backoff delay in ms; doubles each attempt. */
    backoffMs: from('JOB_BACKOFF_MS', int(2000, 10, 3_600_000)),
  },
  robot: {
    /** Jobs one robot process runs at once (HTTP-mode jobs). */
    concurrency: from('ROBOT_CONCURRENCY', int(16, 1, 256)),
    /** Browser pages one robot process keeps open and reuses (browser-mode jobs). */
    browserPages: from('ROBOT_BROWSER_PAGES', int(4, 1, 32)),
    /** Job lock of a robot, ms: a job whose robot died (kill -9) is taken over by another after this. */
    lockDurationMs: from('ROBOT_LOCK_DURATION_MS', int(60_000, 1000, 3_600_000)),
    /** Which mode each robot with two uses; a lookup may override it with `mode`. */
    modes: {
      /** Which mode the sudrf robot uses: plain HTTP or a real browser. */
      'court-sudrf': from('COURT_SUDRF_MODE', z.enum(['http', 'browser']).default('http')),
      /** Which mode the mos-sud.ru robot uses (cards are server-rendered; mirsud.spb.ru is always browser). */
      'court-mos-sud': from('COURT_MOS_SUD_MODE', z.enum(['http', 'browser']).default('http')),
    },
  },
  browser: {
    /** Chromium binary; empty = Playwright's own downloaded browser. */
    executablePath: from('CHROMIUM_PATH', z.string().default('/usr/bin/chromium').transform((v) => (v === '' ? undefined : v))),
    /** Chromium without a window (false: watch the robots work). */
    headless: from('BROWSER_HEADLESS', bool(true)),
    /** A browser (with its context) is retired — closed and replaced — after its pages served this many jobs, or this many pages were opened in it. */
    retireAfterPages: from('BROWSER_RETIRE_AFTER_PAGES', int(500, 1, 100_000)),
    /** A reused page is closed and replaced after this many jobs. */
    pageReuse: from('BROWSER_PAGE_REUSE', int(100, 1, 100_000)),
  },
  http: {
    /** Per-request timeout; real court sites often take 30 s and more. */
    timeoutMs: from('HTTP_TIMEOUT_MS', int(90_000, 100, 600_000)),
  },
  targets: {
    /** Allowed target hosts (`*.` wildcards); robots refuse every other host. */
    hosts: from('TARGET_HOSTS', list(DEFAULT_TARGET_HOSTS)),
    /**
     * When set (e.g. `http://127.0.0.1:4100`), every target host resolves to this address and is
     * spoken to over plain HTTP on its port: the sandbox replicas answer by Host header.
     */
    sandboxOrigin: from('SANDBOX_ORIGIN', z.string().url().optional()),
  },
  /** Egress proxies (issue 15 §1): default pool, pools by host pattern, rest after failure, in flight per proxy. Empty = direct. */
  egress: {
    /** Egress (issue 15 §1): the default proxy pool, comma-separated `http://user:pass@host:port`; unset = direct. */
    proxyUrls: from('PROXY_URLS', z.string().optional().transform((v, ctx) => proxyList((v ?? '').split(',').map((s) => s.trim()).filter(Boolean), 'PROXY_URLS', ctx))),
    /** Proxy pools by target host group, JSON `{"*.sudrf.ru":["http://u:p@h:port"],"is.fssp.gov.ru":[…]}`; hosts of no group use PROXY_URLS. */
    pools: from('PROXY_POOLS', z.string().optional().transform((v, ctx) => {
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
    })),
    /** How long a proxy rests after it failed (dead, 407, blocked), seconds. */
    restSecs: from('PROXY_REST_SECS', int(300, 1, 86_400)),
    /** Requests (browser jobs) in flight through one proxy, across all target hosts and every robot process of the farm (Redis). */
    perProxyConcurrency: from('PROXY_CONCURRENCY', int(8, 1, 1024)),
    /** Request starts per second through one proxy, across the farm (Redis, like POLITENESS_RPS per host). */
    perProxyRps: from('PROXY_RPS', z.coerce.number().positive().max(1000).default(10)),
  },
  politeness: {
    default: {
      /** Default politeness per target host: request starts per second. */
      rps: from('POLITENESS_RPS', z.coerce.number().positive().max(1000).default(4)),
      /** Default requests in flight per target host, across every robot process. */
      concurrency: from('POLITENESS_CONCURRENCY', int(2, 1, 256)),
    },
    /** Per-host overrides: `host=rps/concurrency,host2=rps/concurrency`. */
    hosts: from('POLITENESS_HOSTS', z
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
      })),
  },
  captcha: {
    /** Captcha answers tried within one job attempt before the attempt fails as captcha_wrong. */
    maxTries: from('CAPTCHA_MAX_TRIES', int(6, 1, 50)),
    /** tesseract traineddata folder (Debian's tesseract-ocr-rus/eng). */
    tessdataDir: from('TESSDATA_DIR', z.string().default('/usr/share/tesseract-ocr/5/tessdata')),
    /**
     * The captcha solvers, in the order they are asked: members `local` (tesseract OCR), `service`
     * (the rucaptcha-compatible service; needs RUCAPTCHA_KEY), `operator` (a person via captcha_tasks).
     * Leaving `local` out switches local OCR off.
     */
    chain: from(
      'CAPTCHA_CHAIN',
      z
        .string()
        .default('local,service,operator')
        .transform((v) => v.split(',').map((m) => m.trim()).filter((m) => m !== ''))
        .superRefine((members, ctx) => {
          // One message naming the bad member, on the variable itself (not `CAPTCHA_CHAIN.1`).
          const unknown = members.filter((m) => !CAPTCHA_CHAIN_MEMBERS.includes(m as never));
          if (unknown.length) ctx.addIssue({ code: 'custom', message: `unknown member ${unknown.map((m) => JSON.stringify(m)).join(', ')} (CAPTCHA_CHAIN members are local, service, operator)` });
          if (members.length === 0) ctx.addIssue({ code: 'custom', message: 'CAPTCHA_CHAIN names at least one of local, service, operator' });
          if (new Set(members).size !== members.length) ctx.addIssue({ code: 'custom', message: 'CAPTCHA_CHAIN names a member twice' });
        })
        .transform((members) => members as Array<(typeof CAPTCHA_CHAIN_MEMBERS)[number]>),
    ),
    /** Local OCR answers only at or above this confidence (0..1); below it the captcha goes to the next solver. */
    localMinConfidence: from('CAPTCHA_LOCAL_MIN_CONFIDENCE', z.coerce.number().min(0).max(1).default(0.6)),
    /** Price of one solve by the service, in roubles (for the cost figures; rucaptcha's is about 0.1). */
    servicePriceRub: from('RUCAPTCHA_PRICE_RUB', z.coerce.number().min(0).default(0.1)),
    rucaptcha: {
      /** rucaptcha/2captcha-compatible solving service: API key; unset = the service is not used. */
      key: from('RUCAPTCHA_KEY', z.string().optional().transform((v) => v || undefined)),
      /** Base URL of the solving service. */
      url: from('RUCAPTCHA_URL', z.string().url().default('https://rucaptcha.com')),
      /** How often the service is polled for an answer. */
      pollMs: from('RUCAPTCHA_POLL_MS', int(5000, 10, 60_000)),
      /** How long an answer is waited for (the variable is in seconds, the setting in ms). */
      timeoutMs: from('RUCAPTCHA_TIMEOUT_SECS', int(120, 1, 600).transform(secsToMs)),
    },
    operator: {
      /** How long a robot waits in-process for an operator's answer before it parks the lookup (0 = park at once); seconds in the variable, ms in the setting. */
      waitMs: from('CAPTCHA_OPERATOR_WAIT_SECS', int(20, 0, 600).transform(secsToMs)),
      /** How long a parked captcha task (and its site session) is worth answering; seconds in the variable, ms in the setting. */
      taskTtlMs: from('CAPTCHA_TASK_TTL_SECS', int(1800, 10, 86_400).transform(secsToMs)),
    },
  },
  /** OCR workers (ocr/). */
  ocr: {
    /** tesseract.js workers (0 = one per core). */
    workers: from('OCR_WORKERS', int(0, 0, 64)),
    /** Pages per tesseract worker before its scheduler is replaced. */
    recycleAfterPages: from('OCR_RECYCLE_AFTER_PAGES', int(200, 1, 100_000)),
    /** Resolution PDF pages are rendered at for OCR. */
    renderDpi: from('OCR_RENDER_DPI', int(300, 72, 600)),
    /** Tesseract page segmentation mode: 6 one block (default), 4 one column, 3 automatic layout (ocr/ocr-engine.ts). */
    pageSegMode: from('OCR_PAGE_SEG_MODE', z.enum(['3', '4', '6']).default('6')),
  },
  evidence: {
    /**
     * Screenshot format for browser evidence: `webp` (CDP, full page; a page beyond 16 383 px is
     * drawn as JPEG at EVIDENCE_JPEG_QUALITY), `jpeg` or lossless `png`.
     */
    screenshotFormat: from('EVIDENCE_SCREENSHOT_FORMAT', z.enum(['png', 'jpeg', 'webp']).default('webp')),
    /** JPEG quality of `jpeg` screenshots (and of pictures of HTTP captures). */
    jpegQuality: from('EVIDENCE_JPEG_QUALITY', int(70, 1, 100)),
    /**
     * WebP quality of `webp` screenshots; the default is the lowest at which OCR still reads a card's
     * case number and party names as from the PNG (test/evidence/screenshot-legibility.e2e.test.ts).
     */
    webpQuality: from('EVIDENCE_WEBP_QUALITY', int(10, 1, 100)),
    /** Where evidence bodies go: MongoDB GridFS (bucket `evidence`) or a folder (`EVIDENCE_DIR`). S3: see storage/evidence/s3.backend.ts. */
    store: from('EVIDENCE_STORE', z.enum(['gridfs', 'fs']).default('gridfs')),
    /** Folder of the `fs` evidence store. */
    dir: from('EVIDENCE_DIR', z.string().min(1).default('.run/evidence')),
    /** Bodies older than this many days are deleted by `konveyer evidence retention` (items and manifests stay); 0 = keep forever. */
    retentionDays: from('EVIDENCE_RETENTION_DAYS', int(0, 0, 36_500)),
    /**
     * Private Ed25519 key signing evidence manifests and the robots' seal logs: PEM text or the path of
     * a PEM file; the database never holds it. Unset = a key generated once into
     * `<KONVEYER_RUN_DIR>/keys/evidence-signing.pem` (a log line says so).
     */
    /** A picture of every HTTP capture: robots serve `capture.picture`, drawing each offline (JPEG at EVIDENCE_JPEG_QUALITY) into the same chain. */
    pictures: from('EVIDENCE_PICTURES', bool(true)),
    signingKeyPem: from('EVIDENCE_SIGNING_KEY', keyVar((v) => readSigningKeyPem(v, 'EVIDENCE_SIGNING_KEY'))),
    /** Public keys of earlier signing keys (rotation): PEM text, or comma-separated PEM files / folders of `*.pem`. */
    verifyKeyPems: from('EVIDENCE_VERIFY_KEYS', keyVar((v) => readVerifyKeyPems(v, 'EVIDENCE_VERIFY_KEYS'))),
  },
  /** Re-check schedule of court cases (scheduler/, issue 4): cadence, pass interval, courts' time zone. */
  recheck: {
    /** Hours between re-checks of a tracked court case far from a deadline. */
    intervalHours: from('RECHECK_INTERVAL_HOURS', z.coerce.number().positive().max(24 * 365).default(72)),
    /** Hours between re-checks when the expected date is near or past. */
    nearDeadlineHours: from('RECHECK_NEAR_DEADLINE_HOURS', z.coerce.number().positive().max(24 * 365).default(24)),
    /** "Near a deadline": the expected date is at most this many working days ahead. */
    nearDeadlineWorkingDays: from('RECHECK_NEAR_DEADLINE_WORKING_DAYS', int(2, 0, 60)),
    /** Seconds between scheduler passes. */
    passSecs: from('RECHECK_PASS_SECS', int(300, 1, 86_400)),
    /** Re-checks submitted per pass at most. */
    maxPerPass: from('RECHECK_MAX_PER_PASS', int(5000, 1, 1_000_000)),
    /** Courts' time zone for "today" in deadlines (IANA). */
    timeZone: from('COURT_TIME_ZONE', z.string().min(1).default('Europe/Moscow')),
  },
  calendar: {
    /** Admin override of the production calendar: a JSON file shaped like core/calendar/ru-2024-2027.json. */
    overridePath: from('CALENDAR_OVERRIDE_PATH', z.string().optional().transform((v) => v || undefined)),
  },
  /** HTTP API (issue 6): listen address, body and batch limits. */
  api: {
    /** Address `konveyer api` listens on. */
    host: from('API_HOST', z.string().min(1).default('0.0.0.0')),
    /** Port `konveyer api` listens on (0 = any free one). */
    port: from('API_PORT', int(8080, 0, 65_535)),
    /** Largest request body (JSON or CSV) in bytes; larger gets 413. */
    bodyLimitBytes: from('API_BODY_LIMIT_BYTES', int(64 * 1024 * 1024, 1024, 1024 * 1024 * 1024)),
    /** Most rows in one batch; more gets 413. */
    batchMaxRows: from('API_BATCH_MAX_ROWS', int(100_000, 1, 1_000_000)),
    /** Per API key and minute, shared through Redis; 0 = unlimited; ops keys exempt when `exemptOps`. */
    rateLimit: {
      /** Requests per API key per minute (shared through Redis by every API process); over → 429 with Retry-After. 0 = no limit. */
      requestsPerMinute: from('API_RATE_LIMIT_REQUESTS_PER_MIN', int(1200, 0, 10_000_000)),
      /** Batch rows per API key per minute; 0 = no limit. A batch bigger than this gets 413 (split it). */
      rowsPerMinute: from('API_RATE_LIMIT_ROWS_PER_MIN', int(200_000, 0, 100_000_000)),
      /** Keys with the `ops` scope are not limited. */
      exemptOps: from('API_RATE_LIMIT_EXEMPT_OPS', bool(true)),
    },
  },
  /** `/metrics`: own port (0 = the API's), address, optional scrape token (else an `ops` key). */
  metrics: {
    /** `/metrics` on its own port (0 = on the API's port). */
    port: from('METRICS_PORT', int(0, 0, 65_535)),
    /** Address of the `/metrics` listener; unset = API_HOST. */
    host: from('METRICS_HOST', z.string().min(1).optional()),
    /** A bearer token Prometheus may scrape `/metrics` with instead of an `ops` API key (at least 24 characters). */
    token: from('METRICS_TOKEN', z.string().min(24).optional().transform((v) => v || undefined)),
  },
  /** Ops and auditor UIs: the origins forms may come from (empty = each request's own), login lifetime. */
  ui: {
    /** Origins the ops and auditor UIs are reached under, comma-separated (behind a proxy); default each request's own. */
    publicOrigins: from('API_PUBLIC_ORIGINS', list([])),
    /** Lifetime of an ops or auditor UI login, hours. */
    sessionHours: from('UI_SESSION_HOURS', z.coerce.number().positive().max(24 * 30).default(8)),
  },
  /** Ops dashboard charts (issue 19): Prometheus to read them from (else per-minute buckets in Redis), and how often the API samples gauges. */
  series: {
    /** Prometheus that scrapes the farm's /metrics (e.g. http://prometheus:9090): the charts read it with range queries instead of Redis. */
    prometheusUrl: from('PROMETHEUS_URL', z.string().url().optional()),
    /** Seconds between the API's samples of queue depth, circuits and robots for the charts in Redis (0 = the API does not sample). */
    sampleSecs: from('SERIES_SAMPLE_SECS', int(60, 0, 3600)),
  },
  /** Ops (issue 8): circuit breaker, shutdown deadline, browser recycling by memory, heartbeats, robot metrics port, stuck-lookup sweeps, role health port. */
  ops: {
    /** Consecutive failures (5xx, network, timeout) of a target host that open its circuit for the whole farm. */
    circuitFailures: from('CIRCUIT_FAILURES', int(5, 1, 1000)),
    /** How long an open circuit refuses requests before one probe goes through. */
    circuitCooldownMs: from('CIRCUIT_COOLDOWN_MS', int(30_000, 100, 3_600_000)),
    /** On SIGTERM or drain, active jobs get this long to finish; the rest go back to the queue. */
    shutdownDeadlineMs: from('SHUTDOWN_DEADLINE_MS', int(30_000, 0, 3_600_000)),
    /** Browsers are recycled when this robot's Chromium processes use more than this many MB (0 = never). */
    browserRecycleMb: from('BROWSER_RECYCLE_MB', int(3000, 0, 1_000_000)),
    /** Seconds between robot heartbeats in MongoDB `robots`. */
    heartbeatSecs: from('HEARTBEAT_SECS', int(10, 1, 3600)),
    /** A robot serves its Prometheus metrics on this port (0 = off). */
    robotMetricsPort: from('ROBOT_METRICS_PORT', int(0, 0, 65_535)),
    /** Port of the health endpoint of the robots, OCR and scheduler roles (/livez, /readyz) for probes; 0 = none. */
    roleHealthPort: from('ROLE_HEALTH_PORT', int(8081, 0, 65_535)),
    /** Seconds between a robot's sweeps for lookups left `running` whose queue job failed or vanished (0 = off). */
    stuckSweepSecs: from('STUCK_SWEEP_SECS', int(120, 0, 86_400)),
  },
  /** Webhook deliveries: private targets allowed?, retry window, first backoff, timeout. */
  webhooks: {
    /** Allow webhook URLs on loopback/private/link-local addresses (tests, closed networks). */
    allowPrivate: from('WEBHOOK_ALLOW_PRIVATE', bool(false)),
    /** How long a webhook delivery is retried before it is kept as undelivered (default 24 h). */
    retryWindowMs: from('WEBHOOK_RETRY_WINDOW_MS', int(24 * 3600 * 1000, 100, 30 * 24 * 3600 * 1000)),
    /** First retry delay of a webhook delivery; doubles, capped at 1 h. */
    backoffMs: from('WEBHOOK_BACKOFF_MS', int(10_000, 10, 3_600_000)),
    /** Per-delivery HTTP timeout. */
    timeoutMs: from('WEBHOOK_TIMEOUT_MS', int(10_000, 100, 120_000)),
  },
  /** Russian Post tracking (issue 17): accounts (credentials stay here), the daily limit per account, batch threshold, ticket polling, re-check cadence. */
  postTracking: {
    /**
     * Tracking API accounts as JSON: `[{"id":"main","login":"…","password":"…"}]` (login and password
     * from «Настройки доступа» of tracking.pochta.ru). Jobs never carry credentials; the robot picks
     * the first account with requests left today.
     */
    accounts: from('POST_TRACKING_ACCOUNTS', jsonAccounts('POST_TRACKING_ACCOUNTS', '', {})),
    /** Requests one account may make a (Moscow) day, counted in Redis across the farm; past it lookups wait for the next day. */
    dailyLimit: from('POST_TRACKING_DAILY_LIMIT', int(100, 1, 10_000_000)),
    /** A batch lookup with more identifiers than this goes through batch access (getTicket); fewer, one by one. */
    batchMin: from('POST_TRACKING_BATCH_MIN', int(5, 0, 3000)),
    /** Wait before asking for a ticket's answer, and between asks, ms (the specification: not more often than every 15 minutes). */
    ticketPollMs: from('POST_TRACKING_TICKET_POLL_MS', int(900_000, 10, 86_400_000)),
    /** Re-check of a letter not final: after a change, and the ceiling it doubles up to while nothing changes, seconds. */
    recheckSecs: from('POST_TRACKING_RECHECK_SECS', int(21_600, 1, 30 * 86_400)),
    /** The ceiling the re-check interval of an unchanged letter doubles up to (at least POST_TRACKING_RECHECK_SECS). */
    recheckMaxSecs: from('POST_TRACKING_RECHECK_MAX_SECS', int(172_800, 1, 90 * 86_400)),
  },
  /** EPGU (issue 5): accounts (credentials stay here), the key sealing cookies at rest, answer term, feed retries. */
  epgu: {
    /**
     * EPGU accounts as JSON: `[{"id":"acc1","login":"…","password":"…","totpSecret":"BASE32…"}]`
     * (totpSecret optional: without it the second factor is an SMS code typed by an operator).
     * Jobs name the account id only; credentials never leave config.
     */
    accounts: from('EPGU_ACCOUNTS', jsonAccounts('EPGU_ACCOUNTS', 'totpSecret?', { totpSecret: z.string().regex(/^[A-Za-z2-7=\s]+$/).optional() })),
    /** AES-256-GCM key for secrets at rest (EPGU session cookies): 64 hex characters or base64 of 32 bytes. */
    encryptionKey: from('ENCRYPTION_KEY', z
      .string()
      .optional()
      .refine((v) => !v || /^[0-9a-fA-F]{64}$/.test(v.trim()) || Buffer.from(v.trim(), 'base64').length === 32, 'ENCRYPTION_KEY must be 32 bytes: 64 hex characters or base64').transform((v) => v?.trim() || undefined)),
    /** Working days FSSP has to decide a party's application (229-ФЗ ст.64.1 ч.5). */
    answerWorkingDays: from('EPGU_ANSWER_WORKING_DAYS', int(10, 1, 60)),
    /** Pause between retries of a ГЭПС feed call that answered 5xx. */
    feedRetryMs: from('EPGU_FEED_RETRY_MS', int(1000, 0, 60_000)),
    /** Tries of a ГЭПС feed call that answered 5xx. */
    feedTries: from('EPGU_FEED_TRIES', int(4, 1, 20)),
  },
} satisfies SettingsTree;

/** The value type of a settings tree: a leaf's parsed type, a branch's object of them. */
export type ConfigOf<T> = T extends Setting<infer S> ? z.output<S> : { [K in keyof T]: ConfigOf<T[K]> };

/** Every leaf of `tree` with its path in the config. */
export function settingsOf(tree: SettingsTree, path: string[] = []): Array<{ path: string[]; setting: Setting }> {
  return Object.entries(tree).flatMap(([key, node]) => (isSetting(node) ? [{ path: [...path, key], setting: node }] : settingsOf(node, [...path, key])));
}

function isSetting(node: Setting | SettingsTree): node is Setting {
  return typeof node.env === 'string';
}

/** The flat schema over the environment: one key per variable (what `.env.example` and the manifests name). */
export const envSchema = z.object(Object.fromEntries(settingsOf(settings).map(({ setting }) => [setting.env, setting.schema])));
