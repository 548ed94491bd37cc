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
      if (!e || e.width !== probe.width || e.height !== probe.height) continue;
      if (meanDiff(e.grey, probe.grey) < SAME_PICTURE) return e.answer;
    }
    return null;
  }
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
