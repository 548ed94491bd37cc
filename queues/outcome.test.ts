import { describe, expect, it } from 'vitest';
import { CaptchaWrongError, LayoutDriftError, NeedsHumanError, NotFoundError, RateLimitedError, TimeoutError, describeError, errorKindOf } from '../core/errors.ts';
import { decideOutcome, MAX_DELAYS } from './outcome.ts';

describe('decideOutcome', () => {
  it('retries retryable errors while attempts remain, then fails them as exhausted', () => {
    expect(decideOutcome(new TimeoutError('slow'), 1, 3)).toEqual({ action: 'retry' });
    expect(decideOutcome(new CaptchaWrongError('bad'), 3, 3)).toEqual({ action: 'fail', exhausted: true });
  });

  it('fails permanent errors at once, whatever the attempt', () => {
    expect(decideOutcome(new LayoutDriftError('moved', { selector: 'table#tablcont' }), 1, 5)).toEqual({ action: 'fail', exhausted: false });
    expect(decideOutcome(new NotFoundError('none'), 1, 5)).toEqual({ action: 'fail', exhausted: false });
  });

  it('delays rate-limited jobs by Retry-After, up to a limit', () => {
    expect(decideOutcome(new RateLimitedError('429', 7000), 1, 5)).toEqual({ action: 'delay', delayMs: 7000 });
    expect(decideOutcome(new RateLimitedError('429', 7000), 5, 5, MAX_DELAYS)).toEqual({ action: 'fail', exhausted: true });
  });

  it('parks what needs a human', () => {
    expect(decideOutcome(new NeedsHumanError('captcha'), 1, 5)).toEqual({ action: 'park' });
  });

  it('classifies errors that crossed a process boundary by their code', () => {
    const plain = JSON.parse(JSON.stringify(new LayoutDriftError('moved').toJSON())) as object;
    expect(errorKindOf(plain)).toBe('permanent');
    expect(errorKindOf({ code: 'ECONNRESET' })).toBe('retryable');
    expect(describeError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })).code).toBe('network');
    expect(errorKindOf(new Error('a bug'))).toBe('retryable');
  });
});
