/**
 * OCR figures (issue 5):
 *   1. pages/min, tesseract.js scheduler (workers = cores) vs the native `tesseract` CLI
 *      (OMP_THREAD_LIMIT=1, one process per core in parallel) on the same cleaned pages — goal ≥ 1.0×;
 *   2. character error rate on clean and on scanned pages — goals ≤ 0.5 % and ≤ 1.5 %
 *      (CER = Levenshtein over code points after collapsing whitespace / source length; source =
 *      the document's own text, `documentPlainText`);
 *   3. field extraction on N generated documents (text layer) — goal ≥ 98 % of fields exact;
 *   4. process RSS (tesseract.js workers are threads of this process) after 10 pages vs after M,
 *      recycling off.
 *
 *   npx tsx bench/ocr.bench.ts [pages=4] [docs=100] [rssPages=60]
 * `pages` clean + `pages` scanned pages are OCRed; the scanned ones by the full reader (deskew).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanUpPage, createOcrEngine, openPdf } from '../ocr/index.ts';
import { extractDocumentFields } from '../parsers/document/index.ts';
import { generateWorld } from '../sandbox/data/index.ts';
import { documentPlainText, documentSpecFromProceeding, FSSP_DOCUMENT_KINDS, renderFsspDocument, type FsspDocumentSpec } from '../sandbox/epgu/documents/index.ts';
import { deriveProceedings } from '../sandbox/fssp/fssp.data.ts';
import { finish, type Figure } from './support/report.ts';

const [pages = 4, docs = 100, rssPages = 60] = process.argv.slice(2).map(Number);
const cores = availableParallelism();
const dir = mkdtempSync(join(tmpdir(), 'konveyer-ocr-bench-'));
const world = generateWorld({ seed: 42 });
const proceedings = deriveProceedings(world);
const specOf = (i: number): FsspDocumentSpec =>
  documentSpecFromProceeding(proceedings[(i * 7) % proceedings.length]!, FSSP_DOCUMENT_KINDS[i % FSSP_DOCUMENT_KINDS.length]!, 100 + i, world);

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

/** Cleaned page images (PNG, the input both engines get) with their source text. */
async function pageImages(scanned: boolean, offset: number): Promise<Array<{ png: Buffer; source: string; file: string }>> {
  const out = [];
  for (let i = 0; i < pages; i++) {
    const spec = specOf(offset + i);
    const pdf = await openPdf(await renderFsspDocument(spec, { scanned, seed: offset + i }));
    const raster = await pdf.renderPng(1, scanned ? 300 : 300);
    await pdf.close();
    const { png } = await cleanUpPage(raster);
    const file = join(dir, `${scanned ? 'scan' : 'clean'}-${i}.png`);
    writeFileSync(file, png);
    out.push({ png, source: documentPlainText(spec), file });
  }
  return out;
}

function cliOcr(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('tesseract', [file, '-', '-l', 'rus+eng', '--oem', '1', '--psm', '3'], { env: { ...process.env, OMP_THREAD_LIMIT: '1' } });
    let text = '';
    child.stdout.on('data', (d: Buffer) => { text += d.toString('utf8'); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`tesseract exit ${code}`))));
  });
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

console.log(`preparing ${pages} clean + ${pages} scanned pages …`);
const clean = await pageImages(false, 0);
const scanned = await pageImages(true, 1000);
const all = [...clean, ...scanned];

// 1 + 2: tesseract.js scheduler.
console.log('tesseract.js scheduler …');
const engine = await createOcrEngine({ workers: cores, recycleAfterPages: 1_000_000 });
let t0 = performance.now();
const jsTexts = await Promise.all(all.map((p) => engine.recognize(p.png).then((r) => r.text)));
const jsSecs = (performance.now() - t0) / 1000;
console.log(`tesseract.js ${jsSecs.toFixed(1)} s; CLI …`);
t0 = performance.now();
const cliTexts = await pool(all, cores, (p) => cliOcr(p.file));
const cliSecs = (performance.now() - t0) / 1000;
const jsPpm = (all.length / jsSecs) * 60;
const cliPpm = (all.length / cliSecs) * 60;
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const cerClean = mean(clean.map((p, i) => cer(p.source, jsTexts[i]!)));
const cerScan = mean(scanned.map((p, i) => cer(p.source, jsTexts[pages + i]!)));
const cliCerClean = mean(clean.map((p, i) => cer(p.source, cliTexts[i]!)));
const cliCerScan = mean(scanned.map((p, i) => cer(p.source, cliTexts[pages + i]!)));

console.log(`CLI ${cliSecs.toFixed(1)} s; RSS run …`);
// 4: RSS after 10 pages vs after rssPages (recycling off, the same engine keeps going).
const rssAt: Record<number, number> = {};
let done = all.length;
while (done < rssPages) {
  await Promise.all(all.slice(0, Math.min(all.length, rssPages - done)).map((p) => engine.recognize(p.png)));
  done += Math.min(all.length, rssPages - done);
  if (done >= 10 && rssAt[10] === undefined) rssAt[10] = process.memoryUsage().rss;
}
rssAt[10] ??= process.memoryUsage().rss;
rssAt[rssPages] = process.memoryUsage().rss;
await engine.close();

console.log('field extraction …');
// 3: field extraction on text-layer documents.
const FIELDS = ['kind', 'ipNumber', 'ipDate', 'department', 'bailiff', 'debtor', 'creditor', 'executiveDocument', 'amount', 'decisionDate', 'endGround'] as const;
let exact = 0;
let total = 0;
const misses: Record<string, number> = {};
for (let i = 0; i < docs; i++) {
  const spec = specOf(5000 + i);
  const pdf = await openPdf(await renderFsspDocument(spec, { scanned: false, seed: i }));
  const text = (await pdf.textLines(1)).map((l) => l.text).join('\n');
  await pdf.close();
  const got = extractDocumentFields(text);
  const want: Record<string, unknown> = { kind: spec.kind, ipNumber: spec.ipNumber, ipDate: spec.ipDate, department: spec.department, bailiff: spec.bailiff, debtor: spec.debtor,
    creditor: spec.creditor, executiveDocument: spec.executiveDocument, amount: spec.amount, decisionDate: spec.decisionDate, endGround: spec.endGround ?? null };
  for (const f of FIELDS) {
    total++;
    const value = f === 'kind' ? got.kind : got.fields[f];
    if (JSON.stringify(value) === JSON.stringify(want[f])) exact++;
    else misses[f] = (misses[f] ?? 0) + 1;
  }
}

const mb = (b: number) => Math.round(b / 1e5) / 10;
const figures: Figure[] = [
  { figure: 'OCR pages/min, tesseract.js scheduler', unit: 'pages/min', value: Math.round(jsPpm * 10) / 10, range: [jsPpm, jsPpm], baseline: `tesseract CLI ×${cores} ${cliPpm.toFixed(1)} pages/min`, ratio: { median: Math.round((jsPpm / cliPpm) * 100) / 100, range: [jsPpm / cliPpm, jsPpm / cliPpm] }, goal: '≥ 1.0', met: jsPpm >= cliPpm ? 'yes' : 'no' },
  { figure: 'CER clean pages (tesseract.js)', unit: '%', value: Math.round(cerClean * 10000) / 100, range: [cerClean * 100, cerClean * 100], baseline: `CLI ${(cliCerClean * 100).toFixed(2)} %`, goal: '≤ 0.5', met: cerClean <= 0.005 ? 'yes' : 'no' },
  { figure: 'CER scanned pages (tesseract.js)', unit: '%', value: Math.round(cerScan * 10000) / 100, range: [cerScan * 100, cerScan * 100], baseline: `CLI ${(cliCerScan * 100).toFixed(2)} %`, goal: '≤ 1.5', met: cerScan <= 0.015 ? 'yes' : 'no' },
  { figure: `fields exact on ${docs} documents`, unit: '%', value: Math.round((exact / total) * 1000) / 10, range: [exact / total * 100, exact / total * 100], goal: '≥ 98', met: exact / total >= 0.98 ? 'yes' : 'no' },
  { figure: `RSS after ${rssPages} pages vs after 10`, unit: 'MB', value: mb(rssAt[rssPages]!), range: [mb(rssAt[10]!), mb(rssAt[rssPages]!)], baseline: `after 10 pages ${mb(rssAt[10]!)} MB`, ratio: { median: Math.round((rssAt[rssPages]! / rssAt[10]!) * 100) / 100, range: [rssAt[rssPages]! / rssAt[10]!, rssAt[rssPages]! / rssAt[10]!] } },
];
finish({
  bench: 'ocr',
  figures,
  notes: [
    `${pages} clean + ${pages} scanned A4 pages at 300 DPI after clean-up (deskew, median, normalise), ${cores} workers vs ${cores} parallel CLI processes (OMP_THREAD_LIMIT=1, --oem 1 --psm 3, rus+eng)`,
    `field misses by field: ${JSON.stringify(misses)}`,
    `RSS is the whole process (tesseract.js workers are worker threads); recycling off while measured; rssPages=${rssPages} (500 pages take ~1 h on 2 shared cores)`,
    `js ${jsSecs.toFixed(1)} s, CLI ${cliSecs.toFixed(1)} s for ${all.length} pages`,
  ],
  rounds: [{ jsSecs, cliSecs, cerClean, cerScan, cliCerClean, cliCerScan, rssAt, exact, total }],
});
