/**
 * Storage interfaces that robots and queues depend on. Implementations live beside this file and
 * are the only code that imports mongoose; robots receive them by injection.
 */
import type { CourtCaseRecord, DocumentFields } from '../core/records.ts';

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
  /** The client system that submitted it (its API key's client); `default` for older lookups. */
  clientId?: string;
  /** `<type>:<key>` as the client gave it (shown without the type), null without one. */
  clientKey: string | null;
  /** `<clientId>|<type>:<key>`, set only with a client key: the unique idempotency index. */
  idempotencyKey?: string;
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
  /** Owner client; default `default`. The client key is unique per client. */
  clientId?: string;
}

/** The lookups collection as queues and the CLI use it. */
export interface LookupStore {
  /** Inserts new lookups; returns the ids that already existed (same id, or client key of the same client) with their docs. */
  insertMany(lookups: NewLookup[]): Promise<{ inserted: LookupDoc[]; existing: LookupDoc[] }>;
  /** The lookups of one client carrying these client keys (`<type>:<key>` as stored). */
  findByClientKeys?(clientId: string, clientKeys: string[]): Promise<LookupDoc[]>;
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
  /** A page of lookups in `_id` order after `afterId` (null = from the start): sweeps walk every row this way. */
  listAfter(filter: { batchId?: string; status?: LookupStatus; type?: string }, afterId: string | null, limit: number): Promise<LookupDoc[]>;
  /**
   * Deletes lookups that are still `queued` and never ran (attempts 0): the roll-back of a submit
   * whose jobs could not be queued. Returns how many went.
   */
  removeNeverQueued(ids: readonly string[]): Promise<number>;
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
  /**
   * `http_response` (raw bytes as received), `screenshot`, `html` (page DOM), `picture` (an
   * HTTP capture drawn offline, derived from the body named in `meta.derivedFrom`: robots/capture-picture/).
   */
  kind: 'http_response' | 'screenshot' | 'html' | 'picture';
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

/** The last link of a job's chain, as its appender remembers it. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** Evidence as robots append it: one hash chain per job. */
export interface EvidenceStore {
  /** Appends to the job's chain; `head` (the job's last item, or null for a new chain) spares a query. */
  append(input: EvidenceItemInput, body: Buffer, head?: ChainHead | null): Promise<EvidenceItem>;
  listByJob(jobId: string): Promise<EvidenceItem[]>;
  readBody(sha256: string): Promise<Buffer | null>;
  /** Writes the job's manifest (its link hashes in order and their hash) when a job attempt ends. */
  seal?(jobId: string): Promise<unknown>;
}

// ---- HTTP API (issue 6): API keys, webhooks, read models ----

/**
 * What an API key may do: submit lookups, read results, read evidence/audit, operate the farm;
 * `all-clients` sees every client's lookups, records and webhooks (ops, auditors); `pii` sees
 * personal data (birth dates, names, addresses) unmasked.
 */
export type ApiScope = 'submit' | 'read' | 'audit' | 'ops' | 'all-clients' | 'pii';
export const API_SCOPES: readonly ApiScope[] = ['submit', 'read', 'audit', 'ops', 'all-clients', 'pii'];

/** The client that keys, lookups and webhooks stored before clients existed belong to. */
export const DEFAULT_CLIENT_ID = 'default';
/** A client id: 1–64 lower-case letters, digits, `_` or `-`. */
export const CLIENT_ID_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** `api_keys` document: the token itself is never stored, only its SHA-256. */
export interface ApiKeyDoc {
  _id: string;
  name: string;
  /** Hex SHA-256 of the token. */
  hash: string;
  scopes: ApiScope[];
  /** The client system the key belongs to (`default` for keys made before clients existed). */
  clientId: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface ApiKeyStore {
  /** Creates a key; the returned token is shown once and cannot be recovered. */
  create(input: { name: string; scopes: ApiScope[]; clientId?: string }): Promise<{ key: ApiKeyDoc; token: string }>;
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
  /** Its client: it receives only this client's lookups (`default` for older webhooks). */
  clientId: string;
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
  create(input: { url: string; secret: string; events: WebhookEvent[]; ownerKeyId: string | null; clientId?: string }): Promise<WebhookDoc>;
  get(id: string): Promise<WebhookDoc | null>;
  /** Active webhooks, optionally only those of one client. */
  list(clientId?: string): Promise<WebhookDoc[]>;
  /** Soft delete: deliveries stay visible. False when there was no active webhook. */
  remove(id: string): Promise<boolean>;
  /** Active webhooks of one client subscribed to an event. */
  subscribedTo(event: WebhookEvent, clientId: string): Promise<WebhookDoc[]>;
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
  /**
   * The entry into force, shown or derived by law (scheduler/case-finality.ts), with the rule, the
   * assumptions and the dated steps; `confirmedAt` is the check that confirmed a derived date.
   * Absent on schedules written before it was kept.
   */
  finality?: {
    state: string;
    effectiveAt: string | null;
    source: 'shown' | 'derived' | null;
    rule: string | null;
    legalSource: string | null;
    assumption: string | null;
    steps: Array<{ what: string; date: string; assumed: boolean }>;
    reason: string | null;
    confirmedAt: Date | null;
  };
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

/** One schedule write; `effective` also sets the case's `effectiveAt` (derived and confirmed) when it has none. */
export interface ScheduleWrite {
  id: string;
  schedule: CaseScheduleState;
  effective?: { effectiveAt: string; effectiveAtSource: 'derived'; effectiveAtRule: string };
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
  effectiveAtSource?: 'shown' | 'derived' | null;
  effectiveAtRule?: string | null;
  instance?: string | null;
  category?: string | null;
  events: CourtCaseRecord['events'];
  executionDocuments?: CourtCaseRecord['executionDocuments'];
  appeals?: CourtCaseRecord['appeals'];
  checkedAt: Date;
  schedule?: CaseScheduleState | null;
}

/** The schedule fields of `court_cases`, as the scheduler and `konveyer cases` use them. */
export interface ScheduleStore {
  /** Cases not in a final status and not marked final, by `_id` after `afterId`. */
  listTracked(options: { finalStatuses: readonly string[]; afterId?: string; limit: number }): Promise<TrackedCase[]>;
  /** Writes the schedule of each case (the case's other fields are left alone). */
  setSchedules(updates: ScheduleWrite[]): Promise<void>;
  /** Overdue cases, most days late first. */
  listOverdue(filter?: { courtHost?: string; limit?: number }): Promise<TrackedCase[]>;
}

// ---- EPGU (issue 5): applications to FSSP through Госуслуги, their answers, sealed sessions ----

/** Where an `epgu_requests` document is: prepared → submitting (checkpoint before the click) → sent → registered → decided → answered. */
export type EpguRequestStatus = 'prepared' | 'submitting' | 'sent' | 'registered' | 'decided' | 'answered';

/** One change of a request's status, as the robot or the portal reported it. */
export interface EpguStatusEntry {
  at: Date;
  status: EpguRequestStatus;
  /** The portal's own wording («Зарегистрировано»), when it came from the portal. */
  portalStatus: string | null;
  source: 'robot' | 'portal' | 'inbox';
}

/** `epgu_requests` document: one application of a party to enforcement proceedings (229-ФЗ ст.64.1). */
export interface EpguRequestDoc {
  /** = the lookup id of the `epgu.request` job: a retry of the job finds its own request. */
  _id: string;
  schemaVersion: number;
  account: string;
  ipNumber: string;
  /** Request kind code (queues/epgu-request.payload.ts EPGU_REQUEST_KINDS). */
  kind: string;
  text: string;
  /** Put in the application text; finds the application in «мои заявления» before any retry. */
  clientRef: string;
  status: EpguRequestStatus;
  applicationNumber: string | null;
  portalStatus: string | null;
  history: EpguStatusEntry[];
  /** Set before the irreversible click; a retry that finds it set reconciles before submitting. */
  submitAttemptAt: Date | null;
  submittedAt: Date | null;
  registeredAt: Date | null;
  /** ISO date: 10 working days after registration (ст.64.1 ч.5); before registration, 3 + 10 after submission. */
  dueDate: string | null;
  closedAt: Date | null;
  answerDocumentIds: string[];
  evidenceId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The epgu_requests collection as robots and the CLI use it. */
export interface EpguRequestStore {
  get(id: string): Promise<EpguRequestDoc | null>;
  /** Creates the request of a lookup, or returns the existing one (idempotent by id). */
  ensure(init: { id: string; account: string; ipNumber: string; kind: string; text: string; clientRef: string }): Promise<EpguRequestDoc>;
  /** Records the checkpoint before the submit click. */
  markSubmitting(id: string, at: Date): Promise<void>;
  /** Records the application number (after the click or after a reconcile found it). */
  recordSubmitted(id: string, update: { applicationNumber: string; portalStatus: string | null; submittedAt: Date; dueDate: string | null; evidenceId: string | null }): Promise<EpguRequestDoc>;
  /** Applies a portal status (registered/decided) with its date; `dueDate` recomputed by the caller. */
  recordPortalStatus(id: string, update: { status: EpguRequestStatus; portalStatus: string; registeredAt?: Date | null; dueDate?: string | null; source: 'portal' | 'inbox' }): Promise<void>;
  /** Closes the request with an answer document. */
  recordAnswer(id: string, documentId: string, at: Date): Promise<void>;
  findByApplicationNumber(applicationNumber: string): Promise<EpguRequestDoc | null>;
  /** Open (not answered) requests of an account, oldest first; `ipNumber` narrows. */
  listOpen(filter?: { account?: string; ipNumber?: string }): Promise<EpguRequestDoc[]>;
  /** Not answered and due before `today` (ISO date). */
  listOverdue(today: string): Promise<EpguRequestDoc[]>;
}

/** `epgu_sessions` document: an account's portal cookies sealed with AES-256-GCM, and its feed cursor. */
export interface EpguSessionDoc {
  /** The account id (config EPGU_ACCOUNTS). */
  _id: string;
  /** core/crypto.ts `seal` of the cookie JSON, bound to the account id; null = logged out. */
  sealedCookies: string | null;
  savedAt: Date | null;
  /** Date of the newest ГЭПС feed item already read (the portal's string, e.g. «2025-03-04T12:00:00.000+0300»). */
  lastFeedDate: string | null;
  /** Feed item ids already read at `lastFeedDate` (items sharing a date are not lost). */
  seenFeedIds: string[];
}

export interface EpguSessionStore {
  get(account: string): Promise<EpguSessionDoc | null>;
  saveCookies(account: string, sealedCookies: string | null): Promise<void>;
  saveFeedCursor(account: string, lastFeedDate: string, seenFeedIds: string[]): Promise<void>;
}

/** `documents.status`: waiting for OCR, queued for it, read, or failed. */
export type DocumentStatus = 'pending_ocr' | 'ocr_queued' | 'done' | 'failed';

/** Fields extracted from a document (core/records.ts, as parsers/document gives them); null until OCR ran. */
export type { DocumentFields };

/** `documents` document: a file that came back (an EPGU answer), its body in the evidence store, what OCR read. */
export interface DocumentDoc {
  /** Natural key: `epgu:<account>:<attachmentId>`. */
  _id: string;
  schemaVersion: number;
  origin: 'epgu' | 'upload';
  account: string | null;
  feedId: string | null;
  attachmentId: string | null;
  fileName: string;
  contentType: string;
  size: number;
  /** SHA-256 of the body; `EvidenceStore.readBody(sha256)` returns it. */
  sha256: string;
  evidenceId: string | null;
  /** `epgu_requests._id` it answers, its application and ИП numbers (null when unsolicited). */
  requestId: string | null;
  applicationNumber: string | null;
  ipNumber: string | null;
  /** Feed item title and subTitle (sender, document name), and the feed date. */
  title: string | null;
  subTitle: string | null;
  receivedAt: Date;
  status: DocumentStatus;
  /** Filled by OCR (`ocr.document`): kind, text, confidence, text layer or OCR, fields. */
  kind: string | null;
  text: string | null;
  confidence: number | null;
  ocr: boolean | null;
  fields: DocumentFields | null;
  error: { code: string; message: string } | null;
  source: SourceRef;
  createdAt: Date;
  updatedAt: Date;
}

export type NewDocument = Omit<DocumentDoc, 'schemaVersion' | 'status' | 'kind' | 'text' | 'confidence' | 'ocr' | 'fields' | 'error' | 'createdAt' | 'updatedAt'>;

export interface DocumentStore {
  get(id: string): Promise<DocumentDoc | null>;
  /** Inserts by natural key; an existing document is returned unchanged (`created: false`). */
  insert(doc: NewDocument): Promise<{ doc: DocumentDoc; created: boolean }>;
  setStatus(id: string, status: DocumentStatus, error?: { code: string; message: string } | null): Promise<void>;
  /** Stores what OCR read (status `done`). */
  saveOcr(id: string, result: { kind: string; text: string; confidence: number; ocr: boolean; fields: DocumentFields }): Promise<void>;
  /** Documents received in [from, to) (either bound optional), oldest first. */
  listReceived(range: { from?: Date; to?: Date; origin?: string }): Promise<DocumentDoc[]>;
}

/** A robot process's heartbeat (`robots`, issue 8): what the ops dashboard shows as "robots online". */
export interface RobotBeat {
  /** Robot id (host:pid:random). */
  _id: string;
  host: string;
  pid: number;
  /** Process role, e.g. `robots`. */
  role: string;
  queues: string[];
  concurrency: number;
  /** Jobs running now, and their ids (lookup ids — no personal data). */
  currentJobs: number;
  jobIds: string[];
  /** Resident memory of the Node process and of its Chromium processes, bytes. */
  rssBytes: number;
  browserBytes: number;
  /** Chromium processes alive, and pages opened since start. */
  browsers: number;
  pagesOpened: number;
  status: 'running' | 'draining' | 'stopped';
  startedAt: Date;
  lastSeenAt: Date;
}

/** The `robots` collection: heartbeats upserted by each robot process. */
export interface RobotHeartbeatStore {
  beat(beat: RobotBeat): Promise<void>;
  /** Robots seen within `seenWithinMs` (default all), newest first. */
  list(seenWithinMs?: number): Promise<RobotBeat[]>;
  markStopped(id: string): Promise<void>;
}

// ---- Russian Post tracking: postal_items (issue 17) ----

/** What happened to a letter between two checks. */
export type PostalEventKind = 'tracked' | 'operations' | 'state_changed' | 'delivered' | 'returned' | 'linked';

/** One entry of a letter's history. */
export interface PostalHistoryEntry {
  at: Date;
  event: PostalEventKind;
  lookupId: string | null;
  evidenceId: string | null;
  /** `operations`: the new ones; `state_changed`: from → to; `delivered`: date; `returned`: date, reason; `linked`: the link. */
  details: Record<string, unknown>;
}

/** The scheduler's re-check state of a letter (scheduler/post-tracking-recheck.ts). */
export interface PostalCheckState {
  /** When it is due again; null when final. */
  nextAt: Date | null;
  /** Current interval; doubles while nothing changes, back to the base on a change. */
  intervalSecs: number;
  /** The lookup last queued for it, so a pass does not queue it twice. */
  queuedLookupId: string | null;
}

/** `postal_items` document. */
export interface PostalItemDoc extends Omit<import('../core/postal-records.ts').PostalItemRecord, 'error'> {
  /** Natural key: the identifier (ШПИ) normalized. */
  _id: string;
  schemaVersion: number;
  /** What the letter is for; a letter may serve several records. */
  links: import('../core/postal-deadlines.ts').LetterLink[];
  /** Terms its delivery started for its links (core/postal-deadlines.ts). */
  deadlines: import('../core/postal-deadlines.ts').LetterDeadline[];
  final: boolean;
  source: SourceRef;
  history: PostalHistoryEntry[];
  check: PostalCheckState;
  rev: number;
  firstSeenAt: Date;
  checkedAt: Date;
}


/** How one save of a letter is done: links to merge, the terms its delivery starts, the re-check cadence. */
export interface PostalItemSaveOptions {
  links: ReadonlyArray<import('../core/postal-deadlines.ts').LetterLink>;
  /** The terms a delivery at `deliveredAt` starts for `links` (core/postal-deadlines.ts letterDeadlines). */
  deadlinesFor(links: ReadonlyArray<import('../core/postal-deadlines.ts').LetterLink>, deliveredAt: string): import('../core/postal-deadlines.ts').LetterDeadline[];
  /** Re-check interval after a change, and its ceiling while nothing changes (doubling), seconds. */
  cadence: { baseSecs: number; maxSecs: number };
  now?: Date;
}

/** What saving one letter did. */
export interface PostalItemSaveResult {
  id: string;
  created: boolean;
  events: string[];
  state: string;
  final: boolean;
  deadlines: import('../core/postal-deadlines.ts').LetterDeadline[];
}

/** The postal_items collection as robots, the scheduler and the CLI use it. */
export interface PostalItemStore {
  save(record: import('../core/postal-records.ts').PostalItemRecord, source: SourceRef, options: PostalItemSaveOptions): Promise<PostalItemSaveResult>;
  get(id: string): Promise<PostalItemDoc | null>;
  /** Letters not final whose next check is due, oldest due first. */
  listDue(now: Date, limit: number): Promise<Array<PostalItemDoc>>;
  /** Notes the lookup that will re-check these letters (cleared by their next save). */
  markQueued(ids: readonly string[], lookupId: string): Promise<void>;
  /** Letters linked to a record of `kind` (court-case, ip, epgu). */
  listLinked(kind: import('../core/postal-deadlines.ts').LetterLink['kind']): Promise<Array<PostalItemDoc>>;
}
