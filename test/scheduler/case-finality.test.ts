/**
 * When a case is final: shown on the page, or derived by law on the production calendar.
 * Every expected date here is counted by hand from the article and the published calendar
 * (2025–2026: 1–8 January off, 2026 also 9 January by transfer, 10–11 January a weekend;
 * 31 December 2025 off; 8–11 May 2025 off; 11 May 2026 off by transfer), not from the code.
 */
import { describe, expect, it } from 'vitest';
import { loadProductionCalendar } from '../../core/calendar/index.ts';
import { caseFinality, proceedingKind, type FinalityInput } from '../../scheduler/case-finality.ts';

const calendar = loadProductionCalendar();
const ev = (name: string, date: string, result: string | null = null) => ({ name, date, result });
const base: FinalityInput = { status: 'decided', caseNumber: '2-100/2025', decision: { date: null, result: null }, effectiveAt: null, events: [] };
const hearing = (date: string, result = 'Вынесено решение по делу') => ev('Судебное заседание', date, result);
const finalForm = (date: string) => ev('Изготовлено мотивированное решение в окончательной форме', date);

describe('derived by law: a first-instance decision (ГПК ст.209, 321, 108)', () => {
  it('a month from the final form that ends on 1 January moves past the whole January holidays', () => {
    // Final form Mon 1 Dec 2025 → same date a month later: Thu 1 Jan 2026, a holiday; 1–9 Jan off,
    // 10–11 Jan weekend → last day Mon 12 Jan 2026 → in force Tue 13 Jan 2026.
    const f = caseFinality({ ...base, decision: { date: '2025-11-24', result: 'Иск (заявление, жалоба) УДОВЛЕТВОРЕН' }, events: [hearing('2025-11-24'), finalForm('2025-12-01')] }, calendar);
    expect(f).toMatchObject({ state: 'derived', final: false, effectiveAt: '2026-01-13', source: 'derived', rule: 'gpk-209-321-decision', assumption: null });
    expect(f.legalSource).toContain('ст.321');
    expect(f.steps.find((s) => s.what === 'last day for an appeal')?.date).toBe('2026-01-12');
  });

  it('a month that ends on a Sunday moves to Monday; a month without that date ends on its last day', () => {
    // Fri 25 Apr 2025 → Sun 25 May → Mon 26 May → in force Tue 27 May 2025.
    expect(caseFinality({ ...base, decision: { date: '2025-04-11', result: 'x' }, events: [finalForm('2025-04-25')] }, calendar).effectiveAt).toBe('2025-05-27');
    // Fri 31 Jan 2025 → February has no 31st: Fri 28 Feb 2025 (a working day) → in force Sat 1 Mar 2025.
    expect(caseFinality({ ...base, decision: { date: '2025-01-24', result: 'x' }, events: [finalForm('2025-01-31')] }, calendar).effectiveAt).toBe('2025-03-01');
  });

  it('without a final-form row assumes the last of the 10 working days of ст.199 and says so', () => {
    // Decision Fri 19 Dec 2025; 10 working days: 22, 23, 24, 25, 26, 29, 30 Dec (31 Dec and 1–11 Jan off), 12, 13, 14 Jan
    // → final form 14 Jan 2026 → 14 Feb (Sat) → Mon 16 Feb → in force Tue 17 Feb 2026.
    const f = caseFinality({ ...base, decision: { date: '2025-12-19', result: 'x' }, events: [hearing('2025-12-19')] }, calendar);
    expect(f).toMatchObject({ effectiveAt: '2026-02-17', rule: 'gpk-209-321-decision' });
    expect(f.assumption).toMatch(/ст\.199/);
  });

  it('a default judgment (заочное): copy in 3 working days, +7 days post, 7 working days to apply, then the month', () => {
    // Final form Thu 21 Aug 2025 → sent Tue 26 Aug (22, 25, 26) → received Tue 2 Sep → 7 working days: 3, 4, 5, 8, 9, 10, 11 Sep
    // → a month: Sat 11 Oct → Mon 13 Oct → in force Tue 14 Oct 2025.
    const f = caseFinality({ ...base, decision: { date: '2025-08-18', result: 'Иск (заявление, жалоба) УДОВЛЕТВОРЕН' }, events: [hearing('2025-08-18', 'Вынесено заочное решение по делу'), finalForm('2025-08-21')] }, calendar);
    expect(f).toMatchObject({ effectiveAt: '2025-10-14', rule: 'gpk-237-default-judgment' });
  });

  it('an appeal pending keeps it open; an appeal ruling puts it in force that day', () => {
    const decided = { ...base, decision: { date: '2025-08-18', result: 'x' }, events: [finalForm('2025-08-21')] };
    expect(caseFinality({ ...decided, appeals: [{ filedAt: '2025-08-25', decidedAt: null }] }, calendar)).toMatchObject({ state: 'open', final: false, effectiveAt: null });
    expect(caseFinality({ ...decided, events: [...decided.events, ev('Регистрация апелляционной жалобы', '2025-09-10')] }, calendar).state).toBe('open');
    expect(caseFinality({ ...decided, appeals: [{ filedAt: '2025-08-25', decidedAt: '2025-11-20', result: 'решение оставлено без изменения' }] }, calendar))
      .toMatchObject({ state: 'derived', effectiveAt: '2025-11-20', rule: 'gpk-329-appeal-ruling' });
    expect(caseFinality({ ...decided, appeals: [{ filedAt: '2025-08-25', decidedAt: '2025-11-20', result: 'направлено на новое рассмотрение' }] }, calendar).state).toBe('open');
  });
});

describe('derived by law: a court order (ГПК ст.128–130)', () => {
  const order = { ...base, status: 'order_issued' as const, caseNumber: '2-55/2025' };

  it('copy sent just before New Year: +7 days post, 10 working days across 31 Dec and 1–11 January', () => {
    // Sent Wed 24 Dec 2025 → received Wed 31 Dec → working days 12, 13, 14, 15, 16, 19, 20, 21, 22, 23 Jan
    // → last day Fri 23 Jan 2026 → in force Sat 24 Jan 2026.
    const f = caseFinality({ ...order, decision: { date: '2025-12-22', result: 'Вынесен судебный приказ' }, events: [
      ev('Вынесен судебный приказ', '2025-12-22'), ev('Направление копии судебного приказа должнику', '2025-12-24'),
    ] }, calendar);
    expect(f).toMatchObject({ state: 'derived', effectiveAt: '2026-01-24', source: 'derived', rule: 'gpk-128-130-order' });
    expect(f.assumption).toMatch(/7 days after dispatch/);
    expect(f.steps.map((s) => [s.what, s.date])).toEqual([
      ['order issued', '2025-12-22'], ['copy sent to the debtor', '2025-12-24'], ['copy received by the debtor', '2025-12-31'],
      ['last day for objections', '2026-01-23'], ['in force', '2026-01-24'],
    ]);
  });

  it('a receipt on the card is counted from, across the May 2025 holidays', () => {
    // Received Tue 6 May 2025 → 7 May, (8–11 off), 12, 13, 14, 15, 16, 19, 20, 21, 22 May → in force Fri 23 May 2025.
    const f = caseFinality({ ...order, decision: { date: '2025-04-28', result: 'Вынесен судебный приказ' }, events: [
      ev('Вынесен судебный приказ', '2025-04-28'), ev('Направление копии судебного приказа должнику', '2025-04-29'), ev('Вручение копии судебного приказа должнику', '2025-05-06'),
    ] }, calendar);
    expect(f).toMatchObject({ effectiveAt: '2025-05-23', assumption: null });
  });

  it('no dispatch row: the copy counts as sent on the last of the 5 working days', () => {
    // Issued Fri 26 Dec 2025 → 29, 30 Dec, 12, 13, 14 Jan → sent 14 Jan → received 21 Jan
    // → 22, 23, 26, 27, 28, 29, 30 Jan, 2, 3, 4 Feb → in force Thu 5 Feb 2026.
    const f = caseFinality({ ...order, decision: { date: '2025-12-26', result: 'Вынесен судебный приказ' }, events: [ev('Вынесен судебный приказ', '2025-12-26')] }, calendar);
    expect(f.effectiveAt).toBe('2026-02-05');
    expect(f.assumption).toMatch(/5 working days/);
  });

  it('objections filed keep it open (the order may be cancelled); a cancelled order is ended', () => {
    const events = [ev('Вынесен судебный приказ', '2025-12-22'), ev('Поступили возражения должника относительно исполнения судебного приказа', '2026-01-14')];
    expect(caseFinality({ ...order, decision: { date: '2025-12-22', result: 'Вынесен судебный приказ' }, events }, calendar)).toMatchObject({ state: 'open', final: false });
    expect(caseFinality({ ...order, status: 'cancelled', events }, calendar)).toMatchObject({ state: 'ended', final: true, effectiveAt: null });
  });
});

describe('derived by law: higher instances and КоАП', () => {
  it('an appeal ruling (33-) is in force the day it is made; a cassation ruling (8Г-) too', () => {
    expect(caseFinality({ ...base, caseNumber: '33-4818/2025', decision: { date: '2025-11-20', result: 'решение оставлено без изменения' } }, calendar))
      .toMatchObject({ effectiveAt: '2025-11-20', rule: 'gpk-329-appeal-ruling' });
    expect(caseFinality({ ...base, caseNumber: '8Г-2430/2026', decision: { date: '2026-03-03', result: 'x' } }, calendar))
      .toMatchObject({ effectiveAt: '2026-03-03', rule: 'gpk-390-cassation-ruling' });
  });

  it('КоАП: 10 days from the assumed receipt, the last one moved off the 11 May 2026 day off', () => {
    // Постановление Tue 21 Apr 2026 → sent 24 Apr → received 1 May → +10 days: Mon 11 May (off by transfer)
    // → Tue 12 May → in force Wed 13 May 2026.
    const f = caseFinality({ ...base, caseNumber: '5-174/2026', decision: { date: '2026-04-21', result: 'Вынесено постановление о назначении административного наказания' } }, calendar);
    expect(f).toMatchObject({ effectiveAt: '2026-05-13', rule: 'koap-30.3-31.1' });
    expect(f.assumption).toMatch(/29\.11/);
  });

  it('criminal cases are not derived here (УПК is out of scope): unknown, not final', () => {
    expect(caseFinality({ ...base, caseNumber: '1-151/2026', decision: { date: '2026-02-10', result: 'Вынесен ПРИГОВОР' } }, calendar)).toMatchObject({ state: 'unknown', final: false, effectiveAt: null });
    expect(proceedingKind({ caseNumber: '1-151/2026' })).toBe('criminal');
    expect(proceedingKind({ caseNumber: '33а-647/2026' })).toBe('appeal');
    expect(proceedingKind({ caseNumber: '2а-12/2026' })).toBe('civil');
  });
});

describe('shown on the page', () => {
  it('the card row, the results-list column, a movement row, a writ issued after the decision', () => {
    expect(caseFinality({ ...base, effectiveAt: '2025-06-01' }, calendar)).toMatchObject({ state: 'in_force', final: true, effectiveAt: '2025-06-01', source: 'shown', rule: 'shown_card' });
    expect(caseFinality({ ...base, effectiveAt: '2025-06-01', effectiveAtRule: 'shown_results_list' }, calendar).rule).toBe('shown_results_list');
    expect(caseFinality({ ...base, status: 'order_issued', events: [ev('Вынесен судебный приказ', '2025-03-03'), ev('Судебный приказ вступил в законную силу', '2025-03-28')] }, calendar))
      .toMatchObject({ final: true, effectiveAt: '2025-03-28', source: 'shown', rule: 'shown_event' });
    const decided = { ...base, decision: { date: '2025-08-18', result: 'x' }, events: [finalForm('2025-08-21')] };
    // Final form Thu 21 Aug 2025 → Sun 21 Sep → Mon 22 Sep → in force Tue 23 Sep 2025; a writ of 20 Oct confirms it.
    expect(caseFinality({ ...decided, executionDocuments: [{ issuedAt: '2025-10-20', status: 'Выдан' }] }, calendar))
      .toMatchObject({ final: true, effectiveAt: '2025-09-23', source: 'derived', rule: 'gpk-209-321-decision' });
    // A writ before that day is immediate execution or an interim measure: the date stays to be confirmed.
    expect(caseFinality({ ...decided, executionDocuments: [{ issuedAt: '2025-09-01', status: 'Выдан' }] }, calendar)).toMatchObject({ final: false, effectiveAt: '2025-09-23' });
    // No rule for the kind of case (criminal): in force no later than the writ.
    expect(caseFinality({ ...base, caseNumber: '1-151/2026', decision: { date: '2026-02-10', result: 'Вынесен ПРИГОВОР' }, executionDocuments: [{ issuedAt: '2026-04-01', status: 'Выдан' }] }, calendar))
      .toMatchObject({ final: true, effectiveAt: '2026-04-01', source: 'shown', rule: 'shown_execution_document' });
    // msudrf's «Обращение к исполнению» stands undated right after the order on the real type C cards: no sign of force.
    expect(caseFinality({ ...base, status: 'order_issued', decision: { date: '2026-07-24', result: 'Судебный приказ' }, events: [ev('Регистрация судебного приказа', '2026-07-24'), { name: 'Обращение к исполнению', date: null, result: null }] }, calendar))
      .toMatchObject({ final: false, source: 'derived', rule: 'gpk-128-130-order' });
    // A writ the day of the decision is immediate execution or an interim measure: not a sign of force.
    expect(caseFinality({ ...decided, executionDocuments: [{ issuedAt: '2025-08-18', status: 'Выдан' }] }, calendar).source).toBe('derived');
  });

  it('a stored derived date is not taken for a shown one; ended statuses need no date', () => {
    expect(caseFinality({ ...base, decision: { date: '2025-04-11', result: 'x' }, events: [finalForm('2025-04-25')], effectiveAt: '2025-05-27', effectiveAtSource: 'derived' }, calendar))
      .toMatchObject({ source: 'derived', final: false });
    for (const status of ['refused', 'returned', 'cancelled'] as const) expect(caseFinality({ ...base, status }, calendar)).toMatchObject({ state: 'ended', final: true });
    expect(caseFinality({ ...base, status: 'accepted' }, calendar)).toMatchObject({ state: 'open', final: false });
  });
});
