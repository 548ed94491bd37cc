/**
 * The auditor UI in real Chromium against a farm run on the sandbox: robots capture evidence of
 * real court.case lookups (HTTP and browser mode), the auditor signs in, finds a job, sees its
 * screenshots, exports a bundle that `sha256sum -c` accepts; then a screenshot is changed behind the
 * farm's back and both `konveyer evidence verify` and the page report it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import Fastify, { type FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditorPlugin } from '../../api/auditor/auditor.plugin.ts';
import { exportEvidenceBundle } from '../../storage/evidence/export.ts';
import { normalizePersonName } from '../../storage/evidence/scope.ts';
import { loadConfig, type Config } from '../../config/index.ts';
import { createLogger } from '../../core/logger.ts';
import type { JobName } from '../../queues/names.ts';
import { createRedis } from '../../queues/redis.ts';
import { submitLookups, type SubmitRequest } from '../../queues/submit.ts';
import { startRobotPool, type RobotPool } from '../../robots/pool.ts';
import { startSandbox } from '../../sandbox/server.ts';
import type { LookupDoc, Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage, serviceUrls, testPrefix } from '../helpers/services.ts';

let storage: Storage;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let pool: RobotPool;
let config: Config;
let app: FastifyInstance;
let browser: Browser;
let base: string;
let token: string;
const tmp = mkdtempSync(join(tmpdir(), 'konveyer-auditor-'));
const queues = new Map<JobName, Queue>();
const redis = createRedis(serviceUrls().redisUrl);
const queueFor = (name: JobName) => {
  let q = queues.get(name);
  if (!q) queues.set(name, (q = new Queue(name, { connection: redis, prefix: config.queue.prefix })));
  return q;
};
let docs: LookupDoc[] = [];

async function submitAndWait(requests: SubmitRequest[]): Promise<LookupDoc[]> {
  const res = await submitLookups({ lookups: storage.lookups, queueFor, jobOptions: { attempts: config.queue.attempts, backoffMs: config.queue.backoffMs } }, requests);
  const deadline = Date.now() + 150_000;
  for (;;) {
    const got = await Promise.all(res.lookups.map((l) => storage.lookups.get(l.id)));
    if (got.every((d) => d && ['succeeded', 'not_found', 'failed', 'needs_human'].includes(d.status))) return got as LookupDoc[];
    if (Date.now() > deadline) throw new Error(`lookups not final: ${JSON.stringify(got.map((d) => d?.status))}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  storage = await openTestStorage();
  sandbox = await startSandbox({ port: 0, seed: 11 });
  config = loadConfig({
    REDIS_URL: serviceUrls().redisUrl,
    MONGODB_URI: serviceUrls().mongoUri,
    QUEUE_PREFIX: testPrefix('audit'),
    SANDBOX_ORIGIN: sandbox.url,
    POLITENESS_RPS: '40',
    POLITENESS_CONCURRENCY: '4',
    JOB_ATTEMPTS: '4',
    JOB_BACKOFF_MS: '100',
    ROBOT_CONCURRENCY: '4',
    ROBOT_BROWSER_PAGES: '1',
    LOG_LEVEL: 'silent',
  });
  pool = await startRobotPool({ config, storage, log: createLogger({ level: 'silent' }), robotId: 'audit-robot' });
  const courts = new Map(sandbox.world.courts.map((c) => [c.host, c]));
  const plain = sandbox.world.cases.filter((c) => !courts.get(c.host)!.hasSearchCaptcha);
  const [a, b, c] = [plain[0]!, plain[1]!, plain[2]!];
  docs = await submitAndWait([
    { type: 'court.case', input: { court: a.host, number: a.caseNumber, mode: 'browser' } },
    { type: 'court.case', input: { court: b.host, number: b.caseNumber } },
    { type: 'court.case', input: { court: c.host, caseId: String(c.caseId), caseUid: c.caseUid } },
  ]);
  await pool.close();
  app = Fastify();
  await app.register(auditorPlugin({ storage }));
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  token = (await storage.apiKeys.create({ name: 'e2e-auditor', scopes: ['audit'] })).token;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  for (const q of queues.values()) await q.close();
  redis.disconnect();
  await sandbox?.close();
  await dropStorage(storage);
  rmSync(tmp, { recursive: true, force: true });
});

describe('auditor UI in Chromium', () => {
  it('signs in, finds the browser job, sees its screenshots, and exports a bundle sha256sum accepts', async () => {
    expect(docs.map((d) => d.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const job = docs[0]!;
    const ctx = await browser.newContext({ acceptDownloads: true });
    const page = await ctx.newPage();
    await page.goto(`${base}/audit/jobs/${job._id}`);
    await page.fill('input[name=key]', token);
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/audit`);
    const caseNumber = String(job.input.number);
    await page.fill('input[name=caseNumber]', caseNumber);
    await page.click('form.search button');
    await page.click(`a.job[href="/audit/jobs/${job._id}"]`);
    await expect.poll(() => page.getAttribute('#chain-status', 'data-ok')).toBe('true');
    const shots = page.locator('img.shot');
    expect(await shots.count()).toBeGreaterThanOrEqual(2);
    // Every screenshot really loaded from the blob store (decoded by the browser, not a broken image).
    await page.waitForFunction(() => [...document.querySelectorAll('img.shot')].every((i) => (i as HTMLImageElement).complete));
    const widths = await shots.evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth));
    expect(Math.min(...widths)).toBeGreaterThan(100);
    // Browser evidence is WebP by default, and the blob route serves it as WebP (not as inert text).
    const screenshot = (await storage.evidence.listByJob(job._id)).find((i) => i.kind === 'screenshot')!;
    expect(screenshot.contentType).toBe('image/webp');
    const blob = await ctx.request.get(`${base}/audit/blobs/${screenshot.sha256}?job=${job._id}`);
    expect(blob.headers()['content-type']).toBe('image/webp');
    expect(await page.locator('#record').innerText()).toContain(caseNumber);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const zip = join(tmp, 'bundle.zip');
    await download.saveAs(zip);
    execFileSync('unzip', ['-q', zip, '-d', join(tmp, 'bundle')]);
    const out = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: join(tmp, 'bundle') }).toString();
    expect(out.trim().split('\n').length).toBe(job.evidenceCount + 1);
    expect(out).not.toMatch(/FAILED/);
    expect(out).toMatch(/\.webp: OK/);
    await ctx.close();

    const log = await storage.auditLog.list({ target: job._id });
    expect(log.map((e) => e.action)).toEqual(expect.arrayContaining(['view.job', 'export.job']));
  });

  it('exports a case (every lookup of it) and a debtor (every case naming them, any case and ё/е spelling)', async () => {
    const first = await storage.courtCases.get(docs[1]!.result!.id);
    const caseZip = join(tmp, 'case.zip');
    const bycase = await exportEvidenceBundle(storage, { kind: 'case', id: docs[1]!.result!.id }, caseZip);
    expect(bycase.jobs).toBe(1);
    const debtor = first!.parties.find((p) => p.roleNorm === 'debtor')!.name;
    const messy = `  ${debtor.toUpperCase().replace(/е/gi, 'ё')} `;
    expect(normalizePersonName(messy)).toBe(normalizePersonName(debtor));
    const debtorZip = join(tmp, 'debtor.zip');
    const bydebtor = await exportEvidenceBundle(storage, { kind: 'debtor', id: messy }, debtorZip);
    expect(bydebtor.jobs).toBeGreaterThanOrEqual(1);
    execFileSync('unzip', ['-q', debtorZip, '-d', join(tmp, 'debtor')]);
    const manifest = JSON.parse(readFileSync(join(tmp, 'debtor', 'manifest.json'), 'utf8'));
    expect(manifest.jobs.map((j: { jobId: string }) => j.jobId)).toContain(docs[1]!._id);
    expect(execFileSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: join(tmp, 'debtor') }).toString()).toBe('');
  });

  it('a screenshot changed behind the farm’s back is reported by `konveyer evidence verify` and flagged in the UI', async () => {
    const job = docs[0]!;
    const shot = (await storage.evidence.listByJob(job._id)).find((i) => i.kind === 'screenshot')!;
    const db = storage.conn.db!;
    const file = await db.collection('evidence.files').findOne({ filename: shot.sha256 });
    const chunk = await db.collection('evidence.chunks').findOne({ files_id: file!._id, n: 0 });
    const bytes = Buffer.from((chunk!.data as { buffer: Uint8Array }).buffer);
    bytes[200] = bytes[200]! ^ 0x01;
    await db.collection('evidence.chunks').updateOne({ _id: chunk!._id }, { $set: { data: bytes } });

    const uri = new URL(serviceUrls().mongoUri);
    uri.pathname = `/${storage.conn.name}`;
    // The CLI knows the robots' public key as an auditor would (EVIDENCE_VERIFY_KEYS).
    const cli = spawnSync('npx', ['konveyer', 'evidence', 'verify', '--json', '--job', job._id, docs[1]!._id], {
      env: { ...process.env, MONGODB_URI: uri.toString(), REDIS_URL: serviceUrls().redisUrl, LOG_LEVEL: 'silent', EVIDENCE_VERIFY_KEYS: storage.evidence.keyring.signer!.publicPem },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(cli.status, cli.stderr).toBe(1);
    const report = JSON.parse(cli.stdout);
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'changed', jobId: job._id, seq: shot.seq })]);
    expect(report.jobs[1]).toMatchObject({ jobId: docs[1]!._id, ok: true });

    // The CLI's export of a debtor is audit-sensitive: it is written to audit_log.
    const first = await storage.courtCases.get(docs[1]!.result!.id);
    const debtor = first!.parties.find((p) => p.roleNorm === 'debtor')!.name;
    const out = join(tmp, 'cli-debtor.zip');
    const exp = spawnSync('npx', ['konveyer', 'evidence', 'export', 'debtor', debtor, '--out', out], {
      env: { ...process.env, MONGODB_URI: uri.toString(), REDIS_URL: serviceUrls().redisUrl, LOG_LEVEL: 'silent', EVIDENCE_VERIFY_KEYS: storage.evidence.keyring.signer!.publicPem },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(exp.status, exp.stderr).toBe(0);
    expect(JSON.parse(exp.stdout)).toMatchObject({ out, missing: 0 });
    const logged = await storage.auditLog.list({ action: 'export.debtor' });
    expect(logged[0]).toMatchObject({ target: debtor, actor: expect.stringMatching(/^cli:/) });

    const ctx = await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${token}` } });
    const page = await ctx.newPage();
    await page.goto(`${base}/audit/jobs/${job._id}`);
    expect(await page.getAttribute('#chain-status', 'data-ok')).toBe('false');
    expect(await page.locator('section.step.flagged').count()).toBe(1);
    expect(await page.getAttribute('section.step.flagged', 'data-seq')).toBe(String(shot.seq));
    expect(await page.locator('.finding[data-kind=changed]').count()).toBe(1);
    await ctx.close();
  });
});
