/**
 * Every captcha picture the sandbox drew lately, with its answer: what the sandbox's replica of the
 * paid solving service (sandbox/rucaptcha/) and tests read a picture with. A picture is found again
 * by its pixels, not its bytes: the kcaptcha gate is read off an element screenshot (re-encoded by
 * Chromium), the sudrf and FSSP ones are the bytes sent.
 */
import sharp from 'sharp';

/** Pictures kept, oldest dropped first. */
const LIMIT = 2000;
/** Mean absolute difference per grey pixel (0..255) under which two pictures are the same one. */
const SAME_PICTURE = 6;

interface Entry {
  answer: string;
  width: number;
  height: number;
  grey: Buffer;
}

/** The pictures one sandbox drew; `note` them as they are sent, `read` them back. */
export class CaptchaLedger {
  readonly #entries: Promise<Entry | null>[] = [];

  /** Records a picture the sandbox sends with the answer it expects (decoding runs in the background). */
  note(image: Buffer, answer: string): void {
    this.#entries.push(greyOf(image).then((g) => (g ? { ...g, answer } : null)));
    if (this.#entries.length > LIMIT) this.#entries.shift();
  }

  /** The answer of a picture the sandbox drew (the newest match), or null when it drew none like it. */
  async read(image: Buffer): Promise<string | null> {
    const probe = await greyOf(image);
    if (!probe) return null;
    const entries = await Promise.all(this.#entries);
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i];
      if (!e) continue;
      // A screenshot of the <img> may carry its CSS border (the kcaptcha gate draws 1 px): compare the inside.
      const border = (probe.width - e.width) / 2;
      if (!Number.isInteger(border) || border < 0 || border > 3 || probe.height - e.height !== 2 * border) continue;
      const inner = border === 0 ? probe.grey : crop(probe.grey, probe.width, border, e.width, e.height);
      if (meanDiff(e.grey, inner) < SAME_PICTURE) return e.answer;
    }
    return null;
  }
}

function crop(grey: Buffer, width: number, border: number, w: number, h: number): Buffer {
  const out = Buffer.alloc(w * h);
  for (let y = 0; y < h; y++) grey.copy(out, y * w, (y + border) * width + border, (y + border) * width + border + w);
  return out;
}

async function greyOf(image: Buffer): Promise<{ width: number; height: number; grey: Buffer } | null> {
  try {
    const { data, info } = await sharp(image).flatten({ background: '#ffffff' }).greyscale().raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, grey: data };
  } catch {
    return null;
  }
}

function meanDiff(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}
