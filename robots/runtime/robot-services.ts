import type { CaptchaSolver } from './captcha/index.ts';
import type { CaptchaTokenCache } from './captcha-tokens.ts';
import type { HttpClient } from './http-client.ts';
import type { RobotBrowserPool } from './browser-pool.ts';
import type { BrowserFetcherOptions } from './page-fetcher.ts';
import type { Politeness } from '../../runtime/politeness.ts';
import type { TargetRouter } from './targets.ts';
import type { CourtCaseStore } from '../../storage/court-cases.types.ts';
import type { EvidenceStore } from '../../storage/evidence.types.ts';
import type { CaptchaTaskStore } from '../../storage/captcha-tasks.types.ts';
import type { EnforcementProceedingStore } from '../../storage/enforcement-proceedings.types.ts';
import type { DocumentStore } from '../../storage/documents.types.ts';
import type { EpguRequestStore } from '../../storage/epgu-requests.types.ts';
import type { EpguSessionStore } from '../../storage/epgu-sessions.types.ts';
import type { ProductionCalendar } from '../../core/calendar/index.ts';

/**
 * Everything a robot handler may use, built and owned by the robot process (cli/robots.ts) and
 * lent to handlers. Handlers never create these and never close them.
 */
export interface RobotServices {
  /** `<host>:<pid>`; recorded on lookups and evidence. */
  robotId: string;
  router: TargetRouter;
  http: HttpClient;
  /** The process's browser pool, launched on first use (HTTP-only robots never start Chromium). */
  browsers: () => RobotBrowserPool;
  politeness: Politeness;
  captcha: CaptchaSolver;
  captchaTokens: CaptchaTokenCache;
  evidence: EvidenceStore;
  courtCases: CourtCaseStore;
  /** `enforcement_proceedings` (fssp.search). */
  enforcementProceedings: EnforcementProceedingStore;
  /** `captcha_tasks`: the operator hand-off (null when the process has no operator solver). */
  captchaTasks: CaptchaTaskStore | null;
  /** Default mode per target; a lookup may override it. */
  modes: { 'court-sudrf': 'http' | 'browser' };
  captchaMaxTries: number;
  browserFetch: BrowserFetcherOptions;
  /** EPGU robots (issue 5); null when the process has no EPGU stores. */
  epgu: EpguRobotServices | null;
  /** Russian Post tracking (issue 17); null/absent when the process has no postal_items store. */
  postTracking?: PostTrackingRobotServices | null;
  /** `court.search` children: stored as lookups and queued as one BullMQ flow per search; absent = court.search refused. */
  courtSearchFanOut?: import('../court-search/fan-out.ts').CourtSearchFanOut | null;
}

/** What `epgu.request` / `epgu.inbox` use: stores, accounts (credentials stay in the process), the sealing key, the calendar. */
export interface EpguRobotServices {
  requests: EpguRequestStore;
  sessions: EpguSessionStore;
  documents: DocumentStore;
  accounts: ReadonlyArray<{ id: string; login: string; password: string; totpSecret?: string }>;
  /** AES-256-GCM key for cookies at rest; null = not configured (EPGU jobs fail auth_required). */
  encryptionKey: Buffer | null;
  /** 229-ФЗ ст.64.1 ч.5: 10. */
  answerWorkingDays: number;
  calendar: ProductionCalendar;
  feedRetryMs: number;
  feedTries: number;
  /** Operator hand-off of SMS codes: in-process wait and task life, ms. */
  operatorWaitMs: number;
  taskTtlMs: number;
  /** Queues `ocr.document` for a stored document; null when the farm has no such job (documents stay `pending_ocr`). */
  enqueueOcr: ((documentId: string) => Promise<void>) | null;
}

/** What `post.tracking` uses (issue 17): SOAP clients, the farm-wide daily quota, accounts (credentials stay in the process). */
export interface PostTrackingRobotServices {
  items: import('../../storage/postal-items.types.ts').PostalItemStore;
  clients: import('../post-tracking/soap-clients.ts').TrackingSoapClients;
  quota: import('../post-tracking/daily-quota.ts').DailyQuota;
  accounts: ReadonlyArray<{ id: string; login: string; password: string }>;
  redis: import('ioredis').Redis;
  prefix: string;
  batchMin: number;
  ticketPollMs: number;
  cadence: { baseSecs: number; maxSecs: number };
  deadlinesFor(links: ReadonlyArray<import('../../core/postal-deadlines.ts').LetterLink>, deliveredAt: string): import('../../core/postal-deadlines.ts').LetterDeadline[];
}
