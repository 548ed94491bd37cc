/**
 * The hand-written FSSP document corpus (test/fixtures/documents/, see its README): loads each
 * document with the expected fields typed beside it, and draws the typed text — nothing else — as
 * a text-layer PDF (A4, DejaVu Serif) or as a scan (rasterised, rotated, noisy, JPEG, no text
 * layer). Independent of the sandbox generator: it knows only the corpus markup
 * (`= centred`, `> right`, `left || right`, a wide gap `a      b`, `---page---`, `[[stamp … ]]`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import sharp from 'sharp';
import { openPdf } from '../../ocr/pdf-pages.ts';

/** Where the corpus lives. */
export const CORPUS_DIR = new URL('../fixtures/documents/', import.meta.url).pathname;

/** One document of the corpus. */
export interface CorpusDocument {
  name: string;
  /** `text` = typed markup to draw; `xml` = an FSSP XML file as is. */
  format: 'text' | 'xml';
  /** The file's bytes (markup as UTF-8, XML in its own encoding). */
  bytes: Buffer;
  expected: { kind: string; fields: Record<string, unknown> };
}

/** Every document of the corpus, in file order. */
export function loadHandCorpus(): CorpusDocument[] {
  const files = readdirSync(CORPUS_DIR).filter((f) => /\.(txt|xml)$/.test(f)).sort();
  return files.map((file) => {
    const name = file.replace(/\.(txt|xml)$/, '');
    return {
      name,
      format: file.endsWith('.xml') ? 'xml' : 'text',
      bytes: readFileSync(join(CORPUS_DIR, file)),
      expected: JSON.parse(readFileSync(join(CORPUS_DIR, `${name}.json`), 'utf8')) as CorpusDocument['expected'],
    };
  });
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = { left: 64, right: 40, top: 48, bottom: 48 };
const SIZE = 11;
const LEADING = 14.5;
const FIXED_DATE = new Date('2025-01-01T00:00:00Z');
const FONT_DIR = '/usr/share/fonts/truetype/dejavu';

function wrap(text: string, font: PDFFont, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    const next = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(next, SIZE) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** A text-layer PDF of one corpus document's markup. */
export async function renderCorpusPdf(markup: string): Promise<Buffer> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.registerFontkit(fontkit);
  const regular = await pdf.embedFont(readFileSync(`${FONT_DIR}/DejaVuSerif.ttf`), { subset: true });
  const bold = await pdf.embedFont(readFileSync(`${FONT_DIR}/DejaVuSerif-Bold.ttf`), { subset: true });
  pdf.setCreationDate(FIXED_DATE);
  pdf.setModificationDate(FIXED_DATE);
  const width = A4.width - MARGIN.left - MARGIN.right;
  let page: PDFPage = pdf.addPage([A4.width, A4.height]);
  let y = A4.height - MARGIN.top;
  const newPage = () => {
    page = pdf.addPage([A4.width, A4.height]);
    y = A4.height - MARGIN.top;
  };
  const advance = () => {
    if (y - LEADING < MARGIN.bottom) newPage();
    y -= LEADING;
  };
  const draw = (s: string, x: number, font = regular) => page.drawText(s, { x, y, size: SIZE, font, color: rgb(0, 0, 0) });
  const lines = markup.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '---page---') { newPage(); continue; }
    if (raw.trim() === '') { y -= LEADING / 2; continue; }
    if (raw.startsWith('[[stamp')) {
      const body: string[] = [];
      while (++i < lines.length && lines[i]!.trim() !== ']]') body.push(lines[i]!.trim());
      const boxW = 300;
      const boxH = body.length * LEADING + 10;
      if (y - boxH - 10 < MARGIN.bottom) newPage();
      y -= 8;
      const left = MARGIN.left + (width - boxW) / 2;
      page.drawRectangle({ x: left, y: y - boxH, width: boxW, height: boxH, borderColor: rgb(0.1, 0.2, 0.6), borderWidth: 1.2 });
      for (const s of body) {
        y -= LEADING;
        page.drawText(s, { x: left + 8, y: y + 2, size: 9, font: regular, color: rgb(0.1, 0.2, 0.6) });
      }
      y -= 10;
      continue;
    }
    if (raw.includes('||')) {
      const [l, r] = raw.split('||').map((s) => s.trim());
      advance();
      if (l) draw(l, MARGIN.left);
      if (r) draw(r, MARGIN.left + width * 0.56);
      continue;
    }
    const gap = /^(.*\S) {3,}(\S.*)$/.exec(raw);
    if (gap) {
      advance();
      draw(gap[1]!.trim(), MARGIN.left);
      draw(gap[2]!.trim(), MARGIN.left + width - regular.widthOfTextAtSize(gap[2]!.trim(), SIZE));
      continue;
    }
    const centred = raw.startsWith('= ');
    const right = raw.startsWith('> ');
    const text = centred || right ? raw.slice(2) : raw;
    const font = centred ? bold : regular;
    wrap(text, font, centred ? width - 40 : width).forEach((s, n) => {
      advance();
      const w = font.widthOfTextAtSize(s, SIZE);
      draw(s, centred ? MARGIN.left + (width - w) / 2 : right ? MARGIN.left + width - w : MARGIN.left + (n === 0 && !centred && !right ? 24 : 0), font);
    });
  }
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

/** Options of `renderCorpusScan`. */
export interface CorpusScanOptions {
  /** Rotation in degrees (a sheet fed askew), e.g. 1.5 or -2.5. */
  angleDeg: number;
  /** ± grey noise per pixel, 0–40. */
  noise: number;
  /** JPEG quality, 40–90. */
  quality: number;
  /** Scan resolution; default 200 DPI. */
  dpi?: number;
}

/** A tiny deterministic PRNG (mulberry32) so the same options give the same scan. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An image-only PDF: every page of `textPdf` rasterised, rotated, speckled and stored as JPEG. */
export async function renderCorpusScan(textPdf: Buffer, options: CorpusScanOptions): Promise<Buffer> {
  const source = await openPdf(textPdf);
  const out = await PDFDocument.create({ updateMetadata: false });
  out.setCreationDate(FIXED_DATE);
  out.setModificationDate(FIXED_DATE);
  const random = prng(Math.round(options.angleDeg * 1000) + options.noise * 7 + options.quality);
  try {
    for (let n = 1; n <= source.numPages; n++) {
      const png = await source.renderPng(n, options.dpi ?? 200);
      const base = sharp(png).flatten({ background: '#ffffff' }).greyscale();
      const { width, height } = await base.metadata();
      const { data, info } = await base.rotate(options.angleDeg, { background: '#ffffff' }).blur(0.5).raw().toBuffer({ resolveWithObject: true });
      for (let i = 0; i < data.length; i += info.channels) {
        const v = data[i]! + Math.round((random() - 0.5) * 2 * options.noise) + (random() < 0.0003 ? -150 : 0);
        const out8 = Math.max(0, Math.min(255, v));
        for (let c = 0; c < info.channels; c++) data[i + c] = out8;
      }
      const jpeg = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
        .extract({ left: Math.max(0, Math.floor((info.width - width!) / 2)), top: Math.max(0, Math.floor((info.height - height!) / 2)), width: Math.min(width!, info.width), height: Math.min(height!, info.height) })
        .jpeg({ quality: options.quality })
        .toBuffer();
      const image = await out.embedJpg(jpeg);
      out.addPage([A4.width, A4.height]).drawImage(image, { x: 0, y: 0, width: A4.width, height: A4.height });
    }
  } finally {
    await source.close();
  }
  return Buffer.from(await out.save({ useObjectStreams: false }));
}

/** The scan settings of corpus document `index` (varied: angle −3…+3°, noise, JPEG quality). */
export function scanOptionsOf(index: number): CorpusScanOptions {
  const angles = [1.2, -2.0, 0.6, -1.4, 2.6, -0.8, 1.8, -2.8];
  return { angleDeg: angles[index % angles.length]!, noise: 12 + (index * 7) % 20, quality: 50 + (index * 11) % 35 };
}
