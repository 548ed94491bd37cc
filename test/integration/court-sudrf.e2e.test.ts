/**
 * The foundation end to end: real Redis, the real MongoDB-wire server, real Chromium, the sandbox
 * replica of sudrf — submit → queue → robot → evidence → parser → court_cases → lookup final.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitLookups, SubmitRejectedError, type SubmitRequest } from '../../queues/submit.ts';
import type { SandboxCase } from '../../sandbox/data/index.ts';
import { evidenceLinkHash, sha256Hex, type LookupDoc, type Storage } from '../../storage/index.ts';
import { startTestFarm, type TestFarm } from '../helpers/farm.ts';

let farm: TestFarm;
let storage: Storage;
let sandbox: TestFarm['sandbox'];
let queueFor: TestFarm['queueFor'];
const submitAndWait = (requests: SubmitRequest[]): Promise<LookupDoc[]> => farm.submitAndWait(requests);

beforeAll(async () => {
  farm = await startTestFarm({
    name: 'e2e',
    waitMs: 150_000,
    env: {
      JOB_ATTEMPTS: '4',
      ROBOT_CONCURRENCY: '6',
    },
  });
  ({ storage, sandbox, queueFor } = farm);
}, 120_000);

afterAll(async () => farm?.close());

/** Re-hashes a job's chain: every body matches its hash, every link its content, in order. */
async function expectIntactChain(jobId: string): Promise<number> {
  const items = await storage.evidence.listByJob(jobId);
  let prev: string | null = null;
  items.forEach((item, i) => {
    expect(item.seq).toBe(i + 1);
    expect(item.prevHash).toBe(prev);
    expect(evidenceLinkHash(item)).toBe(item.hash);
    prev = item.hash;
  });
  for (const item of items) expect(sha256Hex((await storage.evidence.readBody(item.sha256))!)).toBe(item.sha256);
  return items.length;
}

function pick(predicate: (c: SandboxCase) => boolean): SandboxCase {
  const c = sandbox.world.cases.find(predicate);
  if (!c) throw new Error('the sandbox world has no such case');
  return c;
}
const courtOf = (c: SandboxCase) => sandbox.world.courts.find((k) => k.host === c.host)!;

describe('court.case on sudrf, HTTP mode', () => {
  it('finds cases by number (through the captcha), by UID and by site ids, in both templates, and stores them', async () => {
    const cases = [
      pick((c) => courtOf(c).hasSearchCaptcha && courtOf(c).template === 'old'),
      pick((c) => !courtOf(c).hasSearchCaptcha && courtOf(c).template === 'new'),
      pick((c) => courtOf(c).template === 'new' && c.executionDocuments.length > 0),
      pick((c) => courtOf(c).template === 'old' && c.parties.length > 2),
    ];
    const docs = await submitAndWait([
      { type: 'court.case', input: { court: cases[0]!.host, number: cases[0]!.caseNumber } },
      { type: 'court.case', input: { court: cases[1]!.host, number: cases[1]!.caseNumber } },
      { type: 'court.case', input: { court: cases[2]!.host, uid: cases[2]!.uid } },
      { type: 'court.case', input: { court: cases[3]!.host, caseId: String(cases[3]!.caseId), caseUid: cases[3]!.caseUid } },
    ]);
    expect(docs.map((d) => d.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    for (const [i, doc] of docs.entries()) {
      const want = cases[i]!;
      const stored = await storage.courtCases.get(doc.result!.id);
      // The card carries no entry-into-force row (as real cards): found through the results list (by number or
      // UID) the case gets the list's «Дата вступления в законную силу»; opened by its ids, only what the card shows.
      const viaList = i < 3;
      expect(stored).toMatchObject({
        caseNumber: want.caseNumber, uid: want.uid, judge: want.judge, registeredAt: want.registeredAt,
        status: viaList ? want.status : want.cardStatus, effectiveAt: viaList ? want.effectiveAt : null,
      });
      expect(stored!.court.host).toBe(want.host);
      expect(stored!.events.map((e) => [e.name, e.date])).toEqual(want.events.map((e) => [e.name, e.date]));
      expect(stored!.parties.map((p) => [p.roleNorm, p.name])).toEqual(want.parties.map((p) => [p.roleNorm, p.name]));
      expect(stored!.executionDocuments).toHaveLength(want.executionDocuments.length);
      expect(stored!.source.evidenceId).toBeTruthy();
      expect(await expectIntactChain(doc._id)).toBe(doc.evidenceCount);
    }
    // The captcha court: the search was answered only after a solved code.
    const captchaSteps = (await storage.evidence.listByJob(docs[0]!._id)).map((e) => e.step);
    // First the court's search form, to learn which URL form (primary or vnkod) it answers.
    expect(captchaSteps.slice(0, 2)).toEqual(['search-form-probe', 'search']);
    expect(captchaSteps.some((s) => /after-captcha/.test(s))).toBe(true);
    expect(captchaSteps.at(-1)).toBe('case-card');
  });

  it('walks the database servers of a court: a case kept on srv_num=2 is found, not reported missing', async () => {
    const c = pick((x) => x.srvNum === 2 && !courtOf(x).hasSearchCaptcha);
    const [doc] = await submitAndWait([{ type: 'court.case', input: { court: c.host, number: c.caseNumber } }]);
    expect(doc!.status).toBe('succeeded');
    const steps = (await storage.evidence.listByJob(doc!._id)).map((e) => e.step);
    expect(steps).toEqual(['search', 'search-srv2', 'case-card']);
    // By the site's ids the server is unknown too: the robot looks on the next one.
    const [byId] = await submitAndWait([{ type: 'court.case', input: { court: c.host, caseId: String(c.caseId), caseUid: c.caseUid } }]);
    expect(byId!.status).toBe('succeeded');
    expect(byId!.result!.id).toBe(doc!.result!.id);
    expect((await storage.evidence.listByJob(byId!._id)).map((e) => e.step)).toEqual(['case-card', 'case-card-srv2']);
  });

  it('reports a case no court has as not found, with the evidence of the empty list', async () => {
    const court = sandbox.world.courts.find((c) => !c.hasSearchCaptcha)!;
    const [doc] = await submitAndWait([{ type: 'court.case', input: { court: court.host, number: '2-99999/2019' } }]);
    expect(doc).toMatchObject({ status: 'not_found', result: null, error: null });
    expect(doc!.evidenceCount).toBeGreaterThanOrEqual(1);
  });

  it('keeps history: a second check of an unchanged case adds no history entry', async () => {
    const c = pick((x) => !courtOf(x).hasSearchCaptcha);
    const input = { court: c.host, caseId: String(c.caseId), caseUid: c.caseUid };
    const [first] = await submitAndWait([{ type: 'court.case', input }]);
    const [second] = await submitAndWait([{ type: 'court.case', input }]);
    expect(second!.result!.id).toBe(first!.result!.id);
    expect(second!.result!.changed).toBe(false);
    const stored = await storage.courtCases.get(first!.result!.id);
    expect(stored!.history.length).toBeGreaterThanOrEqual(1);
    expect(stored!.history.at(-1)!.changes[0]!.field).not.toBe(undefined);
  });

  it('ends a page it does not recognise as layout_drift with its evidence, never as not found', async () => {
    const c = pick((x) => !courtOf(x).hasSearchCaptcha);
    await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ host: c.host, layoutDrift: true }) });
    try {
      const [doc] = await submitAndWait([{ type: 'court.case', input: { court: c.host, caseId: String(c.caseId), caseUid: c.caseUid } }]);
      expect(doc!.status).toBe('failed');
      expect(doc!.error!.code).toBe('layout_drift');
      const evidenceId = doc!.error!.details!.evidenceId as string;
      const items = await storage.evidence.listByJob(doc!._id);
      expect(items.map((i) => i._id)).toContain(evidenceId);
      expect(doc!.attempts).toBe(1);
    } finally {
      await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    }
  });
});

describe('court.case on sudrf: what real pages look like (issue #14)', () => {
  const setFaults = (body: unknown) => fetch(`${sandbox.url}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('reads every real layout variant of the old-template card end to end', async () => {
    const c = pick((x) => courtOf(x).template === 'old' && !courtOf(x).hasSearchCaptcha && x.parties.length >= 2 && x.events.length >= 3);
    try {
      for (const variant of ['movement_only', 'panes_reordered', 'panes_missing', 'name_first_parties'] as const) {
        await setFaults({ host: c.host, layoutVariant: variant });
        const [doc] = await submitAndWait([{ type: 'court.case', input: { court: c.host, caseId: String(c.caseId), caseUid: c.caseUid } }]);
        expect(doc!.status, `${variant}: ${JSON.stringify(doc!.error)}`).toBe('succeeded');
        const stored = (await storage.courtCases.get(doc!.result!.id))!;
        expect(stored.caseNumber, variant).toBe(c.caseNumber);
        expect(stored.events.map((e) => [e.name, e.date]), variant).toEqual(c.events.map((e) => [e.name, e.date]));
        const parties = variant === 'movement_only' || variant === 'panes_missing' ? [] : c.parties.map((p) => [p.roleNorm, p.name]);
        expect(stored.parties.map((p) => [p.roleNorm, p.name]), variant).toEqual(parties);
      }
    } finally {
      await setFaults({});
    }
  }, 240_000);

  it('takes the anti-bruteforce page for a rate limit (retried, with evidence), not for a missing case or drift', async () => {
    const c = pick((x) => !courtOf(x).hasSearchCaptcha && courtOf(x).template === 'new');
    await setFaults({ host: c.host, antiBruteforceRate: 1 });
    try {
      const res = await submitLookups({ lookups: storage.lookups, queueFor, jobOptions: { attempts: 3, backoffMs: 10 } }, [
        { type: 'court.case', input: { court: c.host, caseId: String(c.caseId), caseUid: c.caseUid } },
      ]);
      const id = res.lookups[0]!.id;
      let doc: LookupDoc | null = null;
      for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((r) => setTimeout(r, 300))) {
        doc = await storage.lookups.get(id);
        if (doc?.error) break;
      }
      expect(doc!.error!.code).toBe('rate_limited');
      expect(doc!.status).not.toBe('not_found');
      expect(await storage.evidence.listByJob(id)).not.toHaveLength(0);
    } finally {
      await setFaults({});
    }
  }, 90_000);

  it('a case in force whose card has no entry-into-force row becomes final from what the card shows', async () => {
    const { loadProductionCalendar } = await import('../../core/calendar/index.ts');
    const { computeCaseDeadlines, localDate } = await import('../../scheduler/index.ts');
    const c = pick((x) => x.status === 'in_force' && x.kind === 'court_order' && x.executionDocuments.length > 0 && !courtOf(x).hasSearchCaptcha);
    const [doc] = await submitAndWait([{ type: 'court.case', input: { court: c.host, caseId: String(c.caseId), caseUid: c.caseUid } }]);
    expect(doc!.status).toBe('succeeded');
    const stored = (await storage.courtCases.get(doc!.result!.id))!;
    expect(stored).toMatchObject({ effectiveAt: null, status: c.cardStatus });
    const calendar = loadProductionCalendar();
    const d = computeCaseDeadlines({ ...stored, checkedOn: localDate(new Date(stored.checkedAt), 'Europe/Moscow') }, calendar, sandbox.world.asOf);
    // Derived by law from the card's own rows (the hand-counted cases are in test/scheduler/case-finality.test.ts);
    // never overdue, and final once a check on or after the date (or a writ after it) confirms it.
    expect(d).toMatchObject({ overdue: false, finality: { state: 'derived', source: 'derived', rule: 'gpk-128-130-order' } });
    const later = computeCaseDeadlines({ ...stored, checkedOn: d.finality.effectiveAt }, calendar, d.finality.effectiveAt!);
    expect(later).toMatchObject({ final: true, overdue: false, confirmed: { effectiveAt: d.finality.effectiveAt, effectiveAtSource: 'derived' } });
  }, 120_000);
});

describe('court.case on sudrf, browser mode', () => {
  it('runs the same flow in Chromium with a screenshot and the DOM of every step', async () => {
    const c = pick((x) => courtOf(x).hasSearchCaptcha && courtOf(x).template === 'new');
    const [doc] = await submitAndWait([{ type: 'court.case', input: { court: c.host, number: c.caseNumber, mode: 'browser' } }]);
    expect(doc!.status).toBe('succeeded');
    const items = await storage.evidence.listByJob(doc!._id);
    const shots = items.filter((i) => i.kind === 'screenshot');
    expect(shots.length).toBeGreaterThanOrEqual(2);
    // WebP by default (EVIDENCE_SCREENSHOT_FORMAT), stored and read back as the picture Chromium drew.
    const shot = await storage.evidence.readBody(shots[0]!.sha256);
    expect(shot!.subarray(8, 12).toString('latin1')).toBe('WEBP');
    expect(shots.map((s) => s.contentType)).toEqual(shots.map(() => 'image/webp'));
    expect(items.filter((i) => i.kind === 'html')).toHaveLength(shots.length);
    const stored = await storage.courtCases.get(doc!.result!.id);
    expect(stored).toMatchObject({ caseNumber: c.caseNumber, uid: c.uid, template: 'sudrf-new' });
    await expectIntactChain(doc!._id);
  });
});

describe('bad input', () => {
  it('refuses the batch with every bad row named, and queues nothing', async () => {
    const before = await storage.lookups.model.countDocuments();
    const waiting = await queueFor('court.case').count();
    const err = await submitLookups({ lookups: storage.lookups, queueFor, jobOptions: { attempts: 1, backoffMs: 10 } }, [
      { type: 'court.case', input: { court: sandbox.world.courts[0]!.host, number: '2-1/2025' } },
      { type: 'court.case', input: { court: 'evil.example.com', number: '2-1/2025' } },
      { type: 'court.case', input: { court: sandbox.world.courts[0]!.host, number: 'не номер' } },
      { type: 'court.bogus', input: {} },
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SubmitRejectedError);
    expect((err as SubmitRejectedError).rows.map((r) => r.row)).toEqual([2, 3, 4]);
    expect((err as SubmitRejectedError).rows[0]!.errors[0]).toMatch(/^court: unknown court host/);
    expect(await storage.lookups.model.countDocuments()).toBe(before);
    expect(await queueFor('court.case').count()).toBe(waiting);
  });

  it('returns the first lookup for a repeated client key and makes no second job', async () => {
    const c = sandbox.world.cases[0]!;
    const key = `ck-${randomUUID()}`;
    const deps = { lookups: storage.lookups, queueFor, jobOptions: { attempts: 1, backoffMs: 10 } };
    const a = await submitLookups(deps, [{ type: 'court.case', input: { court: c.host, caseId: String(c.caseId), caseUid: c.caseUid }, clientKey: key }]);
    const b = await submitLookups(deps, [{ type: 'court.case', input: { court: c.host, caseId: String(c.caseId), caseUid: c.caseUid }, clientKey: key }]);
    expect(b.lookups[0]).toEqual({ id: a.lookups[0]!.id, type: 'court.case', existed: true });
    expect(await queueFor('court.case').getJob(b.batchId)).toBeUndefined();
    expect(await storage.lookups.model.countDocuments({ clientKey: `court.case:${key}` })).toBe(1);
  });
});
