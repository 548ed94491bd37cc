/**
 * Whether a picture still reads: which of a list of strings (a case number, party names) OCR finds
 * in it. Used to choose the screenshot quality of browser evidence — the lowest one at which every
 * string the lossless PNG gives is still read (bench/screenshot-format.bench.ts,
 * test/evidence/screenshot-legibility.e2e.test.ts).
 */
import sharp from 'sharp';
import type { OcrEngine } from './ocr-engine.ts';

/** Letters and digits only, lower case, ё as е: what is compared of an OCR text and a wanted string. */
export function legibilityKey(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е').replace(/[^0-9a-zа-я]+/g, '');
}

/** What {@link readStrings} found: the strings read, the ones not read, the OCR text. */
export interface LegibilityResult {
  read: string[];
  missed: string[];
  text: string;
  confidence: number;
}

/**
 * OCRs `image` (any format sharp reads: png, jpeg, webp; decoded to PNG first, so every format
 * meets the engine the same way) and reports which `wanted` strings are in the text, compared by
 * {@link legibilityKey} (spacing, punctuation, quotes and case ignored; letters and digits exact).
 */
export async function readStrings(engine: OcrEngine, image: Buffer, wanted: string[]): Promise<LegibilityResult> {
  const png = await sharp(image).png().toBuffer();
  const { text, confidence } = await engine.recognize(png);
  const key = legibilityKey(text);
  const read = wanted.filter((w) => key.includes(legibilityKey(w)));
  return { read, missed: wanted.filter((w) => !read.includes(w)), text, confidence };
}
