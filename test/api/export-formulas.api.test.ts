/** Issue 13 item 5: exported cells that a spreadsheet would evaluate are neutralised (OWASP CSV injection). */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvRowReader } from '../../api/csv-rows.ts';
import { EPGU_EXPORT_COLUMNS, writeEpguExport, type EpguExportRow } from '../../api/epgu-export.ts';
import { bearer, openApiHarness, type ApiHarness } from './api-harness.ts';

const HYPERLINK = '=HYPERLINK("http://x","y")';

let h: ApiHarness;
beforeAll(async () => {
  h = await openApiHarness();
  // A court case whose scraped judge and category are formulas, as a hostile page could make them.
  await h.storage.conn.collection('court_cases').insertOne({
    _id: 'f1', court: { host: 'a--ufa.sudrf.ru', name: '@SUM(1+1)' }, caseNumber: '2-1/2025', uid: 'U1', status: 'in_force',
    judge: HYPERLINK, category: '+7(999)', decision: { date: '2025-01-02', result: '-2+3' }, effectiveAt: '\tTAB', registeredAt: '\rCR',
  } as never);
});
afterAll(async () => h?.close());

const rowsOf = (csv: string) => {
  const reader = new CsvRowReader();
  return [...reader.feed(csv.replace(/^\uFEFF/, '')), ...reader.end()].map((r) => r.cells);
};

describe('CSV and XLSX exports with formula-like values', () => {
  it('CSV: every cell starting with = + - @ tab or CR is prefixed with \' and quoted', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/exports?collection=court_cases&format=csv&number=2-1/2025', headers: bearer(h.tokens.all) });
    expect(res.statusCode).toBe(200);
    // The raw line, as a spreadsheet program reads it.
    expect(res.body).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    const [header, row] = rowsOf(res.body);
    const cell = (name: string) => row![header!.indexOf(name)];
    expect(cell('judge')).toBe(`'${HYPERLINK}`);
    expect(cell('court.name')).toBe("'@SUM(1+1)");
    expect(cell('category')).toBe("'+7(999)");
    expect(cell('decision.result')).toBe("'-2+3");
    expect(cell('effectiveAt')).toBe("'\tTAB");
    expect(cell('registeredAt')).toBe("'\rCR");
    expect(cell('caseNumber')).toBe('2-1/2025');
  });

  it('XLSX: the same values are string cells, not formulas', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/exports?collection=court_cases&format=xlsx&number=2-1/2025', headers: bearer(h.tokens.all) });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const judge = sheet.getRow(2).getCell(header.indexOf('judge') + 1);
    expect(judge.type).toBe(ExcelJS.ValueType.String);
    expect(judge.value).toBe(HYPERLINK);
    expect(judge.formula).toBeUndefined();
  });

  it('konveyer export epgu: CSV cells neutralised, XLSX cells strings', async () => {
    const row = Object.fromEntries(EPGU_EXPORT_COLUMNS.map((c) => [c, null])) as EpguExportRow;
    Object.assign(row, { documentId: 'd1', title: HYPERLINK, debtor: '-1', amount: -5 });
    const csvOut = new PassThrough();
    const chunks: Buffer[] = [];
    csvOut.on('data', (c: Buffer) => chunks.push(c));
    await writeEpguExport([row], 'csv', csvOut);
    const [header, line] = rowsOf(Buffer.concat(chunks).toString('utf8'));
    expect(line![header!.indexOf('title')]).toBe(`'${HYPERLINK}`);
    expect(line![header!.indexOf('debtor')]).toBe("'-1");
    expect(line![header!.indexOf('amount')]).toBe('-5');

    const xlsxOut = new PassThrough();
    const parts: Buffer[] = [];
    xlsxOut.on('data', (c: Buffer) => parts.push(c));
    await writeEpguExport([row], 'xlsx', xlsxOut);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(parts) as unknown as ArrayBuffer);
    const title = wb.worksheets[0]!.getRow(2).getCell(EPGU_EXPORT_COLUMNS.indexOf('title') + 1);
    expect(title.type).toBe(ExcelJS.ValueType.String);
    expect(title.value).toBe(HYPERLINK);
  });
});
