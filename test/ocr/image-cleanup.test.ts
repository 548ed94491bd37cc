/** cleanUpPage hands the engine raw pixels (PGM), and tesseract.js reads them: a page written here, read back. */
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { cleanUpPage, createOcrEngine } from '../../ocr/index.ts';

/** A page drawn here (librsvg, DejaVu Sans), slightly rotated like a scan. */
async function writtenPage(): Promise<Buffer> {
  const lines = ['ПОСТАНОВЛЕНИЕ', 'об окончании исполнительного производства', 'Номер 12345/24/77001-ИП от 17.03.2025'];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1700" height="700"><rect width="100%" height="100%" fill="#fff"/>${lines
    .map((l, i) => `<text x="80" y="${160 + i * 110}" font-family="DejaVu Sans" font-size="52" fill="#000">${l}</text>`).join('')}</svg>`;
  return sharp(Buffer.from(svg)).rotate(1.5, { background: '#ffffff' }).png().toBuffer();
}

describe('cleanUpPage', () => {
  it('gives 8-bit greyscale PGM (header + width × height bytes) that the OCR engine reads', async () => {
    const { image, skewDeg } = await cleanUpPage(await writtenPage());
    const header = /^P5\n(\d+) (\d+)\n255\n/.exec(image.subarray(0, 32).toString('latin1'));
    expect(header).not.toBeNull();
    const [, w, h] = header!;
    expect(image.length).toBe(header![0].length + Number(w) * Number(h));
    expect(Math.abs(skewDeg)).toBeGreaterThan(0.5);
    const engine = await createOcrEngine({ workers: 1 });
    try {
      const { text } = await engine.recognize(image);
      expect(text).toContain('ПОСТАНОВЛЕНИЕ');
      expect(text).toContain('об окончании исполнительного производства');
      expect(text.replace(/\s+/g, ' ')).toContain('12345/24/77001-ИП от 17.03.2025');
    } finally {
      await engine.close();
    }
  }, 60_000);
});
