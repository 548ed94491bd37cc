import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvRowReader } from '../../api/csv-rows.ts';
import { bearer, openApiHarness, type ApiHarness } from './api-harness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await openApiHarness({ API_BATCH_MAX_ROWS: '300', API_BODY_LIMIT_BYTES: '200000' });
  // Two court cases as a robot would have stored them (shape of storage/models/court-case.model.ts).
  await h.storage.conn.collection('court_cases').insertMany([
    { _id: 'c1', court: { host: 'a--ufa.sudrf.ru', name: 'Суд А' }, caseNumber: '2-1/2025', uid: 'U1', status: 'in_force', judge: 'J', decision: { date: '2025-01-02', result: 'ok' } },
    { _id: 'c2', court: { host: 'b--ufa.sudrf.ru', name: 'Суд Б' }, caseNumber: '2-2/2025', uid: 'U2', status: 'received', judge: 'K', decision: { date: null, result: null } },
  ] as never[]);
  // The default client's lookups that found them: records are visible through a client's lookups.
  await h.storage.lookups.insertMany([1, 2].map((n) => ({ _id: `found-c${n}`, type: 'court.case', input: { court: 'a--ufa.sudrf.ru', number: `2-${n}/2025` } })));
  for (const n of [1, 2]) await h.storage.lookups.markFinished(`found-c${n}`, 'succeeded', { result: { collection: 'court_cases', id: `c${n}` } });
});
afterAll(async () => h?.close());

const court = 'oktyabrsky--ufa.sudrf.ru';
const csvHeaders = { ...bearer('x'), 'content-type': 'text/csv' };

describe('POST /v1/lookups/batch', () => {
  it('takes a batch whose client keys, looked up under every type, outgrow one 16 MB query', { timeout: 180_000 }, async () => {
    // 16 000 keys of 128 characters under 7 types: ~18 MB of `$in` in one query (the 100 000-row
    // batch of bench/api.bench.ts got a 500 from it). A harness of its own: the limits here are 300 rows.
    const big = await openApiHarness({ API_BATCH_MAX_ROWS: '20000', API_BODY_LIMIT_BYTES: '5000000' });
    try {
      const rows = Array.from({ length: 16_000 }, (_, i) => `${court},2-${i + 1}/2024,,,,,${String(i).padStart(6, '0')}-${'k'.repeat(121)}`);
      const csv = `court,number,uid,caseId,caseUid,mode,clientKey\r\n${rows.join('\r\n')}\r\n`;
      const res = await big.app.inject({ method: 'POST', url: '/v1/lookups/batch', headers: { ...csvHeaders, ...bearer(big.tokens.submit) }, payload: csv });
      expect(res.statusCode, res.body.slice(0, 300)).toBe(202);
      expect(res.json()).toMatchObject({ rows: 16_000, created: 16_000, existed: 0 });
      expect(await big.storage.lookups.model.countDocuments({})).toBeGreaterThanOrEqual(16_000);
    } finally {
      await big.close();
    }
  });

  it('CSV: records every row, queues every job, pages back by batch', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => `${court},2-${i + 1}/2025,,,,,k-${i}`);
    const csv = `court,number,uid,caseId,caseUid,mode,clientKey\r\n${rows.join('\r\n')}\r\n`;
    const res = await h.app.inject({ method: 'POST', url: '/v1/lookups/batch', headers: { ...csvHeaders, ...bearer(h.tokens.submit) }, payload: csv });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({ rows: 120, created: 120, existed: 0 });
    expect((await h.queueFor('court.case').getJob(body.lookups[7].id))?.data.input.number).toBe('2-8/2025');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { statusCode: number; json(): any } = await h.app.inject({ method: 'GET', url: `/v1/lookups?batch=${body.batchId}&limit=50${cursor ? `&cursor=${cursor}` : ''}`, headers: bearer(h.tokens.read) });
      expect(page.statusCode).toBe(200);
      seen.push(...page.json().items.map((l: { id: string }) => l.id));
      cursor = page.json().nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(120);
    // Resubmitting the same file: every row existed, no new jobs.
    const again = await h.app.inject({ method: 'POST', url: '/v1/lookups/batch', headers: { ...csvHeaders, ...bearer(h.tokens.submit) }, payload: csv });
    expect(again.json()).toMatchObject({ created: 0, existed: 120 });
  });

  it('all or nothing: lists every invalid row and records nothing', async () => {
    const before = (await h.storage.lookups.countByStatus()).queued;
    const csv = [
      'court,number,clientKey',
      `${court},2-500/2025,x1`,
      `${court},garbage,x2`,
      `"${court}"x,2-501/2025,x3`,
      `${court},2-502/2025,x4,extra`,
      `${court},"2-503/2025,x5`,
    ].join('\n');
    const res = await h.app.inject({ method: 'POST', url: '/v1/lookups/batch', headers: { ...csvHeaders, ...bearer(h.tokens.submit) }, payload: csv });
    expect(res.statusCode).toBe(400);
    const rows = res.json().error.rows as Array<{ row: number; errors: string[] }>;
    expect(rows.map((r) => r.row)).toEqual([2, 3, 4, 5]);
    expect(rows[0]!.errors.join()).toMatch(/number: malformed case number/);
    expect(rows[1]!.errors.join()).toMatch(/closing quote/);
    expect(rows[2]!.errors.join()).toMatch(/4 cells but the header has 3/);
    expect(rows[3]!.errors.join()).toMatch(/not closed/);
    expect((await h.storage.lookups.countByStatus()).queued).toBe(before);

    const json = await h.app.inject({
      method: 'POST', url: '/v1/lookups/batch', headers: bearer(h.tokens.submit),
      payload: [{ type: 'court.case', input: { court, number: '2-600/2025' } }, { type: 'court.case', input: { court }, clientKey: 5 }, { type: 'x', input: {} }],
    });
    expect(json.statusCode).toBe(400);
    expect(json.json().error.rows.map((r: { row: number }) => r.row)).toEqual([2, 3]);
    expect(json.json().error.rows[0].errors.join()).toMatch(/clientKey/);
    expect((await h.storage.lookups.countByStatus()).queued).toBe(before);
  });

  it('413 past the row limit or the byte limit', async () => {
    const many = Array.from({ length: 301 }, (_, i) => ({ type: 'court.case', input: { court, number: `2-${i + 1}/2024` } }));
    expect((await h.app.inject({ method: 'POST', url: '/v1/lookups/batch', headers: bearer(h.tokens.submit), payload: many })).statusCode).toBe(413);
    const csvMany = `court,number\n${Array.from({ length: 301 }, (_, i) => `${court},2-${i + 1}/2024`).join('\n')}`;
    expect((await h.app.inject({ method: 'POST', url: '/v1/lookups/batch', headers: { ...csvHeaders, ...bearer(h.tokens.submit) }, payload: csvMany })).statusCode).toBe(413);
    const huge = `court,number\n${`${court},2-1/2024,${'x'.repeat(1000)}\n`.repeat(250)}`;
    const res = await h.app.inject({ method: 'POST', url: '/v1/lookups/batch', headers: { ...csvHeaders, ...bearer(h.tokens.submit) }, payload: huge });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('too_large');
  });

  it('the CSV reader gives the same rows whatever the chunking', () => {
    const text = '\uFEFFa,b\r\n"x ""q"" y",2\r\n"multi\nline",;\n';
    const whole = new CsvRowReader();
    const expected = [...whole.feed(text), ...whole.end()];
    for (let split = 1; split < text.length; split++) {
      const r = new CsvRowReader();
      expect([...r.feed(text.slice(0, split)), ...r.feed(text.slice(split)), ...r.end()]).toEqual(expected);
    }
    expect(expected.map((r) => r.cells)).toEqual([['a', 'b'], ['x "q" y', '2'], ['multi\nline', '', '']]);
  });
});

describe('records and exports', () => {
  it('filters by whitelisted fields only; operators are plain strings or refused', async () => {
    const ok = await h.app.inject({ method: 'GET', url: '/v1/court-cases?court=a--ufa.sudrf.ru', headers: bearer(h.tokens.read) });
    expect(ok.json().items.map((c: { id: string }) => c.id)).toEqual(['c1']);
    const paged = await h.app.inject({ method: 'GET', url: '/v1/court-cases?limit=1', headers: bearer(h.tokens.read) });
    expect(paged.json().items).toHaveLength(1);
    expect(paged.json().nextCursor).toBeTruthy();
    const inj = await h.app.inject({ method: 'GET', url: `/v1/court-cases?number=${encodeURIComponent('{"$gt":""}')}`, headers: bearer(h.tokens.read) });
    expect(inj.statusCode).toBe(200);
    expect(inj.json().items).toEqual([]);
    const bracket = await h.app.inject({ method: 'GET', url: '/v1/court-cases?number[$gt]=', headers: bearer(h.tokens.read) });
    expect(bracket.statusCode).toBe(400);
    expect(bracket.json().error.issues.join()).toMatch(/unknown field/);
    const twice = await h.app.inject({ method: 'GET', url: '/v1/court-cases?uid=U1&uid=U2', headers: bearer(h.tokens.read) });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().error.issues.join()).toMatch(/uid: .*expected string/i);
    const limit = await h.app.inject({ method: 'GET', url: '/v1/court-cases?limit=501', headers: bearer(h.tokens.read) });
    expect(limit.statusCode).toBe(400);
    expect(limit.json().error.issues.join()).toMatch(/limit:/);
    for (const path of ['/v1/enforcement-proceedings', '/v1/epgu-requests', '/v1/documents']) {
      const res = await h.app.inject({ method: 'GET', url: path, headers: bearer(h.tokens.read) });
      expect(res.statusCode, path).toBe(200);
      expect(res.json()).toEqual({ items: [], nextCursor: null });
    }
    expect((await h.app.inject({ method: 'GET', url: '/v1/court-cases/c2', headers: bearer(h.tokens.read) })).json()).toMatchObject({ id: 'c2', status: 'received' });
    expect((await h.app.inject({ method: 'GET', url: '/v1/court-cases/nope', headers: bearer(h.tokens.read) })).statusCode).toBe(404);
  });

  it('exports csv, jsonl and xlsx (parsed back)', async () => {
    const csv = await h.app.inject({ method: 'GET', url: '/v1/exports?collection=court_cases&format=csv', headers: bearer(h.tokens.read) });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,court\.host,court\.name,caseNumber,uid/);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['c1', 'c2']);
    const jsonl = await h.app.inject({ method: 'GET', url: '/v1/exports?collection=court_cases&format=jsonl&status=in_force', headers: bearer(h.tokens.read) });
    const docs = jsonl.body.trim().split('\n').map((l) => JSON.parse(l));
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ id: 'c1', court: { name: 'Суд А' } });
    const xlsx = await h.app.inject({ method: 'GET', url: '/v1/exports?collection=court_cases&format=xlsx', headers: bearer(h.tokens.read) });
    expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('court_cases')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('id');
    expect(sheet.getRow(2).getCell(3).value).toBe('Суд А');
    expect(sheet.rowCount).toBe(3);
    const lookups = await h.app.inject({ method: 'GET', url: '/v1/exports?collection=lookups&format=csv', headers: bearer(h.tokens.read) });
    expect(lookups.body.trim().split('\r\n').length).toBeGreaterThan(100);
    const wrong = await h.app.inject({ method: 'GET', url: '/v1/exports?collection=documents&format=csv&court=x', headers: bearer(h.tokens.read) });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.issues[0]).toMatch(/court: not a filter of documents/);
    const fmt = await h.app.inject({ method: 'GET', url: '/v1/exports?collection=court_cases&format=pdf', headers: bearer(h.tokens.read) });
    expect(fmt.statusCode).toBe(400);
    expect(fmt.json().error.issues.join()).toMatch(/format: .*"csv"/);
  });
});
