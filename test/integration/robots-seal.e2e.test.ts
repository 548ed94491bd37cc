/**
 * Every robot of the list (robots/index.ts ROBOTS) run end to end against the sandbox — real Redis,
 * the MongoDB-wire server, Chromium — one real job each: the attempt's evidence chain is sealed
 * (a manifest over exactly the items stored), and every record it stored names the parser that
 * read it (`source.parserVersion` = `<name>-<version>` of the robot's parser). A robot added to the
 * list without a job here fails the first test: the list and this table must move together.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parserOfTag } from '../../parsers/index.ts';
import type { SubmitRequest } from '../../queues/submit.ts';
import { ROBOTS, type AnyRobotDefinition } from '../../robots/index.ts';
import { fanInJobId } from '../../robots/court-search/index.ts';
import { msudrfWorld } from '../../sandbox/court-msudrf/msudrf.data.ts';
import { generateMirsudData } from '../../sandbox/court-mirsud-spb/mirsud.data.ts';
import { generateMosSudData } from '../../sandbox/court-mos-sud/mos-sud.data.ts';
import { sandboxEpguAccountsEnv } from '../../sandbox/epgu/epgu-accounts.ts';
import { FsspBank } from '../../sandbox/fssp/fssp.data.ts';
import type { LookupDoc } from '../../storage/index.ts';
import { startTestFarm, type TestFarm } from '../helpers/farm.ts';

let farm: TestFarm;
const POST_ACCOUNT = { id: 'main', login: 'konveyer-demo', password: 'demo-password' };
const LETTER = '14102192069353';
const key = (d: Pick<AnyRobotDefinition, 'job' | 'target'>) => `${d.job} ${d.target}`;

beforeAll(async () => {
  farm = await startTestFarm({
    name: 'robots-seal',
    waitMs: 240_000,
    env: {
      CAPTCHA_MAX_TRIES: '12',
      EPGU_ACCOUNTS: sandboxEpguAccountsEnv(),
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      EPGU_FEED_RETRY_MS: '50',
      POST_TRACKING_ACCOUNTS: JSON.stringify([POST_ACCOUNT]),
      POST_TRACKING_DAILY_LIMIT: '1000',
    },
  });
  const op = (type: number, attr: number, local: string) => ({ type, attr, local, offset: '+05:00', index: '450077', place: 'Уфа 77' });
  await fetch(`${farm.sandbox.url}/__sandbox/post-tracking/letters`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      barcode: LETTER, kind: 'scripted', caseKey: null, ipNumber: null, sender: 'ООО УК ЖИЛКОМФОРТ', recipient: 'СУДЕБНЫЙ УЧАСТОК № 3', mailType: 'Письмо', mailCategory: 'Заказное',
      operations: [op(1, 1, '2026-02-16T10:05:00'), op(2, 1, '2026-02-19T11:20:00')],
    }),
  });
}, 120_000);

afterAll(async () => farm?.close());

/** One job per robot of the list, keyed `<job> <target>`; the fan-in runs by itself after a search's children. */
function jobsOfEveryRobot(): Record<string, SubmitRequest> {
  const world = farm.sandbox.world;
  const open = (c: (typeof world.cases)[number]) => c.srvNum === 1 && !world.courts.find((k) => k.host === c.host)!.hasSearchCaptcha;
  const sudrf = world.cases.find(open)!;
  // The search runs in another court: its children must not re-save the case the court.case job stored.
  const searched = world.cases.find((c) => open(c) && c.host !== sudrf.host)!;
  const claimant = searched.parties.find((p) => p.roleNorm === 'claimant')!;
  const ms = msudrfWorld(world);
  const msCase = ms.cases.find((c) => !ms.courts.find((k) => k.host === c.host)!.hasGate) ?? ms.cases[0]!;
  const msSearch = ms.cases.find((c) => c.host !== msCase.host)!;
  const spb = generateMirsudData(world).cases[0]!;
  const msk = generateMosSudData(world).cases[0]!;
  const ip = new FsspBank(world).proceedings;
  return {
    'court.case court-sudrf': { type: 'court.case', input: { court: sudrf.host, caseId: String(sudrf.caseId), caseUid: sudrf.caseUid } },
    'court.case court-msudrf': { type: 'court.case', input: { court: msCase.host, number: msCase.caseNumber } },
    'court.case court-mirsud-spb': { type: 'court.case', input: { court: 'mirsud.spb.ru', section: String(spb.section), number: spb.caseNumber } },
    'court.case court-mos-sud': { type: 'court.case', input: { court: 'mos-sud.ru', section: String(msk.section), caseUid: msk.uuid } },
    'court.search court-sudrf': { type: 'court.search', input: { court: searched.host, party: claimant.name, registeredFrom: searched.registeredAt, registeredTo: searched.registeredAt } },
    'court.search court-msudrf': { type: 'court.search', input: { court: msSearch.host, party: msSearch.creditor.name, registeredFrom: msSearch.registeredAt, registeredTo: msSearch.registeredAt } },
    // The hand-written участки of the sandbox world (PLANTED_* of mos-sud.data.ts / mirsud.data.ts): other cases than the court.case jobs'.
    'court.search court-mos-sud': { type: 'court.search', input: { court: 'mos-sud.ru', party: 'Кондратьева Зинаида Павловна', registeredFrom: '2026-01-01', registeredTo: '2026-06-15' } },
    'court.search court-mirsud-spb': { type: 'court.search', input: { court: 'mirsud.spb.ru', section: '98', party: 'Кондратьева Зинаида Павловна', registeredFrom: '2026-01-01', registeredTo: '2026-06-15' } },
    'fssp.search fssp': { type: 'fssp.search', input: { kind: 'ip', ipNumber: ip[0]!.ipNumber } },
    'epgu.request epgu': { type: 'epgu.request', input: { account: 'totp', ipNumber: ip[1]!.ipNumber, kind: 'info_progress' } },
    'epgu.inbox epgu': { type: 'epgu.inbox', input: { account: 'totp' } },
    'post.tracking post-tracking': { type: 'post.tracking', input: { barcode: LETTER } },
  };
}
/** Robots that fetch nothing (no evidence, so no manifest): the court.search fan-in. */
const FETCHES_NOTHING = new Set(['court.search court-search']);

/** The records a lookup's result points at that this lookup stored last (source.lookupId). */
async function recordsOf(lookup: LookupDoc): Promise<Array<{ source: { parserVersion: string; evidenceId: string | null; fetchedAt: Date; lookupId?: string } }>> {
  const s = farm.storage;
  const models: Record<string, unknown> = { court_cases: s.courtCases.model, enforcement_proceedings: s.enforcementProceedings.model, documents: s.documents.model, postal_items: s.postalItems.model };
  const model = lookup.result ? models[lookup.result.collection] : undefined;
  if (!model || !lookup.result) return [];
  const ids = lookup.result.ids ?? [lookup.result.id];
  const found = await (model as { find(f: object): { lean(): Promise<unknown[]> } }).find({ _id: { $in: ids } }).lean();
  return (found as Array<{ source: { parserVersion: string; evidenceId: string | null; fetchedAt: Date; lookupId?: string } }>).filter((r) => r.source.lookupId === lookup._id);
}

describe('every robot of the list', () => {
  const served = new Map<string, LookupDoc>();

  it('has a job here (a robot added to ROBOTS needs one)', () => {
    const jobs = jobsOfEveryRobot();
    for (const robot of ROBOTS) if (!FETCHES_NOTHING.has(key(robot))) expect(jobs, `no job for robot ${key(robot)}`).toHaveProperty([key(robot)]);
  });

  it('seals the evidence chain of its job and stamps its parser on every record', async () => {
    const jobs = jobsOfEveryRobot();
    const { 'epgu.inbox epgu': inbox, ...first } = jobs;
    const firstKeys = Object.keys(first);
    const docs = await farm.submitAndWait(Object.values(first));
    firstKeys.forEach((k, i) => served.set(k, docs[i]!));
    // The inbox after the replica decided the application (answers come within 12 working days).
    await fetch(`${farm.sandbox.url}/__sandbox/epgu/clock`, { method: 'POST', body: JSON.stringify({ advanceDays: 30 }) });
    served.set('epgu.inbox epgu', (await farm.submitAndWait([inbox!]))[0]!);

    for (const robot of ROBOTS) {
      const k = key(robot);
      if (FETCHES_NOTHING.has(k)) continue;
      const lookup = served.get(k)!;
      expect(lookup.status, `${k}: ${JSON.stringify(lookup.error)}`).toBe('succeeded');
      const items = await farm.storage.evidence.listByJob(lookup._id);
      expect(items.length, `${k}: evidence`).toBeGreaterThan(0);
      const manifest = await farm.storage.evidence.getManifest(lookup._id);
      expect(manifest, `${k}: no manifest`).not.toBeNull();
      expect(manifest!.itemHashes, `${k}: manifest`).toEqual(items.map((i) => i.hash));
      const records = await recordsOf(lookup);
      if (robot.parser) {
        expect(records.length, `${k}: records`).toBeGreaterThan(0);
        for (const r of records) {
          expect(parserOfTag(r.source.parserVersion), `${k}: source.parserVersion`).toEqual({ name: robot.parser.name, version: robot.parser.version });
          expect(items.map((i) => i._id), `${k}: source.evidenceId`).toContain(r.source.evidenceId);
          // fetchedAt is when the page was read: within the job's evidence, not when the record was saved.
          expect(new Date(r.source.fetchedAt).getTime(), `${k}: source.fetchedAt after the job's last evidence`).toBeLessThanOrEqual(Math.max(...items.map((i) => new Date(i.at).getTime())) + 1000);
        }
      } else {
        expect(records, `${k}: a robot without a parser stores no parsed records`).toEqual([]);
      }
    }
    // Children of a search are court.case lookups of the portal's robot, each sealed as well.
    const search = served.get('court.search court-sudrf')!;
    const children = await farm.storage.lookups.list({ batchId: search._id }, 100);
    expect(children.length).toBeGreaterThan(0);
    const final = await Promise.all(children.map(async (c) => {
      const deadline = Date.now() + 120_000;
      for (;;) {
        const d = (await farm.storage.lookups.get(c._id))!;
        if (['succeeded', 'not_found', 'failed', 'needs_human'].includes(d.status) || Date.now() > deadline) return d;
        await new Promise((r) => setTimeout(r, 200));
      }
    }));
    for (const c of final) {
      expect(c.status).toBe('succeeded');
      expect(await farm.storage.evidence.getManifest(c._id)).not.toBeNull();
    }
    // The fan-in (the flow's parent job) ends once every child has.
    const deadline = Date.now() + 30_000;
    while ((await farm.queueFor('court.search').getJobState(fanInJobId(search._id))) !== 'completed' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await farm.queueFor('court.search').getJobState(fanInJobId(search._id))).toBe('completed');
  }, 600_000);
});
