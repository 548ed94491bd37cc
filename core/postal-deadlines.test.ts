/**
 * Terms from a letter's receipt, over the real 2026 production calendar (core/calendar, after
 * Постановление Правительства РФ on the 2026 transfers: 23.02 (Mon) and 09.03 (Mon, for 08.03) are
 * days off). Expected dates counted by hand on a calendar.
 */
import { describe, expect, it } from 'vitest';
import { loadProductionCalendar } from './calendar/index.ts';
import { letterDeadlines } from './postal-deadlines.ts';

const calendar = loadProductionCalendar();

describe('letterDeadlines', () => {
  it('court order: receipt Thu 19.02.2026 + 5 working days, 23.02 off → Fri 27.02 (not Thu 26.02)', () => {
    // Fri 20 (1), Mon 23 holiday, Tue 24 (2), Wed 25 (3), Thu 26 (4), Fri 27 (5)
    const [d] = letterDeadlines(calendar, [{ kind: 'court-case', id: 'c1' }], '2026-02-19T14:30:00.000+05:00');
    expect(d).toMatchObject({ kind: 'court-case', id: 'c1', event: 'order_issued', from: '2026-02-19', due: '2026-02-27' });
  });

  it('ИП: receipt 19.02.2026 + 3 working days to the пристав (25.02) + 3 to open it (02.03)', () => {
    // 20 (1), 24 (2), 25 (3) → 25.02; 26 (1), 27 (2), Mon 02.03 (3)
    const [d] = letterDeadlines(calendar, [{ kind: 'ip', id: '102021/20/02003-ИП' }], '2026-02-19T09:00:00');
    expect(d).toMatchObject({ event: 'ip_opened', from: '2026-02-19', stepDue: '2026-02-25', due: '2026-03-02' });
  });

  it('a later delivery moves the term: receipt Fri 06.03.2026, 09.03 off → Mon 16.03', () => {
    // Tue 10 (1), 11 (2), 12 (3), 13 (4), Mon 16 (5)
    expect(letterDeadlines(calendar, [{ kind: 'court-case', id: 'c1' }], '2026-03-06T17:00:00+03:00')[0]!.due).toBe('2026-03-16');
  });

  it('the receipt date is the local date of the delivery office, not UTC', () => {
    // 00:30 in Ufa (+05:00) on 20.02 is 19.02 in UTC; the term counts from 20.02: 24, 25, 26, 27, 02.03
    expect(letterDeadlines(calendar, [{ kind: 'court-case', id: 'c1' }], '2026-02-20T00:30:00.000+05:00')[0]).toMatchObject({ from: '2026-02-20', due: '2026-03-02' });
  });

  it('epgu: 10 working days; ref links start no term', () => {
    // from Thu 19.02: 20, 24, 25, 26, 27, 02.03, 03, 04, 05, 06 → 06.03
    const out = letterDeadlines(calendar, [{ kind: 'ref', id: 'x' }, { kind: 'epgu', id: 'e1' }], '2026-02-19T10:00:00+03:00');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'epgu', due: '2026-03-06' });
  });
});
