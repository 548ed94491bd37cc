/**
 * Transport-level faults of the sandbox, decided per request (sandbox/server.ts applies them):
 * a hang until the client gives up, 429 with `Retry-After`, slow pages, a body cut mid-page, and a
 * captcha storm (every captcha answer a robot sends is spoiled, so every answer is "wrong").
 * Pure functions over the active {@link FaultSpec} and the sandbox's seeded fault PRNG.
 */

/** The per-host fault figures this module reads (a subset of the sandbox's FaultSpec). */
export interface TransportFaultSpec {
  /** Share of requests never answered: the socket stays open until the client gives up, 0..1. */
  timeoutRate: number;
  /** Share of requests answered HTTP 429 with `Retry-After: retryAfterSecs`, 0..1. */
  rate429: number;
  /** Seconds in the `Retry-After` header of a 429. */
  retryAfterSecs: number;
  /** Delay of a slow page, ms (e.g. 10 000 for the "10-second pages" fault). */
  slowMs: number;
  /** Share of requests delayed by `slowMs`, 0..1. */
  slowRate: number;
  /** Share of answers whose body is cut mid-page (headers promise the full length), 0..1. */
  truncateRate: number;
  /** While on, every captcha answer a client sends is replaced by a wrong one. */
  captchaStorm: boolean;
}

/** What to do with one request before the site answers it. */
export type TransportFault =
  | { kind: 'none' }
  | { kind: 'hang' }
  | { kind: 'rate429'; retryAfterSecs: number }
  | { kind: 'truncate' };

/** A seeded random source (sandbox/data/prng.ts `createPrng`). */
export interface FaultRandom {
  next(): number;
}

/** Transport faults off: the defaults of every field. */
export const NO_TRANSPORT_FAULTS: TransportFaultSpec = {
  timeoutRate: 0,
  rate429: 0,
  retryAfterSecs: 2,
  slowMs: 0,
  slowRate: 0,
  truncateRate: 0,
  captchaStorm: false,
};

/**
 * Picks at most one fault for a request. One random draw per kind that is switched on, so a spec
 * with a kind off consumes no randomness for it (the other kinds stay reproducible).
 */
export function pickTransportFault(spec: TransportFaultSpec, rng: FaultRandom): TransportFault {
  if (spec.timeoutRate > 0 && rng.next() < spec.timeoutRate) return { kind: 'hang' };
  if (spec.rate429 > 0 && rng.next() < spec.rate429) return { kind: 'rate429', retryAfterSecs: spec.retryAfterSecs };
  if (spec.truncateRate > 0 && rng.next() < spec.truncateRate) return { kind: 'truncate' };
  return { kind: 'none' };
}

/** The delay of this request, ms: `slowMs` for a `slowRate` share, else 0. */
export function slowDelayMs(spec: TransportFaultSpec, rng: FaultRandom): number {
  if (spec.slowMs <= 0) return 0;
  // slowRate 0 with slowMs set means every page is slow.
  return spec.slowRate === 0 || rng.next() < spec.slowRate ? spec.slowMs : 0;
}

/** Names of the captcha answer parameters of the replicas (sudrf, FSSP, msudrf kcaptcha). */
const CAPTCHA_PARAM = /^(captcha|code|captcha-response|captcha_code|keystring)$/i;

/**
 * Spoils every captcha answer in a query string or urlencoded form body (a captcha storm): each
 * value of a captcha parameter gets a character appended, so no answer can be right.
 * @returns the rewritten text (unchanged when no captcha parameter is present)
 */
export function spoilCaptchaAnswers(encoded: string): string {
  if (!encoded) return encoded;
  return encoded
    .split('&')
    .map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) return pair;
      return CAPTCHA_PARAM.test(pair.slice(0, at)) ? `${pair}x` : pair;
    })
    .join('&');
}

/** The 429 answer with `Retry-After`. */
export function rateLimitedResponse(retryAfterSecs: number): { status: number; headers: Record<string, string>; body: Buffer } {
  return {
    status: 429,
    headers: { 'content-type': 'text/html; charset=utf-8', 'retry-after': String(retryAfterSecs) },
    body: Buffer.from('<html><body><h1>429 Too Many Requests</h1></body></html>'),
  };
}
