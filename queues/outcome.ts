import { describeError, errorKindOf } from '../core/errors.ts';

/**
 * What the queue does with a failed attempt. The one mapping from errors to queue outcomes:
 * - `retry`: put the job back with exponential backoff (retryable kinds, attempts left);
 * - `delay`: put it back after `delayMs` without counting an attempt (rate limited, host paused);
 * - `fail`: end the lookup `failed` with the error's code (permanent kinds, or retries exhausted);
 * - `park`: end the lookup `needs_human` (a captcha or second factor no solver could answer).
 */
export type QueueOutcome =
  | { action: 'retry' }
  | { action: 'delay'; delayMs: number }
  | { action: 'fail'; exhausted: boolean }
  | { action: 'park' };

/** At most this many rate-limit delays per job, so a host that always answers 429 still ends. */
export const MAX_DELAYS = 20;

export function decideOutcome(error: unknown, attempt: number, maxAttempts: number, delaysSoFar = 0): QueueOutcome {
  const kind = errorKindOf(error);
  if (kind === 'needs_human') return { action: 'park' };
  if (kind === 'permanent') return { action: 'fail', exhausted: false };
  const retryAfterMs = retryAfterOf(error);
  if (retryAfterMs !== null && delaysSoFar < MAX_DELAYS) return { action: 'delay', delayMs: retryAfterMs };
  if (attempt >= maxAttempts) return { action: 'fail', exhausted: true };
  return { action: 'retry' };
}

function retryAfterOf(error: unknown): number | null {
  const described = describeError(error);
  if (described.code !== 'rate_limited' && described.code !== 'host_paused' && described.code !== 'no_egress') return null;
  const v = (error as { retryAfterMs?: unknown }).retryAfterMs ?? described.details?.retryAfterMs;
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 1000;
}
