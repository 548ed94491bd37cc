/**
 * court.search end to end on the sudrf sandbox: party name + registration dates → every results
 * page of every srv_num (through the captcha) → one court.case child per distinct case, as a BullMQ
 * flow → children end succeeded; a second identical search queues nothing again.
 * The same on msudrf in the browser: the kcaptcha gate, a list with one row per party of each case
 * (duplicates) over several pages → one court.case per card, opened by case_id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { loadConfig, type Config } from '../../config/index.ts';
import { createLogger } from '../../core/logger.ts';
import type { JobName } from '../../queues/names.ts';
import { createRedis } from '../../queues/redis.ts';
import { submitLookups, type SubmitRequest } from '../../queues/submit.ts';
import { fanInJobId } from '../../robots/court-search/index.ts';
import { startRobotPool, type RobotPool } from '../../robots/pool.ts';
import { msudrfWorld, type MsudrfCase } from '../../sandbox/court-msudrf/msudrf.data.ts';
import { searchMsudrfCases } from '../../sandbox/court-msudrf/search-results.page.ts';
import { startSandbox } from '../../sandbox/server.ts';
import type { LookupDoc, Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage, serviceUrls, testPrefix } from '../helpers/services.ts';

let storage: Storage;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let pool: RobotPool;
let config: Config;
const queues = new Map<JobName, Queue>();
const redis = createRedis(serviceUrls().redisUrl);
const queueFor = (name: JobName) => {
  let q = queues.get(name);
  if (!q) queues.set(name, (q = new Queue(name, { connection: redis, prefix: config.queue.prefix })));
  return q;
};

beforeAll(async () => {
  storage = await openTestStorage();
  sandbox = await startSandbox({ port: 0, seed: 7 });
  config = loadConfig({
    REDIS_URL: serviceUrls().redisUrl, MONGODB_URI: serviceUrls().mongoUri, QUEUE_PREFIX: testPrefix('search'), SANDBOX_ORIGIN: sandbox.url,
    POLITENESS_RPS: '40', POLITENESS_CONCURRENCY: '4', JOB_ATTEMPTS: '4', JOB_BACKOFF_MS: '100', ROBOT_CONCURRENCY: '6', ROBOT_BROWSER_PAGES: '2', CAPTCHA_MAX_TRIES: '8', CAPTCHA_CHAIN: 'local', LOG_LEVEL: 'silent',
  });
  pool = await startRobotPool({ config, storage, log: createLogger({ level: 'silent' }), robotId: 'test-robot', only: ['court.search', 'court.case'] });
});

afterAll(async () => {
  await pool?.close();
  for (const q of queues.values()) await q.close();
  redis.disconnect();
  await sandbox?.close();
  await dropStorage(storage);
});

const FINAL = ['succeeded', 'not_found', 'failed', 'needs_human'];
async function waitFinal(ids: string[], timeoutMs = 200_000): Promise<LookupDoc[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const docs = await Promise.all(ids.map((id) => storage.lookups.get(id)));
    if (docs.every((d) => d && FINAL.includes(d.status))) return docs as LookupDoc[];
    if (Date.now() > deadline) throw new Error(`not final: ${JSON.stringify(docs.map((d) => d?.status))}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('court.search on sudrf', () => {
  it('finds every case of a party in a date range (all pages, all servers, through the captcha) and fans out one court.case each', async () => {
    // A creditor with the most cases in one captcha-gated court of the seeded world.
    const counts = new Map<string, { host: string; name: string; n: number }>();
    for (const c of sandbox.world.cases) {
      const court = sandbox.world.courts.find((k) => k.host === c.host)!;
      if (!court.hasSearchCaptcha) continue;
      for (const p of c.parties.filter((x) => x.roleNorm === 'claimant')) {
        const k = `${c.host}|${p.name}`;
        counts.set(k, { host: c.host, name: p.name, n: (counts.get(k)?.n ?? 0) + 1 });
      }
    }
    const target = [...counts.values()].sort((a, b) => b.n - a.n)[0]!;
    const inCourt = sandbox.world.cases.filter((c) => c.host === target.host && c.parties.some((p) => p.name.toLocaleLowerCase('ru').includes(target.name.toLocaleLowerCase('ru'))));
    const dates = inCourt.map((c) => c.registeredAt).sort();
    const from = dates[0]!;
    const to = dates.at(-1)!;
    const expected = inCourt.filter((c) => c.registeredAt >= from && c.registeredAt <= to);
    expect(expected.length).toBeGreaterThan(1);

    const request: SubmitRequest = { type: 'court.search', input: { court: target.host, party: target.name, registeredFrom: from, registeredTo: to.split('-').reverse().join('.') } };
    const res = await submitLookups({ lookups: storage.lookups, queueFor, jobOptions: { attempts: 3, backoffMs: 100 } }, [request]);
    const [parent] = await waitFinal([res.lookups[0]!.id]);
    expect(parent!.status, JSON.stringify(parent!.error)).toBe('succeeded');
    expect(parent!.result).toMatchObject({ collection: 'lookups', id: parent!._id, count: expected.length });

    const children = await storage.lookups.list({ batchId: parent!._id }, 10_000);
    expect(children).toHaveLength(expected.length);
    // One child per case: by site ids (srv_num 1) or by number (cases kept on servers 2–3).
    const keys = children.map((c) => String(c.input.caseId ?? c.input.number));
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(keys)).toEqual(new Set(expected.map((c) => (c.srvNum === 1 ? String(c.caseId) : c.caseNumber))));
    const done = await waitFinal(children.map((c) => c._id));
    expect(done.map((d) => d.status)).toEqual(done.map(() => 'succeeded'));
    const stored = await Promise.all(done.map((d) => storage.courtCases.get(d.result!.id)));
    expect(new Set(stored.map((s) => s!.caseId))).toEqual(new Set(expected.map((c) => String(c.caseId))));
    // The search's steps: pages walked and the captcha answered.
    const steps = (await storage.evidence.listByJob(parent!._id)).map((e) => e.step);
    expect(steps.some((s) => /after-captcha/.test(s))).toBe(true);
    if (expected.length > 25) expect(steps.some((s) => /-p2/.test(s))).toBe(true);
    // The flow's parent job ends once every child has.
    const deadline = Date.now() + 30_000;
    while ((await queueFor('court.search').getJobState(fanInJobId(parent!._id))) !== 'completed' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await queueFor('court.search').getJobState(fanInJobId(parent!._id))).toBe('completed');

    // The same search again: the cases are already queued, nothing new is created.
    const again = await submitLookups({ lookups: storage.lookups, queueFor, jobOptions: { attempts: 3, backoffMs: 100 } }, [request]);
    const [second] = await waitFinal([again.lookups[0]!.id]);
    expect(second!.result!.count).toBe(expected.length);
    expect(await storage.lookups.list({ batchId: second!._id })).toHaveLength(0);
    expect(await storage.lookups.model.countDocuments({ type: 'court.case' })).toBe(expected.length);
  }, 300_000);

  it('refuses a bad search before anything is stored', async () => {
    const err = await submitLookups({ lookups: storage.lookups, queueFor, jobOptions: { attempts: 1, backoffMs: 10 } }, [
      { type: 'court.search', input: { court: sandbox.world.courts[0]!.host, party: 'ООО', registeredFrom: '2025-05-01', registeredTo: '2025-04-01' } },
    ]).catch((e: unknown) => e as Error);
    expect(String((err as Error).message)).toMatch(/registeredTo is before registeredFrom/);
  });
});

describe('court.search on msudrf (browser, kcaptcha gate)', () => {
  const norm = (v: string) => v.toLocaleLowerCase('ru').replace(/ё/g, 'е');
  const submitSearch = async (input: Record<string, unknown>) => {
    const res = await submitLookups({ lookups: storage.lookups, queueFor, jobOptions: { attempts: 3, backoffMs: 100 } }, [{ type: 'court.search', input }]);
    return (await waitFinal([res.lookups[0]!.id]))[0]!;
  };
  /** The children of a search end succeeded, one per expected card, each stored under its case_id. */
  const expectChildren = async (parent: LookupDoc, expected: MsudrfCase[]) => {
    expect(parent.status, JSON.stringify(parent.error)).toBe('succeeded');
    expect(parent.result).toMatchObject({ collection: 'lookups', id: parent._id, count: expected.length });
    const children = await storage.lookups.list({ batchId: parent._id }, 10_000);
    expect(children.map((c) => c.input)).toEqual(expect.arrayContaining(expected.map((c) => ({ court: c.host, caseId: String(c.caseId) }))));
    expect(children).toHaveLength(expected.length);
    const done = await waitFinal(children.map((c) => c._id), 240_000);
    expect(done.map((d) => [d.status, d.error?.code])).toEqual(done.map(() => ['succeeded', undefined]));
    expect(done.map((d) => d.result!.id).sort()).toEqual(expected.map((c) => `${c.courtCode}:id:${c.caseId}`).sort());
  };

  it('a creditor name over a date range: duplicate rows on several pages → one court.case per card', async () => {
    const ms = msudrfWorld(sandbox.world);
    // The quoted part of creditors' names («Управляющая компания …» is shared by several): the word
    // with the most cases in one gated court, so that the list runs over more than one page.
    const best = ms.courts.filter((c) => c.hasGate).flatMap((court) => {
      const inCourt = ms.cases.filter((c) => c.host === court.host);
      const words = new Set(inCourt.map((c) => (c.creditor.name.split('"')[1] ?? '').trim()).filter((w) => w.length >= 3));
      return [...words].map((word) => ({ court, word, cases: inCourt.filter((c) => c.parties.some((p) => norm(p.name).includes(norm(word)))) }));
    }).sort((a, b) => b.cases.length - a.cases.length)[0]!;
    const dates = best.cases.map((c) => c.registeredAt).sort();
    // Cut the earliest and the latest matching day off: the range must filter.
    const from = dates.find((d) => d > dates[0]!)!;
    const to = [...dates].reverse().find((d) => d < dates.at(-1)!)!;
    const expected = best.cases.filter((c) => c.registeredAt >= from && c.registeredAt <= to);
    const listed = searchMsudrfCases(ms.cases.filter((c) => c.host === best.court.host), { ok: true, name: best.word, number: null, uid: null, from, to });
    // The site's list: a row per party, more rows than one page holds.
    expect(listed.length).toBe(expected.length * 2);
    expect(listed.length).toBeGreaterThan(20);

    const parent = await submitSearch({ court: best.court.host, party: best.word, registeredFrom: from, registeredTo: to });
    await expectChildren(parent, expected);
    const steps = (await storage.evidence.listByJob(parent._id)).map((e) => e.step);
    expect(steps[0]).toBe('search');
    expect(steps.some((s) => /after-kcaptcha/.test(s))).toBe(true);
    expect(steps.some((s) => /^search-page-2/.test(s))).toBe(true);
    const deadline = Date.now() + 30_000;
    while ((await queueFor('court.search').getJobState(fanInJobId(parent._id))) !== 'completed' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await queueFor('court.search').getJobState(fanInJobId(parent._id))).toBe('completed');
  }, 300_000);

  it('a debtor name on a layout-C court finds that debtor\'s cards; a name with no case is not_found', async () => {
    const ms = msudrfWorld(sandbox.world);
    const court = ms.courts.find((c) => c.layout === 'C' && c.hasGate)!;
    const inCourt = ms.cases.filter((c) => c.host === court.host);
    const debtor = inCourt[inCourt.length - 1]!.debtor.fullName;
    const expected = inCourt.filter((c) => c.parties.some((p) => norm(p.name).includes(norm(debtor))));
    const parent = await submitSearch({ court: court.host, party: debtor, registeredFrom: '2020-01-01', registeredTo: ms.asOf });
    await expectChildren(parent, expected);

    const none = await submitSearch({ court: court.host, party: 'Несуществующая организация', registeredFrom: '2020-01-01', registeredTo: ms.asOf });
    expect(none.status).toBe('not_found');
    expect(await storage.lookups.list({ batchId: none._id })).toHaveLength(0);
  }, 300_000);
});
