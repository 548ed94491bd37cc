/**
 * The farm in charts (issue 19 §3) in a real Chromium: `createApiServer` on a real port over real
 * Redis and the MongoDB-wire server, sampling every second (SERIES_SAMPLE_SECS=1). First the empty
 * farm: every chart of events says "no data" (no zero line), the sampled gauges show their real 0.
 * Then a robot pool in this process runs a small batch on the sandbox (court cases over HTTP, FSSP
 * searches through the captcha gate with local OCR) and every chart is drawn by uPlot: a canvas with
 * the line's own colour on it, a legend naming the real outcome, court host, queue, solver and
 * robot. Screenshots go to .run/ (paths printed).
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
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
const SHOTS = resolve('.run');
let storage: Storage;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let pool: RobotPool | undefined;
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
  mkdirSync(SHOTS, { recursive: true });
  storage = await openTestStorage();
  sandbox = await startSandbox({ port: 0, seed: 19 });
  config = loadConfig({
    REDIS_URL: serviceUrls().redisUrl,
    MONGODB_URI: serviceUrls().mongoUri,
    QUEUE_PREFIX: testPrefix('charts'),
    SANDBOX_ORIGIN: sandbox.url,
    POLITENESS_RPS: '50',
    POLITENESS_CONCURRENCY: '4',
    JOB_ATTEMPTS: '2',
    JOB_BACKOFF_MS: '50',
    ROBOT_CONCURRENCY: '3',
    COURT_SUDRF_MODE: 'http',
    CAPTCHA_OPERATOR_WAIT_SECS: '0',
    HEARTBEAT_SECS: '1',
    SERIES_SAMPLE_SECS: '1',
    LOG_LEVEL: 'silent',
  });
  api = await createApiServer({ storage, queueFor, config, pingRedis: () => redis.ping() }, { authCacheMs: 0 });
  await api.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
  token = (await storage.apiKeys.create({ name: 'charts-test', scopes: ['ops'] })).token;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
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

async function waitFor(id: string, until: (d: LookupDoc) => boolean, timeoutMs = 90_000): Promise<LookupDoc> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = await storage.lookups.get(id);
    if (d && until(d)) return d;
    if (Date.now() > deadline) throw new Error(`timed out: ${d?.status} ${d?.error?.code}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Opens the charts page and waits until every chart is drawn or says "no data". */
async function openCharts(range = '1h', navigate = true): Promise<void> {
  if (navigate) await page.goto(`${base}/ops/charts?range=${range}`);
  await page.waitForFunction(() => document.querySelectorAll('section.chart[data-state="loading"]').length === 0 && Number(document.getElementById('charts')?.dataset.loads) > 0, undefined, { timeout: 30_000 });
}

/** What a person sees of one chart: its state, the legend's names, and how many pixels of the canvas are coloured (not grey). */
async function chartSeen(id: string) {
  return page.locator(`section.chart[data-chart="${id}"]`).evaluate((section) => {
    const canvas = section.querySelector('canvas');
    let coloured = 0;
    if (canvas) {
      // Lines and dots are drawn in saturated colours (equal values overlap, so any line's counts); axes and grid are grey.
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 200 && Math.max(data[i]!, data[i + 1]!, data[i + 2]!) - Math.min(data[i]!, data[i + 1]!, data[i + 2]!) > 60) coloured++;
    }
    const noData = section.querySelector<HTMLElement>('.nodata')!;
    return {
      state: section.getAttribute('data-state'),
      points: Number(section.getAttribute('data-points')),
      legend: [...section.querySelectorAll('.u-legend .u-series:not(:first-child) .u-label')].map((e) => e.textContent ?? '').filter(Boolean),
      hasCanvas: Boolean(canvas),
      coloured,
      noDataShown: !noData.hidden && noData.textContent === 'no data',
    };
  });
}

describe.skipIf(!existsSync(CHROMIUM))('the farm in charts, in Chromium', () => {
  it('an empty farm: the event charts say "no data", the sampled gauges show their real 0; the API checks scope and range', async () => {
    // Without a key: refused; with one, an unknown range is a 400 naming the ranges.
    expect((await fetch(`${base}/ops/api/series?range=1h`)).status).toBe(401);
    const bad = await fetch(`${base}/ops/api/series?range=2h`, { headers: { 'x-api-key': token } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('1h, 1d');

    await page.goto(`${base}/ops/login`);
    await page.fill('input[name=key]', token);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${base}/ops`);
    await page.click('a:has-text("the farm in charts")');
    await page.waitForURL(`${base}/ops/charts`);
    await page.waitForFunction(() => Number(document.getElementById('charts')?.dataset.loads) > 0, undefined, { timeout: 30_000 });
    // The first sample is taken when the API starts; reload once it is surely in.
    await new Promise((r) => setTimeout(r, 1500));
    await openCharts();
    for (const id of ['lookups', 'latency', 'success', 'circuits', 'captcha', 'memory']) {
      const seen = await chartSeen(id);
      expect(seen, id).toMatchObject({ state: 'nodata', points: 0, hasCanvas: false, noDataShown: true });
    }
    // Sampled: no robot online and no job waiting are measurements, drawn as such.
    const robots = await chartSeen('robots');
    expect(robots).toMatchObject({ state: 'drawn', hasCanvas: true, legend: ['robots online'] });
    const queuesSeen = await chartSeen('queues');
    expect(queuesSeen.state).toBe('drawn');
    expect(queuesSeen.legend).toContain('court.case');
    const shot = resolve(SHOTS, 'charts-e2e-empty.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`screenshot (empty farm): ${shot}`);
  }, 120_000);

  it('after a batch every chart is drawn with points and a legend of real outcomes, hosts, queues, solvers and robots', async () => {
    pool = await startRobotPool({
      config,
      storage,
      log: createLogger({ level: 'silent' }),
      robotId: 'charts-robot',
      heartbeats: new MongoRobotStore(storage.conn),
      only: ['court.case', 'fssp.search'],
    });
    const plain = (host: string) => !sandbox.world.courts.find((k) => k.host === host)!.hasSearchCaptcha;
    // Eight cases on as many courts as there are (one each first, then the rest).
    const eligible = sandbox.world.cases.filter((c) => c.srvNum === 1 && plain(c.host));
    const firsts = [...new Map(eligible.map((c) => [c.host, c] as const)).values()].slice(0, 8);
    const cases = [...firsts, ...eligible.filter((c) => !firsts.includes(c))].slice(0, 8);
    expect(cases).toHaveLength(8);
    expect(new Set(cases.map((c) => c.host)).size).toBeGreaterThanOrEqual(2);
    const proceedings = new FsspBank(sandbox.world).proceedings.slice(0, 2);
    const requests: SubmitRequest[] = [
      ...cases.map((c) => ({ type: 'court.case' as const, input: { court: c.host, caseId: String(c.caseId), caseUid: c.caseUid } })),
      ...proceedings.map((p) => ({ type: 'fssp.search' as const, input: { kind: 'ip' as const, ipNumber: p.ipNumber } })),
    ];
    const submitted = await submitLookups({ lookups: storage.lookups, queueFor, jobOptions: { attempts: config.queue.attempts, backoffMs: config.queue.backoffMs } }, requests);
    const done = await Promise.all(submitted.lookups.map((l) => waitFor(l.id, (d) => ['succeeded', 'not_found', 'failed', 'needs_human'].includes(d.status))));
    const courtDone = done.filter((d) => d.type === 'court.case');
    expect(courtDone.every((d) => d.status === 'succeeded')).toBe(true);
    // The heartbeat (1 s) and the sampler (1 s) have had their turn.
    await new Promise((r) => setTimeout(r, 2500));

    await openCharts();
    const shot = resolve(SHOTS, 'charts-e2e-1h.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`screenshot (after a batch, last hour): ${shot}`);
    const seen = Object.fromEntries(await Promise.all(['lookups', 'latency', 'success', 'circuits', 'queues', 'captcha', 'robots', 'memory'].map(async (id) => [id, await chartSeen(id)] as const)));
    for (const [id, s] of Object.entries(seen)) {
      expect(s.state, id).toBe('drawn');
      expect(s.hasCanvas, id).toBe(true);
      expect(s.noDataShown, id).toBe(false);
      expect(s.points, id).toBeGreaterThan(0);
      expect(s.coloured, `${id}: coloured pixels (lines, dots)`).toBeGreaterThan(20);
    }
    expect(seen.lookups!.legend).toContain('succeeded');
    const courtHosts = new Set(cases.map((c) => c.host));
    // "<court host> p50|p90|p99" for each host drawn.
    const latencyHosts = seen.latency!.legend.map((l) => /^(.+) p(50|90|99)$/.exec(l)?.[1]);
    expect(latencyHosts.length).toBeGreaterThanOrEqual(3);
    expect(latencyHosts.some((h) => h !== undefined && courtHosts.has(h))).toBe(true);
    expect(seen.success!.legend.some((h) => courtHosts.has(h))).toBe(true);
    expect(seen.circuits!.legend.some((h) => courtHosts.has(h))).toBe(true);
    expect(seen.queues!.legend).toEqual(expect.arrayContaining(['court.case', 'fssp.search']));
    expect(seen.captcha!.legend.some((l) => l.startsWith('local-ocr '))).toBe(true);
    expect(seen.robots!.legend).toEqual(['robots online']);
    expect(seen.memory!.legend).toContain('charts-robot');

    // The numbers behind the lookups chart: this minute and the last hold at least the court lookups that succeeded.
    const payload = (await (await fetch(`${base}/ops/api/series?range=1h`, { headers: { 'x-api-key': token } })).json()) as { charts: Array<{ id: string; series: Array<{ name: string; values: Array<number | null> }> }> };
    const succeeded = payload.charts.find((c) => c.id === 'lookups')!.series.find((s) => s.name === 'succeeded')!.values;
    expect(succeeded.reduce<number>((a, b) => a + (b ?? 0), 0)).toBeGreaterThanOrEqual(courtDone.length);

    // The day view draws the same charts over 1440 minutes.
    await page.click('a:has-text("last day")');
    await page.waitForURL(`${base}/ops/charts?range=1d`);
    await openCharts('1d', false);
    expect((await chartSeen('lookups')).state).toBe('drawn');
    const dayShot = resolve(SHOTS, 'charts-e2e-1d.png');
    await page.screenshot({ path: dayShot, fullPage: true });
    console.log(`screenshot (last day): ${dayShot}`);
  }, 240_000);
});
