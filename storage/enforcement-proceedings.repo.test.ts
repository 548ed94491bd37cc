import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CourtCaseRecord, EnforcementProceeding } from '../core/records.ts';
import { dropStorage, openTestStorage } from '../test/helpers/services.ts';
import type { Storage } from './index.ts';

let storage: Storage;
beforeAll(async () => {
  storage = await openTestStorage();
});
afterAll(async () => dropStorage(storage));

const source = (lookupId: string) => ({ url: 'https://is.fssp.gov.ru/ajax_search', fetchedAt: new Date(), evidenceId: `ev-${lookupId}`, parserVersion: 't', lookupId });

function proceeding(ipNumber: string, patch: Partial<EnforcementProceeding> = {}): EnforcementProceeding {
  return {
    ipNumber,
    ipDate: '2024-03-01',
    sdNumber: null,
    debtor: { name: 'ТЕСТОВ ТЕСТ ТЕСТОВИЧ', birthDate: '1970-01-01', birthPlace: 'Г. УФА' },
    executiveDocument: { type: 'Судебный приказ', date: '2024-01-10', number: '2-77/2024', issuer: 'СОВЕТСКИЙ РАЙОННЫЙ СУД Г. УФЫ' },
    ended: null,
    subjects: [{ type: 'Задолженность по платежам за жилую площадь', amount: 1000 }],
    debtRest: 1000,
    department: { name: 'Советское РОСП', address: 'Уфа', code: '02005' },
    bailiff: { name: 'ИВАНОВА А. А.', phone: '+73470000000' },
    region: 'Республика Башкортостан',
    uin: null,
    ...patch,
  };
}

describe('MongoEnforcementProceedingStore', () => {
  it('upserts by ИП number with a history: opened, amount changed, ended with its reason', async () => {
    const s = storage.enforcementProceedings;
    expect(await s.save(proceeding('1/24/02005-ИП'), source('a'))).toMatchObject({ id: '1/24/02005-ИП', created: true, events: ['opened'] });
    expect(await s.save(proceeding('1/24/02005-ИП'), source('b'))).toMatchObject({ created: false, events: [] });
    expect((await s.save(proceeding('1/24/02005-ИП', { debtRest: 400 }), source('c'))).events).toEqual(['amount_changed']);
    const ended = { date: '2024-09-01', article: '46', part: '1', point: '3' };
    expect((await s.save(proceeding('1/24/02005-ИП', { debtRest: null, ended, subjects: [{ type: 'Задолженность по платежам за жилую площадь', amount: null }] }), source('d'))).events).toEqual(['ended', 'changed']);
    const doc = (await s.get('1/24/02005-ИП'))!;
    expect(doc.history.map((h) => [h.event, h.lookupId])).toEqual([['opened', 'a'], ['amount_changed', 'c'], ['ended', 'd'], ['changed', 'd']]);
    expect(doc.history[1]!.details).toEqual({ from: 1000, to: 400 });
    expect(doc.history[2]!.details).toMatchObject({ date: '2024-09-01', reason: 'ст. 46 ч. 1 п. 3' });
    expect(doc).toMatchObject({ debtRest: null, ended, rev: 4, source: { lookupId: 'd' } });
  });

  it('links the court case its executive document names, only where the issuer matches the court', async () => {
    const caseOf = (name: string, host: string, code: string) =>
      ({ court: { name, host, code }, caseNumber: '2-88/2024', previousNumbers: [], uid: null, category: null, judge: null, registeredAt: null, decision: { date: null, result: null }, effectiveAt: null, status: 'in_force', parties: [], events: [], executionDocuments: [], template: 't' }) as unknown as CourtCaseRecord;
    const ours = await storage.courtCases.save(caseOf('Советский районный суд г. Уфы', 'sovetsky--ufa.sudrf.ru', '02RS0007'), source('x'));
    await storage.courtCases.save(caseOf('Калининский районный суд', 'kalininsky--spb.sudrf.ru', '78RS0005'), source('y'));
    const doc = { type: 'Судебный приказ', date: null, number: '2-88/2024', issuer: 'СОВЕТСКИЙ РАЙОННЫЙ СУД Г. УФЫ' };
    expect((await storage.enforcementProceedings.save(proceeding('2/24/02005-ИП', { executiveDocument: doc }), source('z'))).courtCaseId).toBe(ours.id);
    expect((await storage.enforcementProceedings.save(proceeding('3/24/02005-ИП', { executiveDocument: { ...doc, issuer: 'СУДЕБНЫЙ УЧАСТОК № 9' } }), source('z'))).courtCaseId).toBeNull();
    // Two courts share the number and no issuer tells them apart: no link rather than a wrong one.
    expect((await storage.enforcementProceedings.save(proceeding('4/24/02005-ИП', { executiveDocument: { ...doc, issuer: null } }), source('z'))).courtCaseId).toBeNull();
  });

  it('keeps one document and a consistent history under concurrent saves of the same ИП', async () => {
    const saves = await Promise.all([100, 200, 300, 400].map((amount, i) => storage.enforcementProceedings.save(proceeding('5/24/02005-ИП', { debtRest: amount }), source(`p${i}`))));
    expect(saves.filter((s) => s.created)).toHaveLength(1);
    const doc = (await storage.enforcementProceedings.get('5/24/02005-ИП'))!;
    expect(doc.rev).toBe(4);
    expect(doc.history.filter((h) => h.event === 'opened')).toHaveLength(1);
    expect(doc.history.filter((h) => h.event === 'amount_changed')).toHaveLength(3);
  });
});
