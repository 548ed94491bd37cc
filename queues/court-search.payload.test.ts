import { describe, expect, it } from 'vitest';
import { courtSearchInputSchema } from './court-search.payload.ts';
import { describeIssues } from './payloads.ts';

const messages = (input: unknown) => {
  const r = courtSearchInputSchema.safeParse(input);
  return r.success ? [] : describeIssues(r.error);
};

describe('court.search input: the участок of single-host magistrate portals', () => {
  it('takes an optional section on mirsud.spb.ru and mos-sud.ru, and refuses it elsewhere', () => {
    const base = { party: 'Кондратьева', registeredFrom: '01.01.2026', registeredTo: '2026-06-15' };
    expect(courtSearchInputSchema.parse({ court: 'mirsud.spb.ru', section: ' 98 ', ...base })).toEqual({ court: 'mirsud.spb.ru', section: '98', party: 'Кондратьева', registeredFrom: '2026-01-01', registeredTo: '2026-06-15' });
    expect(courtSearchInputSchema.parse({ court: 'mos-sud.ru', ...base })).not.toHaveProperty('section');
    expect(messages({ court: 'leninsky--ufa.sudrf.ru', section: '1', ...base })[0]).toMatch(/section is only for mirsud.spb.ru and mos-sud.ru/);
    expect(messages({ court: '5.mo.msudrf.ru', section: '5', ...base })[0]).toMatch(/section is only for/);
    expect(messages({ court: 'mos-sud.ru', section: '46a', ...base })[0]).toMatch(/malformed section/);
  });
});
