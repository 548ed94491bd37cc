/**
 * Renders an FSSP document to PDF: a text-layer PDF laid out on A4 with DejaVu Serif (pdf-lib +
 * fontkit; Debian `fonts-dejavu-core`), or a "scanned" one — the same page rasterised at 200 DPI,
 * rotated 0.5–2°, blurred, speckled and stored as a JPEG image with no text layer. Deterministic:
 * the same spec and seed give the same bytes (pdf-lib dates are pinned, noise comes from the PRNG).
 */
import { readFile } from 'node:fs/promises';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import sharp from 'sharp';
import { openPdf } from '../../../ocr/pdf-pages.ts';
import { createPrng, deriveSeed } from '../../data/prng.ts';
import { documentBlocks, type TextBlock } from './fssp-document.text.ts';
import type { FsspDocumentSpec, RenderFsspDocumentOptions } from './fssp-document.types.ts';

/** Where Debian's fonts-dejavu-core puts the faces we embed. */
export const DEJAVU_DIR = '/usr/share/fonts/truetype/dejavu';

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = { left: 70, right: 42, top: 50, bottom: 50 };
const FONT_SIZE = 11.5;
const LEADING = 15;
/** Scan resolution: what an office scanner set to "documents" produces. */
const SCAN_DPI = 200;
/** A fixed date so identical input gives identical bytes. */
const FIXED_DATE = new Date('2025-01-01T00:00:00Z');

let fontBytes: Promise<[Buffer, Buffer]> | null = null;
function loadFonts(): Promise<[Buffer, Buffer]> {
  fontBytes ??= Promise.all([readFile(`${DEJAVU_DIR}/DejaVuSerif.ttf`), readFile(`${DEJAVU_DIR}/DejaVuSerif-Bold.ttf`)]);
  return fontBytes;
}

/** Words of `text` wrapped to `width` points; the first line is narrower by `indent`. */
function wrap(text: string, font: PDFFont, width: number, indent: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    const candidate = line ? `${line} ${word}` : word;
    const limit = lines.length === 0 ? width - indent : width;
    if (line && font.widthOfTextAtSize(candidate, FONT_SIZE) > limit) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** A text-layer PDF of the blocks (a new page when one fills up). */
async function renderTextPdf(blocks: TextBlock[]): Promise<Buffer> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.registerFontkit(fontkit);
  const [regularBytes, boldBytes] = await loadFonts();
  const regular = await pdf.embedFont(regularBytes, { subset: true });
  const bold = await pdf.embedFont(boldBytes, { subset: true });
  pdf.setCreationDate(FIXED_DATE);
  pdf.setModificationDate(FIXED_DATE);
  pdf.setProducer('konveyer sandbox');
  const width = A4.width - MARGIN.left - MARGIN.right;
  let page: PDFPage = pdf.addPage([A4.width, A4.height]);
  let y = A4.height - MARGIN.top;
  const newLine = () => {
    if (y - LEADING < MARGIN.bottom) {
      page = pdf.addPage([A4.width, A4.height]);
      y = A4.height - MARGIN.top;
    }
    y -= LEADING;
  };
  for (let b = 0; b < blocks.length; b++) {
    const block = blocks[b]!;
    const font = block.bold ? bold : regular;
    const indent = block.indent ?? 0;
    y -= block.spaceBefore ?? 0;
    if (block.framed) {
      // A stamp: this and the following framed blocks, small, inside one frame.
      const group = [block];
      while (blocks[b + 1]?.framed) group.push(blocks[++b]!);
      const boxW = 310;
      const boxH = group.length * 12 + 10;
      if (y - boxH < MARGIN.bottom) {
        page = pdf.addPage([A4.width, A4.height]);
        y = A4.height - MARGIN.top;
      }
      const left = MARGIN.left + (width - boxW) / 2;
      page.drawRectangle({ x: left, y: y - boxH, width: boxW, height: boxH, borderColor: rgb(0.1, 0.2, 0.6), borderWidth: 1.2 });
      for (const g of group) {
        y -= 12;
        page.drawText(g.text, { x: left + 8, y: y - 2, size: 8.5, font: regular, color: rgb(0.1, 0.2, 0.6) });
      }
      y -= 10;
      continue;
    }
    if (block.right !== undefined) {
      // Two columns on the same baselines: the left from the margin, the right from the middle.
      const half = width * 0.5 - 8;
      const leftLines = wrap(block.text, font, half, 0);
      const rightLines = wrap(block.right, font, half, 0);
      for (let i = 0; i < Math.max(leftLines.length, rightLines.length); i++) {
        newLine();
        if (leftLines[i]) page.drawText(leftLines[i]!, { x: MARGIN.left, y, size: FONT_SIZE, font, color: rgb(0, 0, 0) });
        if (rightLines[i]) page.drawText(rightLines[i]!, { x: MARGIN.left + width * 0.5 + 8, y, size: FONT_SIZE, font, color: rgb(0, 0, 0) });
      }
      continue;
    }
    wrap(block.text, font, width, indent).forEach((line, i) => {
      newLine();
      const w = font.widthOfTextAtSize(line, FONT_SIZE);
      const x = block.align === 'center' ? MARGIN.left + (width - w) / 2
        : block.align === 'right' ? MARGIN.left + width - w
        : MARGIN.left + (i === 0 ? indent : 0);
      page.drawText(line, { x, y, size: FONT_SIZE, font, color: rgb(0, 0, 0) });
    });
  }
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

/** One page degraded like a scan: slight rotation, blur, grey speckle, JPEG. */
async function degradePage(png: Buffer, seed: number): Promise<Buffer> {
  const rng = createPrng(seed);
  const angle = (rng.chance(0.5) ? 1 : -1) * (0.5 + rng.next() * 1.5);
  const base = sharp(png).flatten({ background: '#ffffff' }).greyscale();
  const { width, height } = await base.metadata();
  const rotated = await base
    .rotate(angle, { background: '#ffffff' })
    .blur(0.3 + rng.next() * 0.4)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { data, info } = rotated;
  // Paper grain and toner speckle: ±noise on every pixel, a few dark dots.
  const amplitude = 18 + rng.int(0, 14);
  const channels = info.channels;
  for (let i = 0; i < data.length; i += channels) {
    const v = data[i]! + Math.round((rng.next() - 0.5) * 2 * amplitude);
    const dot = rng.next() < 0.0004 ? -140 : 0;
    const out = Math.max(0, Math.min(255, v + dot));
    for (let c = 0; c < channels; c++) data[i + c] = out;
  }
  // Back to the page size: crop the centre of the rotated (larger) canvas.
  const left = Math.max(0, Math.floor((info.width - width!) / 2));
  const top = Math.max(0, Math.floor((info.height - height!) / 2));
  return sharp(data, { raw: { width: info.width, height: info.height, channels } })
    .extract({ left, top, width: Math.min(width!, info.width), height: Math.min(height!, info.height) })
    .greyscale()
    .jpeg({ quality: 55 + rng.int(0, 20), mozjpeg: false })
    .toBuffer();
}

/** An image-only PDF whose pages are the degraded rasters of `textPdf`. */
async function renderScannedPdf(textPdf: Buffer, seed: number): Promise<Buffer> {
  const source = await openPdf(textPdf);
  const out = await PDFDocument.create({ updateMetadata: false });
  out.setCreationDate(FIXED_DATE);
  out.setModificationDate(FIXED_DATE);
  out.setProducer('konveyer sandbox scanner');
  try {
    for (let n = 1; n <= source.numPages; n++) {
      const jpeg = await degradePage(await source.renderPng(n, SCAN_DPI), deriveSeed(seed, `page:${n}`));
      const image = await out.embedJpg(jpeg);
      const page = out.addPage([A4.width, A4.height]);
      page.drawImage(image, { x: 0, y: 0, width: A4.width, height: A4.height });
    }
  } finally {
    await source.close();
  }
  return Buffer.from(await out.save({ useObjectStreams: false }));
}

/**
 * The PDF of one FSSP document.
 * @example renderFsspDocument(spec, { scanned: true, seed: 7 }) // image-only, rotated, noisy
 */
export async function renderFsspDocument(spec: FsspDocumentSpec, options: RenderFsspDocumentOptions): Promise<Buffer> {
  const textPdf = await renderTextPdf(documentBlocks(spec));
  return options.scanned ? renderScannedPdf(textPdf, deriveSeed(options.seed, 'scan')) : textPdf;
}
