/**
 * EPGU end to end: real Redis, the MongoDB-wire server, Chromium, and the EPGU sandbox replica.
 * ESIA login with TOTP and with an SMS code answered by an operator; an application submitted once
 * even when the robot dies right after the submit click; answers arriving in the ГЭПС feed after
 * sandbox days pass, linked to their requests, closing them; overdue requests; the export.
 */
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { Queue } from 'bullmq';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epguExportRows, writeEpguExport } from '../../api/epgu-export.ts';
import { listOverdueRequests } from '../../scheduler/epgu-overdue.ts';
import { loadConfig } from '../../config/index.ts';
import { createLogger } from '../../core/logger.ts';
import { NetworkError } from '../../core/errors.ts';
import type { JobName } from '../../queues/names.ts';
import { createRedis } from '../../queues/redis.ts';
import { submitLookups, SubmitRejectedError, type SubmitRequest } from '../../queues/submit.ts';
import { epguTestHooks } from '../../robots/epgu/index.ts';
import { startOcrWorker, type OcrWorker } from '../../ocr/index.ts';
import { startRobotPool, type RobotPool } from '../../robots/pool.ts';
import { sandboxEpguAccountsEnv, SANDBOX_EPGU_ACCOUNTS } from '../../sandbox/epgu/epgu-accounts.ts';
import { FsspBank } from '../../sandbox/fssp/fssp.data.ts';
import { startSandbox } from '../../sandbox/server.ts';
import type { LookupDoc, Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage, serviceUrls, testPrefix } from '../helpers/services.ts';

let storage: Storage;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let pool: RobotPool;
/** The OCR role beside the robots: the inbox queues `ocr.document` for each answer it stores. */
let ocrWorker: OcrWorker;
let submit: (r: SubmitRequest[]) => ReturnType<typeof submitLookups>;
const queues = new Map<JobName, Queue>();
const redis = createRedis(serviceUrls().redisUrl);
let ips: string[];

beforeAll(async () => {
  storage = await openTestStorage();
  sandbox = await startSandbox({ port: 0, seed: 11 });
  ips = new FsspBank(sandbox.world).proceedings.map((p) => p.ipNumber);
  const config = loadConfig({
    REDIS_URL: serviceUrls().redisUrl,
    MONGODB_URI: serviceUrls().mongoUri,
    QUEUE_PREFIX: testPrefix('epgu'),
    SANDBOX_ORIGIN: sandbox.url,
    POLITENESS_RPS: '50',
    POLITENESS_CONCURRENCY: '4',
    JOB_ATTEMPTS: '3',
    JOB_BACKOFF_MS: '200',
    ROBOT_CONCURRENCY: '2',
    CAPTCHA_OPERATOR_WAIT_SECS: '60',
    EPGU_ACCOUNTS: sandboxEpguAccountsEnv(),
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    EPGU_FEED_RETRY_MS: '50',
    OCR_WORKERS: '1',
    LOG_LEVEL: 'silent',
    CAPTCHA_CHAIN: 'service,operator',
  });
  ocrWorker = await startOcrWorker({ config, storage, log: createLogger({ level: 'silent' }), robotId: 'epgu-ocr-test' });
  pool = await startRobotPool({ config, storage, log: createLogger({ level: 'silent' }), robotId: 'epgu-test', only: ['epgu.request', 'epgu.inbox'] });
  const queueFor = (name: JobName) => {
    let q = queues.get(name);
    if (!q) queues.set(name, (q = new Queue(name, { connection: redis, prefix: config.queue.prefix })));
    return q;
  };
  submit = (r) => submitLookups({ lookups: storage.lookups, queueFor, jobOptions: { attempts: config.queue.attempts, backoffMs: config.queue.backoffMs } }, r);
}, 120_000);

afterAll(async () => {
  await pool?.close();
  await ocrWorker?.close(5_000);
  for (const q of queues.values()) await q.close();
  redis.disconnect();
  await sandbox?.close();
  await dropStorage(storage);
});

async function waitFor(ids: string[], ms = 180_000): Promise<LookupDoc[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const docs = await Promise.all(ids.map((id) => storage.lookups.get(id)));
    if (docs.every((d) => d && ['succeeded', 'not_found', 'failed', 'needs_human'].includes(d.status))) return docs as LookupDoc[];
    if (Date.now() > deadline) throw new Error(`not final: ${JSON.stringify(docs.map((d) => d?.status))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const admin = async (path: string, body?: unknown) => (await fetch(`${sandbox.url}/__sandbox/epgu/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) })).json() as Promise<Record<string, unknown>>;
const applications = async () => (await admin('applications')) as { count: number; applications: Array<{ number: string; text: string; ipNumber: string; decidedAt: string; registeredAt: string }> };

describe('epgu.request', () => {
  it('refuses a malformed ИП number and an unknown request kind at submit, naming the field', async () => {
    await expect(submit([{ type: 'epgu.request', input: { account: 'totp', ipNumber: '12345/24/0200-ИП', kind: 'info_progress' } }])).rejects.toThrow(/ipNumber: malformed ИП number/);
    const err = await submit([{ type: 'epgu.request', input: { account: 'totp', ipNumber: ips[0], kind: 'о выдаче денег' } }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SubmitRejectedError);
    expect(String((err as Error).message)).toMatch(/kind: unknown request kind/);
    expect((await applications()).count).toBe(0);
  });

  it('logs in with TOTP, submits once, stores the session sealed and reuses it', { timeout: 240_000 }, async () => {
    const [a, b] = (await submit([
      { type: 'epgu.request', input: { account: 'totp', ipNumber: ips[0], kind: 'info_progress', text: 'Прошу сообщить о ходе ИП' } },
      { type: 'epgu.request', input: { account: 'totp', ipNumber: ips[1], kind: 'о розыске должника' } },
    ])).lookups;
    const done = await waitFor([a!.id, b!.id]);
    expect(done.map((d) => d.status)).toEqual(['succeeded', 'succeeded']);
    const reqA = (await storage.epguRequests.get(a!.id))!;
    expect(reqA).toMatchObject({ account: 'totp', ipNumber: ips[0], kind: 'info_progress', status: 'sent', portalStatus: 'Отправлено' });
    expect(reqA.applicationNumber).toMatch(/^\d{10}$/);
    expect(reqA.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const apps = await applications();
    expect(apps.count).toBe(2);
    expect(apps.applications.find((x) => x.number === reqA.applicationNumber)!.text).toContain(`KV-${a!.id}`);
    // The cookies are stored sealed: neither the session id nor the login appear in the document.
    const session = (await storage.epguSessions.get('totp'))!;
    expect(session.sealedCookies).toMatch(/^v1\./);
    expect(session.sealedCookies).not.toContain('ACC_SID');
    // The second job reused the first one's session: one ESIA login only.
    // (each browser step is two evidence items: a screenshot and the DOM)
    const stepsOf = async (id: string) => (await storage.evidence.listByJob(id)).filter((e) => e.kind === 'html').map((e) => e.step);
    const [first, second] = [await stepsOf(a!.id), await stepsOf(b!.id)].sort((x, y) => y.length - x.length);
    expect(first).toContain('esia-totp');
    expect(second).toEqual(['portal-home', 'wizard-ip', 'wizard-kind', 'wizard-text', 'receipt']);
  });

  it('never submits twice: a crash right after the click is reconciled from «Мои заявления»', { timeout: 240_000 }, async () => {
    const before = (await applications()).count;
    let crashes = 0;
    epguTestHooks.afterSubmitClick = () => {
      if (crashes++ === 0) throw new NetworkError('robot died after the submit click (test)');
    };
    try {
      const [l] = (await submit([{ type: 'epgu.request', input: { account: 'totp', ipNumber: ips[2], kind: 'familiarize' } }])).lookups;
      const [done] = await waitFor([l!.id]);
      expect(done!.status).toBe('succeeded');
      expect(done!.attempts).toBe(2);
      const req = (await storage.epguRequests.get(l!.id))!;
      expect(req.history.map((h) => h.status)).toEqual(['prepared', 'submitting', 'sent']);
      const steps = (await storage.evidence.listByJob(l!.id)).map((e) => e.step);
      expect(steps).toContain('reconcile-orders');
      const apps = await applications();
      expect(apps.count).toBe(before + 1);
      expect(apps.applications.filter((x) => x.text.includes(`KV-${l!.id}`)).length).toBe(1);
      expect(req.applicationNumber).toBe(apps.applications.find((x) => x.text.includes(`KV-${l!.id}`))!.number);
    } finally {
      delete epguTestHooks.afterSubmitClick;
    }
  });

  it('logs in with an SMS code typed by an operator (captcha task of kind sms)', { timeout: 240_000 }, async () => {
    const [l] = (await submit([{ type: 'epgu.request', input: { account: 'sms', ipNumber: ips[3], kind: 'copy_opening' } }])).lookups;
    let task;
    for (let i = 0; i < 300 && !task; i++) {
      task = (await storage.captchaTasks.list({ status: 'open', lookupId: l!.id }))[0];
      if (!task) await new Promise((r) => setTimeout(r, 200));
    }
    expect(task?.kind).toBe('sms');
    expect(JSON.stringify(task!.session)).not.toContain(SANDBOX_EPGU_ACCOUNTS[1]!.password);
    const { code } = (await admin(`sms/${encodeURIComponent(SANDBOX_EPGU_ACCOUNTS[1]!.login)}`)) as { code: string };
    await storage.captchaTasks.answer(task!._id, code, 'test-operator');
    const [done] = await waitFor([l!.id]);
    expect(done!.status).toBe('succeeded');
    expect((await storage.epguRequests.get(l!.id))!.applicationNumber).toMatch(/^\d+$/);
    expect((await storage.captchaTasks.get(task!._id))!.accepted).toBe(true);
  });
});

describe('epgu.inbox, deadlines and export', () => {
  it('reads answers after sandbox days pass, links and closes requests, survives 504s; overdue and export', { timeout: 300_000 }, async () => {
    const inbox = async () => {
      const [l] = (await submit([{ type: 'epgu.inbox', input: { account: 'totp' } }])).lookups;
      const [done] = await waitFor([l!.id]);
      expect(done!.status).toBe('succeeded');
      return done!;
    };
    // A copy of the opening постановление: the replica answers it as FSSP XML with a PDF print form
    // unless it sends a scan (seeded by the application number).
    const [copy] = (await submit([{ type: 'epgu.request', input: { account: 'totp', ipNumber: ips[4], kind: 'copy_opening' } }])).lookups;
    expect((await waitFor([copy!.id]))[0]!.status).toBe('succeeded');
    // Nothing decided yet: no documents; after 2 days registration is known and due dates are exact.
    expect((await inbox()).result?.count).toBe(0);
    await admin('clock', { advanceDays: 3 });
    await inbox();
    const open = await storage.epguRequests.listOpen({ account: 'totp' });
    expect(open.length).toBe(4);
    for (const r of open) {
      expect(r.registeredAt).not.toBeNull();
      expect(r.status).toBe('registered');
    }
    // Everything decided within 12 working days: jump 25 days and read the feed.
    await admin('clock', { advanceDays: 25 });
    const read = await inbox();
    const apps = (await applications()).applications as Array<{ number: string; decidedAt: string; xml?: boolean }>;
    let files = 0;
    for (const r of open) {
      const req = (await storage.epguRequests.get(r._id))!;
      const app = apps.find((x) => x.number === r.applicationNumber)!;
      expect(req.status).toBe('answered');
      // An XML answer comes with its PDF print form: the XML is the first answer document.
      expect(req.answerDocumentIds.length).toBe(app.xml ? 2 : 1);
      files += req.answerDocumentIds.length;
      for (const [n, id] of req.answerDocumentIds.entries()) {
        const isXml = app.xml === true && n === 0;
        // The inbox queued OCR for the answer; the OCR role reads it: done, about the request's ИП.
        let doc = (await storage.documents.get(id))!;
        for (let i = 0; i < 900 && (doc.status === 'ocr_queued' || doc.status === 'pending_ocr'); i++) {
          await new Promise((res) => setTimeout(res, 200));
          doc = (await storage.documents.get(doc._id))!;
        }
        expect(doc).toMatchObject({ requestId: r._id, applicationNumber: r.applicationNumber, ipNumber: r.ipNumber, contentType: isXml ? 'application/xml' : 'application/pdf', status: 'done', error: null });
        expect(doc.fields?.ipNumber).toBe(r.ipNumber);
        expect(doc.kind).not.toBe('other');
        const body = (await storage.evidence.readBody(doc.sha256))!;
        expect(body.subarray(0, 5).toString()).toBe(isXml ? '<?xml' : '%PDF-');
        if (isXml) expect(doc).toMatchObject({ ocr: false, confidence: 1 });
      }
      expect(req.closedAt!.toISOString()).toBe(new Date(app.decidedAt).toISOString());
    }
    // One stored document per answer file; the XML path was taken: an answer came as XML and was read exactly.
    expect(read.result?.count).toBe(files);
    expect(apps.some((a) => a.xml)).toBe(true);
    // A second read finds nothing new (the cursor), so no duplicate documents.
    expect((await inbox()).result?.count).toBe(0);
    expect(await storage.documents.listReceived({ origin: 'epgu' })).toHaveLength(files);

    // Overdue: the sms account's request is still open; as of a date past its due date it is listed.
    const smsOpen = (await storage.epguRequests.listOpen({ account: 'sms' }))[0]!;
    expect(await listOverdueRequests(storage.epguRequests, smsOpen.dueDate!)).toEqual([]);
    const after = (await listOverdueRequests(storage.epguRequests, '2099-01-01')).map((r) => r.id);
    expect(after).toEqual([smsOpen._id]);

    // Export in each format: one row per answer.
    const rows = await epguExportRows(storage, {});
    expect(rows).toHaveLength(files);
    expect(new Set(rows.map((r) => r.ipNumber))).toEqual(new Set(open.map((r) => r.ipNumber)));
    expect(new Set(rows.map((r) => r.applicationNumber))).toEqual(new Set(open.map((r) => r.applicationNumber)));
    const collect = async (format: 'csv' | 'jsonl' | 'xlsx') => {
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(c));
      await writeEpguExport(rows, format, out);
      return Buffer.concat(chunks);
    };
    const csv = (await collect('csv')).toString('utf8').trim().split('\r\n');
    expect(csv).toHaveLength(files + 1);
    expect(csv[0]).toContain('applicationNumber');
    const jsonl = (await collect('jsonl')).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { documentId: string });
    expect(jsonl.map((r) => r.documentId).sort()).toEqual(rows.map((r) => r.documentId).sort());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await collect('xlsx')) as never);
    expect(wb.worksheets[0]!.rowCount).toBe(files + 1);
  });
});
