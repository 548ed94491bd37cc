/**
 * A parked lookup resumes on the egress it parked with (issue 15 §1): real forward proxies
 * (proxy-chain) in front of the real sandbox, a whole farm (real Redis, MongoDB-wire server,
 * Chromium for the msudrf gate), the operator alone in the chain so that a captcha parks at once.
 * The sandbox's client log shows where each request came from (the proxy's egress address) and as
 * whom (user agent, client hints): the resumed job's requests must come from the proxy and the
 * client the captcha was shown to — also when the resume runs in another robot process, which
 * keeps nothing of the first in memory. A proxy rested in the meantime makes the resume fall back
 * to a fresh session (counted), and the lookup still completes. The stored task holds no proxy URL.
 */
import { randomBytes } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { egressResumes } from '../../core/metrics.ts';
import { answerCaptchaTask } from '../../queues/captcha-handoff.ts';
import type { EgressPool } from '../../robots/runtime/egress/egress-pool.ts';
import { fingerprintSignature } from '../../robots/runtime/egress/fingerprints.ts';
import { proxyId } from '../../runtime/politeness.ts';
import { msudrfWorld } from '../../sandbox/court-msudrf/msudrf.data.ts';
import { sandboxEpguAccountsEnv, SANDBOX_EPGU_ACCOUNTS } from '../../sandbox/epgu/epgu-accounts.ts';
import { FsspBank } from '../../sandbox/fssp/fssp.data.ts';
import type { SeenClient } from '../../sandbox/sandbox-state.ts';
import type { CaptchaTaskDoc, LookupDoc } from '../../storage/index.ts';
import { startTestFarm, type TestFarm } from '../helpers/farm.ts';
import { waitForFinal } from '../helpers/lookups.ts';
import { startTestProxy, type TestProxy } from './test-proxy.ts';

const FSSP = 'is.fssp.gov.ru';
const EGRESS_ADDRESSES = ['127.0.0.41', '127.0.0.42', '127.0.0.43'];

let farm: TestFarm;
const proxies: TestProxy[] = [];

/** A proxy leaving from `egressAddress` whose DNS sends the sandbox's .ru hosts to the sandbox (Chromium hands it the name). */
function startProxy(egressAddress: string): Promise<TestProxy> {
  const lookup = ((hostname: string, options: unknown, cb: (...a: unknown[]) => void) => {
    if (!hostname.endsWith('.ru')) return dnsLookup(hostname, options as never, cb as never);
    const all = (options as { all?: boolean })?.all;
    return all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4);
  }) as never;
  return startTestProxy({ egressAddress, dnsLookup: lookup });
}

beforeAll(async () => {
  for (const address of EGRESS_ADDRESSES) proxies.push(await startProxy(address));
  farm = await startTestFarm({
    name: 'resume-egress',
    env: {
      PROXY_URLS: proxies.map((p) => p.url).join(','),
      // The operator alone, no in-process wait: a captcha parks the lookup at once.
      CAPTCHA_CHAIN: 'operator',
      CAPTCHA_OPERATOR_WAIT_SECS: '0',
      JOB_ATTEMPTS: '1',
      // EPGU's SMS code goes to the operator the same way (the `sms` account has no TOTP secret).
      EPGU_ACCOUNTS: sandboxEpguAccountsEnv(),
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    },
  });
}, 180_000);

afterAll(async () => {
  await farm?.close();
  for (const p of proxies) await p.close().catch(() => undefined);
});

/** What the site sees of a client: where its requests come from, and as whom (user agent, client hints). */
interface SeenAs {
  source: string;
  userAgent: string;
  clientHints: string;
}

/** The one client the `hosts` saw since `from` in the sandbox's log; fails on none or several. */
function oneClientSince(from: number, ...hosts: string[]): SeenAs {
  const seen = farm.sandbox.clients().slice(from).filter((c) => hosts.includes(c.host));
  expect(seen.length, `requests to ${hosts.join(', ')}`).toBeGreaterThan(0);
  const one = (values: string[], what: string): string => {
    const distinct = [...new Set(values)];
    expect(distinct, `${what} ${hosts.join(', ')} saw`).toHaveLength(1);
    return distinct[0]!;
  };
  return {
    source: one(seen.map((c) => c.source), 'sources'),
    userAgent: one(seen.map((c) => c.userAgent), 'user agents'),
    // A redirect Chromium follows itself (ESIA's after the password) arrives without client hints: the others must agree.
    clientHints: one(seen.filter((c: SeenClient) => c.secChUa && c.secChUaPlatform).map((c) => `${c.secChUa}|${c.secChUaPlatform}`), 'client hints'),
  };
}

async function resumes(result: string): Promise<number> {
  return (await egressResumes.get()).values.find((v) => v.labels.result === result)?.value ?? 0;
}

/**
 * Parks `request`, checks the stored task holds the egress by id only, and returns both. `host`:
 * the target the session's egress was picked for; `seen`: the hosts it talked to (default `host`).
 */
async function park(request: Parameters<TestFarm['submitAndWait']>[0][number], host: string, seen = [host]): Promise<{ lookup: LookupDoc; task: CaptchaTaskDoc; client: SeenAs; proxy: TestProxy }> {
  const from = farm.sandbox.clients().length;
  const [lookup] = await farm.submitAndWait([request]);
  expect(lookup!.status, JSON.stringify(lookup!.error)).toBe('needs_human');
  const client = oneClientSince(from, ...seen);
  const proxy = proxies[EGRESS_ADDRESSES.indexOf(client.source)]!;
  expect(proxy, `parked on ${client.source}, a proxy's egress`).toBeDefined();
  // The document as stored: the proxy by its id, never its URL, credentials or address.
  const raw = await farm.storage.conn.db!.collection('captcha_tasks').findOne({ lookupId: lookup!._id });
  const stored = JSON.stringify(raw);
  for (const p of proxies) {
    expect(stored).not.toContain(p.url);
    expect(stored).not.toContain(new URL(p.url).host);
  }
  expect(stored).not.toContain('user:pass');
  expect(raw!.session.egress).toMatchObject({ host, proxyId: proxyId(proxy.url) });
  expect(JSON.parse(raw!.session.egress.fingerprint as string).fingerprint.navigator.userAgent).toBe(client.userAgent);
  const task = (await farm.storage.captchaTasks.list({ lookupId: lookup!._id, status: 'open' }))[0]!;
  return { lookup: lookup!, task, client, proxy };
}

/** The operator reads the picture and answers; the lookup is put back and runs to its end. */
async function answerAndWait(parked: { lookup: LookupDoc; task: CaptchaTaskDoc }, answer: string): Promise<LookupDoc> {
  const deps = { captchaTasks: farm.storage.captchaTasks, lookups: farm.storage.lookups, queueFor: farm.queueFor, jobOptions: { attempts: farm.config.queue.attempts, backoffMs: farm.config.queue.backoffMs } };
  expect((await answerCaptchaTask(deps, parked.task._id, answer, { by: 'tester' })).resumed).toBe(true);
  const [done] = await waitForFinal(farm.storage.lookups, [parked.lookup._id], 120_000, 200);
  return done!;
}

const egressOf = (): EgressPool => farm.pool.services.http.options.egress!;

/** The live session of `egress` on `proxyUrl` for `host` (the pool hands sessions out at random: asks until it comes). */
async function sessionOn(egress: EgressPool, host: string, proxyUrl: string) {
  for (let i = 0; i < 200; i++) {
    const s = await egress.sessionFor(host);
    if (s.proxyUrl === proxyUrl) return s;
  }
  throw new Error('no session on the proxy');
}

/**
 * Answers a parked lookup (after another robot process took over when `newProcess`) and checks the
 * resume: the lookup succeeded, the site took the answer, the site saw the parked client come back
 * from the parked proxy, one resume counted `same`; in a new process, that proxy's session there
 * also wears the parked fingerprint (a Chrome user agent alone tells only Windows from Linux).
 */
async function expectResumedAsParked(parked: Awaited<ReturnType<typeof park>>, host: string, newProcess: boolean): Promise<void> {
  const answer = (await farm.sandbox.readCaptcha(Buffer.from(parked.task.imageBase64, 'base64')))!;
  if (newProcess) await farm.restartRobots();
  const same = await resumes('same');
  const from = farm.sandbox.clients().length;
  const done = await answerAndWait(parked, answer);
  expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
  expect(await farm.storage.captchaTasks.get(parked.task._id)).toMatchObject({ accepted: true });
  expect(oneClientSince(from, host)).toEqual(parked.client);
  expect((await resumes('same')) - same).toBe(1);
  if (!newProcess) return;
  const worn = await sessionOn(egressOf(), host, parked.proxy.url);
  const fingerprint = JSON.parse((await farm.storage.captchaTasks.get(parked.task._id))!.session!.egress!.fingerprint);
  expect(fingerprintSignature(worn.fingerprint)).toBe(fingerprintSignature(fingerprint));
}

describe('a resumed lookup goes out on the proxy and fingerprint it parked with', () => {
  it('msudrf kcaptcha gate (browser), resumed in another robot process', { timeout: 300_000 }, async () => {
    const ms = msudrfWorld(farm.sandbox.world);
    const gated = ms.courts.find((c) => c.hasGate)!;
    const kase = ms.cases.find((c) => c.host === gated.host)!;
    const parked = await park({ type: 'court.case', input: { court: kase.host, number: kase.caseNumber } }, kase.host);
    // Another robot process takes the resumed job: its own sessions, its own fingerprints.
    await expectResumedAsParked(parked, kase.host, true);
  });

  it('FSSP search (HTTP), resumed in another robot process', { timeout: 300_000 }, async () => {
    const p = new FsspBank(farm.sandbox.world).proceedings[3]!;
    const parked = await park({ type: 'fssp.search', input: { kind: 'ip', ipNumber: p.ipNumber } }, FSSP);
    await expectResumedAsParked(parked, FSSP, true);
  });

  it('sudrf search captcha (HTTP), resumed in the process it parked in', { timeout: 300_000 }, async () => {
    const court = farm.sandbox.world.courts.find((c) => c.hasSearchCaptcha)!;
    const kase = farm.sandbox.world.cases.find((k) => k.host === court.host && k.srvNum === 1)!;
    const parked = await park({ type: 'court.case', input: { court: court.host, number: kase.caseNumber } }, court.host);
    await expectResumedAsParked(parked, court.host, false);
  });

  it('EPGU SMS code (browser, ESIA), resumed in another robot process', { timeout: 300_000 }, async () => {
    const ip = new FsspBank(farm.sandbox.world).proceedings[5]!.ipNumber;
    const hosts = ['esia.gosuslugi.ru', 'www.gosuslugi.ru'];
    // The browser's egress is picked for the portal (the robot's host) and serves ESIA on the same page.
    const parked = await park({ type: 'epgu.request', input: { account: 'sms', ipNumber: ip, kind: 'copy_opening' } }, 'www.gosuslugi.ru', hosts);
    expect(parked.task.kind).toBe('sms');
    expect(JSON.stringify(parked.task)).not.toContain(SANDBOX_EPGU_ACCOUNTS[1]!.password);
    const sms = (await (await fetch(`${farm.sandbox.url}/__sandbox/epgu/sms/${encodeURIComponent(SANDBOX_EPGU_ACCOUNTS[1]!.login)}`)).json()) as { code: string };
    await farm.restartRobots();
    const same = await resumes('same');
    const from = farm.sandbox.clients().length;
    const done = await answerAndWait(parked, sms.code);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect(await farm.storage.captchaTasks.get(parked.task._id)).toMatchObject({ accepted: true });
    expect(oneClientSince(from, ...hosts)).toEqual(parked.client);
    expect((await resumes('same')) - same).toBe(1);
  });

  it('FSSP search whose proxy was rested meanwhile: the resume falls back to another proxy, counted, and completes', { timeout: 300_000 }, async () => {
    const p = new FsspBank(farm.sandbox.world).proceedings[4]!;
    const parked = await park({ type: 'fssp.search', input: { kind: 'ip', ipNumber: p.ipNumber } }, FSSP);
    const answer = (await farm.sandbox.readCaptcha(Buffer.from(parked.task.imageBase64, 'base64')))!;
    // FSSP starts refusing that proxy's address; the robot process meets it and rests the proxy.
    farm.sandbox.setFaults({ host: FSSP, geoBlockAddresses: [parked.client.source] });
    const egress = egressOf();
    const url = farm.pool.services.router.urlFor(FSSP, '/');
    for (let i = 0; i < 50 && !egress.isResting(parked.proxy.url); i++) {
      const session = farm.pool.services.http.session();
      if ((await session.proxyFor(FSSP)) === parked.proxy.url) await session.request(url).catch(() => undefined);
    }
    expect(egress.isResting(parked.proxy.url)).toBe(true);
    farm.sandbox.setFaults({});
    const resting = await resumes('proxy_resting');
    const from = farm.sandbox.clients().length;
    const done = await answerAndWait(parked, answer);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect((await resumes('proxy_resting')) - resting).toBe(1);
    // The resumed requests left through another proxy (the sandbox does not tie the code to an address; a real site may).
    const after = oneClientSince(from, FSSP);
    expect(after.source).not.toBe(parked.client.source);
    expect(EGRESS_ADDRESSES).toContain(after.source);
  });
});
