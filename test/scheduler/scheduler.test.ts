/**
 * The re-check scheduler against the real MongoDB-wire server and Redis: due cases are picked,
 * final ones are not, a second pass and a restart submit nothing twice; deadlines are counted in
 * working days across the May holidays; overdue cases are listed (also through the CLI).
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { loadProductionCalendar } from '../../core/calendar/index.ts';
import { createLogger } from '../../core/logger.ts';
import type { CourtCaseRecord } from '../../core/records.ts';
import type { JobName } from '../../queues/names.ts';
import { createRedis } from '../../queues/redis.ts';
import { submitLookups, type SubmitRequest } from '../../queues/submit.ts';
import { computeCaseDeadlines, DEADLINE_RULES, DEFAULT_CADENCE, runSchedulerPass, type RecheckSchedulerDeps } from '../../scheduler/index.ts';
import type { Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage, serviceUrls, testPrefix } from '../helpers/services.ts';

const calendar = loadProductionCalendar();
const HOST = 'sovetsky--kzn.sudrf.ru';
const prefix = testPrefix('sched');
const redis = createRedis(serviceUrls().redisUrl);
const queues = new Map<JobName, Queue>();
const queueFor = (name: JobName) => {
  let q = queues.get(name);
  if (!q) queues.set(name, (q = new Queue(name, { connection: redis, prefix })));
  return q;
};
let storage: Storage;

beforeAll(async () => {
  storage = await openTestStorage();
});
afterAll(async () => {
  for (const q of queues.values()) await q.obliterate({ force: true }).then(() => q.close());
  redis.disconnect();
  await dropStorage(storage);
});

function record(caseId: number, over: Partial<CourtCaseRecord>): CourtCaseRecord {
  return {
    court: { name: 'Советский районный суд', host: HOST, code: '16RS0051' },
    caseNumber: `2-${caseId}/2025`, previousNumbers: [], uid: null, caseId: String(caseId), caseUid: `00000000-0000-4000-8000-${String(caseId).padStart(12, '0')}`,
    category: null, judge: null, registeredAt: null, decision: { date: null, result: null }, effectiveAt: null, status: 'received',
    parties: [], events: [], executionDocuments: [], template: 'sudrf-new', ...over,
  };
}

/** Stores a case as a robot would, then dates its last check. */
async function seed(rec: CourtCaseRecord, checkedAt: string): Promise<string> {
  const saved = await storage.courtCases.save(rec, { url: `http://${HOST}/`, fetchedAt: new Date(checkedAt), evidenceId: null, parserVersion: 'test' });
  await storage.courtCases.model.updateOne({ _id: saved.id }, { $set: { checkedAt: new Date(checkedAt) } });
  return saved.id;
}

const deps = (now: string): RecheckSchedulerDeps => ({
  schedules: storage.schedules,
  calendar,
  log: createLogger({ level: 'silent' }),
  now: () => new Date(now),
  submit: (requests: SubmitRequest[], batchId: string) =>
    submitLookups({ lookups: storage.lookups, queueFor, jobOptions: { attempts: 1, backoffMs: 10 } }, requests, batchId as `${string}-${string}-${string}-${string}-${string}`),
});
const options = { cadence: DEFAULT_CADENCE, timeZone: 'Europe/Moscow' };

describe('deadlines in working days', () => {
  it('counts the 5-day, 5-day and 10-day terms across the May 2025 holidays, each with its source', () => {
    expect(DEADLINE_RULES.issue_order).toMatchObject({ days: 5, workingDays: true, source: expect.stringContaining('ст.126') });
    expect(DEADLINE_RULES.objections).toMatchObject({ days: 10, workingDays: true, source: expect.stringContaining('ст.128') });
    // Filed Mon 28 Apr: 29, 30 Apr, (1–4 May off), 5, 6, 7 May.
    const filed = computeCaseDeadlines({ status: 'received', registeredAt: '2025-04-28', decision: { date: null, result: null }, effectiveAt: null, events: [] }, calendar, '2025-05-07');
    expect(filed.expected).toMatchObject({ event: 'order_issued', date: '2025-05-07', rule: 'issue_order', from: '2025-04-28' });
    expect(filed.overdue).toBe(false);
    const late = computeCaseDeadlines({ status: 'accepted', registeredAt: '2025-04-28', decision: { date: null, result: null }, effectiveAt: null, events: [] }, calendar, '2025-05-15');
    expect(late).toMatchObject({ overdue: true, daysLate: 8 });
    const issued = { status: 'order_issued' as const, registeredAt: '2025-04-28', decision: { date: '2025-04-30', result: 'Вынесен судебный приказ' }, effectiveAt: null };
    // Issued Wed 30 Apr: 5, 6, 7, (8–11 May off), 12, 13 May.
    const noCopy = computeCaseDeadlines({ ...issued, events: [{ name: 'Вынесен судебный приказ', date: '2025-04-30', result: null }] }, calendar, '2025-05-13');
    expect(noCopy.expected).toMatchObject({ event: 'copy_sent', date: '2025-05-13', rule: 'copy_to_debtor' });
    // Copy sent 5 May → received by 12 May (7 days at the post office) → 10 working days → 26 May; in force 27 May.
    const sent = computeCaseDeadlines({ ...issued, events: [
      { name: 'Вынесен судебный приказ', date: '2025-04-30', result: null },
      { name: 'Направление копии судебного приказа должнику', date: '2025-05-05', result: null },
    ] }, calendar, '2025-05-20');
    expect(sent.dates).toMatchObject({ copyToDebtorDue: '2025-05-13', debtorReceivedBy: '2025-05-12', objectionDeadline: '2025-05-26', expectedInForce: '2025-05-27' });
    expect(sent.expected).toMatchObject({ event: 'in_force', date: '2025-05-27', rule: 'gpk-128-130-order' });
  });

  it('treats final states as final and ordinary suits without the order deadline', () => {
    const base = { registeredAt: '2025-04-28', decision: { date: null, result: null }, effectiveAt: null, events: [] };
    for (const status of ['in_force', 'refused', 'returned', 'cancelled'] as const) expect(computeCaseDeadlines({ ...base, status }, calendar, '2025-06-01')).toMatchObject({ final: true, expected: null, overdue: false });
    expect(computeCaseDeadlines({ ...base, status: 'decided', decision: { date: '2025-05-20', result: 'x' }, effectiveAt: '2025-06-21' }, calendar, '2025-07-01').final).toBe(true);
    const suit = computeCaseDeadlines({ ...base, status: 'accepted', events: [{ name: 'Вынесено определение о подготовке дела к судебному разбирательству', date: '2025-04-29', result: null }] }, calendar, '2025-06-01');
    expect(suit).toMatchObject({ expected: null, overdue: false });
  });
});

describe('konveyer scheduler', () => {
  const NOW = '2025-05-15T09:00:00Z';
  let due: string;
  let notDue: string;

  it('submits a court.case for each due case, skips final and not-yet-due ones, and never twice', async () => {
    due = await seed(record(101, { registeredAt: '2025-05-05', status: 'received' }), '2025-05-10T10:00:00Z');
    notDue = await seed(record(102, { registeredAt: '2025-05-14', status: 'received' }), '2025-05-15T08:00:00Z');
    const inForce = await seed(record(103, { registeredAt: '2025-03-03', status: 'in_force', effectiveAt: '2025-04-01' }), '2025-04-01T10:00:00Z');
    const decidedInForce = await seed(record(104, { registeredAt: '2025-01-10', status: 'decided', decision: { date: '2025-03-01', result: 'Иск удовлетворен' }, effectiveAt: '2025-04-02' }), '2025-04-03T10:00:00Z');

    const first = await runSchedulerPass(deps(NOW), options);
    expect(first).toMatchObject({ scanned: 3, final: 1, due: 1, submitted: 1, alreadySubmitted: 0, overdue: 1 });
    const recheck = await storage.lookups.list({ type: 'court.case' });
    expect(recheck).toHaveLength(1);
    expect(recheck[0]!.input).toEqual({ court: HOST, caseId: '101', caseUid: '00000000-0000-4000-8000-000000000101' });
    expect(await queueFor('court.case').getJob(recheck[0]!._id)).toBeTruthy();
    const dueDoc = await storage.courtCases.get(due);
    expect(dueDoc!.schedule).toMatchObject({ overdue: true, daysLate: 1, expected: { event: 'order_issued', date: '2025-05-14' }, pending: { lookupId: recheck[0]!._id } });
    // Overdue: the next check comes at the faster cadence.
    expect(new Date(dueDoc!.schedule!.nextCheckAt).getTime() - Date.parse(NOW)).toBe(DEFAULT_CADENCE.nearDeadlineIntervalMs);
    expect((await storage.courtCases.get(notDue))!.schedule).toMatchObject({ overdue: false, pending: null });
    expect((await storage.courtCases.get(inForce))!.schedule ?? null).toBeNull();
    expect((await storage.courtCases.get(decidedInForce))!.schedule!.final).toBe(true);

    const second = await runSchedulerPass(deps(NOW), options);
    expect(second).toMatchObject({ scanned: 2, due: 0, submitted: 0 });
    expect(await storage.lookups.model.countDocuments({ type: 'court.case' })).toBe(1);
  });

  it('a restart between submitting and storing the slot gets the first lookup back', async () => {
    const doc = (await storage.courtCases.get(due))!;
    const slot = new Date(doc.schedule!.pending!.slot);
    // The state as it was before the first pass stored it: same slot, nothing pending.
    await storage.schedules.setSchedules([{ id: due, schedule: { ...doc.schedule!, nextCheckAt: slot, pending: null } }]);
    const again = await runSchedulerPass(deps('2025-05-15T09:05:00Z'), options);
    expect(again).toMatchObject({ due: 1, submitted: 0, alreadySubmitted: 1 });
    expect(await storage.lookups.model.countDocuments({ type: 'court.case' })).toBe(1);
    expect(await queueFor('court.case').count()).toBe(1);
  });

  it('follows a case that moved: a new check resets the slot and the expectation, until it is final', async () => {
    await storage.courtCases.save(record(101, {
      registeredAt: '2025-05-05', status: 'order_issued', decision: { date: '2025-05-15', result: 'Вынесен судебный приказ' },
      events: [{ name: 'Вынесен судебный приказ', date: '2025-05-15', time: null, result: null, basis: null }],
    }), { url: `http://${HOST}/`, fetchedAt: new Date('2025-05-16T10:00:00Z'), evidenceId: null, parserVersion: 'test' });
    await storage.courtCases.model.updateOne({ _id: due }, { $set: { checkedAt: new Date('2025-05-16T10:00:00Z') } });
    const r = await runSchedulerPass(deps('2025-05-16T11:00:00Z'), options);
    expect(r).toMatchObject({ submitted: 0, overdue: 0 });
    const moved = (await storage.courtCases.get(due))!.schedule!;
    // Issued Thu 15 May: 16, 19, 20, 21, 22 May.
    expect(moved).toMatchObject({ overdue: false, pending: null, expected: { event: 'copy_sent', date: '2025-05-22' } });
    const later = await runSchedulerPass(deps('2025-05-24T09:00:00Z'), options);
    expect(later).toMatchObject({ submitted: 2, overdue: 2 });
    await storage.courtCases.save(record(101, { status: 'in_force', effectiveAt: '2025-06-10' }), { url: `http://${HOST}/`, fetchedAt: new Date(), evidenceId: null, parserVersion: 'test' });
    const done = await runSchedulerPass(deps('2025-06-20T09:00:00Z'), options);
    expect(done.scanned).toBe(1);
  });
});

describe('konveyer cases overdue', () => {
  it('lists overdue cases with number, court, expected event and date, days late; filters by court', async () => {
    await seed({ ...record(201, { registeredAt: '2025-05-05', status: 'accepted' }), court: { name: 'x', host: 'kirovsky--ekb.sudrf.ru', code: '66RS0003' } }, '2025-05-10T10:00:00Z');
    await runSchedulerPass(deps('2025-05-24T09:00:00Z'), options);
    const all = await storage.schedules.listOverdue();
    expect(all.map((d) => d.caseNumber)).toEqual(expect.arrayContaining(['2-102/2025', '2-201/2025']));
    const one = await storage.schedules.listOverdue({ courtHost: 'kirovsky--ekb.sudrf.ru' });
    expect(one.map((d) => [d.caseNumber, d.schedule!.expected!.event, d.schedule!.expected!.date, d.schedule!.daysLate])).toEqual([['2-201/2025', 'order_issued', '2025-05-14', 10]]);

    const out = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'cases', 'overdue', '--court', 'kirovsky--ekb.sudrf.ru', '--json'], {
      env: { ...process.env, MONGODB_URI: storageUri(), REDIS_URL: serviceUrls().redisUrl, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(out.status, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout.trim())).toMatchObject({ caseNumber: '2-201/2025', court: 'kirovsky--ekb.sudrf.ru', expectedEvent: 'order_issued', expectedDate: '2025-05-14', daysLate: 10 });
    // Without --json: the table an operator reads.
    const table = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'cases', 'overdue', '--court', 'kirovsky--ekb.sudrf.ru'], {
      env: { ...process.env, MONGODB_URI: storageUri(), REDIS_URL: serviceUrls().redisUrl, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^case\s+court\s+expected\s+by\s+days late\n2-201\/2025\s+kirovsky--ekb\.sudrf\.ru\s+order_issued\s+2025-05-14\s+10\n1 overdue\n$/);
  }, 90_000);

  it('measures a pass over 300 tracked cases', async () => {
    const many = Array.from({ length: 300 }, (_, i) => record(1000 + i, { registeredAt: '2025-05-05', status: 'received' }));
    // Stored as the repository stores them, in one insert (300 locked saves would only measure the lock).
    const checkedAt = new Date('2025-05-10T10:00:00Z');
    await storage.courtCases.model.collection.insertMany(many.map((r) => ({
      _id: `16RS0051:id:${r.caseId}`, ...r, schemaVersion: 1, source: { url: `http://${HOST}/`, fetchedAt: checkedAt, evidenceId: null, parserVersion: 'test' },
      history: [], rev: 1, firstSeenAt: checkedAt, checkedAt,
    })) as never[]);
    const r = await runSchedulerPass(deps('2025-05-15T12:00:00Z'), options);
    expect(r.submitted).toBeGreaterThanOrEqual(300);
    const idle = await runSchedulerPass(deps('2025-05-15T12:01:00Z'), options);
    expect(idle.submitted).toBe(0);
    console.log(`scheduler pass: ${r.scanned} cases, ${r.submitted} submitted in ${r.ms} ms; idle pass ${idle.ms} ms`);
  }, 120_000);
});

describe('derived finals across the January holidays', () => {
  const KZN = { name: 'Советский районный суд', host: HOST, code: '16RS0051' };
  const src = (at: string) => ({ url: `http://${HOST}/`, fetchedAt: new Date(at), evidenceId: null, parserVersion: 'test' });
  const lookupsOf = async (caseId: string) => (await storage.lookups.list({ type: 'court.case' }, 10_000)).filter((l) => (l.input as { caseId?: string }).caseId === caseId);
  // Order issued Mon 22 Dec 2025, copy sent Wed 24 Dec: received Wed 31 Dec (+7 days, assumed); 10 working days
  // after it (31 Dec and 1–11 Jan off): 12–16, 19–23 Jan → last day Fri 23 Jan 2026 → in force Sat 24 Jan 2026.
  const order = record(501, {
    court: KZN, caseNumber: '2-501/2025', status: 'order_issued', registeredAt: '2025-12-17',
    decision: { date: '2025-12-22', result: 'Вынесен судебный приказ' },
    events: [
      { name: 'Вынесен судебный приказ', date: '2025-12-22', time: null, result: 'Вынесен судебный приказ', basis: null },
      { name: 'Направление копии судебного приказа должнику', date: '2025-12-24', time: null, result: null, basis: null },
    ],
  });
  // Decision in final form Mon 1 Dec 2025: a month → Thu 1 Jan 2026 (off) → Mon 12 Jan → in force Tue 13 Jan 2026.
  const decided = record(502, {
    court: KZN, caseNumber: '2-502/2025', status: 'decided', registeredAt: '2025-10-01',
    decision: { date: '2025-11-24', result: 'Иск (заявление, жалоба) УДОВЛЕТВОРЕН' },
    events: [
      { name: 'Судебное заседание', date: '2025-11-24', time: '10:00', result: 'Вынесено решение по делу', basis: 'Иск (заявление, жалоба) УДОВЛЕТВОРЕН' },
      { name: 'Изготовлено мотивированное решение в окончательной форме', date: '2025-12-01', time: null, result: null, basis: null },
    ],
  });

  it('a derived order date: no check before it beyond the cadence, one check after it, then final and never again', async () => {
    const id = await seed(order, '2026-01-23T12:00:00Z');
    await runSchedulerPass(deps('2026-01-24T09:00:00Z'), options);
    const before = (await storage.courtCases.get(id))!;
    expect(before.schedule).toMatchObject({ final: false, overdue: false, expected: { event: 'in_force', date: '2026-01-24', rule: 'gpk-128-130-order' } });
    expect(before.schedule!.finality).toMatchObject({ state: 'derived', source: 'derived', effectiveAt: '2026-01-24', confirmedAt: null });
    // The confirming check comes the morning after the date (00:00 UTC of 25 Jan), not a cadence (72 h) later.
    expect(new Date(before.schedule!.nextCheckAt).toISOString()).toBe('2026-01-25T00:00:00.000Z');
    expect(await lookupsOf('501')).toHaveLength(0);

    await runSchedulerPass(deps('2026-01-25T06:00:00Z'), options);
    expect(await lookupsOf('501')).toHaveLength(1);
    // The robot's check lands: the card is unchanged (no entry-into-force row, as on real sudrf cards).
    await storage.courtCases.save(order, src('2026-01-25T07:00:00Z'));
    await storage.courtCases.model.updateOne({ _id: id }, { $set: { checkedAt: new Date('2026-01-25T07:00:00Z') } });
    const confirming = await runSchedulerPass(deps('2026-01-25T08:00:00Z'), options);
    expect(confirming.confirmed).toBeGreaterThanOrEqual(1);
    const after = (await storage.courtCases.get(id))!;
    expect(after).toMatchObject({ effectiveAt: '2026-01-24', effectiveAtSource: 'derived', effectiveAtRule: 'gpk-128-130-order', status: 'order_issued' });
    expect(after.schedule).toMatchObject({ final: true, overdue: false });
    expect(new Date(after.schedule!.finality!.confirmedAt!).toISOString()).toBe('2026-01-25T07:00:00.000Z');

    // Weeks later: not scanned, nothing submitted.
    await runSchedulerPass(deps('2026-02-20T09:00:00Z'), options);
    expect(await lookupsOf('501')).toHaveLength(1);
    // A later robot save of the same card (no row) keeps the confirmed derived date, and no history entry claims it vanished.
    await storage.courtCases.save(order, src('2026-02-21T07:00:00Z'));
    const kept = (await storage.courtCases.get(id))!;
    expect(kept).toMatchObject({ effectiveAt: '2026-01-24', effectiveAtSource: 'derived' });
    expect(kept.history.flatMap((h) => h.changes).filter((c) => c.field === 'effectiveAt')).toEqual([]);
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'cases', 'finality', id], {
      env: { ...process.env, MONGODB_URI: storageUri(), REDIS_URL: serviceUrls().redisUrl, LOG_LEVEL: 'silent' }, encoding: 'utf8', timeout: 60_000,
    });
    expect(cli.status, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({
      caseKey: id, effectiveAt: '2026-01-24', effectiveAtSource: 'derived', effectiveAtRule: 'gpk-128-130-order', final: true,
      finality: { state: 'derived', rule: 'gpk-128-130-order', assumption: expect.stringContaining('7 days after dispatch') },
    });
    // A card that now shows the row wins over the derived date.
    await storage.courtCases.save({ ...order, effectiveAt: '2026-01-26' }, src('2026-02-22T07:00:00Z'));
    expect(await storage.courtCases.get(id)).toMatchObject({ effectiveAt: '2026-01-26', effectiveAtSource: 'shown', effectiveAtRule: 'shown_card' });
  }, 60_000);

  it('a decided case past its derived date is not overdue: `cases overdue` lists late courts only', async () => {
    const id = await seed(decided, '2026-01-05T10:00:00Z');
    await runSchedulerPass(deps('2026-01-20T09:00:00Z'), options);
    const doc = (await storage.courtCases.get(id))!;
    expect(doc.schedule).toMatchObject({ overdue: false, daysLate: 0, expected: { event: 'in_force', date: '2026-01-13', rule: 'gpk-209-321-decision' } });
    expect((await storage.schedules.listOverdue({ courtHost: HOST })).map((d) => d._id)).not.toContain(id);
    // Its one confirming check was submitted (checked 5 Jan, before the date).
    expect(await lookupsOf('502')).toHaveLength(1);
  }, 60_000);
});

function storageUri(): string {
  const u = new URL(serviceUrls().mongoUri);
  u.pathname = `/${storage.conn.name}`;
  return u.toString();
}
