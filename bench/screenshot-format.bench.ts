/**
 * The screenshot of a browser lookup by format and quality: bytes, capture time, and whether the
 * case number and the party names still read by OCR as they do from the lossless PNG.
 *
 *   npx tsx bench/screenshot-format.bench.ts [cards=12] [rounds=3] [ocrCards=6]
 *
 * Sandbox cards (sudrf and msudrf, half each, courts without a gate), Debian's Chromium with the
 * robot's flags at 1280×900, one page. Each card: goto, DOM, the tab panes shown (as the robots'
 * `reveal`), then every variant drawn by `captureFullPage` (robots/runtime/screenshot.ts, what the
 * fetcher calls), each timed; the DOM as stored (Brotli, storage/evidence/compressed.backend.ts).
 * Rounds repeat the cards in a shifted variant order. Legibility: the first `ocrCards` cards, every
 * variant OCRed by the project's engine (tesseract.js, rus+eng) — which of the case number and the
 * party names (as the page's DOM gives them) are read; a variant is legible on a card when it reads
 * every string the PNG reads. Chromium's CPU per screenshot: the CPU time of its processes around
 * each capture (/proc, 10 ms ticks per process; the mean over every card and round).
 */
import { chromium, type Page } from 'playwright';
import { loadConfig } from '../config/index.ts';
import { createOcrEngine } from '../ocr/index.ts';
import { readStrings } from '../ocr/legibility.ts';
import { parseMsudrfCaseCard, parseSudrfCaseCard } from '../parsers/index.ts';
import { msudrfCardPath } from '../robots/court-msudrf/msudrf-urls.ts';
import { CHROMIUM_ARGS } from '../robots/runtime/browser-pool.ts';
import { revealPanes } from '../robots/runtime/page-fetcher.ts';
import { captureFullPage, type ScreenshotFormat } from '../robots/runtime/screenshot.ts';
import { msudrfWorld } from '../sandbox/court-msudrf/msudrf.data.ts';
import { encodeBody } from '../storage/evidence/compressed.backend.ts';
import { figureOf, finish, fmt, median, printTable, type Figure } from './support/report.ts';
import { cardOnlyCases, cardUrl, startSandboxProcess } from './support/sandbox-process.ts';
import { cpuSeconds, descendantsNamed } from './support/proc-stats.ts';

const CARDS = Number(process.argv[2] ?? 12);
const ROUNDS = Number(process.argv[3] ?? 3);
const OCR_CARDS = Number(process.argv[4] ?? 6);
const config = loadConfig({});
const executablePath = config.browser.executablePath ?? '/usr/bin/chromium';

interface Variant { name: string; format: ScreenshotFormat; quality: number }
const VARIANTS: Variant[] = [
  { name: 'png', format: 'png', quality: 100 },
  ...[30, 50, 70].map((q) => ({ name: `jpeg q${q}`, format: 'jpeg' as const, quality: q })),
  ...[5, 10, 20, 30, 50, 70].map((q) => ({ name: `webp q${q}`, format: 'webp' as const, quality: q })),
];

interface Card { kind: 'sudrf' | 'msudrf'; url: string; reveal: string[]; wanted: (html: string, url: string) => string[] }
const sandbox = await startSandboxProcess(42, 20);
const sudrf = cardOnlyCases(sandbox.world);
const ms = msudrfWorld(sandbox.world);
const gated = new Set(ms.courts.filter((c) => c.hasGate).map((c) => c.host));
const msOpen = ms.cases.filter((c) => !gated.has(c.host));
const wantedOf = (parse: typeof parseSudrfCaseCard) => (html: string, url: string): string[] => {
  const r = parse(html, { url, fetchedAt: new Date().toISOString() });
  return [r.caseNumber, ...r.parties.map((p) => p.name)].filter((s): s is string => !!s);
};
const cards: Card[] = Array.from({ length: CARDS }, (_, i) => i % 2 === 0
  ? { kind: 'sudrf' as const, url: cardUrl(sudrf[i]!, sandbox.port), reveal: ['div[id^="cont"]', 'div.lawcase-tab-content'], wanted: wantedOf(parseSudrfCaseCard) }
  : { kind: 'msudrf' as const, url: `http://${msOpen[i]!.host}:${sandbox.port}${msudrfCardPath(msOpen[i]!.caseId)}`, reveal: ['div#contentt > div.tab-content'], wanted: wantedOf(parseMsudrfCaseCard) });

const browser = await chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP *.sudrf.ru 127.0.0.1, MAP *.msudrf.ru 127.0.0.1'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
const engine = await createOcrEngine({ workers: 1 });

async function openCard(p: Page, card: Card): Promise<string> {
  await p.goto(card.url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  const html = await p.content();
  await revealPanes(p, card.reveal);
  return html;
}

const bytes = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
const chromiumCpuMs = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
const chromiumCpu = (): number => descendantsNamed(process.pid, 'chromium').reduce((sum, p) => sum + cpuSeconds(p), 0);
const msByRound = new Map<string, number[][]>(VARIANTS.map((v) => [v.name, []]));
const html = { raw: [] as number[], stored: [] as number[] };
const legible = new Map<string, { cards: number; ok: number; missed: string[] }>(VARIANTS.map((v) => [v.name, { cards: 0, ok: 0, missed: [] }]));
const pngReads: number[] = [];
const wantedCounts: number[] = [];

try {
  for (let r = 0; r < ROUNDS; r++) {
    const order = VARIANTS.map((_, i) => VARIANTS[(i + r) % VARIANTS.length]!);
    const times = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
    for (const [ci, card] of cards.entries()) {
      const dom = await openCard(page, card);
      if (r === 0) {
        html.raw.push(Buffer.byteLength(dom));
        html.stored.push((await encodeBody(Buffer.from(dom, 'utf8'))).length);
      }
      const shots = new Map<string, Buffer>();
      for (const v of order) {
        const cpu0 = chromiumCpu();
        const t0 = performance.now();
        const shot = await captureFullPage(page, { format: v.format, jpegQuality: v.quality, webpQuality: v.quality });
        times.get(v.name)!.push(performance.now() - t0);
        chromiumCpuMs.get(v.name)!.push((chromiumCpu() - cpu0) * 1000);
        if (shot.format !== v.format) throw new Error(`${card.url}: ${v.name} drawn as ${shot.format}`);
        if (r === 0) bytes.get(v.name)!.push(shot.body.length);
        shots.set(v.name, shot.body);
      }
      if (r === 0 && ci < OCR_CARDS) {
        const wanted = card.wanted(dom, page.url());
        wantedCounts.push(wanted.length);
        const png = await readStrings(engine, shots.get('png')!, wanted);
        pngReads.push(png.read.length);
        for (const v of VARIANTS) {
          const got = v.name === 'png' ? png : await readStrings(engine, shots.get(v.name)!, png.read);
          const l = legible.get(v.name)!;
          l.cards++;
          const missed = png.read.filter((w) => !got.read.includes(w));
          if (missed.length === 0) l.ok++;
          else l.missed.push(...missed.map((m) => `${card.kind}: ${m}`));
        }
      }
    }
    for (const v of VARIANTS) msByRound.get(v.name)!.push(times.get(v.name)!);
    console.log(`round ${r + 1}: ${cards.length} cards × ${VARIANTS.length} variants`);
  }
} finally {
  await engine.close();
  await browser.close();
  await sandbox.stop();
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const htmlStoredKib = mean(html.stored) / 1024;
const figures: Figure[] = [];
const rows = VARIANTS.map((v) => {
  const kib = mean(bytes.get(v.name)!) / 1024;
  const perRound = msByRound.get(v.name)!.map((ts) => median(ts));
  const l = legible.get(v.name)!;
  figures.push(figureOf(`screenshot ${v.name}: KiB per card`, 'KiB', [kib]));
  figures.push(figureOf(`screenshot ${v.name}: capture ms (median per round)`, 'ms', perRound));
  figures.push(figureOf(`screenshot ${v.name} + stored DOM: KiB per card`, 'KiB', [kib + htmlStoredKib]));
  const cpuMs = mean(chromiumCpuMs.get(v.name)!);
  figures.push(figureOf(`screenshot ${v.name}: Chromium CPU ms per capture (mean)`, 'ms', [cpuMs]));
  return [v.name, fmt(kib), fmt(kib + htmlStoredKib), `${fmt(median(perRound))} (${fmt(Math.min(...perRound))}–${fmt(Math.max(...perRound))})`, fmt(cpuMs), `${l.ok}/${l.cards}`, l.missed.slice(0, 3).join('; ')];
});
console.log(`\nsandbox cards: ${cards.length} (sudrf + msudrf), DOM raw ${fmt(mean(html.raw) / 1024)} KiB, stored ${fmt(htmlStoredKib)} KiB per card`);
printTable(['variant', 'KiB screenshot', 'KiB + stored DOM', 'capture ms, median (range over rounds)', 'Chromium CPU ms per capture', 'legible cards', 'missed (first 3)'], rows);
finish({
  bench: 'screenshot-format',
  figures,
  notes: [
    `sandbox: ${cards.length} cards (half sudrf, half msudrf without gate), ${ROUNDS} rounds, one page at 1280×900, tab panes shown, full page`,
    `DOM per card: raw ${fmt(mean(html.raw) / 1024)} KiB, stored (Brotli) ${fmt(htmlStoredKib)} KiB`,
    `legibility: ${OCR_CARDS} cards, strings wanted per card ${wantedCounts.join(',')}, read from the PNG ${pngReads.join(',')}; a variant is legible on a card when it reads every string the PNG reads`,
  ],
  rounds: VARIANTS.map((v) => ({ variant: v.name, bytes: bytes.get(v.name), chromiumCpuMs: mean(chromiumCpuMs.get(v.name)!), msByRound: msByRound.get(v.name)!.map((ts) => median(ts)), legible: legible.get(v.name) })),
});
