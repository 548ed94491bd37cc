/**
 * Clean-up of captcha images before OCR, with sharp and a little pixel arithmetic.
 *
 * The sudrf captchas (fixtures `sudrf/captcha/*`) are drawn in ONE anti-aliased ink on a flat
 * background, and struck through with 1-px solid lines of random colours painted over the digits.
 * Every text pixel therefore lies on the colour segment background→ink (its anti-aliasing blend),
 * while a line pixel lies off it. The `ink*` variants find that ink, keep only the pixels on the
 * segment (as a coverage 0..1), and fill the holes the lines punched into the digits from the
 * neighbours across the line. The `upright*` variants also cut the ink into the expected number of
 * glyphs and stand each upright (glyph-segmentation.ts). The `grey` variant is a plain fallback for
 * captchas of other styles.
 */
import sharp from 'sharp';
import { straightenGlyphs } from './glyph-segmentation.ts';
import { cleanupFsspCaptcha, FSSP_CLEANUP_VARIANTS, isFsspCleanupVariant } from './fssp-cleanup.ts';

/** Names of the clean-up variants, tried in this order by default. */
export const CLEANUP_VARIANTS = ['upright', 'ink', 'ink-bold', 'ink-thin', 'upright-bold', 'grey'] as const;
/** Every variant a solver may name: the sudrf ones above plus the FSSP ones (fssp-cleanup.ts). */
export const ALL_CLEANUP_VARIANTS = [...CLEANUP_VARIANTS, ...FSSP_CLEANUP_VARIANTS] as const;
export type CleanupVariant = (typeof ALL_CLEANUP_VARIANTS)[number];

/** An RGB image as raw bytes (3 channels). */
interface Rgb {
  data: Buffer;
  width: number;
  height: number;
}

/** Background and ink colours found in an image. */
export interface InkEstimate {
  background: [number, number, number];
  ink: [number, number, number];
  /** How many pixels sit on the background→ink blend (anti-aliasing evidence). */
  support: number;
}

// Max RGB distance of a pixel from the background→ink segment to count as text.
const ON_SEGMENT_TOLERANCE = 26;
// Upscaling factor: tesseract reads glyphs 30–40 px high best; the originals are ~16 px.
const SCALE = 4;

async function readRgb(image: Buffer): Promise<Rgb> {
  const { data, info } = await sharp(image)
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new TypeError(`captcha image: expected 3 channels, got ${info.channels}`);
  return { data, width: info.width, height: info.height };
}

/**
 * Finds the background (most frequent colour) and the ink: among the frequent solid colours, the one
 * with the most pixels blended between it and the background. Strike lines are solid (no blend),
 * so they lose. Returns null when nothing looks like anti-aliased ink (e.g. a JPEG of another style).
 */
export function estimateInk(rgb: Rgb): InkEstimate | null {
  const { data } = rgb;
  const counts = new Map<number, number>();
  for (let i = 0; i < data.length; i += 3) {
    const key = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const bgKey = sorted[0]![0];
  const bg: [number, number, number] = [(bgKey >> 16) & 255, (bgKey >> 8) & 255, bgKey & 255];
  let best: InkEstimate | null = null;
  for (const [key, count] of sorted.slice(1, 13)) {
    if (count < 10) break;
    const c: [number, number, number] = [(key >> 16) & 255, (key >> 8) & 255, key & 255];
    const v = [c[0] - bg[0], c[1] - bg[1], c[2] - bg[2]] as const;
    const len2 = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
    if (len2 < 60 * 60) continue;
    let support = 0;
    for (let i = 0; i < data.length; i += 3) {
      const p0 = data[i]! - bg[0];
      const p1 = data[i + 1]! - bg[1];
      const p2 = data[i + 2]! - bg[2];
      const t = (p0 * v[0] + p1 * v[1] + p2 * v[2]) / len2;
      if (t <= 0.08 || t >= 0.92) continue;
      const d0 = p0 - t * v[0];
      const d1 = p1 - t * v[1];
      const d2 = p2 - t * v[2];
      if (d0 * d0 + d1 * d1 + d2 * d2 < 12 * 12) support++;
    }
    if (!best || support > best.support) best = { background: bg, ink: c, support };
  }
  return best && best.support >= 15 ? best : null;
}

/**
 * Coverage map 0..1 of the ink (1 = full ink). Pixels off the background→ink segment (strike lines,
 * noise) are filled from their neighbours across the line, so a digit cut by a line is whole again.
 */
export function inkCoverage(rgb: Rgb, est: InkEstimate): Float32Array {
  const { data, width, height } = rgb;
  const bg = est.background;
  const v = [est.ink[0] - bg[0], est.ink[1] - bg[1], est.ink[2] - bg[2]] as const;
  const len2 = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
  const cov = new Float32Array(width * height);
  for (let px = 0; px < width * height; px++) {
    const i = px * 3;
    const p0 = data[i]! - bg[0];
    const p1 = data[i + 1]! - bg[1];
    const p2 = data[i + 2]! - bg[2];
    const t = Math.min(1, Math.max(0, (p0 * v[0] + p1 * v[1] + p2 * v[2]) / len2));
    const d0 = p0 - t * v[0];
    const d1 = p1 - t * v[1];
    const d2 = p2 - t * v[2];
    cov[px] = d0 * d0 + d1 * d1 + d2 * d2 <= ON_SEGMENT_TOLERANCE * ON_SEGMENT_TOLERANCE ? t : Number.NaN;
  }
  // Fill the line pixels. Lines are 1 px and mostly horizontal, so look up/down first (two steps,
  // for two adjacent lines), then left/right for steep lines, then any known neighbour.
  const out = new Float32Array(cov);
  const at = (x: number, y: number): number =>
    x < 0 || y < 0 || x >= width || y >= height ? 0 : cov[y * width + x]!;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!Number.isNaN(cov[y * width + x]!)) continue;
      const pairs: Array<[number, number]> = [
        [at(x, y - 1), at(x, y + 1)],
        [at(x, y - 2), at(x, y + 2)],
        [at(x - 1, y), at(x + 1, y)],
      ];
      let value = Number.NaN;
      for (const [a, b] of pairs) {
        if (!Number.isNaN(a) && !Number.isNaN(b)) {
          value = (a + b) / 2;
          break;
        }
      }
      if (Number.isNaN(value)) {
        let sum = 0;
        let n = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const a = at(x + dx, y + dy);
            if (!Number.isNaN(a) && (dx || dy)) {
              sum += a;
              n++;
            }
          }
        }
        value = n ? sum / n : 0;
      }
      out[y * width + x] = value;
    }
  }
  return out;
}

/** Black-on-white, upscaled, blurred and thresholded PNG from a coverage map. */
async function renderCoverage(cov: Float32Array, width: number, height: number, threshold: number, blur: number): Promise<Buffer> {
  const grey = Buffer.alloc(width * height);
  for (let i = 0; i < cov.length; i++) grey[i] = Math.round(255 * (1 - cov[i]!));
  return sharp(grey, { raw: { width, height, channels: 1 } })
    .resize(width * SCALE, height * SCALE, { kernel: 'cubic' })
    .blur(blur)
    .threshold(threshold)
    // A white margin: tesseract misses glyphs that touch the border.
    .extend({ top: 24, bottom: 24, left: 24, right: 24, background: '#ffffff' })
    .png()
    .toBuffer();
}

/**
 * Produces the cleaned image for one variant, or null when the variant does not apply to this
 * image (the `ink*`/`upright*` variants need an anti-aliased single ink; `upright*` needs `length`).
 */
export async function cleanupCaptcha(image: Buffer, variant: CleanupVariant, length?: number): Promise<Buffer | null> {
  if (isFsspCleanupVariant(variant)) return cleanupFsspCaptcha(image, variant);
  const rgb = await readRgb(image);
  if (variant === 'grey') {
    // A flat image has nothing to read (tesseract would only print debug noise on it).
    const { channels } = await sharp(image).greyscale().stats();
    if ((channels[0]?.stdev ?? 0) < 4) return null;
    // Generic fallback: grey, stretch contrast, upscale, median against speckles, Otsu-like cut.
    return sharp(image)
      .flatten({ background: '#ffffff' })
      .greyscale()
      .normalise()
      .resize(rgb.width * SCALE, rgb.height * SCALE, { kernel: 'cubic' })
      .median(3)
      .threshold(150)
      .extend({ top: 24, bottom: 24, left: 24, right: 24, background: '#ffffff' })
      .png()
      .toBuffer();
  }
  const est = estimateInk(rgb);
  if (!est) return null;
  const cov = inkCoverage(rgb, est);
  if (variant === 'upright' || variant === 'upright-bold') {
    // Needs to know how many glyphs to cut the ink into.
    if (length === undefined) return null;
    const row = straightenGlyphs({ data: cov, width: rgb.width, height: rgb.height }, length);
    if (!row) return null;
    return variant === 'upright'
      ? renderCoverage(row.data, row.width, row.height, 150, 1.2)
      : renderCoverage(row.data, row.width, row.height, 200, 1.6);
  }
  // sharp's threshold(): pixels >= value become white. Higher value = more ink kept = bolder.
  if (variant === 'ink') return renderCoverage(cov, rgb.width, rgb.height, 150, 1.2);
  if (variant === 'ink-bold') return renderCoverage(cov, rgb.width, rgb.height, 200, 1.6);
  return renderCoverage(cov, rgb.width, rgb.height, 100, 0.8);
}

