/** The `konveyer parse` contract of DESIGN.md, run as a user would: the real CLI in a child process. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../sandbox/server.ts';

const run = promisify(execFile);
const bin = new URL('../../bin/konveyer.mjs', import.meta.url).pathname;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
const dir = mkdtempSync(join(tmpdir(), 'konveyer-parse-'));

async function konveyer(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [bin, ...args], { encoding: 'utf8' });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 11 });
});
afterAll(async () => sandbox.close());

/** Saves a sandbox page as the site sends it (windows-1251 bytes). */
async function savePage(host: string, path: string, name: string): Promise<{ file: string; url: string }> {
  const url = `http://${host}${path}`;
  // fetch() may not set Host; undici's request may, as robots do through their resolver.
  const res = await request(`${sandbox.url}${path}`, { headers: { host: `${host}:${sandbox.port}` } });
  expect(res.statusCode).toBe(200);
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(await res.body.arrayBuffer()));
  return { file, url };
}

describe('konveyer parse', () => {
  it('prints a court case as JSON with the contract fields, exit 0', async () => {
    const c = sandbox.world.cases.find((x) => x.executionDocuments.length > 0)!;
    const page = await savePage(c.host, `/modules.php?name=sud_delo&srv_num=1&name_op=case&case_id=${c.caseId}&case_uid=${c.caseUid}&delo_id=1540005`, 'card.html');
    const { code, stdout } = await konveyer('parse', 'court-case', page.file, '--url', page.url);
    expect(code).toBe(0);
    const record = JSON.parse(stdout);
    for (const field of ['court', 'caseNumber', 'previousNumbers', 'uid', 'category', 'judge', 'registeredAt', 'decision', 'effectiveAt', 'status', 'parties', 'events', 'executionDocuments']) {
      expect(record).toHaveProperty(field);
    }
    expect(record).toMatchObject({ caseNumber: c.caseNumber, uid: c.uid, judge: c.judge, registeredAt: c.registeredAt, status: c.cardStatus });
    expect(record.court.host).toBe(c.host);
    expect(record.caseId).toBe(String(c.caseId));
    expect(record.events).toHaveLength(c.events.length);
    expect(record.executionDocuments).toHaveLength(c.executionDocuments.length);
    // The parser that read it, as robots stamp it on the stored record (`source.parserVersion` sudrf-1.1.0).
    expect(record.parser).toEqual({ name: 'sudrf', version: '1.1.0' });
  }, 60_000);

  it('prints search results with total and rows', async () => {
    const court = sandbox.world.courts[0]!;
    const page = await savePage(court.host, '/modules.php?name=sud_delo&srv_num=1&name_op=r&delo_id=1540005&case_type=0&new=0&delo_table=g1_case&g1_case__ENTRY_DATE1D=01.01.2000&Submit=%CD%E0%E9%F2%E8', 'list.html');
    const { code, stdout } = await konveyer('parse', 'court-search', page.file, '--url', page.url);
    if (court.hasSearchCaptcha) {
      // A captcha form is not a results list: the contract's error, exit 2.
      expect(code).toBe(2);
      expect(JSON.parse(stdout).error.code).toBe('layout_drift');
      return;
    }
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.total).toBeGreaterThan(0);
    expect(result.cases.length).toBeGreaterThan(0);
    expect(result.cases[0]).toHaveProperty('caseNumber');
    expect(result.parser).toEqual({ name: 'sudrf', version: '1.1.0' });
  }, 60_000);

  it('answers a page it cannot read with {error:{code,message}} and exit 2', async () => {
    const junk = join(dir, 'junk.html');
    writeFileSync(junk, '<html><body><h1>Технические работы</h1></body></html>');
    const bad = await konveyer('parse', 'court-case', junk);
    expect(bad.code).toBe(2);
    const { error } = JSON.parse(bad.stdout);
    expect(typeof error.code).toBe('string');
    expect(typeof error.message).toBe('string');
    const missing = await konveyer('parse', 'court-case', join(dir, 'nope.html'));
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout).error.code).toBe('bad_input');
    // Pages that are no record get their own code, not layout drift (hand-written, issue 14 wording).
    const limited = join(dir, 'limited.html');
    writeFileSync(limited, '<html><body><main>Информация временно недоступна. Попробуйте обратиться позже.</main></body></html>');
    const rl = await konveyer('parse', 'court-case', limited, '--url', 'https://court.sudrf.ru/modules.php?name=sud_delo&name_op=case');
    expect(rl.code).toBe(2);
    expect(JSON.parse(rl.stdout).error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/Информация временно недоступна/) });
    const kind = await konveyer('parse', 'fax', junk);
    expect(JSON.parse(kind.stdout).error.message).toMatch(/unknown kind "fax"/);
  }, 60_000);
});
