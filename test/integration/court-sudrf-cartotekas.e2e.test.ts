/**
 * Every sudrf cartoteka, on courts of both URL forms (issue 15 §3): the real robots (HTTP mode, and
 * the browser for one kind) against the sandbox look up one case of each kind — civil first instance
 * and appeal, КАС first instance and appeal, КоАП and its complaints, materials (М-…, 13-…) — and a
 * number kept nowhere is reported not found only after every register of the court was searched.
 *
 * Expected values are the world's definition, written out here by hand: sandbox/data/world.types.ts
 * `cartotekaCases` — on court i the first case of a kind is `<prefix>-<7001 + 10·i>/2026`; court 0
 * answers the primary URL form, court 5 (the sixth) the vnkod form; the titles are those real cards print.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFarm, type TestFarm } from '../helpers/farm.ts';

let farm: TestFarm;

beforeAll(async () => {
  farm = await startTestFarm({ name: 'cartotekas', waitMs: 240_000, env: { JOB_ATTEMPTS: '3', ROBOT_CONCURRENCY: '4' } });
}, 120_000);
afterAll(async () => farm?.close());

const CIVIL1 = 'Гражданские дела - первая инстанция';
const CIVIL2 = 'Гражданские дела - апелляция';
const KAS1 = 'Административные дела (КАС РФ) - первая инстанция';
const KAS2 = 'Административные дела (КАС РФ) - апелляция';
const KOAP = 'Дела об административных правонарушениях - первая инстанция';
const KOAP2 = 'Дела об административных правонарушениях - жалобы на постановления';
const MATERIAL = 'Производство по материалам';
/** The new UI's shared appeal register, as the real Samara card (33а-647/2026) titles it. */
const VNKOD_APPEAL = 'Гражданские и административные дела - апелляция';

/** [number, instance title] of the first case of each kind on court 0 (primary form). */
const PRIMARY_COURT_CASES: Array<[string, string]> = [
  ['2-7001/2026', CIVIL1], ['33-7001/2026', CIVIL2], ['2а-7001/2026', KAS1], ['33а-7001/2026', KAS2],
  ['5-7001/2026', KOAP], ['12-7001/2026', KOAP2], ['М-7001/2026', MATERIAL], ['13-7001/2026', MATERIAL],
];
/** The same on court 5 (vnkod form). */
const VNKOD_COURT_CASES: Array<[string, string]> = [
  ['2-7051/2026', CIVIL1], ['33-7051/2026', VNKOD_APPEAL], ['2а-7051/2026', KAS1], ['33а-7051/2026', VNKOD_APPEAL],
  ['5-7051/2026', KOAP], ['12-7051/2026', KOAP2], ['М-7051/2026', MATERIAL], ['13-7051/2026', MATERIAL],
];
const REGISTERS = ['civil1', 'civil2', 'kas1', 'kas2', 'koap', 'koap2', 'material'] as const;

type Counts = Record<string, Partial<Record<(typeof REGISTERS)[number], number>>>;
const searches = async (): Promise<Counts> => (await fetch(`${farm.sandbox.url}/__sandbox/sudrf/searches`)).json() as Promise<Counts>;

async function expectFound(host: string, cases: Array<[string, string]>, mode?: 'browser'): Promise<void> {
  const docs = await farm.submitAndWait(cases.map(([number]) => ({ type: 'court.case' as const, input: { court: host, number, ...(mode ? { mode } : {}) } })));
  expect(docs.map((d) => [d.status, d.error?.code ?? null])).toEqual(cases.map(() => ['succeeded', null]));
  for (const [i, doc] of docs.entries()) {
    const stored = await farm.storage.courtCases.get(doc.result!.id);
    expect({ number: stored!.caseNumber, instance: stored!.instance, host: stored!.court.host })
      .toEqual({ number: cases[i]![0], instance: cases[i]![1], host });
  }
}

describe('court.case in every sudrf cartoteka', () => {
  it('the world has the two courts this test names, one of each URL form', () => {
    expect(farm.sandbox.world.courts[0]!.urlForm).toBe('primary');
    expect(farm.sandbox.world.courts[5]!.urlForm).toBe('vnkod');
  });

  it('finds a case of each kind on a primary-form court (HTTP)', async () => {
    await expectFound(farm.sandbox.world.courts[0]!.host, PRIMARY_COURT_CASES);
  });

  it('finds a case of each kind on a vnkod-form court, through its search captcha (HTTP)', async () => {
    await expectFound(farm.sandbox.world.courts[5]!.host, VNKOD_COURT_CASES);
  });

  it('finds a КоАП case in the browser on both forms', async () => {
    await expectFound(farm.sandbox.world.courts[0]!.host, [['5-7002/2026', KOAP]], 'browser');
    await expectFound(farm.sandbox.world.courts[5]!.host, [['12-7052/2026', KOAP2]], 'browser');
  });

  for (const index of [0, 5]) {
    it(`reports a number kept nowhere as not found only after every register of court ${index} was searched on every server`, async () => {
      const court = farm.sandbox.world.courts[index]!;
      const before = (await searches())[court.host] ?? {};
      const [doc] = await farm.submitAndWait([{ type: 'court.case', input: { court: court.host, number: '5-99999/2019' } }]);
      expect(doc).toMatchObject({ status: 'not_found', result: null, error: null });
      const after = (await searches())[court.host] ?? {};
      // Each register once per database server (the vnkod form's shared appeal register counts for both appeals).
      expect(Object.fromEntries(REGISTERS.map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)])))
        .toEqual(Object.fromEntries(REGISTERS.map((k) => [k, court.srvNum])));
    });
  }
});
