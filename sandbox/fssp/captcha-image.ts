/**
 * The FSSP «Введите код с картинки» captcha, drawn on the fly for the sandbox replica.
 *
 * Modelled on the real images in `fixtures/real/fssp/captcha_0*.jpg` (TARGETS.md §3.2): a 200×60
 * baseline JPEG (gd-jpeg, default quality), an off-white background with fine grey speckle, five
 * characters (lowercase Cyrillic subset + digits) in a dark navy serif ink, each with a pale
 * blue "shadow" copy offset up-left, sizes varying between characters (digits often larger),
 * small tilts, a loose baseline. No strike lines.
 */
import sharp from 'sharp';
import { createPrng, type Prng } from '../data/prng.ts';

/** Width of the real FSSP captcha, px. */
export const FSSP_CAPTCHA_WIDTH = 200;
/** Height of the real FSSP captcha, px. */
export const FSSP_CAPTCHA_HEIGHT = 60;
/**
 * Characters the sandbox draws: the lowercase Cyrillic letters and digits of the real answers
 * («дт7бж», «п2484», «ж8пж9», «л8м5к», «жд78т», «жсд4л», «пгб86», «лбпж7» …), the same 18 as the
 * solver's `cyrillic5` alphabet (robots/runtime/captcha/captcha-solver.ts says where they come from).
 */
export const FSSP_CAPTCHA_CHARS = 'бгджклмпрст2456789';

/** Letters the real images draw as capitals now and then (seen: П, М, Ж, Т). */
const CAPITAL_FORMS = 'пмжтгк';
const INK = ['#1d3a5f', '#203d63', '#1a3357'];
const SHADOW = '#a9cbe6';

/** A random 5-character answer from {@link FSSP_CAPTCHA_CHARS}. */
export function fsspCaptchaAnswer(rng: Prng): string {
  let out = '';
  for (let i = 0; i < 5; i++) out += FSSP_CAPTCHA_CHARS[rng.int(0, FSSP_CAPTCHA_CHARS.length - 1)];
  return out;
}

function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The SVG of one captcha (exported for tests and for tuning the look). */
export function fsspCaptchaSvg(answer: string, seed: number): string {
  const rng = createPrng(seed);
  const w = FSSP_CAPTCHA_WIDTH;
  const h = FSSP_CAPTCHA_HEIGHT;
  // Worn ink: the real strokes have ragged edges (a typewriter face, printed and JPEG'd), made here
  // by displacing the glyph's outline with fine noise; the pale copy is a little blurred.
  const defs =
    `<defs><filter id="rough" x="-10%" y="-10%" width="120%" height="120%"><feTurbulence type="fractalNoise" baseFrequency="0.9" numOctaves="1" seed="${rng.int(1, 999)}"/>` +
    `<feDisplacementMap in="SourceGraphic" scale="2.2" xChannelSelector="R" yChannelSelector="G"/></filter>` +
    `<filter id="soft"><feGaussianBlur stdDeviation="0.8"/></filter></defs>`;
  const parts: string[] = [defs, `<rect width="${w}" height="${h}" fill="#f7f8f9"/>`];
  // Speckle: the real background is a fine grey grain (JPEG noise over a textured fill).
  for (let i = 0; i < 260; i++) {
    const g = rng.int(200, 235);
    parts.push(`<rect x="${rng.int(0, w - 1)}" y="${rng.int(0, h - 1)}" width="1" height="1" fill="rgb(${g},${g + 4},${g + 8})"/>`);
  }
  const ink = rng.pick(INK);
  let x = rng.int(14, 24);
  const glyphs: string[] = [];
  for (const ch of answer) {
    const isDigit = /\d/.test(ch);
    // The real letters are slab serifs, several drawn as capitals («П2484», «ПМрлл», «П7жЖТ»);
    // the digits are a rounder, heavier serif and larger.
    const capital = !isDigit && CAPITAL_FORMS.includes(ch) && rng.chance(0.5);
    const family = isDigit ? rng.pick(['DejaVu Serif', 'Liberation Serif']) : rng.pick(['DejaVu Serif', 'DejaVu Serif Condensed']);
    const size = isDigit ? rng.int(30, 40) : capital ? rng.int(26, 31) : rng.int(28, 34);
    const baseline = rng.int(40, 46);
    const angle = (rng.next() - 0.5) * 14;
    const cx = x + size * 0.3;
    const cy = baseline - size * 0.35;
    const glyph = capital ? ch.toUpperCase() : ch;
    const text = (dx: number, dy: number, fill: string, filter: string) =>
      `<text x="${(x + dx).toFixed(1)}" y="${(baseline + dy).toFixed(1)}" font-family="${family}" font-weight="bold" ` +
      `font-size="${size}" fill="${fill}" filter="url(#${filter})" transform="rotate(${angle.toFixed(1)} ${cx.toFixed(1)} ${cy.toFixed(1)})">${glyph}</text>`;
    // The pale copy sits a few px up-left of the dark glyph, as on every real image, blurred wider.
    parts.push(text(-rng.int(2, 4), -rng.int(2, 5), SHADOW, 'soft'));
    glyphs.push(text(0, 0, ink, 'rough'));
    const wide = 'жмЖМ'.includes(glyph) ? 1.3 : 1;
    x += Math.round(size * wide * (isDigit ? 0.64 : capital ? 0.74 : 0.66)) + rng.int(2, 8);
  }
  parts.push(...glyphs);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${parts.join('')}</svg>`;
}

/**
 * Draws an FSSP-style captcha: a 200×60 baseline JPEG showing `answer`.
 * @param answer 1–8 characters of {@link FSSP_CAPTCHA_CHARS} (the real site uses 5).
 * @param seed layout seed; defaults to a hash of the answer (same answer → same image).
 * @throws TypeError on characters outside the alphabet.
 */
export async function drawFsspCaptcha(answer: string, seed?: number): Promise<Buffer> {
  if (!/^.{1,8}$/u.test(answer) || [...answer].some((ch) => !FSSP_CAPTCHA_CHARS.includes(ch))) {
    throw new TypeError(`drawFsspCaptcha: answer must be 1-8 of "${FSSP_CAPTCHA_CHARS}", got ${JSON.stringify(answer)}`);
  }
  const svg = fsspCaptchaSvg(answer, seed ?? hashString(answer));
  return sharp(Buffer.from(svg)).flatten({ background: '#f7f8f9' }).removeAlpha().jpeg({ quality: 75, chromaSubsampling: '4:2:0' }).toBuffer();
}
