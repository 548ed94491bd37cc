/**
 * The `ocr.document` job: read one stored document (an EPGU answer, an upload) — its body from the
 * evidence store, the text layer or OCR, the FSSP fields — into `documents` (status `done`).
 * A file that can never be read ends the document `failed` with its code and the lookup failed
 * with the same permanent code (`DocumentUnreadableError`), so the queue does not retry it.
 * Idempotent: a document already `done` is not read again; a re-run overwrites with the same result.
 */
import { BadInputError, describeError, DocumentUnreadableError, type DocumentUnreadableCode } from '../core/errors.ts';
import { ocrPages } from '../core/metrics.ts';
import type { HandlerContext, HandlerResult } from '../queues/worker.ts';
import type { DocumentStore } from '../storage/documents.types.ts';
import type { EvidenceStore } from '../storage/evidence.types.ts';
import { parseDocumentFile, type ParsedDocument } from './document-parse.ts';
import type { OcrEngine } from './ocr-engine.ts';

/** What the handler needs; the OCR worker role (ocr/ocr-worker.ts) owns and builds it. */
export interface OcrDocumentServices {
  documents: DocumentStore;
  evidence: Pick<EvidenceStore, 'readBody'>;
  /** The process's engine; a getter so a text-layer PDF never starts one. */
  engine: () => Promise<OcrEngine>;
  /** Render resolution of scanned PDF pages (OCR_RENDER_DPI); default 300. */
  renderDpi?: number;
  /** The queue's attempts per job (QUEUE_ATTEMPTS): on the last one a failure also fails the document. */
  maxAttempts?: number;
}

/** Reader reasons (ocr/document-reader.ts `details.reason`) → the document's permanent error code. */
const UNREADABLE: Record<string, DocumentUnreadableCode> = {
  empty: 'not_a_document',
  not_a_document: 'not_a_document',
  pdf_encrypted: 'pdf_encrypted',
  pdf_broken: 'pdf_broken',
  image_broken: 'image_broken',
  xml_broken: 'xml_broken',
  xml_unsafe: 'xml_unsafe',
};

/** The reader's bad-file error as a `DocumentUnreadableError`, or null for any other error. */
export function unreadableOf(error: unknown): DocumentUnreadableError | null {
  if (error instanceof DocumentUnreadableError) return error;
  if (!(error instanceof BadInputError)) return null;
  const reason = typeof error.details?.reason === 'string' ? error.details.reason : '';
  const code = UNREADABLE[reason];
  return code ? new DocumentUnreadableError(code, error.message, { cause: error, details: { reason } }) : null;
}

/** Runs one `ocr.document` lookup. Throws typed errors; the worker maps them to queue outcomes. */
export async function runOcrDocument(services: OcrDocumentServices, ctx: HandlerContext<'ocr.document'>): Promise<HandlerResult> {
  const { documentId } = ctx.input;
  const doc = await services.documents.get(documentId);
  if (!doc) throw new BadInputError(`no stored document with id "${documentId}"`, { details: { documentId } });
  const result = { collection: 'documents', id: doc._id };
  // A retry after the result was saved (the worker died before recording the lookup): nothing to redo.
  if (doc.status === 'done') return { status: 'succeeded', result, evidenceCount: 0 };
  const body = await services.evidence.readBody(doc.sha256);
  if (!body) {
    // Evidence retention purged it, or it was never stored: no attempt can ever read it.
    const message = `the body of document "${documentId}" (sha256 ${doc.sha256}) is not in the evidence store`;
    await services.documents.setStatus(documentId, 'failed', { code: 'bad_input', message });
    throw new BadInputError(message, { details: { documentId, reason: 'body_missing' } });
  }
  const startedAt = performance.now();
  let parsed: ParsedDocument;
  try {
    parsed = await parseDocumentFile(body, { engine: services.engine, dpi: services.renderDpi });
  } catch (error) {
    const unreadable = unreadableOf(error);
    if (!unreadable) {
      // Anything else (an OCR worker crashed, out of memory) is the farm's trouble: retried with the
      // document untouched — unless this is the lookup's end (a permanent error or the last attempt),
      // when the document says so too instead of staying `ocr_queued`.
      const d = describeError(error);
      if (d.kind === 'permanent' || ctx.attempt >= (services.maxAttempts ?? Number.POSITIVE_INFINITY)) {
        await services.documents.setStatus(documentId, 'failed', { code: d.code, message: d.message });
      }
      throw error;
    }
    await services.documents.setStatus(documentId, 'failed', { code: unreadable.code, message: unreadable.message });
    ctx.log.warn({ documentId, code: unreadable.code }, 'document unreadable');
    throw unreadable;
  }
  if (parsed.ocr) ocrPages.inc({ kind: 'document' }, parsed.pages);
  await services.documents.saveOcr(documentId, { kind: parsed.kind, text: parsed.text, confidence: parsed.confidence, ocr: parsed.ocr, fields: { ...parsed.fields } });
  ctx.log.info({ documentId, kind: parsed.kind, pages: parsed.pages, ocr: parsed.ocr, confidence: parsed.confidence, ms: Math.round(performance.now() - startedAt) }, 'document read');
  return { status: 'succeeded', result, evidenceCount: 0 };
}
