/**
 * The Prometheus alert rules (deploy/prometheus) checked by promtool, then fed with the farm's real
 * /metrics: an API server on real Redis + MongoDB-wire is put in a bad state (a lookup queued in
 * MongoDB whose job is gone, a queue with a waiting job and no robot, an open circuit, a paused host,
 * a captcha waiting 20 minutes, an evidence verify with findings three days ago), scraped, and the
 * scrape replayed to `promtool test rules`; then the state is healed and nothing may fire.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../runtime/circuit-breaker.ts';
import { MongoRobotStore } from '../../storage/robots.repo.ts';
import { bearer, openApiHarness, type ApiHarness } from '../api/api-harness.ts';
import { testRedis } from '../helpers/services.ts';
import { RULES_FILE, promtool, promtoolPath, scrapeToSeries, writeRuleTest } from './promtool.ts';

const PROMTOOL = promtoolPath();
if (!PROMTOOL) console.warn('test/monitoring: promtool not found (Debian package "prometheus", installed by scripts/setup.sh): the alert rule tests are skipped');

describe.skipIf(!PROMTOOL)('alert rules', () => {
  it('pass promtool check rules', async () => {
    const r = await promtool(['check', 'rules', RULES_FILE]);
    expect(r.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(r.code).toBe(0);
  });

  it('the example Prometheus config (scrapes, rule file) passes promtool check config', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'konveyer-promcfg-'));
    writeFileSync(path.join(dir, 'token'), 'x');
    copyFileSync(RULES_FILE, path.join(dir, path.basename(RULES_FILE)));
    const config = readFileSync(path.join(path.dirname(RULES_FILE), 'prometheus.example.yml'), 'utf8').replaceAll('/etc/prometheus/konveyer-metrics-token', path.join(dir, 'token'));
    writeFileSync(path.join(dir, 'prometheus.yml'), config);
    const r = await promtool(['check', 'config', path.join(dir, 'prometheus.yml')]);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('a rule test that expects the wrong alerts fails (the harness can fail)', async () => {
    const series = [{ series: 'konveyer_robots_online{app="konveyer",role="robots"}', values: '0x30' }];
    expect((await promtool(['test', 'rules', writeRuleTest(series, 20, { KonveyerRobotsOffline: [{}] })])).code).toBe(0);
    expect((await promtool(['test', 'rules', writeRuleTest(series, 20, {})])).code).not.toBe(0);
    expect((await promtool(['test', 'rules', writeRuleTest(series, 3, { KonveyerRobotsOffline: [{}] })])).code, 'for: 5m not yet over').not.toBe(0);
  });
});

describe.skipIf(!PROMTOOL)('alert rules on the farm’s real /metrics', () => {
  let h: ApiHarness;
  const redis = testRedis();
  const court = 'oktyabrsky--ufa.sudrf.ru';
  const failingHost = 'kirovsky--ufa.sudrf.ru';
  const pausedHost = 'sovetsky--ufa.sudrf.ru';
  let breaker: CircuitBreaker;
  const ids: string[] = [];
  let captchaId = '';

  beforeAll(async () => {
    h = await openApiHarness();
    breaker = new CircuitBreaker({ redis, prefix: h.config.queue.prefix });
  });
  afterAll(async () => {
    await h?.close();
    redis.disconnect();
  });

  const scrape = async () => {
    const res = await h.app.inject({ url: '/metrics', headers: bearer(h.tokens.all) });
    expect(res.statusCode).toBe(200);
    return { text: res.body, at: Math.floor(Date.now() / 1000) };
  };
  const replay = async (s: { text: string; at: number }, evalMins: number, firing: Record<string, Array<Record<string, string>>>) => {
    const r = await promtool(['test', 'rules', writeRuleTest(scrapeToSeries(s.text, s.at, evalMins + 10), evalMins, firing)]);
    return r;
  };
  const submit = async (number: string) => {
    const res = await h.app.inject({ method: 'POST', url: '/v1/lookups', headers: bearer(h.tokens.all), payload: { type: 'court.case', input: { court, number } } });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return (res.json() as { lookup: { id: string } }).lookup.id;
  };

  it('fire for a farm in trouble, each with its queue, host or type', async () => {
    // A lookup whose job Redis lost ten minutes ago, and one still waiting with no robot to take it.
    const orphan = await submit('2-101/2025');
    const waiting = await submit('2-102/2025');
    ids.push(orphan, waiting);
    await (await h.queueFor('court.case').getJob(orphan))!.remove();
    await h.storage.lookups.model.updateOne({ _id: orphan }, { $set: { updatedAt: new Date(Date.now() - 10 * 60_000) } }, { timestamps: false });
    for (let i = 0; i < 50 && (await breaker.info(failingHost)).state !== 'open'; i++) await breaker.recordFailure(failingHost);
    expect((await breaker.info(failingHost)).state).toBe('open');
    expect((await h.app.inject({ method: 'POST', url: '/ops/actions/pause', headers: bearer(h.tokens.all), payload: { target: pausedHost } })).statusCode).toBeLessThan(400);
    const task = await h.storage.captchaTasks.create({ image: Buffer.from('GIF89a'), contentType: 'image/gif', kind: 'image', target: court, ttlMs: 60 * 60_000 });
    captchaId = task._id;
    await h.storage.captchaTasks.model.updateOne({ _id: task._id }, { $set: { createdAt: new Date(Date.now() - 20 * 60_000) } });
    const verify = await h.storage.auditLog.record({ actor: 'cli:test', action: 'verify', target: 'all', details: { ok: false, items: 12, findings: 2 } });
    await h.storage.auditLog.model.updateOne({ _id: verify._id }, { $set: { at: new Date(Date.now() - 3 * 86400_000) } });

    const s = await scrape();
    expect(s.text).toMatch(/konveyer_lookups_queued_without_job\{[^}]*type="court.case"[^}]*\} 1\b/);

    const firing = {
      KonveyerQueueNotDraining: [{ queue: 'court.case' }],
      KonveyerLookupsQueuedWithoutJob: [{ type: 'court.case' }],
      KonveyerCircuitOpenLong: [{ host: failingHost }],
      KonveyerHostPausedLong: [{ host: pausedHost }],
      KonveyerCaptchaWaitingForHuman: [{}],
      KonveyerRobotsOffline: [{}],
      KonveyerEvidenceVerifyFailing: [{}],
      KonveyerEvidenceVerifyNotRun: [{}],
    };
    const r = await replay(s, 5 * 60, firing);
    expect(r.output).toContain('SUCCESS');
    expect(r.code, r.output).toBe(0);
    // The same scrape said to be quiet fails: the comparison is real.
    expect((await replay(s, 5 * 60, {})).code).not.toBe(0);
    // Before their `for:` is over, only the alerts without one (or a short one) fire.
    const early = await replay(s, 3, { KonveyerCaptchaWaitingForHuman: [{}], KonveyerEvidenceVerifyFailing: [{}], KonveyerEvidenceVerifyNotRun: [{}] });
    expect(early.code, early.output).toBe(0);
  });

  it('stay silent once the farm is healed', async () => {
    for (const id of ids) {
      await (await h.queueFor('court.case').getJob(id))?.remove();
      await h.storage.lookups.markFinished(id, 'succeeded', {});
    }
    await breaker.reset(failingHost);
    await h.app.inject({ method: 'POST', url: '/ops/actions/resume', headers: bearer(h.tokens.all), payload: { target: pausedHost } });
    await h.storage.captchaTasks.answer(captchaId, 'x7k2', 'ops:test');
    await h.storage.auditLog.record({ actor: 'cli:test', action: 'verify', target: 'all', details: { ok: true, items: 12, findings: 0 } });
    const now = new Date();
    await new MongoRobotStore(h.storage.conn).beat({
      _id: 'monitoring-test:1:a', host: 'monitoring-test', pid: 1, role: 'robots', queues: ['court.case'], concurrency: 2, currentJobs: 0, jobIds: [],
      rssBytes: 1, browserBytes: 0, browsers: 0, pagesOpened: 0, status: 'running', startedAt: now, lastSeenAt: now,
    });

    const s = await scrape();
    const r = await replay(s, 5 * 60, {});
    expect(r.code, r.output).toBe(0);
  });
});
