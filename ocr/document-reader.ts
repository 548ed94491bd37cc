/**
 * Reads a document (PDF or image) into text: the PDF text layer first, OCR only for pages that
 * have none (scans); images always go through OCR. Each OCR page is cleaned first (deskew, denoise).
 * Bad input is a `BadInputError` with `details.reason`: `empty`, `not_a_document`,
 * `pdf_encrypted`, `pdf_broken`, `image_broken`.
 */
import sharp from 'sharp';
import { BadInputError } from '../core/errors.ts';
import { cleanUpPage } from './image-cleanup.ts';
import type { OcrEngine } from './ocr-engine.ts';
import { looksLikePdf, openPdf } from './pdf-pages.ts';

/** One page as read. */
export interface ReadPage {
  page: number;
  source: 'text' | 'ocr';
  text: string;
  /** 0–1; 1 for a text layer. */
  confidence: number;
  /** Skew removed before OCR, degrees (0 for text layers). */
  skewDeg: number;
}

/** A whole document as read. */
export interface ReadDocument {
  /** 'pdf' or the image format sharp detected ('png', 'jpeg', 'tiff', 'webp'). */
  format: string;
  text: string;
  /** Mean over pages, 0–1. */
  confidence: number;
  /** True when at least one page needed OCR. */
  ocr: boolean;
  pages: ReadPage[];
}

/** Options of `readDocument`. */
export interface ReadDocumentOptions {
  /** The engine for pages without text; a getter so a text-layer PDF never starts one. */
  engine: () => Promise<OcrEngine>;
  /** Render resolution for OCR of PDF pages; default 300. */
  dpi?: number;
  /** Non-space characters a page's text layer needs to count as text; default 20. */
  minTextChars?: number;
}

const IMAGE_FORMATS = new Set(['png', 'jpeg', 'jpg', 'tiff', 'webp', 'gif', 'bmp']);

/** Carries an OCR engine error out of the PDF page loop, whose other errors mean a broken file. */
class EngineFailure {
  constructor(readonly error: unknown) {}
}

async function ocrPage(engine: OcrEngine, image: Buffer, page: number): Promise<ReadPage> {
  const cleaned = await cleanUpPage(image);
  const { text, confidence } = await engine.recognize(cleaned.image);
  return { page, source: 'ocr', text: text.trim(), confidence, skewDeg: cleaned.skewDeg };
}

/** Read `bytes` as a PDF or an image. Pages are recognised concurrently (the scheduler queues them). */
export async function readDocument(bytes: Buffer, options: ReadDocumentOptions): Promise<ReadDocument> {
  if (bytes.length === 0) throw new BadInputError('the file is empty', { details: { reason: 'empty' } });
  let pages: ReadPage[];
  let format: string;
  if (looksLikePdf(bytes)) {
    format = 'pdf';
    const pdf = await openPdf(bytes);
    try {
      const minChars = options.minTextChars ?? 20;
      pages = await Promise.all(Array.from({ length: pdf.numPages }, async (_, i): Promise<ReadPage> => {
        const n = i + 1;
        const lines = await pdf.textLines(n);
        const text = lines.map((l) => l.text).join('\n');
        if (text.replace(/\s/g, '').length >= minChars) return { page: n, source: 'text', text, confidence: 1, skewDeg: 0 };
        const png = await pdf.renderPng(n, options.dpi ?? 300);
        try {
          return await ocrPage(await options.engine(), png, n);
        } catch (error) {
          throw new EngineFailure(error);
        }
      }));
    } catch (error) {
      // The OCR engine's own trouble (a crashed worker) is the farm's, not a broken file: retried.
      if (error instanceof EngineFailure) throw error.error;
      if (error instanceof BadInputError) throw error;
      throw new BadInputError(`the PDF cannot be read: ${(error as Error).message}`, { cause: error, details: { reason: 'pdf_broken' } });
    } finally {
      await pdf.close();
    }
  } else {
    const meta = await sharp(bytes).metadata().catch(() => null);
    if (!meta?.format || !IMAGE_FORMATS.has(meta.format)) {
      throw new BadInputError('the file is neither a PDF nor an image (PNG, JPEG, TIFF, WebP)', { details: { reason: 'not_a_document' } });
    }
    format = meta.format;
    const png = await sharp(bytes).png().toBuffer().catch((error: unknown) => {
      throw new BadInputError(`the image cannot be decoded: ${(error as Error).message}`, { cause: error, details: { reason: 'image_broken' } });
    });
    pages = [await ocrPage(await options.engine(), png, 1)];
  }
  const confidence = pages.length ? Math.round((pages.reduce((s, p) => s + p.confidence, 0) / pages.length) * 1000) / 1000 : 0;
  return { format, text: pages.map((p) => p.text).join('\n\f\n'), confidence, ocr: pages.some((p) => p.source === 'ocr'), pages };
}
