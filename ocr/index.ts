/** OCR: reading PDFs and images (text layer first, tesseract.js where needed) and their fields. */
export { createOcrEngine, DEBIAN_TESSDATA, type OcrEngine, type OcrEngineOptions, type OcrEngineStats, type OcrPageResult } from './ocr-engine.ts';
export { readDocument, type ReadDocument, type ReadDocumentOptions, type ReadPage } from './document-reader.ts';
export { parseDocumentFile, type ParsedDocument } from './document-parse.ts';
export { cleanUpPage, estimateSkewDeg, type CleanUpOptions } from './image-cleanup.ts';
export { openPdf, looksLikePdf, type PdfHandle } from './pdf-pages.ts';
export { runOcrDocument, unreadableOf, type OcrDocumentServices } from './ocr-document.job.ts';
export { startOcrWorker, OCR_QUEUE, type OcrWorker, type OcrWorkerOptions } from './ocr-worker.ts';
