/**
 * Storage interfaces that robots and queues depend on. Implementations live beside this file and
 * are the only code that imports mongoose; robots receive them by injection.
 */
import type { CourtCaseRecord } from '../core/records.ts';

export type LookupStatus = 'queued' | 'running' | 'succeeded' | 'not_found' | 'failed' | 'needs_human';
export const FINAL_LOOKUP_STATUSES: readonly LookupStatus[] = ['succeeded', 'not_found', 'failed'];

export interface LookupError {
  code: string;
  kind: string;
  message: string;
  details?: Record<string, unknown>;
}

export interface LookupDoc {
  _id: string;
  /** Job name, e.g. `court.case`. */
  type: string;
  status: LookupStatus;
  input: Record<string, unknown>;
  clientKey: string | null;
  batchId: string | null;
  attempts: number;
  error: LookupError | null;
  /** `ids`/`count`: searches that yield many records (fssp.search: the ИП numbers found). */
  result: { collection: string; id: string; changed?: boolean; ids?: string[]; count?: number } | null;
  evidenceCount: number;
  robot: string | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface NewLookup {
  _id: string;
  type: string;
  input: Record<string, unknown>;
  clientKey?: string | null;
  batchId?: string | null;
}

/** The lookups collection as queues and the CLI use it. */
export interface LookupStore {
  /** Inserts new lookups; returns the ids that already existed (same id or client key) with their docs. */
  insertMany(lookups: NewLookup[]): Promise<{ inserted: LookupDoc[]; existing: LookupDoc[] }>;
  get(id: string): Promise<LookupDoc | null>;
  markRunning(id: string, attempt: number, robot: string): Promise<void>;
  markFinished(
    id: string,
    status: Exclude<LookupStatus, 'queued' | 'running'>,
    outcome: { result?: LookupDoc['result']; error?: LookupError | null; evidenceCount?: number },
  ): Promise<void>;
  /** Puts a lookup back to `queued` (a retry is scheduled) keeping the last error. */
  markRetrying(id: string, error: LookupError): Promise<void>;
  countByStatus(filter?: { batchId?: string; type?: string }): Promise<Record<LookupStatus, number>>;
  errorsByCode(filter?: { batchId?: string }): Promise<Record<string, number>>;
  list(filter: { batchId?: string; status?: LookupStatus; type?: string }, limit?: number): Promise<LookupDoc[]>;
}

/** Where a normalized record came from. */
export interface SourceRef {
  url: string;
  fetchedAt: Date;
  evidenceId: string | null;
  parserVersion: string;
  lookupId?: string;
}

export interface HistoryChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface CaseSaveResult {
  id: string;
  created: boolean;
  /** What changed since the stored version (empty when nothing did). */
  changes: HistoryChange[];
}

/** The court_cases collection as robots use it. */
export interface CourtCaseStore {
  /** Upserts by natural key (court code + case id/uid); keeps a history of what changed. */
  save(record: CourtCaseRecord, source: SourceRef): Promise<CaseSaveResult>;
}

export interface EvidenceItemInput {
  jobId: string;
  lookupId: string;
  robot: string;
  step: string;
  /** `http_response` (raw bytes as received), `screenshot`, `html` (page DOM). */
  kind: 'http_response' | 'screenshot' | 'html';
  url: string;
  contentType: string;
  at: Date;
  /** HTTP status, headers etc. (no cookies). */
  meta?: Record<string, unknown>;
}

export interface EvidenceItem extends EvidenceItemInput {
  _id: string;
  seq: number;
  sha256: string;
  size: number;
  prevHash: string | null;
  /** SHA-256 over this item's metadata, content hash and prevHash: the chain link. */
  hash: string;
}

/** Evidence as robots append it: one hash chain per job. */
export interface EvidenceStore {
  append(input: EvidenceItemInput, body: Buffer): Promise<EvidenceItem>;
  listByJob(jobId: string): Promise<EvidenceItem[]>;
  readBody(sha256: string): Promise<Buffer | null>;
  /** Writes the job's manifest (its link hashes in order and their hash) when a job attempt ends. */
  seal?(jobId: string): Promise<unknown>;
}

// ---- HTTP API (issue 6): API keys, webhooks, read models ----

/** What an API key may do: submit lookups, read results, read evidence/audit, operate the farm. */
export type ApiScope = 'submit' | 'read' | 'audit' | 'ops';
export const API_SCOPES: readonly ApiScope[] = ['submit', 'read', 'audit', 'ops'];

/** `api_keys` document: the token itself is never stored, only its SHA-256. */
export interface ApiKeyDoc {
  _id: string;
  name: string;
  /** Hex SHA-256 of the token. */
  hash: string;
  scopes: ApiScope[];
  createdAt: Date;
  revokedAt: Date | null;
}

export interface ApiKeyStore {
  /** Creates a key; the returned token is shown once and cannot be recovered. */
  create(input: { name: string; scopes: ApiScope[] }): Promise<{ key: ApiKeyDoc; token: string }>;
  /** The active (not revoked) key whose hash matches the token, or null. */
  findByToken(token: string): Promise<ApiKeyDoc | null>;
  list(): Promise<ApiKeyDoc[]>;
  /** Revokes a key; false when no active key has this id. */
  revoke(id: string): Promise<boolean>;
}

/** Final lookup statuses a webhook can subscribe to. */
export type WebhookEvent = 'succeeded' | 'not_found' | 'failed' | 'needs_human';
export const WEBHOOK_EVENTS: readonly WebhookEvent[] = ['succeeded', 'not_found', 'failed', 'needs_human'];

/** `webhooks` document. The secret is kept (it signs every delivery); it is never returned by the API. */
export interface WebhookDoc {
  _id: string;
  url: string;
  secret: string;
  events: WebhookEvent[];
  /** The API key that registered it. */
  ownerKeyId: string | null;
  createdAt: Date;
  deletedAt: Date | null;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'undelivered';

/** `webhook_deliveries` document: one per (webhook, lookup, event). */
export interface WebhookDeliveryDoc {
  /** `<webhookId>.<lookupId>.<event>` (no `:`: it is also the BullMQ job id): one announcement per webhook. */
  _id: string;
  webhookId: string;
  lookupId: string;
  event: WebhookEvent;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  deliveredAt: Date | null;
}

export interface WebhookStore {
  create(input: { url: string; secret: string; events: WebhookEvent[]; ownerKeyId: string | null }): Promise<WebhookDoc>;
  get(id: string): Promise<WebhookDoc | null>;
  /** Active webhooks, optionally only those of one API key. */
  list(ownerKeyId?: string): Promise<WebhookDoc[]>;
  /** Soft delete: deliveries stay visible. False when there was no active webhook. */
  remove(id: string): Promise<boolean>;
  /** Active webhooks subscribed to an event. */
  subscribedTo(event: WebhookEvent): Promise<WebhookDoc[]>;
  /** Inserts deliveries; ones that exist already (same id) are skipped. Returns those inserted. */
  addDeliveries(docs: Array<Pick<WebhookDeliveryDoc, '_id' | 'webhookId' | 'lookupId' | 'event'>>): Promise<WebhookDeliveryDoc[]>;
  getDelivery(id: string): Promise<WebhookDeliveryDoc | null>;
  /** Records one attempt: delivered on success, else stays pending with the error. */
  recordAttempt(id: string, outcome: { delivered: boolean; statusCode: number | null; error: string | null }): Promise<void>;
  markUndelivered(id: string): Promise<void>;
  listDeliveries(webhookId: string, filter: { status?: WebhookDeliveryStatus }, limit?: number): Promise<WebhookDeliveryDoc[]>;
}

// ---- FSSP: enforcement proceedings and the captcha operator hand-off (issue 3) ----

/** What saving one enforcement proceeding did. */
export interface ProceedingSaveResult {
  /** The ИП number (`_id`). */
  id: string;
  created: boolean;
  /** History events this save added: opened, amount_changed, ended, reopened, changed. */
  events: string[];
  /** The linked court case, or null. */
  courtCaseId: string | null;
}

/** The enforcement_proceedings collection as robots use it. */
export interface EnforcementProceedingStore {
  /** Upserts by ИП number; keeps a history; links the court case its executive document names. */
  save(record: import('../core/records.ts').EnforcementProceeding, source: SourceRef): Promise<ProceedingSaveResult>;
}

export type CaptchaTaskStatus = 'open' | 'answered' | 'expired';

/**
 * The site session a parked lookup resumes in: the cookie jar (tough-cookie JSON) and the request
 * that was waiting for the code. FSSP sessions are anonymous (no credentials), so they are stored
 * as they are; an authenticated session (EPGU) must be encrypted before it is put here.
 */
export interface CaptchaTaskSession {
  cookies: unknown;
  /** The query URL the code is to be appended to. */
  url: string;
  /** Robot-specific resume state (e.g. the page being walked). */
  state?: Record<string, unknown>;
}

/** `captcha_tasks` document: a captcha no solver could read, waiting for (or answered by) an operator. */
export interface CaptchaTaskDoc {
  _id: string;
  status: CaptchaTaskStatus;
  /** The image as base64 and its content type, for the CLI and the dashboard. */
  imageBase64: string;
  contentType: string;
  /** `digits5` | `cyrillic5` | `text` (CaptchaKind). */
  kind: string;
  /** Target host the captcha came from. */
  target: string | null;
  lookupId: string | null;
  /** Job name of the lookup, for re-enqueueing it. */
  jobName: string | null;
  session: CaptchaTaskSession | null;
  answer: string | null;
  answeredBy: string | null;
  answeredAt: Date | null;
  /** Set when a robot used the answer; `accepted` tells whether the site took it. */
  consumedAt: Date | null;
  accepted: boolean | null;
  createdAt: Date;
  /** After this an open task is no use (the site session is gone); `expire` marks it. */
  expiresAt: Date;
}

/** A captcha to hand to an operator. */
export interface NewCaptchaTask {
  image: Buffer;
  contentType?: string;
  kind: string;
  target?: string | null;
  lookupId?: string | null;
  jobName?: string | null;
  session?: CaptchaTaskSession | null;
  /** How long the task is worth answering (the site session's life). Default 30 min. */
  ttlMs?: number;
}

/** The captcha_tasks collection: the operator hand-off of the captcha chain. */
export interface CaptchaTaskStore {
  create(task: NewCaptchaTask): Promise<CaptchaTaskDoc>;
  get(id: string): Promise<CaptchaTaskDoc | null>;
  list(filter?: { status?: CaptchaTaskStatus; lookupId?: string }, limit?: number): Promise<CaptchaTaskDoc[]>;
  /** Records an operator's answer; throws when the task is not open. */
  answer(id: string, answer: string, by: string): Promise<CaptchaTaskDoc>;
  /** Polls until the task is answered (the doc) or the time is up / it expired (null). */
  waitForAnswer(id: string, timeoutMs: number, pollMs?: number): Promise<CaptchaTaskDoc | null>;
  /** The answered, not yet used task of a parked lookup that holds its site session. */
  findResumable(lookupId: string): Promise<CaptchaTaskDoc | null>;
  /** A robot used the answer; `accepted`: whether the site took it (null: unknown). */
  markConsumed(id: string, accepted: boolean | null): Promise<void>;
  expire(id: string): Promise<void>;
}

/** The re-check schedule of one court case (`court_cases.schedule`), kept by `konveyer scheduler`. */
export interface CaseScheduleState {
  /** The case's `checkedAt` this state was computed from; a newer check resets `nextCheckAt`. */
  basisCheckedAt: Date;
  nextCheckAt: Date;
  computedAt: Date;
  /** The case reached a final state: no more re-checks. */
  final: boolean;
  /** The next thing the court should do, by law, and by when (court-local date). */
  expected: { event: string; date: string; rule: string; from: string; source: string } | null;
  /** Derived dates: expectedIssue, copyToDebtorDue, debtorReceivedBy, objectionDeadline, expectedInForce. */
  dates: Record<string, string | null>;
  /** No movement past the expected date. */
  overdue: boolean;
  /** Calendar days past the expected date (0 when not overdue). */
  daysLate: number;
  /** The re-check submitted for the current slot (client key slot = nextCheckAt), if any. */
  pending: { slot: string; lookupId: string; submittedAt: Date } | null;
}

/** What the scheduler reads of a case. */
export interface TrackedCase {
  _id: string;
  court: { name: string | null; host: string | null; code: string | null };
  caseNumber: string | null;
  caseId: string | null;
  caseUid: string | null;
  uid: string | null;
  status: CourtCaseRecord['status'];
  registeredAt: string | null;
  decision: CourtCaseRecord['decision'];
  effectiveAt: string | null;
  events: CourtCaseRecord['events'];
  checkedAt: Date;
  schedule?: CaseScheduleState | null;
}

/** The schedule fields of `court_cases`, as the scheduler and `konveyer cases` use them. */
export interface ScheduleStore {
  /** Cases not in a final status and not marked final, by `_id` after `afterId`. */
  listTracked(options: { finalStatuses: readonly string[]; afterId?: string; limit: number }): Promise<TrackedCase[]>;
  /** Writes the schedule of each case (the case's other fields are left alone). */
  setSchedules(updates: Array<{ id: string; schedule: CaseScheduleState }>): Promise<void>;
  /** Overdue cases, most days late first. */
  listOverdue(filter?: { courtHost?: string; limit?: number }): Promise<TrackedCase[]>;
}
