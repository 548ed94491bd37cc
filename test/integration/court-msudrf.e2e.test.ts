/**
 * msudrf end to end in real Chromium: submit → queue → robot (browser mode, reused pages) → the
 * kcaptcha gate solved by the local OCR through the captcha chain → search → card → court_cases.
 * Also `searchMsudrf` (what court.search calls) walking every result page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import type { SubmitRequest } from '../../queues/submit.ts';
import type { RobotPool } from '../../robots/pool.ts';
import { msudrfWorld, type MsudrfCase } from '../../sandbox/court-msudrf/msudrf.data.ts';
import type { LookupDoc, Storage } from '../../storage/index.ts';
import { startTestFarm, type TestFarm } from '../helpers/farm.ts';

let farm: TestFarm;
let storage: Storage;
let sandbox: TestFarm['sandbox'];
let pool: RobotPool;
const submitAndWait = (requests: SubmitRequest[]): Promise<LookupDoc[]> => farm.submitAndWait(requests);

beforeAll(async () => {
  farm = await startTestFarm({
    name: 'msudrf',
    waitMs: 240_000,
    env: {
      CAPTCHA_MAX_TRIES: '8',
      // Browsers retire after 3 jobs here, so lookups run across browser generations (a fresh session each: the gate again).
      BROWSER_RETIRE_AFTER_PAGES: '3',
    },
  });
  ({ storage, sandbox, pool } = farm);
}, 120_000);

afterAll(async () => farm?.close());

describe('court.case on msudrf, browser mode', () => {
  it('finds cases by number on gated B and C courts and an open court, passing the kcaptcha, and stores them', async () => {
    const ms = msudrfWorld(sandbox.world);
    const courtOf = (c: MsudrfCase) => ms.courts.find((k) => k.host === c.host)!;
    const pick = (p: (c: MsudrfCase) => boolean) => ms.cases.find(p)!;
    const cases = [
      pick((c) => courtOf(c).layout === 'B' && courtOf(c).hasGate && c.status === 'in_force'),
      pick((c) => courtOf(c).layout === 'C' && c.status === 'cancelled' && !c.uidShown),
      pick((c) => !courtOf(c).hasGate && c.status === 'returned'),
    ];
    const docs = await submitAndWait([
      ...cases.map((c) => ({ type: 'court.case' as const, input: { court: c.host, number: c.caseNumber } })),
      { type: 'court.case', input: { court: cases[0]!.host, number: '2-99999/2026' } },
    ]);
    expect(docs.map((d) => d.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'not_found']);
    for (const [i, want] of cases.entries()) {
      const stored = await storage.courtCases.get(docs[i]!.result!.id);
      expect(docs[i]!.result!.id).toBe(`${want.courtCode}:id:${want.caseId}`);
      expect(stored).toMatchObject({ caseNumber: want.caseNumber, judge: want.judge, status: want.status, registeredAt: want.registeredAt, effectiveAt: want.effectiveAt });
      expect(stored!.uid).toBe(want.uidShown ? want.uid : null);
      expect(stored!.court).toMatchObject({ host: want.host, code: want.courtCode, section: String(want.section) });
      expect(stored!.events.map((e) => [e.name, e.date])).toEqual(want.events.map((e) => [e.name, e.date]));
      expect(stored!.parties.map((p) => [p.roleNorm, p.name])).toEqual(want.parties.map((p) => [p.roleNorm, p.name]));
    }
    // The gated court: the first page was the gate, the content came after a kcaptcha answer —
    // given by whichever of its two lookups reached the gate first (one answer per host and
    // browser; the other waits for it and reloads).
    const stepsOf = async (doc: LookupDoc) => (await storage.evidence.listByJob(doc._id)).map((e) => e.step);
    const gated = [await stepsOf(docs[0]!), await stepsOf(docs[3]!)];
    expect(gated[0]![0]).toBe('search');
    expect(gated.some((steps) => steps.some((s) => /after-kcaptcha/.test(s)))).toBe(true);
    const open = (await storage.evidence.listByJob(docs[2]!._id)).map((e) => e.step);
    expect(open.some((s) => /kcaptcha/.test(s))).toBe(false);
    // Pages are reused, yet browsers (and their contexts) were recycled by the jobs they served.
    expect(pool.services.browsers().browsersRetired).toBeGreaterThan(0);
  }, 300_000);

  it('searchMsudrf walks every result page and returns each card once', async () => {
    const { searchMsudrf } = await import('../../robots/court-msudrf/index.ts');
    const ms = msudrfWorld(sandbox.world);
    const court = ms.courts.find((c) => c.layout === 'C' && c.hasGate)!;
    const all = ms.cases.filter((c) => c.host === court.host);
    const from = all[3]!.registeredAt;
    const services = pool.services;
    const rows = await searchMsudrf(services, { lookupId: 'search-test', log: createLogger({ level: 'silent' }) }, { host: court.host, registeredFrom: from });
    const want = all.filter((c) => c.registeredAt >= from);
    expect(want.length).toBeGreaterThan(10); // more than one page (20 rows = 10 cases)
    expect(rows.map((r) => r.caseId).sort()).toEqual(want.map((c) => String(c.caseId)).sort());
    expect(rows.every((r) => r.url?.includes(`op=cs&case_id=${r.caseId}`))).toBe(true);
  }, 300_000);
});
