/**
 * The sudrf search captchas the sandbox has handed out (TARGETS.md §1.5): 5-digit answers known to
 * the sandbox, stored per `captchaid` and per court host. A pair once solved stays valid for 30
 * minutes and can be reused for further searches on that court (as real robots observe);
 * a wrong answer burns the id. Unsolved ids also expire after 30 minutes.
 */
import { createPrng, type Prng } from '../data/prng.ts';

/** How long a solved (or issued) captcha pair is accepted, ms. */
export const CAPTCHA_TTL_MS = 30 * 60_000;

interface Entry {
  host: string;
  answer: string;
  issuedAtMs: number;
  solvedAtMs: number | null;
}

/** Outcome of checking a submitted pair. */
export type CaptchaCheck = 'ok' | 'wrong' | 'missing';

/** Options of {@link CaptchaStore}. */
export interface CaptchaStoreOptions {
  /** PRNG seed for answers and ids; default 42. */
  seed?: number;
  /** Clock, ms; tests pass a fake one. Default `Date.now`. */
  now?: () => number;
}

/** Issued captchas and solved pairs of every court of one sandbox. */
export class CaptchaStore {
  readonly #entries = new Map<string, Entry>();
  readonly #rng: Prng;
  readonly #now: () => number;

  constructor(options: CaptchaStoreOptions = {}) {
    this.#rng = createPrng(options.seed ?? 42);
    this.#now = options.now ?? Date.now;
  }

  /** Hand out a new captcha for `host`: returns its id and answer (the page draws the image). */
  issue(host: string): { id: string; answer: string } {
    this.#prune();
    const id = this.#rng.token(26);
    const answer = this.#rng.digits(5);
    this.#entries.set(id, { host, answer, issuedAtMs: this.#now(), solvedAtMs: null });
    return { id, answer };
  }

  /** Check a submitted pair for `host`. A right answer marks the pair solved; a wrong one burns the id. */
  check(host: string, id: string | undefined, code: string | undefined): CaptchaCheck {
    if (!id && !code) return 'missing';
    const entry = id ? this.#entries.get(id) : undefined;
    const now = this.#now();
    if (!entry || entry.host !== host) return 'wrong';
    const since = entry.solvedAtMs ?? entry.issuedAtMs;
    if (now - since > CAPTCHA_TTL_MS) {
      this.#entries.delete(id as string);
      return 'wrong';
    }
    if ((code ?? '').trim() !== entry.answer) {
      this.#entries.delete(id as string);
      return 'wrong';
    }
    if (entry.solvedAtMs === null) entry.solvedAtMs = now;
    return 'ok';
  }

  /** The answer of an issued captcha, for tests and the admin route; undefined when unknown. */
  answer(id: string): string | undefined {
    return this.#entries.get(id)?.answer;
  }

  #prune(): void {
    const now = this.#now();
    for (const [id, e] of this.#entries) {
      if (now - (e.solvedAtMs ?? e.issuedAtMs) > CAPTCHA_TTL_MS) this.#entries.delete(id);
    }
  }
}
