/**
 * A document file → the `parse document` record (DESIGN.md §Contracts): an FSSP XML is read
 * exactly (no OCR, confidence 1); a PDF or image is read (text layer, else OCR), then the pure
 * field extraction of parsers/document.
 */
import { extractDocumentFields, looksLikeXml, parseFsspXml, type DocumentFields, type DocumentKind } from '../parsers/document/index.ts';
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
  /** What the fields were read from: the XML itself, the PDF text layer, or OCR. */
  source: 'xml' | 'text' | 'ocr';
}

/**
 * Read and extract one document. Throws `BadInputError` (with `details.reason`) on bad files,
 * including `xml_unsafe` / `xml_broken` for XML.
 */
export async function parseDocumentFile(bytes: Buffer, options: ReadDocumentOptions): Promise<ParsedDocument> {
  if (looksLikeXml(bytes)) {
    const xml = parseFsspXml(bytes);
    return { kind: xml.kind, text: xml.text, confidence: 1, ocr: false, fields: xml.fields, pages: 1, source: 'xml' };
  }
  const read = await readDocument(bytes, options);
  const { kind, fields } = extractDocumentFields(read.text);
  return { kind, text: read.text, confidence: read.confidence, ocr: read.ocr, fields, pages: read.pages.length, source: read.ocr ? 'ocr' : 'text' };
}
