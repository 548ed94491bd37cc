/**
 * FSSP documents of the sandbox (the answers the EPGU feed delivers): specs, wording, layouts,
 * PDF and XML rendering, and the record a correct reader gives for each.
 */
export type { FsspDocumentKind, FsspDocumentLayout, FsspDocumentSpec, RenderFsspDocumentOptions } from './fssp-document.types.ts';
export { FSSP_DOCUMENT_KINDS, FSSP_DOCUMENT_LAYOUTS } from './fssp-document.types.ts';
export { renderFsspDocument } from './fssp-document.render.ts';
export { renderFsspXml, XML_KINDS } from './fssp-document.xml.ts';
export { documentSpecFromProceeding, presentationOf } from './document-spec.ts';
export { expectedFieldsOf } from './document-expected.ts';
export { documentBlocks, documentPlainText, documentNumberOf, ruDate, ruMoney } from './fssp-document.text.ts';
