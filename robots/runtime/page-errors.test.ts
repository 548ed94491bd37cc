import { describe, expect, it } from 'vitest';
import { errorKindOf, RateLimitedError } from '../../core/errors.ts';
import { ANTI_BRUTEFORCE_RETRY_MS } from '../../parsers/index.ts';
import { decideOutcome } from '../../queues/outcome.ts';
import { pageKindError } from './page-errors.ts';

const page = (html: string) => ({ url: 'https://court.sudrf.ru/modules.php?name=sud_delo&srv_num=1&name_op=r', status: 200, html, evidenceId: 'ev-1', fetchedAt: new Date('2026-05-01T10:00:00Z') });

describe('pageKindError', () => {
  it('makes the anti-bruteforce answer a rate limit the queue waits out, with the evidence', () => {
    const e = pageKindError('rate_limited', page('<main>Информация временно недоступна</main>'), 'search results');
    expect(e).toBeInstanceOf(RateLimitedError);
    expect((e as RateLimitedError).retryAfterMs).toBe(ANTI_BRUTEFORCE_RETRY_MS);
    expect((e as RateLimitedError).details).toMatchObject({ evidenceId: 'ev-1' });
    expect(errorKindOf(e)).toBe('retryable');
    expect(decideOutcome(e, 1, 5)).toEqual({ action: 'delay', delayMs: ANTI_BRUTEFORCE_RETRY_MS });
  });
  it('names the servers of a server-choice landing it could not follow', () => {
    const e = pageKindError('server_choice', page('Выберите сервер <a href="/modules.php?srv_num=2">2</a>'), 'a case card');
    expect(e).toMatchObject({ code: 'server_choice' });
    expect(e.message).toMatch(/srv_num=2/);
  });
  it('keeps layout drift with the evidence for an unknown page', () => {
    expect(pageKindError('unknown', page('<p>?</p>'), 'a case card')).toMatchObject({ code: 'layout_drift', evidenceId: 'ev-1' });
  });
});
