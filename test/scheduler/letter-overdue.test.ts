/**
 * Terms moved by a letter's delivery date, across a holiday, as `cases overdue` and `epgu overdue`
 * list them (real MongoDB-wire server). Dates counted by hand on the 2026 production calendar
 * (23.02 a holiday): a letter received Thu 19.02.2026 gives the court until Fri 27.02 (five working
 * days), the ОСП and its пристав until Mon 02.03 (3 + 3) — while the filing date 10.02 alone would
 * have put the court's term at 17.02.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCaseLetterTerms, type CaseOverdueRow } from '../../scheduler/case-overdue.ts';
import { withEpguLetterTerms } from '../../scheduler/epgu-overdue.ts';
import { loadProductionCalendar } from '../../core/calendar/index.ts';
import { letterDeadlines, type LetterLink } from '../../core/postal-deadlines.ts';
import type { PostalItemRecord } from '../../core/postal-records.ts';
import type { CourtCaseRecord } from '../../core/records.ts';
import type { Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage } from '../helpers/services.ts';

const calendar = loadProductionCalendar();
let storage: Storage;
beforeAll(async () => {
  storage = await openTestStorage();
});
afterAll(async () => {
  await dropStorage(storage);
});

const HOST = 'sovetsky--kzn.sudrf.ru';
const caseRecord = (status: CourtCaseRecord['status']): CourtCaseRecord => ({
  court: { name: 'Советский районный суд', host: HOST, code: '16RS0051' },
  caseNumber: '2-777/2026', previousNumbers: [], uid: null, caseId: '777', caseUid: '00000000-0000-4000-8000-000000000777',
  category: null, judge: null, registeredAt: '2026-02-10', decision: { date: null, result: null }, effectiveAt: null, status,
  parties: [], events: [], executionDocuments: [], template: 'sudrf-new',
} as CourtCaseRecord);
const src = { url: 'https://tracking.russianpost.ru/rtm34', fetchedAt: new Date(), evidenceId: null, parserVersion: 'test' };

async function deliveredLetter(barcode: string, link: LetterLink): Promise<void> {
  const r: PostalItemRecord = {
    barcode, state: 'delivered', acceptedAt: '2026-02-16T10:00:00+03:00', deliveredAt: '2026-02-19T11:20:00.000+03:00', returnedAt: null, returnReason: null,
    sender: null, recipient: null, mailType: null, mailCategory: null, error: null,
    operations: [{ type: { id: 1, name: 'Прием' }, attr: { id: 1, name: 'Единичный' }, date: '2026-02-16T10:00:00+03:00', index: '420000', place: null }, { type: { id: 2, name: 'Вручение' }, attr: { id: 1, name: 'Вручение адресату' }, date: '2026-02-19T11:20:00.000+03:00', index: '420111', place: null }],
  };
  await storage.postalItems.save(r, src, { links: [link], deadlinesFor: (links, at) => letterDeadlines(calendar, links, at), cadence: { baseSecs: 60, maxSecs: 600 } });
}

describe('cases overdue with a letter to the court', () => {
  it('the letter\'s receipt, not the filing date, starts the five days; the filing-date row gives way', async () => {
    const { id } = await storage.courtCases.save(caseRecord('received'), { ...src, url: `http://${HOST}/` });
    await deliveredLetter('14102192069353', { kind: 'court-case', id });
    // What the scheduler's filing-date guess says (registered 10.02 + 5 working days = 17.02).
    const guess: CaseOverdueRow = { caseNumber: '2-777/2026', court: HOST, expectedEvent: 'order_issued', expectedDate: '2026-02-17', daysLate: 10, rule: 'issue_order', caseKey: id };
    expect(await withCaseLetterTerms([guess], storage, '2026-02-27')).toEqual([]);
    expect(await withCaseLetterTerms([guess], storage, '2026-03-02')).toEqual([
      { caseNumber: '2-777/2026', court: HOST, expectedEvent: 'order_issued', expectedDate: '2026-02-27', daysLate: 3, rule: 'issue_order_from_receipt', caseKey: id, letter: '14102192069353' },
    ]);
    // Another court filtered out; an issued order ends it.
    expect(await withCaseLetterTerms([], storage, '2026-03-02', 'other.sudrf.ru')).toEqual([]);
    await storage.courtCases.save(caseRecord('order_issued'), { ...src, url: `http://${HOST}/` });
    expect(await withCaseLetterTerms([], storage, '2026-03-02')).toEqual([]);
  });
});

describe('epgu overdue with a letter to the ОСП', () => {
  it('3 + 3 working days from receipt for the ИП to be opened; listed until the proceeding is stored', async () => {
    const ip = '102021/20/02003-ИП';
    await deliveredLetter('11741865001806', { kind: 'ip', id: ip });
    expect(await withEpguLetterTerms([], storage, '2026-03-02')).toEqual([]);
    const rows = await withEpguLetterTerms([], storage, '2026-03-03');
    expect(rows).toEqual([expect.objectContaining({ ipNumber: ip, kind: 'ip_opened', status: 'not_opened', dueDate: '2026-03-02', letter: '11741865001806', registeredAt: '2026-02-19T11:20:00.000+03:00' })]);
    await storage.enforcementProceedings.model.collection.insertOne({ _id: ip, ipNumber: ip } as never);
    expect(await withEpguLetterTerms([], storage, '2026-03-03')).toEqual([]);
  });
});
