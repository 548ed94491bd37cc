/** Field extraction from the text of FSSP documents (PDF text layer or OCR). Pure functions. */
export { extractDocumentFields, classifyDocument, type DocumentExtraction, type DocumentFields, type DocumentKind } from './document-fields.parser.ts';
export { normalizeOcrText } from './ocr-text.normalize.ts';
