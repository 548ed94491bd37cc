/**
 * fssp.search end to end: real Redis, the real MongoDB-wire server, the FSSP sandbox replica with
 * its captcha gate — submit → queue → robot (HTTP, one site session) → captcha chain → JSONP pages
 * → parser → enforcement_proceedings. Each solver of the chain is exercised: local OCR, the
 * rucaptcha API (a local fake: the real one is paid), and the operator hand-off with a resume in
 * the same site session through the CLI function.
 */
import { createHash } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerCaptchaTask, listCaptchaTasks } from '../../queues/captcha-handoff.ts';
import { loadConfig, type Config } from '../../config/index.ts';
import { createLogger } from '../../core/logger.ts';
import type { CourtCaseRecord } from '../../core/records.ts';
import type { JobName } from '../../queues/names.ts';
import { createRedis } from '../../queues/redis.ts';
import { submitLookups, SubmitRejectedError, type SubmitRequest } from '../../queues/submit.ts';
import { startRobotPool, type RobotPool, type RobotPoolOptions } from '../../robots/pool.ts';
import type { CaptchaSolution, CaptchaSolver, CaptchaTask } from '../../robots/runtime/captcha/index.ts';
import { FsspBank, type SandboxProceeding } from '../../sandbox/fssp/fssp.data.ts';
import { startSandbox } from '../../sandbox/server.ts';
import type { LookupDoc, Storage } from '../../storage/index.ts';
import { startFakeRucaptcha, type FakeRucaptcha } from '../fakes/rucaptcha.fake.ts';
import { dropStorage, openTestStorage, serviceUrls, testPrefix } from '../helpers/services.ts';

let storage: Storage;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let bank: FsspBank;
let fake: FakeRucaptcha;
const redis = createRedis(serviceUrls().redisUrl);
const opened: Array<{ pool: RobotPool; queues: Map<JobName, Queue> }> = [];

beforeAll(async () => {
  storage = await openTestStorage();
  sandbox = await startSandbox({ port: 0, seed: 7 });
  bank = new FsspBank(sandbox.world);
  // The fake service's "worker" reads the picture by asking the sandbox; the first answer is wrong.
  let served = 0;
  fake = await startFakeRucaptcha({
    key: 'test-key',
    answer: (image) => (served++ === 0 ? 'ббббб' : (sandbox.captchaAnswer(sha256(image)) ?? null)),
  });
});

afterAll(async () => {
  for (const o of opened) {
    await o.pool.close();
    for (const q of o.queues.values()) await q.close();
  }
  redis.disconnect();
  await fake?.close();
  await sandbox?.close();
  await dropStorage(storage);
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A robot pool serving fssp.search only, on its own queue prefix, with the given chain settings. */
async function farm(env: Record<string, string>, extra: Partial<RobotPoolOptions> = {}) {
  const config: Config = loadConfig({
    REDIS_URL: serviceUrls().redisUrl,
    MONGODB_URI: serviceUrls().mongoUri,
    QUEUE_PREFIX: testPrefix('fssp'),
    SANDBOX_ORIGIN: sandbox.url,
    POLITENESS_RPS: '50',
    POLITENESS_CONCURRENCY: '4',
    JOB_ATTEMPTS: '1',
    JOB_BACKOFF_MS: '100',
    ROBOT_CONCURRENCY: '4',
    CAPTCHA_OPERATOR_WAIT_SECS: '0',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const pool = await startRobotPool({ config, storage, log: createLogger({ level: 'silent' }), robotId: 'fssp-test', only: ['fssp.search'], ...extra });
  const queues = new Map<JobName, Queue>();
  opened.push({ pool, queues });
  const queueFor = (name: JobName) => {
    let q = queues.get(name);
    if (!q) queues.set(name, (q = new Queue(name, { connection: redis, prefix: config.queue.prefix })));
    return q;
  };
  const deps = { lookups: storage.lookups, queueFor, jobOptions: { attempts: config.queue.attempts, backoffMs: config.queue.backoffMs } };
  return {
    pool,
    deps,
    submit: (requests: SubmitRequest[]) => submitLookups(deps, requests),
    submitAndWait: async (requests: SubmitRequest[], final = ['succeeded', 'not_found', 'failed', 'needs_human']) => waitFor((await submitLookups(deps, requests)).lookups.map((l) => l.id), final),
  };
}

async function waitFor(ids: string[], final = ['succeeded', 'not_found', 'failed', 'needs_human'], ms = 120_000): Promise<LookupDoc[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const docs = await Promise.all(ids.map((id) => storage.lookups.get(id)));
    if (docs.every((d) => d && final.includes(d.status))) return docs as LookupDoc[];
    if (Date.now() > deadline) throw new Error(`lookups not final: ${JSON.stringify(docs.map((d) => [d?.status, d?.error?.code]))}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const stats = async () => (await (await fetch(`${sandbox.url}/__sandbox/fssp/stats`)).json()) as { challenges: number; solved: number; wrong: number; passed: number };
const steps = async (lookupId: string) => (await storage.evidence.listByJob(lookupId)).map((e) => e.step);
const ipsOf = (rows: SandboxProceeding[]) => rows.map((p) => p.ipNumber).sort();

/** Reads the sandbox's answer for the picture; `wrongFirst` answers wrong that many times first. */
class SandboxReader implements CaptchaSolver {
  readonly reports: Array<[string, boolean]> = [];
  constructor(readonly name: string, private wrongFirst = 0) {}
  async solve(task: CaptchaTask): Promise<CaptchaSolution | null> {
    const answer = this.wrongFirst-- > 0 ? 'ббббб' : sandbox.captchaAnswer(sha256(task.image));
    return answer ? { answer, solver: this.name, confidence: 1 } : null;
  }
  report(s: CaptchaSolution, correct: boolean) {
    this.reports.push([s.answer, correct]);
  }
}

describe('fssp.search with the local OCR solver', () => {
  it('runs the four search kinds through the captcha and stores every proceeding with history and court link', { timeout: 300_000 }, async () => {
    // Local OCR alone in the chain: it guesses when unsure and retries a new picture.
    const f = await farm({ CAPTCHA_MAX_TRIES: '12', CAPTCHA_CHAIN: 'local' });
    const person = bank.proceedings.find((p) => p.debtorKind === 'person' && p.caseNumber && p.debtor.birthDate && p.ended)!;
    const byIp = bank.proceedings.find((p) => p.debtorKind === 'person' && p.sdNumber && p !== person)!;
    const byDoc = bank.proceedings.find((p) => p.executiveDocument.typeId === '4' && p !== person && p !== byIp)!;
    const legal = bank.proceedings.find((p) => p.debtorKind === 'legal')!;
    // The court case the person's court order names is already stored: the proceeding links to it.
    const world = sandbox.world;
    const court = world.courts.find((c) => c.host === person.courtHost)!;
    const courtCase = await storage.courtCases.save(courtCaseStub(court, person.caseNumber!), { url: 'https://x', fetchedAt: new Date(), evidenceId: null, parserVersion: 't' });

    const before = await stats();
    const docs = await f.submitAndWait([
      { type: 'fssp.search', input: { kind: 'person', lastName: person.debtor.lastName, firstName: person.debtor.firstName, patronymic: person.debtor.middleName, birthDate: person.debtor.birthDate!, region: person.regionCode } },
      { type: 'fssp.search', input: { kind: 'ip', ipNumber: byIp.ipNumber } },
      { type: 'fssp.search', input: { kind: 'document', number: byDoc.executiveDocument.number, type: 'Судебный приказ', region: byDoc.regionCode } },
      { type: 'fssp.search', input: { kind: 'legal', name: legal.debtor.name, region: legal.regionCode } },
      { type: 'fssp.search', input: { kind: 'person', lastName: 'Несуществующая', firstName: 'Анна', birthDate: '01.01.1990', region: 'all' } },
    ]);
    expect(docs.map((d) => [d.status, d.error?.code ?? null])).toEqual([['succeeded', null], ['succeeded', null], ['succeeded', null], ['succeeded', null], ['not_found', null]]);
    const want = [
      bank.byPerson({ lastName: person.debtor.lastName, firstName: person.debtor.firstName, middleName: person.debtor.middleName, birthDate: person.debtor.birthDate, region: person.regionCode }),
      bank.byIpNumber(byIp.ipNumber),
      bank.byExecutiveDocument({ number: byDoc.executiveDocument.number, typeId: '4', region: byDoc.regionCode }),
      bank.byLegalEntity({ name: legal.debtor.name, region: legal.regionCode }),
    ];
    for (const [i, w] of want.entries()) {
      expect(docs[i]!.result).toMatchObject({ collection: 'enforcement_proceedings', count: w.length });
      expect([...docs[i]!.result!.ids!].sort()).toEqual(ipsOf(w));
      expect(docs[i]!.evidenceCount).toBeGreaterThanOrEqual(2);
    }
    const stored = (await storage.enforcementProceedings.get(person.ipNumber))!;
    expect(stored).toMatchObject({
      ipNumber: person.ipNumber,
      ipDate: person.ipDate,
      executiveDocument: { number: person.executiveDocument.number, type: person.executiveDocument.type },
      courtCaseId: courtCase.id,
      ended: { date: person.ended!.date, article: person.ended!.article, part: person.ended!.part, point: person.ended!.point },
    });
    expect(stored.history.map((h) => h.event)).toEqual(['opened', 'ended']);
    expect(stored.history[1]!.details.reason).toBe(`ст. ${person.ended!.article} ч. ${person.ended!.part} п. ${person.ended!.point}`);
    expect(stored.source.evidenceId).toBeTruthy();
    const ip = (await storage.enforcementProceedings.get(byIp.ipNumber))!;
    expect(ip.sdNumber).toBe(byIp.sdNumber);
    expect(ip.debtRest).toBe(byIp.debtRestKopecks === null ? null : byIp.debtRestKopecks / 100);
    // Each job met the gate once (its own session) and passed it with a code read by OCR.
    const after = await stats();
    expect(after.challenges - before.challenges).toBe(5);
    expect(after.solved - before.solved).toBe(5);
    expect(f.pool.services.captcha.name).toBe('chain');
    const ocrStats = (f.pool.services.captcha as unknown as { stats(): Record<string, { correct: number; wrong: number }> }).stats()['local-ocr']!;
    expect(ocrStats.correct).toBe(5);
    expect(ocrStats.wrong).toBe(after.wrong - before.wrong);
    expect((await steps(docs[0]!._id))[0]).toBe('search');
  });

  it('refuses bad input at submit and queues nothing', async () => {
    const f = await farm({});
    const err = await f.submit([
      { type: 'fssp.search', input: { kind: 'ip', ipNumber: '102021/20/2003-ИП' } },
      { type: 'fssp.search', input: { kind: 'person', lastName: 'А', firstName: 'Б', birthDate: '19.06.4021', region: '02' } },
      { type: 'fssp.search', input: { kind: 'legal', name: 'ООО', region: '80' } },
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SubmitRejectedError);
    expect((err as SubmitRejectedError).rows.map((r) => r.errors[0]!.split(':')[0])).toEqual(['ipNumber', 'birthDate', 'region']);
    expect(await f.deps.queueFor('fssp.search').count()).toBe(0);
  });
});

describe('fssp.search captcha chain without local OCR', () => {
  it('retries wrong codes in the same session and fails captcha_wrong past the limit', { timeout: 60_000 }, async () => {
    // The reader alone in the chain (`service` without a key is left out, no operator member):
    // the last member is asked again after a wrong answer.
    const reader = new SandboxReader('reader', 2);
    const f = await farm({ CAPTCHA_MAX_TRIES: '4', CAPTCHA_CHAIN: 'service' }, { extraSolvers: [reader] });
    const p = bank.proceedings[3]!;
    const [ok] = await f.submitAndWait([{ type: 'fssp.search', input: { kind: 'ip', ipNumber: p.ipNumber } }]);
    expect(ok!.status).toBe('succeeded');
    expect(await steps(ok!._id)).toEqual(['search', 'search-code-1', 'search-code-2', 'search-code-3']);
    expect(reader.reports.map((r) => r[1])).toEqual([false, false, true]);

    const never = new SandboxReader('never', 1000);
    const g = await farm({ CAPTCHA_MAX_TRIES: '3', CAPTCHA_CHAIN: 'service' }, { extraSolvers: [never] });
    const [failed] = await g.submitAndWait([{ type: 'fssp.search', input: { kind: 'ip', ipNumber: p.ipNumber } }]);
    expect(failed!.status).toBe('failed');
    expect(failed!.error).toMatchObject({ code: 'captcha_wrong', kind: 'retryable' });
    expect(never.reports).toHaveLength(3);
  });

  it('uses the rucaptcha service when a key is configured: a wrong answer is reported bad, the right one good', { timeout: 60_000 }, async () => {
    // The service alone in the chain is asked again after its wrong answer (with an operator after
    // it, the next captcha would go to the operator: test/captcha/captcha-escalation.e2e.test.ts).
    const f = await farm({ RUCAPTCHA_KEY: 'test-key', RUCAPTCHA_URL: fake.url, RUCAPTCHA_POLL_MS: '10', CAPTCHA_CHAIN: 'service' });
    const p = bank.proceedings[5]!;
    const [doc] = await f.submitAndWait([{ type: 'fssp.search', input: { kind: 'ip', ipNumber: p.ipNumber } }]);
    expect(doc!.status).toBe('succeeded');
    expect(fake.captchas.slice(0, 2).map((c) => c.report)).toEqual(['bad', 'good']);
    expect(fake.captchas[0]!.params).toMatchObject({ method: 'base64', language: '1' });
  });

  it('parks the lookup for an operator with its session, and resumes in the same session after `captcha answer`', { timeout: 90_000 }, async () => {
    const f = await farm({ CAPTCHA_CHAIN: 'service,operator' });
    const p = bank.proceedings[7]!;
    const [parked] = await f.submitAndWait([{ type: 'fssp.search', input: { kind: 'ip', ipNumber: p.ipNumber } }]);
    expect(parked!.status).toBe('needs_human');
    expect(parked!.error).toMatchObject({ code: 'needs_human' });
    const rows = (await listCaptchaTasks(storage.captchaTasks)).filter((r) => r.lookupId === parked!._id);
    expect(rows).toHaveLength(1);
    const task = (await storage.captchaTasks.get(rows[0]!.id))!;
    expect(task).toMatchObject({ status: 'open', kind: 'cyrillic5', target: 'is.fssp.gov.ru', jobName: 'fssp.search', contentType: 'image/jpeg' });
    expect(task.session?.cookies).toBeTruthy();
    const answer = sandbox.captchaAnswer(sha256(Buffer.from(task.imageBase64, 'base64')))!;
    const before = await stats();
    const res = await answerCaptchaTask({ ...f.deps, captchaTasks: storage.captchaTasks }, task._id, answer, { by: 'tester' });
    expect(res.resumed).toBe(true);
    const [done] = await waitFor([parked!._id], ['succeeded', 'failed', 'not_found']);
    expect(done!.status).toBe('succeeded');
    expect(done!.result!.ids).toEqual(ipsOf(bank.byIpNumber(p.ipNumber)));
    // Same site session: the code answered the old challenge, and no new challenge was issued.
    const after = await stats();
    expect([after.challenges - before.challenges, after.solved - before.solved]).toEqual([0, 1]);
    expect((await steps(parked!._id)).slice(-1)).toEqual(['search-operator-code']);
    expect(await storage.captchaTasks.get(task._id)).toMatchObject({ status: 'answered', answer, answeredBy: 'tester', accepted: true });
    await expect(answerCaptchaTask({ ...f.deps, captchaTasks: storage.captchaTasks }, task._id, answer)).rejects.toThrow(/answered, not open/);
  });

  it('takes an operator answer given while the robot waits in-process', { timeout: 60_000 }, async () => {
    const f = await farm({ CAPTCHA_OPERATOR_WAIT_SECS: '30', CAPTCHA_CHAIN: 'service,operator' });
    const p = bank.proceedings[9]!;
    const { lookups } = await f.submit([{ type: 'fssp.search', input: { kind: 'ip', ipNumber: p.ipNumber } }]);
    const id = lookups[0]!.id;
    let taskId: string | undefined;
    for (let i = 0; i < 200 && !taskId; i++) {
      taskId = (await storage.captchaTasks.list({ lookupId: id, status: 'open' }))[0]?._id;
      if (!taskId) await new Promise((r) => setTimeout(r, 100));
    }
    const task = (await storage.captchaTasks.get(taskId!))!;
    const res = await answerCaptchaTask({ ...f.deps, captchaTasks: storage.captchaTasks }, task._id, sandbox.captchaAnswer(sha256(Buffer.from(task.imageBase64, 'base64')))!);
    expect(res.resumed).toBe(false);
    const [done] = await waitFor([id]);
    expect(done!.status).toBe('succeeded');
    expect(done!.attempts).toBe(1);
  });
});

/** The minimum of a stored court case that a proceeding can link to. */
function courtCaseStub(court: { host: string; code: string; name: string }, caseNumber: string): CourtCaseRecord {
  return {
    court: { name: court.name, host: court.host, code: court.code },
    caseNumber,
    previousNumbers: [],
    uid: null,
    category: null,
    judge: null,
    registeredAt: null,
    decision: { date: null, result: null },
    effectiveAt: null,
    status: 'in_force',
    parties: [],
    events: [],
    executionDocuments: [],
    template: 'test',
  } as unknown as CourtCaseRecord;
}
