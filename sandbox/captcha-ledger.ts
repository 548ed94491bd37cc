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
/** The same for a probe that had to be resized (resampling blurs the 1 px lines); two different pictures differ by 20 and more. */
const SAME_PICTURE_RESIZED = 12;

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
    // The probe brought to each size the sandbox drew at (a screenshot may carry a border or a scale).
    const fitted = new Map<string, Buffer | null>();
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i];
      if (!e) continue;
      const key = `${e.width}x${e.height}`;
      if (!fitted.has(key)) fitted.set(key, await fit(image, probe, e.width, e.height));
      const inner = fitted.get(key);
      const resized = probe.width !== e.width && probe.width - e.width !== probe.height - e.height;
      if (inner && meanDiff(e.grey, inner) < (resized ? SAME_PICTURE_RESIZED : SAME_PICTURE)) return e.answer;
    }
    return null;
  }
}

/**
 * The probe as a `w`×`h` grey picture: itself at that size; its inside when it is the picture with
 * a border of up to 3 px (the kcaptcha gate's <img> has a CSS border); resized when it has the same
 * shape at another scale (a screenshot at another device pixel ratio); else null.
 */
async function fit(image: Buffer, probe: { width: number; height: number; grey: Buffer }, w: number, h: number): Promise<Buffer | null> {
  if (probe.width === w && probe.height === h) return probe.grey;
  const border = (probe.width - w) / 2;
  if (Number.isInteger(border) && border > 0 && border <= 3 && probe.height - h === 2 * border) return crop(probe.grey, probe.width, border, w, h);
  if (Math.abs(probe.width / probe.height - w / h) > 0.03) return null;
  const { data } = await sharp(image).flatten({ background: '#ffffff' }).greyscale().resize(w, h, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  return data;
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
