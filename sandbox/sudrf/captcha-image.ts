/**
 * The sudrf search captcha, drawn on the fly for the sandbox replica.
 *
 * Modelled on the real images in `fixtures/real/sudrf/captcha/*` (TARGETS.md §1.5): a 100×30 RGB PNG,
 * light grey background (#f3f3f3), five digits in one steel-blue ink (#006699, anti-aliased), each
 * digit rotated and shifted on its own, then several 1-px straight lines in random solid colours
 * drawn OVER the digits without anti-aliasing (long near-horizontal ones and a shorter steep one).
 * The real images carry no other noise; a few stray dots are added here so that a solver cannot
 * rely on a perfectly clean background.
 */
import sharp from 'sharp';

/** Width of the real sudrf captcha, px. */
export const SUDRF_CAPTCHA_WIDTH = 100;
/** Height of the real sudrf captcha, px. */
export const SUDRF_CAPTCHA_HEIGHT = 30;

// Colours measured on the real images (exact pixel values of background and full-ink text).
const BACKGROUND = '#f3f3f3';
const INK = '#006699';

/**
 * mulberry32: a tiny deterministic PRNG, so the same (answer, seed) always gives the same image.
 * Returns floats in [0, 1).
 */
export function createPrng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the answer: the default seed, so an image is reproducible from its answer alone. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A random 5-digit answer for a new captcha, derived from `seed` (leading zeros allowed, as on
 * the real site where any digit can come first).
 */
export function sudrfCaptchaAnswer(seed: number): string {
  const rnd = createPrng(seed ^ 0x5eed);
  let out = '';
  for (let i = 0; i < 5; i++) out += String(Math.floor(rnd() * 10));
  return out;
}

function between(rnd: () => number, min: number, max: number): number {
  return min + rnd() * (max - min);
}

function randomColour(rnd: () => number): string {
  const c = () => Math.floor(rnd() * 256).toString(16).padStart(2, '0');
  return `#${c()}${c()}${c()}`;
}

/** The SVG of one captcha (exported for tests and for debugging the look). */
export function sudrfCaptchaSvg(answer: string, seed: number): string {
  const rnd = createPrng(seed);
  const w = SUDRF_CAPTCHA_WIDTH;
  const h = SUDRF_CAPTCHA_HEIGHT;
  const parts: string[] = [`<rect x="0" y="0" width="${w}" height="${h}" fill="${BACKGROUND}"/>`];

  // Digits: the real ones sit ~14–16 px apart, start 8–14 px from the left edge, lean up to ~28°
  // either way and overlap their neighbour where two lean together (66 and 90 in the labelled set:
  // the local OCR's misreads there). Thin strokes, as the real ink (~2 px).
  const fontSize = between(rnd, 21, 23).toFixed(1);
  const step = Math.min(14.5, 72 / Math.max(answer.length, 1));
  let x = between(rnd, 8, 13);
  for (const ch of answer) {
    const dx = between(rnd, -1.2, 1.2);
    const baseline = between(rnd, 20, 26);
    const angle = between(rnd, -28, 28);
    const cx = x + dx + 6.5;
    const cy = baseline - 8;
    parts.push(
      `<text x="${(x + dx).toFixed(1)}" y="${baseline.toFixed(1)}" font-family="DejaVu Sans" ` +
        `font-size="${fontSize}" fill="${INK}" stroke="${INK}" stroke-width="0.2" transform="rotate(${angle.toFixed(1)} ${cx.toFixed(1)} ${cy.toFixed(1)})">${ch}</text>`,
    );
    x += step + between(rnd, -1, 1);
  }

  // Strike lines: 1 px, solid, not anti-aliased (crispEdges), drawn over the digits like the real
  // ones. Mostly long and nearly horizontal across the digit band, sometimes one steep short line.
  const lineCount = 4 + Math.floor(rnd() * 3);
  for (let i = 0; i < lineCount; i++) {
    let x1: number, y1: number, x2: number, y2: number;
    if (i === 0 && rnd() < 0.6) {
      x1 = between(rnd, 0, 40);
      y1 = rnd() < 0.5 ? between(rnd, 0, 6) : between(rnd, 24, 30);
      x2 = x1 + between(rnd, 25, 55);
      y2 = y1 < 15 ? between(rnd, 24, 30) : between(rnd, 0, 6);
    } else {
      x1 = between(rnd, 0, 25);
      x2 = between(rnd, 65, 100);
      y1 = between(rnd, 7, 27);
      y2 = y1 + between(rnd, -6, 6);
    }
    parts.push(
      `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" ` +
        `stroke="${randomColour(rnd)}" stroke-width="1" shape-rendering="crispEdges"/>`,
    );
  }

  // Light noise: a handful of single stray pixels.
  const dots = Math.floor(rnd() * 6);
  for (let i = 0; i < dots; i++) {
    parts.push(
      `<rect x="${Math.floor(rnd() * w)}" y="${Math.floor(rnd() * h)}" width="1" height="1" ` +
        `fill="${randomColour(rnd)}" shape-rendering="crispEdges"/>`,
    );
  }

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${parts.join('')}</svg>`;
}

/**
 * Draws a sudrf-style captcha PNG (100×30, RGB, no alpha) showing `answer`.
 *
 * @param answer the digits to show: 1–8 ASCII digits (the real site always uses 5).
 * @param seed optional seed for the layout, colours and lines; defaults to a hash of `answer`, so
 *   the same answer always draws the same image unless a seed is given.
 * @throws TypeError when `answer` is not 1–8 digits.
 * @example const png = await drawSudrfCaptcha('90299', 42); // `data: image/png;base64, ${png.toString('base64')}`
 */
export async function drawSudrfCaptcha(answer: string, seed?: number): Promise<Buffer> {
  if (!/^[0-9]{1,8}$/.test(answer)) {
    throw new TypeError(`drawSudrfCaptcha: answer must be 1-8 digits, got ${JSON.stringify(answer)}`);
  }
  const svg = sudrfCaptchaSvg(answer, seed ?? hashString(answer));
  return sharp(Buffer.from(svg))
    .flatten({ background: BACKGROUND })
    .removeAlpha()
    .png({ compressionLevel: 9 })
    .toBuffer();
}
