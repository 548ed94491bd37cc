/** The `captcha_tasks` collection: captchas and second factors no solver handled, for an operator (issue 3). */

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
  /** The proxy and fingerprint the site saw the session on, worn again on resume; absent = direct. */
  egress?: ParkedEgress | null;
}

/**
 * The egress a parked site session went out on (issue 15 §1), so that its resume, in whichever
 * robot process, reaches the site from the same proxy as the same client. The proxy is named by
 * an id, never by its URL: the URL holds the proxy's credentials, which stay in config.
 */
export interface ParkedEgress {
  /** The target host the session's egress was picked for (its PROXY_POOLS pool). */
  host: string;
  /** `p_` and 16 hex characters of the SHA-256 of the proxy URL (runtime/politeness.ts `proxyId`, as Redis names it). */
  proxyId: string;
  /** The session's fingerprint (fingerprint-generator's, with its headers) as JSON: no secret in it. */
  fingerprint: string;
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
