import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { ReadCollection } from '../storage/read-models.repo.ts';

/** Columns of each collection in CSV and XLSX exports (dotted paths into the stored document). */
export const EXPORT_COLUMNS: Record<ReadCollection, string[]> = {
  lookups: ['_id', 'type', 'status', 'batchId', 'clientKey', 'attempts', 'error.code', 'error.message', 'result.collection', 'result.id', 'createdAt', 'finishedAt'],
  court_cases: ['_id', 'court.host', 'court.name', 'caseNumber', 'uid', 'category', 'judge', 'registeredAt', 'decision.date', 'decision.result', 'effectiveAt', 'status', 'checkedAt'],
  enforcement_proceedings: ['_id', 'ipNumber', 'ipDate', 'sdNumber', 'debtor.name', 'executiveDocument.type', 'executiveDocument.number', 'executiveDocument.date', 'ended.date', 'debtRest', 'department.name', 'bailiff.name', 'region', 'checkedAt'],
  epgu_requests: ['_id', 'ipNumber', 'kind', 'status', 'applicationNumber', 'submittedAt', 'dueDate', 'updatedAt'],
  documents: ['_id', 'kind', 'requestId', 'ocr', 'confidence', 'fields.ipNumber', 'fields.ipDate', 'fields.amount', 'fields.decisionDate', 'fields.endGround', 'createdAt'],
  postal_items: ['_id', 'state', 'acceptedAt', 'deliveredAt', 'returnedAt', 'returnReason', 'sender', 'recipient', 'links', 'deadlines', 'final', 'checkedAt'],
};

/** The header shown for a column (`_id` → `id`). */
const headerOf = (col: string): string => (col === '_id' ? 'id' : col);

function valueAt(doc: Record<string, unknown>, path: string): unknown {
  let v: unknown = doc;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return null;
    v = (v as Record<string, unknown>)[part];
  }
  return v ?? null;
}

/** A cell as text: dates ISO, objects JSON, absent empty. */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** First characters that make a spreadsheet evaluate a cell (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell. A text that a spreadsheet would evaluate (starting with `=`, `+`, `-`, `@`, tab or
 * CR, e.g. a scraped `=HYPERLINK(…)`) is neutralised as OWASP recommends: prefixed with `'` and
 * quoted, so Excel and LibreOffice show it as text. Numbers stay as they are (a stored number
 * cannot carry a formula); other cells are quoted only when they hold `"`, `,`, `;` or a line end.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  const s = cellText(value);
  if (FORMULA_START.test(s)) return `"'${s.replace(/"/g, '""')}"`;
  return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV (UTF-8 with BOM so spreadsheet programs read Cyrillic right), one line per document. */
export function csvExport(collection: ReadCollection, docs: AsyncIterable<Record<string, unknown>>): Readable {
  const cols = EXPORT_COLUMNS[collection];
  return Readable.from(
    (async function* () {
      yield `\uFEFF${cols.map(headerOf).join(',')}\r\n`;
      let lines: string[] = [];
      for await (const doc of docs) {
        lines.push(cols.map((c) => csvCell(valueAt(doc, c))).join(','));
        if (lines.length >= 500) {
          yield `${lines.join('\r\n')}\r\n`;
          lines = [];
        }
      }
      if (lines.length > 0) yield `${lines.join('\r\n')}\r\n`;
    })(),
  );
}

/** JSON Lines: every stored field, `_id` as `id`. */
export function jsonlExport(docs: AsyncIterable<Record<string, unknown>>): Readable {
  return Readable.from(
    (async function* () {
      let lines: string[] = [];
      for await (const { _id, ...rest } of docs) {
        lines.push(JSON.stringify({ id: _id, ...rest }));
        if (lines.length >= 500) {
          yield `${lines.join('\n')}\n`;
          lines = [];
        }
      }
      if (lines.length > 0) yield `${lines.join('\n')}\n`;
    })(),
  );
}

/** XLSX through exceljs's streaming WorkbookWriter: rows are committed as they come. */
export function xlsxExport(collection: ReadCollection, docs: AsyncIterable<Record<string, unknown>>): Readable {
  const out = new PassThrough();
  const cols = EXPORT_COLUMNS[collection];
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(collection);
  sheet.columns = cols.map((c) => ({ header: headerOf(c), key: c, width: 20 }));
  void (async () => {
    try {
      for await (const doc of docs) {
        sheet.addRow(cols.map((c) => {
          const v = valueAt(doc, c);
          // A text cell stays a string cell, never a formula, whatever it starts with (`=HYPERLINK(…)`).
          return typeof v === 'number' || typeof v === 'boolean' ? v : cellText(v);
        })).commit();
        // Respect the client's pace: the zip writer pushes into `out` without waiting.
        if (out.writableLength > 1 << 20) await new Promise((r) => out.once('drain', r));
      }
      sheet.commit();
      await workbook.commit();
    } catch (error) {
      out.destroy(error as Error);
    }
  })();
  return out;
}
