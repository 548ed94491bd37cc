/**
 * PDF access through ONE pdfjs-dist (5.6.x, the last major for Node 20): open a document, read a
 * page's text layer, rasterise a page to PNG with @napi-rs/canvas (pdfjs's Node canvas factory).
 * Loading a second pdfjs (pdf-parse bundles its own) in the same process breaks with «The API
 * version does not match the Worker version» (DOMAIN.md §6.3), so every PDF read in konveyer goes
 * through this file.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BadInputError } from '../core/errors.ts';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type PdfDocumentProxy = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;

let pdfjsPromise: Promise<PdfJs> | null = null;

/** The pdfjs module, loaded once (it is 3 MB of JS; `--help` paths never pay for it). */
export function loadPdfJs(): Promise<PdfJs> {
  pdfjsPromise ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjsPromise;
}

const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/** One line of a page's text layer. */
export interface PdfTextLine {
  text: string;
  /** Baseline y in PDF points from the bottom. */
  y: number;
}

/** An opened PDF; close it when done (pdfjs keeps a worker-side copy). */
export interface PdfHandle {
  numPages: number;
  /** The page's text layer joined into lines (top to bottom), or [] for an image-only page. */
  textLines(pageNumber: number): Promise<PdfTextLine[]>;
  /** The page as PNG at `dpi` (default 300). */
  renderPng(pageNumber: number, dpi?: number): Promise<Buffer>;
  close(): Promise<void>;
}

/** True when the buffer starts like a PDF (`%PDF-` within the first 1 KB, as readers allow). */
export function looksLikePdf(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  return head.includes('%PDF-');
}

/**
 * Open a PDF. Throws `BadInputError` with `details.reason` `pdf_encrypted` (password-protected) or
 * `pdf_broken` (pdfjs cannot read the structure).
 */
export async function openPdf(bytes: Uint8Array): Promise<PdfHandle> {
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({
    // pdfjs takes ownership of (and detaches) the buffer it is given: pass a copy.
    data: new Uint8Array(bytes),
    standardFontDataUrl: join(pdfjsRoot, 'standard_fonts') + '/',
    cMapUrl: join(pdfjsRoot, 'cmaps') + '/',
    cMapPacked: true,
    isEvalSupported: false,
    verbosity: 0,
    // A password prompt would hang: fail instead.
    password: undefined,
  });
  let doc: PdfDocumentProxy;
  try {
    doc = await task.promise;
  } catch (error) {
    await task.destroy().catch(() => undefined);
    const name = (error as { name?: string }).name ?? '';
    if (name === 'PasswordException') {
      throw new BadInputError('the PDF is encrypted (password-protected)', { cause: error, details: { reason: 'pdf_encrypted' } });
    }
    throw new BadInputError(`the PDF cannot be read: ${(error as Error).message}`, { cause: error, details: { reason: 'pdf_broken' } });
  }
  return {
    numPages: doc.numPages,
    async textLines(pageNumber) {
      const page = await doc.getPage(pageNumber);
      const content = await page.getTextContent();
      const rows: Array<{ y: number; parts: Array<{ x: number; w: number; size: number; s: string }> }> = [];
      for (const item of content.items) {
        // Whitespace items (pdfjs fills gaps with them) carry no text; gaps are measured instead.
        if (!('str' in item) || item.str.trim() === '') continue;
        const x = item.transform[4] as number;
        const y = item.transform[5] as number;
        const size = Math.abs((item.transform[3] as number) || (item.transform[0] as number) || 10);
        // Items on the same baseline (±2 pt) form one line.
        let row = rows.find((r) => Math.abs(r.y - y) < 2);
        if (!row) rows.push((row = { y, parts: [] }));
        row.parts.push({ x, w: item.width ?? 0, size, s: item.str });
      }
      page.cleanup();
      // A gap wider than 1.2 font sizes between items of one baseline separates columns (a
      // two-column header, «г. Казань … 17.03.2025»). Consecutive rows split at the same place form
      // a column block, emitted column by column (left lines, then right lines), so a text layer
      // never interleaves an ОСП's address with the addressee's lines.
      const segmented = rows.sort((a, b) => b.y - a.y).map((r) => ({ y: r.y, segments: segmentsOf(r.parts.sort((a, b) => a.x - b.x)) }));
      const out: PdfTextLine[] = [];
      for (let i = 0; i < segmented.length; ) {
        const split = splitOf(segmented[i]!.segments);
        if (split === null) {
          out.push({ y: segmented[i]!.y, text: segmented[i]!.segments.map((g) => g.text).join(' ') });
          i++;
          continue;
        }
        // Grow the block while rows split at (or keep to one side of) the same boundary.
        let j = i + 1;
        for (;;) {
          if (j < segmented.length && fitsColumns(segmented[j]!.segments, split)) j++;
          // A left-only row (the left column wrapped further) inside the block.
          else if (j + 1 < segmented.length && segmented[j]!.segments.length === 1 && segmented[j]!.segments[0]!.end < split
            && segmented[j + 1]!.segments.length >= 2 && fitsColumns(segmented[j + 1]!.segments, split)) j += 2;
          else break;
        }
        const block = segmented.slice(i, j);
        for (const side of ['left', 'right'] as const) {
          for (const r of block) {
            const text = r.segments.filter((g) => (side === 'left' ? g.x < split : g.x >= split)).map((g) => g.text).join(' ');
            if (text) out.push({ y: r.y, text });
          }
        }
        i = j;
      }
      return out.filter((l) => l.text !== '');
    },
    async renderPng(pageNumber, dpi = 300) {
      const page = await doc.getPage(pageNumber);
      const viewport = page.getViewport({ scale: dpi / 72 });
      const factory = (doc as unknown as { canvasFactory: CanvasFactory }).canvasFactory;
      const entry = factory.create(Math.ceil(viewport.width), Math.ceil(viewport.height));
      // White paper: transparent pixels would binarise as black.
      entry.context.fillStyle = '#ffffff';
      entry.context.fillRect(0, 0, entry.canvas.width, entry.canvas.height);
      await page.render({ canvasContext: entry.context as never, canvas: entry.canvas as never, viewport }).promise;
      const png = (entry.canvas as unknown as { toBuffer(mime: string): Buffer }).toBuffer('image/png');
      factory.destroy(entry);
      page.cleanup();
      return png;
    },
    async close() {
      await doc.destroy();
    },
  };
}

interface TextSegment { x: number; end: number; text: string }

/** The runs of one baseline: items closer than 1.2 font sizes join (with a space where there is a gap). */
function segmentsOf(parts: Array<{ x: number; w: number; size: number; s: string }>): TextSegment[] {
  const out: TextSegment[] = [];
  for (const p of parts) {
    const last = out.at(-1);
    if (last && p.x - last.end <= p.size * 1.2) {
      if (p.x - last.end > p.size * 0.15 && !/\s$/.test(last.text) && !/^\s/.test(p.s)) last.text += ' ';
      last.text += p.s;
      last.end = Math.max(last.end, p.x + p.w);
    } else {
      out.push({ x: p.x, end: p.x + p.w, text: p.s });
    }
  }
  return out.map((g) => ({ ...g, text: g.text.trim() })).filter((g) => g.text !== '');
}

/** Where a row with two runs splits (the right run's x), or null for a one-run row. */
function splitOf(segments: TextSegment[]): number | null {
  return segments.length >= 2 ? segments[1]!.x - 1 : null;
}

/** A following row belongs to a column block split at `split`: two runs there, or one run on the right. */
function fitsColumns(segments: TextSegment[], split: number): boolean {
  if (segments.length >= 2) return Math.abs(segments[1]!.x - 1 - split) < 24 && segments[0]!.end < split;
  return segments.length === 1 && segments[0]!.x >= split - 2;
}

interface CanvasFactory {
  create(w: number, h: number): { canvas: { width: number; height: number }; context: { fillStyle: string; fillRect(x: number, y: number, w: number, h: number): void } };
  destroy(entry: unknown): void;
}
