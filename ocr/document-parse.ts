/**
 * A document file → the `parse document` record (DESIGN.md §Contracts): read (text layer or OCR),
 * then the pure field extraction of parsers/document.
 */
import { extractDocumentFields, type DocumentFields, type DocumentKind } from '../parsers/document/index.ts';
import { readDocument, type ReadDocumentOptions } from './document-reader.ts';

/** The `parse document` record. */
export interface ParsedDocument {
  kind: DocumentKind;
  text: string;
  /** 0–1. */
  confidence: number;
  ocr: boolean;
  fields: DocumentFields;
  pages: number;
}

/** Read and extract one document. Throws `BadInputError` (with `details.reason`) on bad files. */
export async function parseDocumentFile(bytes: Buffer, options: ReadDocumentOptions): Promise<ParsedDocument> {
  const read = await readDocument(bytes, options);
  const { kind, fields } = extractDocumentFields(read.text);
  return { kind, text: read.text, confidence: read.confidence, ocr: read.ocr, fields, pages: read.pages.length };
}
