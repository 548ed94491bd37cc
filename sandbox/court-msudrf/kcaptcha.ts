/**
 * The kcaptcha gate of the magistrate sites (TARGETS.md §2.1): sessions by cookie, a NEW answer and
 * image on every `/captcha.php` request (as PHP kcaptcha keeps only the last keystring in the
 * session), and the image itself. The real images are kcaptcha's (5–7 of «23456789abcdegikpqsvxyz»,
 * one dark ink, waved); the sandbox draws 5–6 of that alphabet, slightly rotated, with two thin
 * strike lines of another colour and no wave, so that the local OCR reads most of them.
 */
import sharp from 'sharp';
import { createPrng, type Prng } from '../data/prng.ts';
import { esc } from '../sudrf/html.ts';

/** kcaptcha's default alphabet (no look-alikes such as 0/o, 1/l). */
export const KCAPTCHA_ALPHABET = '23456789abcdegikpqsvxyz';
/** Session cookie name (the sites are PHP). */
export const SESSION_COOKIE = 'PHPSESSID';
const SESSION_TTL_MS = 30 * 60_000;

interface Session {
  verified: boolean;
  answer: string | null;
  touchedMs: number;
}

/** Gate sessions of every magistrate site of one sandbox, keyed by host + session id. */
export class KcaptchaSessions {
  readonly #sessions = new Map<string, Session>();
  readonly #rng: Prng;
  /** Images drawn so far (tests: a new image per request). */
  imagesDrawn = 0;

  constructor(seed: number, private readonly now: () => number) {
    this.#rng = createPrng(seed);
  }

  /** The session id from a Cookie header, or null. */
  static idFrom(cookie: string | string[] | undefined): string | null {
    const raw = Array.isArray(cookie) ? cookie.join('; ') : cookie ?? '';
    const m = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([a-z0-9]+)`).exec(raw);
    return m?.[1] ?? null;
  }

  /** An existing live session, or a new one (returned with `created`). */
  open(host: string, id: string | null): { id: string; created: boolean } {
    this.#prune();
    if (id && this.#sessions.has(`${host}|${id}`)) {
      this.#sessions.get(`${host}|${id}`)!.touchedMs = this.now();
      return { id, created: false };
    }
    const fresh = this.#rng.token(26);
    this.#sessions.set(`${host}|${fresh}`, { verified: false, answer: null, touchedMs: this.now() });
    return { id: fresh, created: true };
  }

  isVerified(host: string, id: string): boolean {
    return this.#sessions.get(`${host}|${id}`)?.verified ?? false;
  }

  /** Draws a new answer for the session (replacing the previous one) and returns it. */
  issue(host: string, id: string): string {
    const s = this.#sessions.get(`${host}|${id}`);
    const length = this.#rng.int(5, 6);
    const answer = Array.from({ length }, () => this.#rng.pick([...KCAPTCHA_ALPHABET])).join('');
    if (s) s.answer = answer;
    return answer;
  }

  /** Checks an answer; right → the session is verified. Any answer uses the keystring up. */
  check(host: string, id: string, response: string): boolean {
    const s = this.#sessions.get(`${host}|${id}`);
    if (!s || s.answer === null) return false;
    const ok = response.trim().toLowerCase() === s.answer;
    s.answer = null;
    if (ok) s.verified = true;
    return ok;
  }

  /** The current answer of a session (admin/test route). */
  answerOf(host: string, id: string): string | null {
    return this.#sessions.get(`${host}|${id}`)?.answer ?? null;
  }

  /** Draws the image of `answer`; seeded from the drawing counter so no two images repeat. */
  async draw(answer: string): Promise<Buffer> {
    this.imagesDrawn += 1;
    return drawKcaptcha(answer, (this.#rng.next() * 2 ** 32) >>> 0);
  }

  #prune(): void {
    const now = this.now();
    for (const [k, s] of this.#sessions) if (now - s.touchedMs > SESSION_TTL_MS) this.#sessions.delete(k);
  }
}

/** A kcaptcha-style PNG (160×60) showing `answer`. */
export async function drawKcaptcha(answer: string, seed: number): Promise<Buffer> {
  const rng = createPrng(seed);
  const w = 160;
  const h = 60;
  const ink = `rgb(${rng.int(0, 90)},${rng.int(0, 90)},${rng.int(60, 140)})`;
  const bg = `rgb(${rng.int(235, 255)},${rng.int(235, 255)},${rng.int(235, 255)})`;
  const parts = [`<rect width="${w}" height="${h}" fill="${bg}"/>`];
  const step = 20 + rng.next() * 2;
  let x = (w - step * answer.length) / 2 + rng.next() * 4;
  for (const ch of answer) {
    const y = 40 + rng.next() * 6;
    const angle = (rng.next() - 0.5) * 14;
    parts.push(`<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-family="DejaVu Sans" font-size="30" fill="${ink}" transform="rotate(${angle.toFixed(1)} ${(x + 9).toFixed(1)} ${(y - 10).toFixed(1)})">${esc(ch)}</text>`);
    x += step;
  }
  for (let i = 0; i < 2; i++) {
    const y1 = 10 + rng.next() * 40;
    parts.push(`<line x1="0" y1="${y1.toFixed(1)}" x2="${w}" y2="${(y1 + (rng.next() - 0.5) * 20).toFixed(1)}" stroke="rgb(${rng.int(120, 220)},${rng.int(120, 220)},${rng.int(0, 60)})" stroke-width="1"/>`);
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${parts.join('')}</svg>`;
  return sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).png().toBuffer();
}
