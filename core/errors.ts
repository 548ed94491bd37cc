/**
 * The farm's one errors module. Every error has a stable `code`; queue outcomes are decided by
 * `code` (see queues/outcome.ts), never by `instanceof` alone, because errors cross process
 * boundaries as plain objects inside BullMQ jobs.
 */

export type ErrorKind = 'retryable' | 'permanent' | 'needs_human';

export interface KonveyerErrorOptions {
  cause?: unknown;
  target?: string;
  url?: string;
  /** Anything else worth keeping with the error (no personal data). */
  details?: Record<string, unknown>;
}

/** Base of every error the farm raises on purpose. */
export class KonveyerError extends Error {
  readonly code: string = 'internal';
  readonly kind: ErrorKind = 'permanent';
  readonly target?: string;
  readonly url?: string;
  readonly details?: Record<string, unknown>;

  constructor(message: string, options: KonveyerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.target = options.target;
    this.url = options.url;
    this.details = options.details;
  }

  /** A plain object fit for MongoDB and logs. */
  toJSON(): { code: string; kind: ErrorKind; message: string; target?: string; url?: string; details?: Record<string, unknown> } {
    return { code: this.code, kind: this.kind, message: this.message, target: this.target, url: this.url, details: this.details };
  }
}

// ---- retryable: the job goes back to the queue with exponential backoff ----

/** Connection refused/reset, DNS failure, broken body. Retried with backoff. */
export class NetworkError extends KonveyerError {
  override readonly code = 'network';
  override readonly kind = 'retryable';
}

/** The site did not answer in time. Retried with backoff. */
export class TimeoutError extends KonveyerError {
  override readonly code = 'timeout';
  override readonly kind = 'retryable';
}

/** HTTP 5xx or a maintenance page. Retried with backoff. */
export class ServerError extends KonveyerError {
  override readonly code = 'server_error';
  override readonly kind = 'retryable';
}

/** HTTP 429 or a politeness wait; retried after `retryAfterMs` rather than the backoff. */
export class RateLimitedError extends KonveyerError {
  override readonly code = 'rate_limited';
  override readonly kind = 'retryable';
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number, options: KonveyerErrorOptions = {}) {
    super(message, { ...options, details: { ...options.details, retryAfterMs } });
    this.retryAfterMs = retryAfterMs;
  }
}

/** The site refused us (403, geo-block page, anti-bot page). Retried with backoff. */
export class BlockedError extends KonveyerError {
  override readonly code = 'blocked';
  override readonly kind = 'retryable';
}

/** Every configured proxy for the target is dead or resting: the lookup waits (retried after `retryAfterMs`), never failed as not found. */
export class NoEgressError extends KonveyerError {
  override readonly code = 'no_egress';
  override readonly kind = 'retryable';
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number, options: KonveyerErrorOptions = {}) {
    super(message, { ...options, details: { ...options.details, retryAfterMs } });
    this.retryAfterMs = retryAfterMs;
  }
}

/** Every captcha answer within the per-attempt limit was wrong. Retried with backoff. */
export class CaptchaWrongError extends KonveyerError {
  override readonly code = 'captcha_wrong';
  override readonly kind = 'retryable';
}

/** The target host is paused by ops or its circuit is open; retried after `retryAfterMs`. */
export class HostPausedError extends KonveyerError {
  override readonly code = 'host_paused';
  override readonly kind = 'retryable';
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number, options: KonveyerErrorOptions = {}) {
    super(message, { ...options, details: { ...options.details, retryAfterMs } });
    this.retryAfterMs = retryAfterMs;
  }
}

// ---- permanent: the lookup ends failed with this code, no retry ----

/** The job payload is invalid. Refused at submit; a robot seeing one fails the lookup at once. */
export class BadInputError extends KonveyerError {
  override readonly code = 'bad_input';
  override readonly kind = 'permanent';
}

/** The site answered honestly that nothing matches. The lookup ends `not_found`, not failed. */
export class NotFoundError extends KonveyerError {
  override readonly code = 'not_found';
  override readonly kind = 'permanent';
}

/**
 * The page is not one we recognise (changed layout, missing anchors). Never reported as not found;
 * the lookup fails with the selector that missed and the evidence id of the page.
 */
export class LayoutDriftError extends KonveyerError {
  override readonly code = 'layout_drift';
  override readonly kind = 'permanent';
  readonly selector?: string;
  evidenceId?: string;
  constructor(message: string, options: KonveyerErrorOptions & { selector?: string; evidenceId?: string } = {}) {
    super(message, { ...options, details: { ...options.details, selector: options.selector } });
    this.selector = options.selector;
    this.evidenceId = options.evidenceId;
  }
  override toJSON() {
    const base = super.toJSON();
    return { ...base, details: { ...base.details, selector: this.selector, evidenceId: this.evidenceId } };
  }
}

/**
 * A server-choice landing («Выберите сервер») where a record was asked for: the page only links to
 * the court's database servers. Robots follow the links themselves; `konveyer parse` reports it
 * with the links in `details.servers`. Reaching the queue means no link could be followed: failed.
 */
export class ServerChoiceError extends KonveyerError {
  override readonly code = 'server_choice';
  override readonly kind = 'permanent';
}

/** A URL outside the configured target hosts. Refused; never fetched. */
export class ForbiddenTargetError extends KonveyerError {
  override readonly code = 'forbidden_target';
  override readonly kind = 'permanent';
}

/** Credentials or a session are required and none can be had without a person. */
export class AuthRequiredError extends KonveyerError {
  override readonly code = 'auth_required';
  override readonly kind = 'permanent';
}

/** Codes of `DocumentUnreadableError`. */
export type DocumentUnreadableCode = 'not_a_document' | 'pdf_encrypted' | 'pdf_broken' | 'image_broken' | 'xml_broken' | 'xml_unsafe';

/**
 * A stored document (`ocr.document`) that can never be read: not a PDF or image, an encrypted or
 * broken PDF, an image that does not decode. The lookup fails at once with this code; no retry.
 */
export class DocumentUnreadableError extends KonveyerError {
  override readonly code: DocumentUnreadableCode;
  override readonly kind = 'permanent';
  constructor(code: DocumentUnreadableCode, message: string, options: KonveyerErrorOptions = {}) {
    super(message, options);
    this.code = code;
  }
}

/**
 * The job's robot died holding it more often than the queue allows (BullMQ: "job stalled more than
 * allowable limit"). The lookup ends failed with this code; ops may retry it.
 */
export class StalledError extends KonveyerError {
  override readonly code = 'stalled';
  override readonly kind = 'permanent';
}

/** The lookup's queue job vanished (removed, or lost with Redis data) while it ran. Ends failed. */
export class JobLostError extends KonveyerError {
  override readonly code = 'job_lost';
  override readonly kind = 'permanent';
}

// ---- a person is needed ----

/** No solver could answer a captcha or second factor: the lookup parks as `needs_human`. */
export class NeedsHumanError extends KonveyerError {
  override readonly code = 'needs_human';
  override readonly kind = 'needs_human';
}

const RETRYABLE_CODES = new Set(['network', 'timeout', 'server_error', 'rate_limited', 'blocked', 'captcha_wrong', 'host_paused', 'no_egress']);
const NEEDS_HUMAN_CODES = new Set(['needs_human']);

/** Reads the kind of any thrown value by its `code` (works on errors rebuilt from JSON). */
export function errorKindOf(error: unknown): ErrorKind {
  const code = errorCodeOf(error);
  if (RETRYABLE_CODES.has(code)) return 'retryable';
  if (NEEDS_HUMAN_CODES.has(code)) return 'needs_human';
  if (code === 'internal') return 'retryable';
  return 'permanent';
}

/** The stable code of any thrown value; `internal` for errors that are not ours. */
export function errorCodeOf(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof (error as { code: unknown }).code === 'string') {
    const code = (error as { code: string }).code;
    if (RETRYABLE_CODES.has(code) || NEEDS_HUMAN_CODES.has(code) || KNOWN_PERMANENT.has(code)) return code;
    // Node's own system errors (ECONNREFUSED, ECONNRESET, UND_ERR_*) are network trouble.
    if (/^E[A-Z]+$/.test(code) || code.startsWith('UND_ERR')) return code.includes('TIMEOUT') ? 'timeout' : 'network';
  }
  if (error instanceof Error && error.name === 'TimeoutError') return 'timeout';
  return 'internal';
}

const KNOWN_PERMANENT = new Set(['bad_input', 'not_found', 'layout_drift', 'server_choice', 'forbidden_target', 'auth_required', 'not_a_document', 'pdf_encrypted', 'pdf_broken', 'image_broken', 'stalled', 'job_lost']);

/** A JSON-safe description of any thrown value, for `lookups.error`. */
export function describeError(error: unknown): { code: string; kind: ErrorKind; message: string; details?: Record<string, unknown> } {
  if (error instanceof KonveyerError) {
    const { code, kind, message, details } = error.toJSON();
    return { code, kind, message, details };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: errorCodeOf(error), kind: errorKindOf(error), message };
}
