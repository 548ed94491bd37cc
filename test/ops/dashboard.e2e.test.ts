/**
 * The ops dashboard driven by a real Chromium (Playwright) against `createApiServer` on a real port
 * and a robot pool in this process on the sandbox: sign in with an `ops` key through the login
 * form, open the queues (Bull Board), robots and hosts pages, pause and resume a court from the
 * hosts page (a lookup waits `host_paused`, then succeeds), and the captcha hand-off: an FSSP lookup
 * with local OCR off parks a captcha task, the operator reads the picture on /ops/captcha, types
 * the answer, and the lookup resumes and succeeds.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer } from '../../api/server.ts';
import { loadConfig, type Config } from '../../config/index.ts';
import { createLogger } from '../../core/logger.ts';
import type { JobName } from '../../queues/names.ts';
import { createQueueCache } from '../../queues/queue-cache.ts';
import { createRedis } from '../../queues/redis.ts';
import { submitLookups, type SubmitRequest } from '../../queues/submit.ts';
import { startRobotPool, type RobotPool } from '../../robots/pool.ts';
import { CHROMIUM_ARGS } from '../../robots/runtime/browser-pool.ts';
import { FsspBank } from '../../sandbox/fssp/fssp.data.ts';
import { startSandbox } from '../../sandbox/server.ts';
import { MongoRobotStore } from '../../storage/robots.repo.ts';
import type { LookupDoc, Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage, serviceUrls, testPrefix } from '../helpers/services.ts';

const CHROMIUM = '/usr/bin/chromium';
let storage: Storage;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let pool: RobotPool;
let config: Config;
let api: FastifyInstance;
let base: string;
let browser: Browser;
let page: Page;
let token: string;
const redis = createRedis(serviceUrls().redisUrl);
const queues = createQueueCache({ connection: redis, prefix: () => config.queue.prefix });
const queueFor = (name: JobName) => queues.queueFor(name);

beforeAll(async () => {
  storage = await openTestStorage();
  sandbox = await startSandbox({ port: 0, seed: 31 });
  config = loadConfig({
    REDIS_URL: serviceUrls().redisUrl,
    MONGODB_URI: serviceUrls().mongoUri,
    QUEUE_PREFIX: testPrefix('dashboard'),
    SANDBOX_ORIGIN: sandbox.url,
    POLITENESS_RPS: '50',
    POLITENESS_CONCURRENCY: '4',
    JOB_ATTEMPTS: '2',
    JOB_BACKOFF_MS: '50',
    ROBOT_CONCURRENCY: '2',
    COURT_SUDRF_MODE: 'http',
    CAPTCHA_OPERATOR_WAIT_SECS: '0',
    HEARTBEAT_SECS: '1',
    LOG_LEVEL: 'silent',
    CAPTCHA_CHAIN: 'service,operator',
  });
  // No local OCR: the operator is the only captcha solver, so an FSSP lookup parks for a human.
  pool = await startRobotPool({
    config,
    storage,
    log: createLogger({ level: 'silent' }),
    robotId: 'dashboard-robot',
    heartbeats: new MongoRobotStore(storage.conn),
    only: ['court.case', 'fssp.search'],
  });
  api = await createApiServer({ storage, queueFor, config, pingRedis: () => redis.ping() }, { authCacheMs: 0 });
  await api.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
  token = (await storage.apiKeys.create({ name: 'dashboard-test', scopes: ['ops'] })).token;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  page = await (await browser.newContext()).newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await pool?.close(5000);
  await queues.close();
  redis.disconnect();
  await sandbox?.close();
  await dropStorage(storage);
});

async function submit(requests: SubmitRequest[]): Promise<string[]> {
  const res = await submitLookups({ lookups: storage.lookups, queueFor, jobOptions: { attempts: config.queue.attempts, backoffMs: config.queue.backoffMs } }, requests);
  return res.lookups.map((l) => l.id);
}
async function waitFor(id: string, until: (d: LookupDoc) => boolean, timeoutMs = 60_000): Promise<LookupDoc> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = await storage.lookups.get(id);
    if (d && until(d)) return d;
    if (Date.now() > deadline) throw new Error(`timed out: ${d?.status} ${d?.error?.code}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const courtCase = () => sandbox.world.cases.find((c) => c.srvNum === 1 && !sandbox.world.courts.find((k) => k.host === c.host)!.hasSearchCaptcha)!;

describe.skipIf(!existsSync(CHROMIUM))('ops dashboard in Chromium', () => {
  it('signs in with an ops key and shows queues (Bull Board), robots and hosts', async () => {
    // A wrong key is refused on the form; the right one sets the cookie and lands on the overview.
    await page.goto(`${base}/ops`);
    expect(await page.locator('h1').innerText()).toBe('Sign in');
    await page.fill('input[name=key]', 'not-a-key');
    await page.click('button:has-text("Sign in")');
    expect(await page.content()).toContain('unknown or lacks');
    await page.fill('input[name=key]', token);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${base}/ops`);
    expect(await page.locator('h1').innerText()).toBe('Overview');
    expect(await page.locator('table').first().innerText()).toContain('fssp.search');

    // Bull Board is a client-side app: its queue list appears once its scripts ran.
    await page.goto(`${base}/ops/queues`);
    await page.getByText('court.case').first().waitFor({ timeout: 30_000 });

    // The robot's heartbeat row (1 s beats).
    const beatUntil = Date.now() + 20_000;
    for (;;) {
      await page.goto(`${base}/ops/robots`);
      if ((await page.locator('tr', { hasText: 'dashboard-robot' }).count()) > 0) break;
      if (Date.now() > beatUntil) throw new Error(await page.content());
      await new Promise((r) => setTimeout(r, 500));
    }
    const row = await page.locator('tr', { hasText: 'dashboard-robot' }).innerText();
    expect(row).toContain(String(process.pid));

    // A lookup makes its court appear on the hosts page, with its traffic.
    const c = courtCase();
    const [id] = await submit([{ type: 'court.case', input: { court: c.host, caseId: String(c.caseId), caseUid: c.caseUid } }]);
    expect((await waitFor(id!, (d) => d.status === 'succeeded')).status).toBe('succeeded');
    await page.goto(`${base}/ops/hosts`);
    const hostRow = page.locator('tr', { hasText: c.host });
    expect(await hostRow.locator('td').nth(1).innerText()).not.toBe('0');
  }, 120_000);

  it('pauses and resumes a court from the hosts page', async () => {
    const c = courtCase();
    await page.goto(`${base}/ops/hosts`);
    await page.locator('tr', { hasText: c.host }).getByRole('button', { name: 'pause' }).click();
    expect(await page.locator('p.flash').innerText()).toContain(`paused host ${c.host}`);
    expect(await page.locator('tr', { hasText: c.host }).innerText()).toContain('paused');

    // The robot now makes a lookup on that court wait rather than hit it.
    const next = sandbox.world.cases.find((k) => k.host === c.host && k.srvNum === 1 && k.caseId !== c.caseId)!;
    const [id] = await submit([{ type: 'court.case', input: { court: next.host, caseId: String(next.caseId), caseUid: next.caseUid } }]);
    const waiting = await waitFor(id!, (d) => d.error?.code === 'host_paused');
    expect(waiting.status).toBe('queued');

    await page.locator('tr', { hasText: c.host }).getByRole('button', { name: 'resume' }).click();
    expect(await page.locator('p.flash').innerText()).toContain(`resumed host ${c.host}`);
    expect(await page.locator('tr', { hasText: c.host }).locator('td').nth(6).innerText()).toBe('no');
    // The paused-host delay is 30 s; promote the delayed job rather than wait it out.
    await (await queueFor('court.case').getJob(id!))?.promote().catch(() => undefined);
    expect((await waitFor(id!, (d) => ['succeeded', 'failed', 'not_found'].includes(d.status))).status).toBe('succeeded');
  }, 90_000);

  it('hands an FSSP captcha to the operator, whose typed answer resumes the lookup to succeeded', async () => {
    const p = new FsspBank(sandbox.world).proceedings[2]!;
    const [id] = await submit([{ type: 'fssp.search', input: { kind: 'ip', ipNumber: p.ipNumber } }]);
    const parked = await waitFor(id!, (d) => d.status === 'needs_human');
    expect(parked.error?.code).toBeTruthy();

    await page.goto(`${base}/ops/captcha`);
    const row = page.locator('tr', { hasText: id! });
    const img = row.locator('img.captcha');
    await img.waitFor();
    // The picture as the operator's page shows it: it must decode and be the one the site served.
    const src = (await img.getAttribute('src'))!;
    expect(src).toMatch(/^data:image\/jpeg;base64,/);
    expect(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
    const answer = sandbox.captchaAnswer(sha256(Buffer.from(src.split(',')[1]!, 'base64')));
    expect(answer).toBeTruthy();

    await row.locator('input[name=answer]').fill(answer!);
    await row.getByRole('button', { name: 'submit' }).click();
    expect(await page.locator('p.flash').innerText()).toContain(`lookup ${id} resumes`);
    const done = await waitFor(id!, (d) => ['succeeded', 'failed', 'not_found'].includes(d.status), 60_000);
    expect(done.status).toBe('succeeded');
    expect(await page.goto(`${base}/ops/captcha`).then(() => page.locator('tr', { hasText: id! }).count())).toBe(0);
  }, 120_000);
});
