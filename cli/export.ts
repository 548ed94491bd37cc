import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import type { DocumentDoc, DocumentStore, EpguRequestStore } from '../storage/types.ts';
import { csvCell } from '../api/export-writers.ts';
import { loadConfigOrExit } from './config-file.ts';

/** Columns of `konveyer export epgu`, in order: the answer, its request, and the OCR fields. */
export const EPGU_EXPORT_COLUMNS = [
  'documentId', 'receivedAt', 'account', 'applicationNumber', 'requestId', 'requestKind', 'requestIpNumber', 'registeredAt', 'dueDate', 'closedAt', 'late',
  'title', 'subTitle', 'fileName', 'sha256', 'status', 'kind', 'ocr', 'confidence',
  'ipNumber', 'ipDate', 'department', 'bailiff', 'debtor', 'creditor', 'executiveDocument', 'amount', 'decisionDate', 'endGround',
] as const;

export type EpguExportRow = Record<(typeof EPGU_EXPORT_COLUMNS)[number], string | number | boolean | null>;

/** One row per EPGU answer received in [from, to): the document, its request, and `documents.fields` (empty until OCR ran). */
export async function epguExportRows(stores: { documents: DocumentStore; epguRequests: EpguRequestStore }, range: { from?: Date; to?: Date }): Promise<EpguExportRow[]> {
  const docs = await stores.documents.listReceived({ ...range, origin: 'epgu' });
  const rows: EpguExportRow[] = [];
  for (const d of docs) {
    const req = d.requestId ? await stores.epguRequests.get(d.requestId) : null;
    const f = (d.fields ?? {}) as Partial<NonNullable<DocumentDoc['fields']>>;
    const closed = req?.closedAt ? req.closedAt.toISOString().slice(0, 10) : null;
    rows.push({
      documentId: d._id,
      receivedAt: d.receivedAt.toISOString(),
      account: d.account,
      applicationNumber: d.applicationNumber,
      requestId: d.requestId,
      requestKind: req?.kind ?? null,
      requestIpNumber: req?.ipNumber ?? d.ipNumber,
      registeredAt: req?.registeredAt?.toISOString() ?? null,
      dueDate: req?.dueDate ?? null,
      closedAt: req?.closedAt?.toISOString() ?? null,
      late: req?.dueDate && closed ? closed > req.dueDate : null,
      title: d.title,
      subTitle: d.subTitle,
      fileName: d.fileName,
      sha256: d.sha256,
      status: d.status,
      kind: d.kind,
      ocr: d.ocr,
      confidence: d.confidence,
      ipNumber: f.ipNumber ?? null,
      ipDate: f.ipDate ?? null,
      department: objectCell(f.department),
      // Documents read before issue 14 stored the пристав as a plain string.
      bailiff: typeof (f.bailiff as unknown) === 'string' ? (f.bailiff as unknown as string) : f.bailiff?.name ?? null,
      debtor: objectCell(f.debtor),
      creditor: objectCell(f.creditor),
      executiveDocument: objectCell(f.executiveDocument),
      amount: f.amount ?? null,
      decisionDate: f.decisionDate ?? null,
      endGround: f.endGround ?? null,
    });
  }
  return rows;
}

/** A structured field (department, debtor, creditor, executive document) as one JSON cell; null stays empty. */
const objectCell = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Writes rows as CSV (UTF-8 with BOM, for Excel), JSON lines, or an XLSX workbook (exceljs). */
export async function writeEpguExport(rows: EpguExportRow[], format: 'csv' | 'jsonl' | 'xlsx', out: NodeJS.WritableStream): Promise<void> {
  if (format === 'jsonl') {
    for (const r of rows) out.write(`${JSON.stringify(r)}\n`);
  } else if (format === 'csv') {
    out.write(`\ufeff${EPGU_EXPORT_COLUMNS.join(',')}\r\n`);
    for (const r of rows) out.write(`${EPGU_EXPORT_COLUMNS.map((c) => csvCell(r[c])).join(',')}\r\n`);
  } else {
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('epgu answers');
    ws.columns = EPGU_EXPORT_COLUMNS.map((c) => ({ header: c, key: c, width: 18 }));
    for (const r of rows) ws.addRow(r);
    ws.getRow(1).font = { bold: true };
    await wb.xlsx.write(out as never);
  }
  await new Promise<void>((resolve) => (out === process.stdout ? resolve() : (out as NodeJS.WritableStream & { end: (cb: () => void) => void }).end(resolve)));
}

const FORMATS = ['csv', 'xlsx', 'jsonl'] as const;

/** `konveyer export epgu --from --to --format csv|xlsx|jsonl [--out F]`. */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export records: `export epgu` = one row per EPGU answer with its extracted fields')
    .argument('<what>', 'epgu')
    .option('--from <date>', 'received on or after (YYYY-MM-DD or ISO)')
    .option('--to <date>', 'received before (YYYY-MM-DD or ISO)')
    .option('--format <f>', 'csv | xlsx | jsonl', 'csv')
    .option('--out <file>', 'file to write (default stdout; xlsx needs --out)')
    .action(async (what: string, opts: { from?: string; to?: string; format: string; out?: string }) => {
      const fail = (msg: string) => {
        process.stderr.write(`${msg}\n`);
        process.exitCode = 2;
      };
      if (what !== 'epgu') return fail(`unknown export "${what}": expected epgu`);
      if (!(FORMATS as readonly string[]).includes(opts.format)) return fail(`--format must be one of ${FORMATS.join(', ')}`);
      const date = (s: string | undefined, name: string) => {
        if (!s) return undefined;
        const d = new Date(s);
        if (Number.isNaN(d.getTime())) throw new Error(`${name}: not a date: ${s}`);
        return d;
      };
      let range;
      try {
        range = { from: date(opts.from, '--from'), to: date(opts.to, '--to') };
      } catch (e) {
        return fail((e as Error).message);
      }
      if (opts.format === 'xlsx' && !opts.out) return fail('--format xlsx needs --out FILE');
      const { openFarm } = await import('./farm.ts');
      const farm = await openFarm(loadConfigOrExit());
      try {
        const rows = await epguExportRows(farm.storage, range);
        await writeEpguExport(rows, opts.format as (typeof FORMATS)[number], opts.out ? createWriteStream(opts.out) : process.stdout);
        process.stderr.write(`${rows.length} answers exported\n`);
      } finally {
        await farm.close();
      }
    });
}
