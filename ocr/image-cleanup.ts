/**
 * Image clean-up before recognition (sharp): greyscale, a median filter against scanner speckle,
 * deskew by projection profiles (the angle at which the rows of dark pixels are most sharply
 * separated), contrast stretch, optional binarisation. Tesseract's own layout analysis copes with
 * about ±1°, scans arrive rotated up to 2° and more, so deskew is what buys accuracy here.
 */
import sharp from 'sharp';

/** Options of `cleanUpPage`. */
export interface CleanUpOptions {
  /** Threshold 0–255 for binarisation; null keeps greys (tesseract binarises with Otsu itself). Default null. */
  binarizeThreshold?: number | null;
  /** Largest skew searched, degrees. Default 4. */
  maxSkewDeg?: number;
}

/** Width the skew search works on: enough for text lines, cheap to scan. */
const PROBE_WIDTH = 900;

/**
 * The skew of a page in degrees, clockwise positive as sharp's `rotate` counts it (rotate by the
 * negative to straighten). Projection profile: for each candidate angle, bin the dark pixels by
 * `y - x·tan(a)` and score the sum of squared bin counts — highest when text lines fall into bins.
 */
export async function estimateSkewDeg(image: Buffer, maxSkewDeg = 4): Promise<number> {
  const { data, info } = await sharp(image).greyscale().resize({ width: PROBE_WIDTH }).normalise().raw().toBuffer({ resolveWithObject: true });
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      if (data[y * info.width + x]! < 110) { xs.push(x); ys.push(y); }
    }
  }
  if (xs.length < 200) return 0;
  const score = (deg: number): number => {
    const t = Math.tan((deg * Math.PI) / 180);
    const offset = Math.ceil(Math.abs(t) * info.width) + 1;
    const bins = new Float64Array(info.height + 2 * offset);
    for (let i = 0; i < xs.length; i++) bins[Math.round(ys[i]! - xs[i]! * t) + offset]! += 1;
    let s = 0;
    for (const b of bins) s += b * b;
    return s;
  };
  let best = 0;
  let bestScore = score(0);
  // Coarse then fine search: 0.25° steps, then 0.05° around the best.
  for (let d = -maxSkewDeg; d <= maxSkewDeg + 1e-9; d += 0.25) {
    const s = score(d);
    if (s > bestScore) { best = d; bestScore = s; }
  }
  const coarse = best;
  for (let d = coarse - 0.25; d <= coarse + 0.25 + 1e-9; d += 0.05) {
    const s = score(d);
    if (s > bestScore) { best = d; bestScore = s; }
  }
  return Math.round(best * 100) / 100;
}

/**
 * The page cleaned for OCR, as 8-bit greyscale PGM (binary `P5`: a short header and the raw
 * pixels), with the skew it removed. Raw pixels rather than PNG: tesseract.js decodes its input
 * inside the wasm (Leptonica's zlib). Measured (sandbox pages at 300 DPI, 3 clean + 3 scanned × 3
 * rounds, one-off screening run, load 2–5): tesseract.js 3.2–3.4 CPU-s per page from PGM against
 * 3.8–4.1 from PNG, 9.8–10.7 s against 12.0–13.1 s for the 6 pages, the same text (CER unchanged).
 * Both tesseract.js and the `tesseract` CLI read PGM.
 */
export async function cleanUpPage(image: Buffer, options: CleanUpOptions = {}): Promise<{ image: Buffer; skewDeg: number }> {
  const skewDeg = await estimateSkewDeg(image, options.maxSkewDeg ?? 4);
  let pipeline = sharp(image).flatten({ background: '#ffffff' }).greyscale().median(3);
  if (Math.abs(skewDeg) >= 0.1) pipeline = pipeline.rotate(-skewDeg, { background: '#ffffff' });
  pipeline = pipeline.normalise();
  if (options.binarizeThreshold != null) pipeline = pipeline.threshold(options.binarizeThreshold);
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  // greyscale() leaves one channel; keep the check so a change upstream cannot feed tesseract a wrong header.
  if (info.channels !== 1) throw new Error(`cleanUpPage: expected 1 channel, got ${info.channels}`);
  return { image: Buffer.concat([Buffer.from(`P5\n${info.width} ${info.height}\n255\n`, 'latin1'), data]), skewDeg };
}
