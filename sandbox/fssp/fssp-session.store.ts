/**
 * Cookie sessions of the FSSP replica and their captcha gate, as the real session index shows it
 * (fixture `fssp/ajax_search_session_index_2021-08-30.json`): the first query of a session gets the
 * challenge; the same query with `code=<answer>` is served; later queries of that session are served
 * without a new challenge (the real site served ≥4 different queries over ~1 minute, and later
 * sessions were challenged again); a wrong code gets «Неверно введен код» and a new picture.
 *
 * Assumptions (not observable in the cache): the cookie is Express's default `connect.sid` (the
 * server says `X-Powered-By: Express`); a pass lasts {@link FsspSessionOptions.passTtlMs} or
 * {@link FsspSessionOptions.passQueries} queries, whichever ends first; codes compare trimmed and
 * case-insensitively.
 */
import { createHash } from 'node:crypto';
import { createPrng, type Prng } from '../data/prng.ts';
import { fsspCaptchaAnswer } from './captcha-image.ts';

/** The session cookie name. */
export const FSSP_SESSION_COOKIE = 'connect.sid';

/** Options of {@link FsspSessionStore}. */
export interface FsspSessionOptions {
  /** How long a solved captcha lets the session through, ms. Default 10 minutes. */
  passTtlMs?: number;
  /** How many queries a solved captcha lets through (the solving query included). Default 100. */
  passQueries?: number;
  /** Seed of session ids and answers. Default 42. */
  seed?: number;
  /** Clock, ms. Default Date.now. */
  now?: () => number;
}

interface Session {
  id: string;
  /** The captcha shown last and not yet answered. */
  pending: { answer: string; issuedAtMs: number } | null;
  passUntilMs: number;
  passLeft: number;
  lastSeenMs: number;
}

/** What the gate decided for one query. */
export type GateVerdict =
  | { kind: 'pass' }
  | { kind: 'challenge'; answer: string }
  | { kind: 'wrong_code'; answer: string };

const SESSION_IDLE_MS = 60 * 60_000;
const IMAGE_INDEX_LIMIT = 20_000;

/** Sessions, their pending captchas and passes. */
export class FsspSessionStore {
  readonly settings: { passTtlMs: number; passQueries: number };
  readonly #sessions = new Map<string, Session>();
  readonly #byImage = new Map<string, string>();
  readonly #rng: Prng;
  readonly #now: () => number;
  /** Counters for tests and benchmarks. */
  readonly counters = { challenges: 0, solved: 0, wrong: 0, passed: 0 };

  constructor(options: FsspSessionOptions = {}) {
    this.settings = { passTtlMs: options.passTtlMs ?? 10 * 60_000, passQueries: options.passQueries ?? 100 };
    this.#rng = createPrng(options.seed ?? 42);
    this.#now = options.now ?? Date.now;
  }

  /** The session of a cookie value, or a new one (`isNew` = send Set-Cookie). */
  session(cookieValue: string | undefined): { id: string; isNew: boolean } {
    this.#prune();
    const now = this.#now();
    const found = cookieValue ? this.#sessions.get(cookieValue) : undefined;
    if (found) {
      found.lastSeenMs = now;
      return { id: found.id, isNew: false };
    }
    const id = `s:${this.#rng.token(32)}`;
    this.#sessions.set(id, { id, pending: null, passUntilMs: 0, passLeft: 0, lastSeenMs: now });
    return { id, isNew: true };
  }

  /**
   * Decides one query of session `id`: `code` is the `code` parameter (undefined when absent).
   * A pass is consumed by every served query.
   */
  gate(id: string, code: string | undefined): GateVerdict {
    const s = this.#sessions.get(id);
    if (!s) throw new Error(`unknown FSSP session ${id}`);
    const now = this.#now();
    const passing = s.passLeft > 0 && now < s.passUntilMs;
    if (code !== undefined && s.pending) {
      if (code.trim().toLowerCase() === s.pending.answer) {
        s.pending = null;
        s.passUntilMs = now + this.settings.passTtlMs;
        s.passLeft = this.settings.passQueries - 1;
        this.counters.solved++;
        return { kind: 'pass' };
      }
      this.counters.wrong++;
      return { kind: 'wrong_code', answer: this.#issue(s) };
    }
    if (passing) {
      s.passLeft--;
      this.counters.passed++;
      return { kind: 'pass' };
    }
    if (code !== undefined) {
      // A code with no captcha pending (or after the pass ran out) is wrong by definition.
      this.counters.wrong++;
      return { kind: 'wrong_code', answer: this.#issue(s) };
    }
    this.counters.challenges++;
    return { kind: 'challenge', answer: this.#issue(s) };
  }

  /** Remember which image shows which answer (for the admin route by image hash). */
  noteImage(image: Buffer, answer: string): void {
    if (this.#byImage.size >= IMAGE_INDEX_LIMIT) this.#byImage.delete(this.#byImage.keys().next().value as string);
    this.#byImage.set(imageKey(image), answer);
  }

  /**
   * The answer of a pending captcha: by session id (the cookie value) or by the SHA-256 hex of
   * the JPEG bytes; undefined when unknown.
   */
  answer(idOrImageSha256: string): string | undefined {
    return this.#sessions.get(idOrImageSha256)?.pending?.answer ?? this.#byImage.get(idOrImageSha256.toLowerCase());
  }

  #issue(s: Session): string {
    const answer = fsspCaptchaAnswer(this.#rng);
    s.pending = { answer, issuedAtMs: this.#now() };
    return answer;
  }

  #prune(): void {
    const now = this.#now();
    for (const [id, s] of this.#sessions) if (now - s.lastSeenMs > SESSION_IDLE_MS) this.#sessions.delete(id);
  }
}

/** SHA-256 hex of image bytes: the key of {@link FsspSessionStore.answer} by image. */
export function imageKey(image: Buffer): string {
  return createHash('sha256').update(image).digest('hex');
}
