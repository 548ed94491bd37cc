/**
 * The EPGU answers export (`konveyer export epgu`): one row per answer received, its request, and the
 * fields OCR read off the document, written as CSV (for Excel), JSON lines or XLSX.
 */
import type { DocumentDoc, DocumentStore } from '../storage/documents.types.ts';
import type { EpguRequestStore } from '../storage/epgu-requests.types.ts';
import { csvCell } from './export-writers.ts';

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
