/**
 * FSSP documents of the sandbox (the answers the EPGU feed delivers): specs, wording, PDF rendering.
 */
export type { FsspDocumentKind, FsspDocumentSpec, RenderFsspDocumentOptions } from './fssp-document.types.ts';
export { FSSP_DOCUMENT_KINDS } from './fssp-document.types.ts';
export { renderFsspDocument } from './fssp-document.render.ts';
export { documentSpecFromProceeding } from './document-spec.ts';
export { documentBlocks, documentPlainText, documentNumberOf, ruDate, ruMoney } from './fssp-document.text.ts';
