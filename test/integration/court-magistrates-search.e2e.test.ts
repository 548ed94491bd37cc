/**
 * The Moscow and St Petersburg magistrates by case number and by party, end to end (real Redis,
 * the real MongoDB-wire server, real Chromium for mirsud cards): mos-sud.ru `court.case` by number
 * through the portal's short search form; `court.search` by party + registration dates on mos-sud.ru
 * and mirsud.spb.ru → one `court.case` child per case found → the cards stored.
 * Expected values are the hand-written part of the sandbox world (PLANTED_* in sandbox/court-mos-sud/mos-sud.data.ts and
 * sandbox/court-mirsud-spb/mirsud.data.ts), copied here by hand, never read from the generator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LookupDoc, Storage } from '../../storage/index.ts';
import { fanInJobId } from '../../robots/court-search/index.ts';
import { waitForFinal } from '../helpers/lookups.ts';
import { startTestFarm, type TestFarm } from '../helpers/farm.ts';

let farm: TestFarm;
let storage: Storage;

beforeAll(async () => {
  farm = await startTestFarm({ name: 'e2e-mag-search', waitMs: 200_000, env: { HTTP_TIMEOUT_MS: '30000' } });
  ({ storage } = farm);
}, 120_000);

afterAll(async () => farm?.close());

const courtCase = (id: string) => storage.courtCases.get(id) as unknown as Promise<Record<string, any>>;

describe('mos-sud.ru court.case by number (the short search form)', () => {
  it('finds the card of a number, within a участок when given; a number of no case, or of another участок, is not_found', async () => {
    const docs = await farm.submitAndWait([
      { type: 'court.case', input: { court: 'mos-sud.ru', number: '2-1877/463/2026' } },
      { type: 'court.case', input: { court: 'mos-sud.ru', number: '2-1501/463/2026', section: '463' } },
      { type: 'court.case', input: { court: 'mos-sud.ru', number: '2-1501/463/2026', section: '464' } },
      { type: 'court.case', input: { court: 'mos-sud.ru', number: '2-9999/463/2026' } },
      { type: 'court.case', input: { court: 'mos-sud.ru', number: '2-1877/463/2026', mode: 'browser' } },
    ]);
    expect(docs.map((d) => [d.status, d.error?.code])).toEqual([['succeeded', undefined], ['succeeded', undefined], ['not_found', undefined], ['not_found', undefined], ['succeeded', undefined]]);
    const a = await courtCase(docs[0]!.result!.id);
    expect(a).toMatchObject({
      caseNumber: '2-1877/463/2026', materialNumber: 'М-2210/463/2026', uid: '77MS0466-01-2026-001877-40', caseUid: '5b2c8f0e-4a1d-4c3e-9f21-7d6e0a1b2c02',
      status: 'order_issued', registeredAt: '2026-04-03', judge: 'Абрамова Е. В.', court: { host: 'mos-sud.ru', code: '77MS0466', section: '463' },
    });
    expect(a.parties.map((p: { name: string; roleNorm: string }) => [p.roleNorm, p.name])).toEqual([['claimant', 'ГБУ «Жилищник района Савеловский»'], ['debtor', 'Кондратьева Зинаида Павловна']]);
    const b = await courtCase(docs[1]!.result!.id);
    expect(b).toMatchObject({ caseNumber: '2-1501/463/2026', uid: '77MS0466-01-2026-001501-17', status: 'in_force', effectiveAt: '2026-03-20', court: { section: '463' } });
    expect(b.executionDocuments.map((d: { electronicId: string }) => d.electronicId)).toEqual(['77MS0466#2-1501/463/2026#1']);
    // The browser lookup of the same number lands on the same record.
    expect(docs[4]!.result!.id).toBe(docs[0]!.result!.id);
    expect((await storage.evidence.listByJob(docs[0]!._id)).map((e) => e.step)).toEqual(['search', 'case-card']);
    const search = (await storage.evidence.listByJob(docs[0]!._id)).find((e) => e.step === 'search')!;
    expect(search.url).toMatch(/\/search\?formType=shortForm&courtAlias=&uid=&caseNumber=2-1877%2F463%2F2026&/);
  }, 240_000);
});

async function searchChildren(parent: LookupDoc): Promise<LookupDoc[]> {
  expect(parent.status, JSON.stringify(parent.error)).toBe('succeeded');
  const children = await storage.lookups.list({ batchId: parent._id }, 1000);
  return children;
}

async function fanInCompleted(parent: LookupDoc): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await farm.queueFor('court.search').getJobState(fanInJobId(parent._id))) !== 'completed' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  expect(await farm.queueFor('court.search').getJobState(fanInJobId(parent._id))).toBe('completed');
}

describe('court.search on the Moscow and St Petersburg magistrates', () => {
  it('mos-sud.ru: a debtor over 2026 → her two cases of 2026 (not the 2025 one, not the neighbour\'s), each card stored', async () => {
    const [parent] = await farm.submitAndWait([
      { type: 'court.search', input: { court: 'mos-sud.ru', party: 'Кондратьева Зинаида Павловна', registeredFrom: '2026-01-01', registeredTo: '2026-06-15' } },
    ]);
    expect(parent!.result).toMatchObject({ collection: 'lookups', count: 2 });
    const children = await searchChildren(parent!);
    expect(children.map((c) => c.input).sort((x, y) => String(x.caseUid).localeCompare(String(y.caseUid)))).toEqual([
      { court: 'mos-sud.ru', section: '463', caseUid: '5b2c8f0e-4a1d-4c3e-9f21-7d6e0a1b2c01' },
      { court: 'mos-sud.ru', section: '463', caseUid: '5b2c8f0e-4a1d-4c3e-9f21-7d6e0a1b2c02' },
    ]);
    const done = await waitForFinal(storage.lookups, children.map((c) => c._id), 200_000);
    expect(done.map((d) => d.status)).toEqual(['succeeded', 'succeeded']);
    const stored = await Promise.all(done.map((d) => courtCase(d.result!.id)));
    expect(stored.map((s) => s.caseNumber).sort()).toEqual(['2-1501/463/2026', '2-1877/463/2026']);
    await fanInCompleted(parent!);
    // In a browser, within участок 463 and by surname alone: the same two cases, already queued (no new child).
    const [again] = await farm.submitAndWait([
      { type: 'court.search', input: { court: 'mos-sud.ru', section: '463', party: 'Кондратьева', registeredFrom: '2026-01-01', registeredTo: '2026-06-15', mode: 'browser' } },
    ]);
    expect(again!.status, JSON.stringify(again!.error)).toBe('succeeded');
    expect(again!.result).toMatchObject({ count: 2 });
    expect(new Set(again!.result!.ids)).toEqual(new Set(children.map((c) => c._id)));
    expect(await storage.lookups.list({ batchId: again!._id })).toHaveLength(0);
    expect((await storage.evidence.listByJob(again!._id)).map((e) => e.kind)).toContain('screenshot');
    // Within another участок the same search finds nothing.
    const [other] = await farm.submitAndWait([
      { type: 'court.search', input: { court: 'mos-sud.ru', section: '464', party: 'Кондратьева Зинаида Павловна', registeredFrom: '2026-01-01', registeredTo: '2026-06-15' } },
    ]);
    expect(other!.status).toBe('not_found');
  }, 300_000);

  it('mirsud.spb.ru участок 98: a defendant over 2026 → her two cases of 2026, each print form stored (browser children)', async () => {
    const [parent] = await farm.submitAndWait([
      { type: 'court.search', input: { court: 'mirsud.spb.ru', section: '98', party: 'Кондратьева Зинаида Павловна', registeredFrom: '01.01.2026', registeredTo: '2026-06-15' } },
    ]);
    expect(parent!.result).toMatchObject({ collection: 'lookups', count: 2 });
    const children = await searchChildren(parent!);
    expect(children.map((c) => c.input).sort((x, y) => String(x.number).localeCompare(String(y.number)))).toEqual([
      { court: 'mirsud.spb.ru', section: '98', number: '2-2976/2026-98' },
      { court: 'mirsud.spb.ru', section: '98', number: '2-3310/2026-98' },
    ]);
    const done = await waitForFinal(storage.lookups, children.map((c) => c._id), 200_000);
    expect(done.map((d) => [d.status, d.error?.code])).toEqual([['succeeded', undefined], ['succeeded', undefined]]);
    const stored = await Promise.all(done.map((d) => courtCase(d.result!.id)));
    expect(stored.map((s) => [s.caseNumber, s.uid, s.status, s.court.code]).sort()).toEqual([
      ['2-2976/2026-98', '78MS0096-01-2026-003970-97', 'order_issued', '78MS0096'],
      ['2-3310/2026-98', '78MS0096-01-2026-004402-15', 'accepted', '78MS0096'],
    ]);
    await fanInCompleted(parent!);
    const [none] = await farm.submitAndWait([
      { type: 'court.search', input: { court: 'mirsud.spb.ru', party: 'Несуществующий Участник', registeredFrom: '2020-01-01', registeredTo: '2026-06-15' } },
    ]);
    expect(none!.status).toBe('not_found');
    expect(await storage.lookups.list({ batchId: none!._id })).toHaveLength(0);
  }, 300_000);
});
