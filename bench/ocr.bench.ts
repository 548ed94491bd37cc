/**
 * OCR figures (issue 5):
 *   1. pages/min, tesseract.js scheduler (workers = cores) vs the native `tesseract` CLI
 *      (OMP_THREAD_LIMIT=1, one process per core in parallel) on the same cleaned pages with the
 *      same settings (LSTM, rus+eng, OCR_PAGE_SEG_MODE, pages rendered at OCR_RENDER_DPI) — goal ≥ 0.9× (issue 18 §7).
 *      Fair and stable: both warmed up, then `rounds` alternating rounds A/B/A/B (js, CLI, js, CLI …)
 *      over the same pages; a ratio per js/CLI pair, the median and range reported;
 *   2. character error rate on clean and on scanned pages — goals ≤ 0.5 % and ≤ 1.5 %
 *      (CER = Levenshtein over code points after collapsing whitespace / source length; source =
 *      the document's own text, `documentPlainText`);
 *   3. field extraction on N generated documents (text layer) — goal ≥ 98 % of fields exact;
 *   4. RSS of the OCR engine process (a child running the engine as `konveyer ocr work` does,
 *      workers = cores) after 10 pages vs after `rssPages`, recycling ON at OCR_RECYCLE_AFTER_PAGES
 *      (production), and — when `rssOff` is 1 — the same with recycling off.
 *
 *   npx tsx bench/ocr.bench.ts [pages=4] [docs=100] [rssPages=60] [rounds=3] [rssOff=1 if rssPages ≤ 100]
 * `pages` clean + `pages` scanned pages are OCRed per round (the scanned ones after the reader's
 * clean-up: deskew, denoise). Full size: `npx tsx bench/ocr.bench.ts 8 100 500 4 1` (see notes).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/index.ts';
import { cleanUpPage, createOcrEngine, openPdf } from '../ocr/index.ts';
import { extractDocumentFields } from '../parsers/document/index.ts';
import { generateWorld } from '../sandbox/data/index.ts';
import { documentPlainText, documentSpecFromProceeding, expectedFieldsOf, FSSP_DOCUMENT_KINDS, renderFsspDocument, type FsspDocumentSpec } from '../sandbox/epgu/documents/index.ts';
import { deriveProceedings } from '../sandbox/fssp/fssp.data.ts';
import { spawnTs } from './support/child.ts';
import { figureOf, finish, median, type Figure } from './support/report.ts';

const argv = process.argv.slice(2).map(Number);
const [pages = 4, docs = 100, rssPages = 60, rounds = 3] = argv;
const rssOff = argv[4] !== undefined ? argv[4] === 1 : rssPages <= 100;
const cores = availableParallelism();
// The product's settings (OCR_RENDER_DPI, OCR_PAGE_SEG_MODE …): set them in the environment to measure others.
const { recycleAfterPages, renderDpi, pageSegMode } = loadConfig().ocr;
const dir = mkdtempSync(join(tmpdir(), 'konveyer-ocr-bench-'));
const world = generateWorld({ seed: 42 });
const proceedings = deriveProceedings(world);
// The classic layout without a stamp: the CER figures compare OCR with the plain text in reading
// order, which a two-column header would scramble (document-fields.bench.ts covers every layout).
const specOf = (i: number): FsspDocumentSpec =>
  ({ ...documentSpecFromProceeding(proceedings[(i * 7) % proceedings.length]!, FSSP_DOCUMENT_KINDS[i % FSSP_DOCUMENT_KINDS.length]!, 100 + i, world), layout: 'classic', stamp: false });

/** Levenshtein distance over code points, two rows. */
function levenshtein(a: string[], b: string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
const collapse = (s: string) => [...s.replace(/\s+/g, ' ').trim()];
const cer = (source: string, ocr: string) => levenshtein(collapse(source), collapse(ocr)) / collapse(source).length;

/** Cleaned page images (PGM, what cleanUpPage gives the engine; the CLI reads the same file) with their source text. */
async function pageImages(scanned: boolean, offset: number): Promise<Array<{ image: Buffer; source: string; file: string }>> {
  const out = [];
  for (let i = 0; i < pages; i++) {
    const spec = specOf(offset + i);
    const pdf = await openPdf(await renderFsspDocument(spec, { scanned, seed: offset + i }));
    const raster = await pdf.renderPng(1, renderDpi);
    await pdf.close();
    const { image } = await cleanUpPage(raster);
    const file = join(dir, `${scanned ? 'scan' : 'clean'}-${i}.pgm`);
    writeFileSync(file, image);
    out.push({ image, source: documentPlainText(spec), file });
  }
  return out;
}

/** The CLI as the baseline with the engine's page segmentation (6 is tesseract.js's default; the CLI's own is 3). */
function cliOcr(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('tesseract', [file, '-', '-l', 'rus+eng', '--oem', '1', '--psm', pageSegMode], { env: { ...process.env, OMP_THREAD_LIMIT: '1' } });
    let text = '';
    child.stdout.on('data', (d: Buffer) => { text += d.toString('utf8'); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`tesseract exit ${code}`))));
  });
}

/**
 * The CLI at its fastest: one process per core reading a list of pages (`tesseract pages.txt -`),
 * so the model is loaded once per process, not once per page.
 */
async function cliBatched(files: string[], n: number): Promise<void> {
  const lists = Array.from({ length: n }, (_, k) => files.filter((_, i) => i % n === k)).filter((l) => l.length > 0);
  await Promise.all(lists.map((list, k) => {
    const listFile = join(dir, `list-${k}.txt`);
    writeFileSync(listFile, `${list.join('\n')}\n`);
    return new Promise<void>((resolve, reject) => {
      const child = spawn('tesseract', [listFile, '-', '-l', 'rus+eng', '--oem', '1', '--psm', pageSegMode], { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, stdio: ['ignore', 'ignore', 'ignore'] });
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`tesseract exit ${code}`))));
    });
  }));
}

/** Run `jobs` with `n` in flight. */
async function pool<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) { const i = next++; results[i] = await fn(items[i]!); }
  }));
  return results;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const benchStarted = performance.now();
console.log(`preparing ${pages} clean + ${pages} scanned pages …`);
const clean = await pageImages(false, 0);
const scanned = await pageImages(true, 1000);
const all = [...clean, ...scanned];

// 1 + 2: speed in alternating rounds, both sides warmed up first (models loaded, caches hot).
const engine = await createOcrEngine({ workers: cores, recycleAfterPages: 1_000_000, pageSegMode });
await Promise.all(all.slice(0, cores).map((p) => engine.recognize(p.image)));
await pool(all.slice(0, cores), cores, (p) => cliOcr(p.file));
const jsPpm: number[] = [];
const cliPpm: number[] = [];
const cliBatchedPpm: number[] = [];
let jsTexts: string[] = [];
let cliTexts: string[] = [];
for (let r = 0; r < rounds; r++) {
  let t0 = performance.now();
  const js = await Promise.all(all.map((p) => engine.recognize(p.image).then((x) => x.text)));
  const jsSecs = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const cli = await pool(all, cores, (p) => cliOcr(p.file));
  const cliSecs = (performance.now() - t0) / 1000;
  t0 = performance.now();
  await cliBatched(all.map((p) => p.file), cores);
  const batchedSecs = (performance.now() - t0) / 1000;
  jsPpm.push((all.length / jsSecs) * 60);
  cliPpm.push((all.length / cliSecs) * 60);
  cliBatchedPpm.push((all.length / batchedSecs) * 60);
  if (r === 0) [jsTexts, cliTexts] = [js, cli];
  console.log(`round ${r + 1}/${rounds}: tesseract.js ${jsSecs.toFixed(1)} s, CLI ${cliSecs.toFixed(1)} s (a process per page), ${batchedSecs.toFixed(1)} s (a process per core, list of pages) for ${all.length} pages`);
}
await engine.close();
const cerClean = mean(clean.map((p, i) => cer(p.source, jsTexts[i]!)));
const cerScan = mean(scanned.map((p, i) => cer(p.source, jsTexts[pages + i]!)));
const cliCerClean = mean(clean.map((p, i) => cer(p.source, cliTexts[i]!)));
const cliCerScan = mean(scanned.map((p, i) => cer(p.source, cliTexts[pages + i]!)));
// Same settings should give the same text: how many pages the two engines read identically.
const samePages = all.filter((_, i) => collapse(jsTexts[i]!).join('') === collapse(cliTexts[i]!).join('')).length;

// 4: RSS of the OCR engine process after 10 and after rssPages pages (a fresh child per setting).
interface RssRun { rss10: number; rssEnd: number; maxRss: number; generations: number; secs: number }
async function rssRun(recycle: number): Promise<RssRun> {
  const child = spawnTs('bench/support/ocr-rss.child.ts', [String(rssPages), String(cores), String(recycle), ...all.map((p) => p.file)], { OMP_THREAD_LIMIT: '1' });
  const code = await child.exited;
  if (code !== 0) throw new Error(`ocr-rss child exited ${code}: ${child.stderrTail()}`);
  const lines = child.stdoutLines().filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, number>);
  const at = (n: number) => lines.find((l) => l.pages === n)!.rssBytes!;
  const done = lines.find((l) => l.done)!;
  return { rss10: at(Math.min(10, rssPages)), rssEnd: at(rssPages), maxRss: done.maxRssBytes!, generations: done.generations!, secs: done.secs! };
}
// rssPages = 0 skips the RSS runs (a quick comparison of settings).
if (rssPages > 0) console.log(`RSS: ${rssPages} pages, recycling after ${recycleAfterPages} pages per worker …`);
const rssOn = rssPages > 0 ? await rssRun(recycleAfterPages) : null;
if (rssOn) console.log(`RSS: recycling on ${(rssOn.secs).toFixed(0)} s${rssOff ? '; recycling off …' : ''}`);
const rssNoRecycle = rssOn && rssOff ? await rssRun(1_000_000) : null;

console.log('field extraction …');
// 3: field extraction on text-layer documents.
const FIELDS = ['kind', 'ipNumber', 'ipDate', 'department', 'bailiff', 'debtor', 'creditor', 'executiveDocument', 'amount', 'decisionDate', 'endGround'] as const;
let exact = 0;
let total = 0;
const misses: Record<string, number> = {};
for (let i = 0; i < docs; i++) {
  const spec = specOf(5000 + i);
  const pdf = await openPdf(await renderFsspDocument(spec, { scanned: false, seed: i }));
  const lines: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) lines.push(...(await pdf.textLines(n)).map((l) => l.text));
  await pdf.close();
  const got = extractDocumentFields(lines.join('\n'));
  const expected = expectedFieldsOf(spec);
  const want: Record<string, unknown> = { kind: expected.kind, ...expected.fields };
  for (const f of FIELDS) {
    total++;
    const value = f === 'kind' ? got.kind : got.fields[f];
    if (JSON.stringify(value) === JSON.stringify(want[f])) exact++;
    else misses[f] = (misses[f] ?? 0) + 1;
  }
}

const mb = (b: number) => Math.round(b / 1e5) / 10;
const rssFigure = (label: string, run: RssRun): Figure => ({
  figure: `OCR process RSS after ${rssPages} pages, ${label}`, unit: 'MB', value: mb(run.rssEnd), range: [mb(run.rssEnd), mb(run.maxRss)],
  baseline: `after 10 pages ${mb(run.rss10)} MB`, ratio: { median: Math.round((run.rssEnd / run.rss10) * 100) / 100, range: [run.rssEnd / run.rss10, run.rssEnd / run.rss10] },
});
const figures: Figure[] = [
  figureOf(`OCR pages/min, tesseract.js scheduler (${renderDpi} DPI, psm ${pageSegMode})`, 'pages/min', jsPpm, { baseline: `tesseract CLI ×${cores}`, baselineValues: cliPpm, goalMin: 0.9 }),
  figureOf(`OCR pages/min, tesseract.js vs CLI reading page lists (${renderDpi} DPI, psm ${pageSegMode})`, 'pages/min', jsPpm, { baseline: `tesseract CLI ×${cores}, one process per core`, baselineValues: cliBatchedPpm, goalMin: 0.9 }),
  { figure: 'CER clean pages (tesseract.js)', unit: '%', value: Math.round(cerClean * 10000) / 100, range: [cerClean * 100, cerClean * 100], baseline: `CLI ${(cliCerClean * 100).toFixed(2)} %`, goal: '≤ 0.5', met: cerClean <= 0.005 ? 'yes' : 'no' },
  { figure: 'CER scanned pages (tesseract.js)', unit: '%', value: Math.round(cerScan * 10000) / 100, range: [cerScan * 100, cerScan * 100], baseline: `CLI ${(cliCerScan * 100).toFixed(2)} %`, goal: '≤ 1.5', met: cerScan <= 0.015 ? 'yes' : 'no' },
  { figure: `fields exact on ${docs} documents`, unit: '%', value: Math.round((exact / total) * 1000) / 10, range: [exact / total * 100, exact / total * 100], goal: '≥ 98', met: exact / total >= 0.98 ? 'yes' : 'no' },
  ...(rssOn ? [rssFigure(`recycling after ${recycleAfterPages}/worker`, rssOn)] : []),
  ...(rssNoRecycle ? [rssFigure('recycling off', rssNoRecycle)] : []),
];
finish({
  bench: 'ocr',
  figures,
  notes: [
    `${pages} clean + ${pages} scanned A4 pages rendered at ${renderDpi} DPI (OCR_RENDER_DPI) after clean-up (deskew, median, normalise) per round, ${rounds} rounds alternating tesseract.js / CLI (A/B/A/B), both warmed up; ${cores} workers vs ${cores} parallel CLI processes (OMP_THREAD_LIMIT=1, --oem 1 --psm ${pageSegMode} = OCR_PAGE_SEG_MODE, rus+eng); the CLI pays a process start and model load per page, as it would in use`,
    `same text from both engines on ${samePages} of ${all.length} pages (same model and settings)`,
    `ratio = js pages/min ÷ CLI pages/min within each A/B pair; median ${median(jsPpm.map((v, i) => v / cliPpm[i]!)).toFixed(2)}`,
    `field misses by field: ${JSON.stringify(misses)}`,
    rssOn
      ? `RSS: a child process running the OCR engine alone (${cores} tesseract.js worker threads, round-robin over the ${all.length} pages); range = RSS at the end – max seen; recycling on: ${rssOn.generations} engine generation(s) in ${rssOn.secs.toFixed(0)} s` +
        (rssNoRecycle ? `; recycling off: ${rssNoRecycle.secs.toFixed(0)} s` : '; recycling off not run (pass rssOff=1)')
      : 'RSS not measured (rssPages = 0)',
    `whole bench ${((performance.now() - benchStarted) / 1000).toFixed(0)} s`,
  ],
  rounds: [{ renderDpi, pageSegMode, jsPpm, cliPpm, cliBatchedPpm, cerClean, cerScan, cliCerClean, cliCerScan, samePages, rssOn, rssNoRecycle, exact, total }],
});
