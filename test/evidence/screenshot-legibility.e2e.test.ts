/**
 * The compact screenshot still reads: real Chromium draws sandbox case cards (sudrf and msudrf, tab
 * panes shown, full page) as the browser fetcher does, in the configured default format and quality,
 * and as a lossless PNG; the project's OCR engine (tesseract.js, rus+eng) reads both. Every one of
 * the case number and the party names that the PNG gives must be read from the default picture too.
 * The reference is what OCR reads from the PNG (the DOM only names the strings to look for), so a
 * quality change that blurs the text fails here; the PNG blurred (σ 4 px) is checked to lose text,
 * so the check is able to fail at all (WebP at quality 1 still read every string on these cards).
 */
import { chromium, type Browser, type Page } from 'playwright';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.ts';
import { createOcrEngine, type OcrEngine } from '../../ocr/index.ts';
import { readStrings } from '../../ocr/legibility.ts';
import { parseMsudrfCaseCard, parseSudrfCaseCard } from '../../parsers/index.ts';
import { msudrfCardPath } from '../../robots/court-msudrf/msudrf-urls.ts';
import { sudrfCardPath } from '../../robots/court-sudrf/sudrf-urls.ts';
import { CHROMIUM_ARGS } from '../../robots/runtime/browser-pool.ts';
import { captureFullPage, WEBP_MAX_PX } from '../../robots/runtime/screenshot.ts';
import { msudrfWorld } from '../../sandbox/court-msudrf/msudrf.data.ts';
import { startSandbox } from '../../sandbox/server.ts';

const config = loadConfig({});
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let browser: Browser;
let page: Page;
let engine: OcrEngine;

interface Card { url: string; reveal: string[]; parse: typeof parseSudrfCaseCard }
let cards: Card[];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 7 });
  const port = new URL(sandbox.url).port;
  const sudrf = sandbox.world.cases.filter((c) => c.srvNum === 1 && !sandbox.world.courts.find((k) => k.host === c.host)!.hasSearchCaptcha);
  const ms = msudrfWorld(sandbox.world);
  const open = ms.cases.filter((c) => !ms.courts.find((k) => k.host === c.host)!.hasGate);
  cards = [
    ...[sudrf[0]!, sudrf[5]!].map((c) => ({ url: `http://${c.host}:${port}${sudrfCardPath(String(c.caseId), c.caseUid)}`, reveal: ['div[id^="cont"]', 'div.lawcase-tab-content'], parse: parseSudrfCaseCard })),
    ...[open[0]!, open[3]!].map((c) => ({ url: `http://${c.host}:${port}${msudrfCardPath(c.caseId)}`, reveal: ['div#contentt > div.tab-content'], parse: parseMsudrfCaseCard })),
  ];
  browser = await chromium.launch({
    executablePath: config.browser.executablePath ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP *.sudrf.ru 127.0.0.1, MAP *.msudrf.ru 127.0.0.1'],
  });
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  engine = await createOcrEngine({ workers: 1 });
}, 120_000);

afterAll(async () => {
  await engine?.close();
  await browser?.close();
  await sandbox?.close();
});

async function draw(card: Card): Promise<{ wanted: string[]; png: Buffer; compact: Buffer; contentType: string }> {
  await page.goto(card.url, { waitUntil: 'domcontentloaded' });
  const record = card.parse(await page.content(), { url: page.url() });
  await page.evaluate((selectors) => {
    for (const el of document.querySelectorAll<HTMLElement>(selectors.join(','))) el.style.display = 'block';
  }, card.reveal);
  const { screenshotFormat: format, jpegQuality, webpQuality } = config.evidence;
  const png = (await captureFullPage(page, { format: 'png', jpegQuality, webpQuality })).body;
  const compact = await captureFullPage(page, { format, jpegQuality, webpQuality });
  return { wanted: [record.caseNumber!, ...record.parties.map((p) => p.name)], png, compact: compact.body, contentType: compact.contentType };
}

describe('browser evidence screenshots', () => {
  it('are WebP by default, at most half the PNG, and read the case number and party names as the PNG does', async () => {
    expect(config.evidence.screenshotFormat).toBe('webp');
    let pngRead = 0;
    let worstLost = 0;
    for (const card of cards) {
      const shot = await draw(card);
      expect(shot.contentType).toBe('image/webp');
      expect(shot.compact.subarray(8, 12).toString('latin1')).toBe('WEBP');
      expect(shot.compact.length).toBeLessThan(shot.png.length / 2);
      const fromPng = await readStrings(engine, shot.png, shot.wanted);
      // The case number reads from the lossless picture of every card (else OCR, not the format, is the limit).
      expect(fromPng.read, card.url).toContain(shot.wanted[0]);
      pngRead += fromPng.read.length;
      const fromCompact = await readStrings(engine, shot.compact, fromPng.read);
      expect(fromCompact.missed, `${card.url} at ${config.evidence.screenshotFormat} q${config.evidence.webpQuality}`).toEqual([]);
      worstLost += (await readStrings(engine, await sharp(shot.png).blur(4).png().toBuffer(), fromPng.read)).missed.length;
    }
    // Party names too, not only the case numbers.
    expect(pngRead).toBeGreaterThan(cards.length);
    // A blurred picture loses text: this check tells a readable picture from an unreadable one.
    expect(worstLost).toBeGreaterThan(0);
  }, 240_000);

  it('draw a page taller than WebP allows as a full-page JPEG instead', async () => {
    await page.setContent(`<body style="margin:0"><div style="height:${WEBP_MAX_PX + 500}px;background:linear-gradient(#fff,#036)">long list</div></body>`);
    const shot = await captureFullPage(page, { format: 'webp', jpegQuality: 40, webpQuality: 30 });
    expect(shot).toMatchObject({ format: 'jpeg', contentType: 'image/jpeg' });
    expect([...shot.body.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    // The whole page, not the viewport: JPEG's height field (SOF0) says so.
    const sof = shot.body.indexOf(Buffer.from([0xff, 0xc0]));
    expect(shot.body.readUInt16BE(sof + 5)).toBe(WEBP_MAX_PX + 500);
  });
});
