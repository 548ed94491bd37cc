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
    const entries = (await Promise.all(this.#entries)).filter((e): e is Entry => e !== null).reverse();
    const sizes = new Map<string, Entry[]>();
    for (const e of entries) {
      const key = `${e.width}x${e.height}`;
      sizes.set(key, [...(sizes.get(key) ?? []), e]);
    }
    for (const same of sizes.values()) {
      // The probe brought to this size: a screenshot may carry a border or a gap, or another scale.
      const fitted = await fit(image, probe, same);
      if (!fitted) continue;
      const match = same.find((e) => meanDiff(e.grey, fitted.grey) < fitted.tolerance);
      if (match) return match.answer;
    }
    return null;
  }
}

/** Offsets tried when a screenshot is a few pixels larger than the picture (its CSS border, a baseline gap). */
const MAX_FRAME = 6;

/**
 * The probe as a picture of the entries' size: itself; the window of it that best matches one of
 * the newest entries when it is up to {@link MAX_FRAME} px larger (the kcaptcha gate's <img> has a
 * 1 px border and sits on a text baseline); resized when it has the same shape at another scale
 * (a screenshot at another device pixel ratio); else null.
 */
async function fit(image: Buffer, probe: { width: number; height: number; grey: Buffer }, same: Entry[]): Promise<{ grey: Buffer; tolerance: number } | null> {
  const { width: w, height: h } = same[0]!;
  if (probe.width === w && probe.height === h) return { grey: probe.grey, tolerance: SAME_PICTURE };
  const dw = probe.width - w;
  const dh = probe.height - h;
  if (dw >= 0 && dh >= 0 && dw <= MAX_FRAME && dh <= MAX_FRAME) {
    let best: { grey: Buffer; diff: number } | null = null;
    for (let oy = 0; oy <= dh; oy++) {
      for (let ox = 0; ox <= dw; ox++) {
        const window = crop(probe.grey, probe.width, ox, oy, w, h);
        for (const e of same.slice(0, 30)) {
          const diff = meanDiff(e.grey, window);
          if (!best || diff < best.diff) best = { grey: window, diff };
        }
      }
    }
    return best && { grey: best.grey, tolerance: SAME_PICTURE };
  }
  if (Math.abs(probe.width / probe.height - w / h) > 0.03) return null;
  const { data } = await sharp(image).flatten({ background: '#ffffff' }).greyscale().resize(w, h, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  return { grey: data, tolerance: SAME_PICTURE_RESIZED };
}

function crop(grey: Buffer, width: number, ox: number, oy: number, w: number, h: number): Buffer {
  const out = Buffer.alloc(w * h);
  for (let y = 0; y < h; y++) grey.copy(out, y * w, (y + oy) * width + ox, (y + oy) * width + ox + w);
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
