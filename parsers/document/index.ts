/** FSSP documents: fields from XML (exact) or from text (PDF text layer or OCR). Pure functions. */
export { extractDocumentFields, classifyDocument, type DocumentExtraction, type DocumentFields, type DocumentKind } from './document-fields.parser.ts';
export { parseFsspXml, looksLikeXml, type XmlDocument } from './fssp-xml.parser.ts';
export { normalizeOcrText } from './ocr-text.normalize.ts';
export { personToNominative, partyToNominative } from './ru-name.declension.ts';
