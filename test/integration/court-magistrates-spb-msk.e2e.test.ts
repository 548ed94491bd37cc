/**
 * St Petersburg (mirsud.spb.ru) and Moscow (mos-sud.ru) magistrates end to end: the replicas'
 * behaviour (empty shell, async task, 403 without the in-page XHR headers), then real Redis, the
 * real MongoDB-wire server and real Chromium: submit → queue → robot → evidence → parser →
 * court_cases → lookup final.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/index.ts';
import type { SubmitRequest } from '../../queues/submit.ts';
import { courtCaseInputSchema } from '../../queues/court-case.payload.ts';
import { generateMirsudData, type MirsudCase } from '../../sandbox/court-mirsud-spb/mirsud.data.ts';
import { generateMosSudData, type MosSudCase } from '../../sandbox/court-mos-sud/mos-sud.data.ts';
import { getAs } from '../../sandbox/test-support/sandbox-client.ts';
import type { LookupDoc, Storage } from '../../storage/index.ts';
import { startTestFarm, type TestFarm } from '../helpers/farm.ts';

let farm: TestFarm;
let storage: Storage;
let sandbox: TestFarm['sandbox'];
let config: Config;
let spb: ReturnType<typeof generateMirsudData>;
let msk: ReturnType<typeof generateMosSudData>;
const submitAndWait = (requests: SubmitRequest[]): Promise<LookupDoc[]> => farm.submitAndWait(requests);

beforeAll(async () => {
  farm = await startTestFarm({
    name: 'e2e-mag',
    waitMs: 150_000,
    env: {
      HTTP_TIMEOUT_MS: '30000',
    },
  });
  ({ storage, sandbox, config } = farm);
  spb = generateMirsudData(sandbox.world);
  msk = generateMosSudData(sandbox.world);
}, 120_000);

afterAll(async () => farm?.close());

/** One case per status, as far as the seeded data have them. */
function onePerStatus<T extends { status: string }>(cases: T[], n: number): T[] {
  const seen = new Map<string, T>();
  for (const c of cases) if (!seen.has(c.status)) seen.set(c.status, c);
  return [...seen.values()].slice(0, n);
}

describe('court.case input of the magistrate portals', () => {
  it('wants section + number on mirsud.spb.ru, and uid or section + caseUid on mos-sud.ru', () => {
    expect(courtCaseInputSchema.parse({ court: 'MIRSUD.SPB.RU', section: '98', number: '2-2976/2026-98' })).toMatchObject({ court: 'mirsud.spb.ru', section: '98' });
    expect(courtCaseInputSchema.safeParse({ court: 'mirsud.spb.ru', number: '2-2976/2026-98' }).success).toBe(false);
    expect(courtCaseInputSchema.parse({ court: 'mos-sud.ru', uid: '77ms0466-01-2026-000123-45' }).uid).toBe('77MS0466-01-2026-000123-45');
    expect(courtCaseInputSchema.safeParse({ court: 'mos-sud.ru', section: '463', caseUid: '073eab46-a666-41ee-a683-42ecd1272adb' }).success).toBe(true);
    expect(courtCaseInputSchema.safeParse({ court: 'mos-sud.ru', caseUid: '073eab46-a666-41ee-a683-42ecd1272adb' }).success).toBe(false);
    expect(courtCaseInputSchema.safeParse({ court: 'x.bkr.sudrf.ru', number: '2-1/2025', section: '1' }).success).toBe(false);
  });
});

describe('mirsud.spb.ru replica', () => {
  it('serves an empty shell; the API wants the in-page XHR headers (403 without) and finishes later', async () => {
    const c = spb.cases[0]!;
    const shell = await getAs(sandbox.port, 'mirsud.spb.ru', `/cases/detail/${c.section}/?id=${encodeURIComponent(c.caseNumber)}`);
    expect(shell.status).toBe(200);
    expect(shell.text).toContain('id="case-app"');
    expect(shell.text).not.toContain('case-print__table');
    const token = /csrftoken=([^;]+)/.exec(String(shell.headers['set-cookie']))?.[1];
    expect(token).toBeTruthy();
    const api = `/cases/api/detail/?id=${encodeURIComponent(c.caseNumber)}&court_site_id=${c.section}`;
    expect((await getAs(sandbox.port, 'mirsud.spb.ru', api)).status).toBe(403);
    const xhr = (path: string) => new Promise<{ status: number; json: any }>((resolve, reject) => {
      import('node:http').then(({ default: http }) => {
        const req = http.request({ host: '127.0.0.1', port: sandbox.port, path, headers: { host: 'mirsud.spb.ru', cookie: `csrftoken=${token}`, 'x-requested-with': 'XMLHttpRequest', 'x-csrftoken': token } }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(body) }));
        });
        req.on('error', reject);
        req.end();
      }, reject);
    });
    const task = await xhr(api);
    expect(task.status).toBe(200);
    const first = await xhr(`/cases/api/results/?id=${task.json.id}`);
    expect(first.json.finished).toBe(false);
    await new Promise((r) => setTimeout(r, 1400));
    const done = await xhr(`/cases/api/results/?id=${task.json.id}`);
    expect(done.json.finished).toBe(true);
    expect(done.json.result.html).toContain('<b class="table-title">Гражданское дело ' + c.caseNumber);
    const search = await getAs(sandbox.port, 'mirsud.spb.ru', '/cases/?id=2-1%2F1999-1');
    expect(search.text).toMatch(/<table class="rwd-table">[\s\S]*Судебные дела, удовлетворяющие запросу, не найдены/);
  });
});

describe('magistrate robots end to end', () => {
  it('mirsud.spb.ru in a browser: waits for the print form, stores each case with its status', async () => {
    const picks: MirsudCase[] = onePerStatus(spb.cases, 3);
    const docs = await submitAndWait([
      ...picks.map((c) => ({ type: 'court.case' as const, input: { court: 'mirsud.spb.ru', section: String(c.section), number: c.caseNumber } })),
      { type: 'court.case', input: { court: 'mirsud.spb.ru', section: String(spb.sections[0]!.section), number: `2-9999/2026-${spb.sections[0]!.section}` } },
    ]);
    expect(docs.map((d) => d.status)).toEqual([...picks.map(() => 'succeeded'), 'not_found']);
    // The robot waited for the print form: no attempt ended on the still-empty shell.
    expect(docs.map((d) => d.attempts)).toEqual(docs.map(() => 1));
    for (const [i, c] of picks.entries()) {
      const stored = (await storage.courtCases.get(docs[i]!.result!.id)) as unknown as Record<string, any>;
      expect(stored).toMatchObject({ caseNumber: c.caseNumber, uid: c.uid, status: c.status, court: { code: c.code, section: String(c.section), host: 'mirsud.spb.ru' } });
      expect(stored.events).toHaveLength(c.steps.length);
      const evidence = await storage.evidence.listByJob(docs[i]!._id);
      expect(evidence.map((e) => e.kind)).toEqual(['screenshot', 'html']);
    }
  }, 180_000);

  it('mos-sud.ru over HTTP by card and by UID (search), and in a browser by config override', async () => {
    const picks: MosSudCase[] = onePerStatus(msk.cases, 3);
    const byUid = msk.cases.find((c) => !picks.includes(c))!;
    const docs = await submitAndWait([
      ...picks.map((c) => ({ type: 'court.case' as const, input: { court: 'mos-sud.ru', section: String(c.section), caseUid: c.uuid } })),
      { type: 'court.case', input: { court: 'mos-sud.ru', uid: byUid.uid } },
      { type: 'court.case', input: { court: 'mos-sud.ru', uid: byUid.uid.replace(/-\d{2}$/, '-00'), mode: 'browser' } },
      { type: 'court.case', input: { court: 'mos-sud.ru', section: String(picks[0]!.section), caseUid: picks[0]!.uuid, mode: 'browser' } },
    ]);
    expect(docs.map((d) => d.status)).toEqual([...picks.map(() => 'succeeded'), 'succeeded', 'not_found', 'succeeded']);
    for (const [i, c] of [...picks, byUid].entries()) {
      const stored = (await storage.courtCases.get(docs[i]!.result!.id)) as unknown as Record<string, any>;
      expect(stored).toMatchObject({ uid: c.uid, caseUid: c.uuid, status: c.status, effectiveAt: c.effectiveAt, court: { code: c.code, section: String(c.section), host: 'mos-sud.ru' } });
      expect(stored.executionDocuments).toHaveLength(c.executionDocuments.length);
    }
    // The browser lookup of the same card lands on the same record.
    expect(docs.at(-1)!.result!.id).toBe(docs[0]!.result!.id);
    expect((await storage.evidence.listByJob(docs[picks.length]!._id)).map((e) => e.step)).toEqual(['search', 'case-card']);
  }, 180_000);
});
