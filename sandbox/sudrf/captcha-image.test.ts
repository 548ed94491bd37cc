import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { drawSudrfCaptcha, sudrfCaptchaAnswer, sudrfCaptchaSvg } from './captcha-image.ts';

/** Counts of exact RGB colours in a PNG. */
async function colourCounts(png: Buffer): Promise<Map<string, number>> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const counts = new Map<string, number>();
  for (let i = 0; i < data.length; i += info.channels) {
    const key = `${data[i]},${data[i + 1]},${data[i + 2]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

describe('drawSudrfCaptcha', () => {
  it('draws a 100×30 RGB PNG like the real sudrf captcha', async () => {
    const png = await drawSudrfCaptcha('90299', 7);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const meta = await sharp(png).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 100, height: 30, channels: 3, hasAlpha: false });
  });

  it('is reproducible from (answer, seed) and from the answer alone', async () => {
    expect((await drawSudrfCaptcha('12345', 99)).equals(await drawSudrfCaptcha('12345', 99))).toBe(true);
    expect((await drawSudrfCaptcha('12345')).equals(await drawSudrfCaptcha('12345'))).toBe(true);
    expect((await drawSudrfCaptcha('12345', 1)).equals(await drawSudrfCaptcha('12345', 2))).toBe(false);
    expect((await drawSudrfCaptcha('12345', 1)).equals(await drawSudrfCaptcha('12346', 1))).toBe(false);
  });

  it('uses the real palette: grey background, steel-blue ink, several solid strike-line colours', async () => {
    const counts = await colourCounts(await drawSudrfCaptcha('56667', 3));
    const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    expect(sorted[0]![0]).toBe('243,243,243'); // background measured on the real images
    expect(counts.get('0,102,153') ?? 0).toBeGreaterThan(40); // full-ink digit pixels
    // Strike lines: solid colours covering a run of pixels each (1-px lines, 25-100 px long).
    const solid = sorted.filter(([k, n]) => k !== '243,243,243' && k !== '0,102,153' && n >= 20);
    expect(solid.length).toBeGreaterThanOrEqual(2);
  });

  it('writes each digit of the answer, rotated, and 4–6 crisp lines', () => {
    const svg = sudrfCaptchaSvg('90299', 11);
    expect([...svg.matchAll(/<text [^>]*rotate\(-?[\d.]+ [^>]*>(\d)<\/text>/g)].map((m) => m[1]).join('')).toBe('90299');
    const lines = svg.match(/<line /g) ?? [];
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines.length).toBeLessThanOrEqual(6);
    expect(svg).toContain('shape-rendering="crispEdges"');
  });

  it('rejects answers that are not digits', async () => {
    await expect(drawSudrfCaptcha('12a45')).rejects.toThrow(TypeError);
    await expect(drawSudrfCaptcha('')).rejects.toThrow(TypeError);
  });

  it('derives 5-digit answers from a seed, spread over all digits', () => {
    const answers = Array.from({ length: 200 }, (_, i) => sudrfCaptchaAnswer(i));
    expect(answers.every((a) => /^\d{5}$/.test(a))).toBe(true);
    expect(sudrfCaptchaAnswer(5)).toBe(sudrfCaptchaAnswer(5));
    expect(new Set(answers).size).toBeGreaterThan(190);
    expect(new Set(answers.join('')).size).toBe(10);
  });
});
