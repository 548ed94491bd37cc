/**
 * Runs every benchmark in turn, each as a child process, and prints one summary table:
 * figure | value | baseline | ratio | goal | met?
 *
 *   npx tsx bench/run.ts [--quick] [--only http-mode,browser-mode,captcha-accuracy]     (make bench)
 *
 * Each benchmark prints its own table and a final JSON line (`BenchReport`, bench/support/report.ts);
 * captcha-accuracy prints text lines, which are read here. `--quick` runs smaller batches, 2 rounds.
 * Exit code 1 when a benchmark fails to run (a goal not met is a figure, not a failure).
 */
import { spawnTs } from './support/child.ts';
import { parseRunArgs } from './support/run-args.ts';
import { FIGURE_HEADER, figureRow, fmt, printTable, type BenchReport, type Figure } from './support/report.ts';

interface BenchSpec {
  name: string;
  script: string;
  args: string[];
  quickArgs: string[];
}

/** Every benchmark of the farm, in order; `--only a,b` picks some, `--quick` shrinks them. The full run takes about an hour on the 2-core VM (magistrate-browser ~25 min, ocr ~10 min). */
const BENCHES: BenchSpec[] = [
  { name: 'captcha-accuracy', script: 'bench/captcha-accuracy.bench.ts', args: ['100'], quickArgs: ['30'] },
  { name: 'captcha-chain', script: 'bench/captcha-chain.bench.ts', args: ['100'], quickArgs: ['30'] },
  { name: 'http-mode', script: 'bench/http-mode.bench.ts', args: ['300', '3'], quickArgs: ['100', '2'] },
  { name: 'browser-mode', script: 'bench/browser-mode.bench.ts', args: ['80', '3'], quickArgs: ['40', '2'] },
  { name: 'fssp', script: 'bench/fssp.bench.ts', args: ['60', '1'], quickArgs: ['24', '1'] },
  { name: 'post-tracking', script: 'bench/post-tracking.bench.ts', args: ['200', '2'], quickArgs: ['60', '1'] },
  { name: 'evidence', script: 'bench/evidence.bench.ts', args: ['6', '200'], quickArgs: ['3', '50'] },
  // Cost as the work grows (issue 18 §5): seeding 1 000 000 lookups (+ cases, evidence) is most of its time.
  { name: 'growth', script: 'bench/growth.bench.ts', args: ['300', '3', '0,100000,1000000', '5000', '1800'], quickArgs: ['100', '2', '0,100000', '5000', '600'] },
  { name: 'api', script: 'bench/api.bench.ts', args: ['100000', '200', '10'], quickArgs: ['5000', '50', '3'] },
  // API reads under 50 clients (issue 18 §6): ~5 min (seeding, a minute for FerretDB's statistics, 60 s per key).
  { name: 'api-reads', script: 'bench/api-reads.bench.ts', args: ['20000', '50', '60'], quickArgs: ['5000', '20', '20'] },
  { name: 'rate-limit', script: 'bench/rate-limit.bench.ts', args: ['5', '50', '5'], quickArgs: ['3', '50', '3'] },
  { name: 'farm-series', script: 'bench/farm-series.bench.ts', args: ['30', '5', '4'], quickArgs: ['30', '2', '4'] },
  { name: 'ocr', script: 'bench/ocr.bench.ts', args: ['4', '100', '20'], quickArgs: ['2', '30', '10'] },
  { name: 'document-fields', script: 'bench/document-fields.bench.ts', args: ['1', '70'], quickArgs: ['0', '30'] },
  { name: 'scaling', script: 'bench/scaling.bench.ts', args: ['150', '1'], quickArgs: ['60', '1'] },
  // ~25–30 min at full size (2 000-job memory run ≈ 15 of them); quick ≈ 8 min.
  { name: 'magistrate-browser', script: 'bench/magistrate-browser.bench.ts', args: ['60', '3', '2000'], quickArgs: ['20', '2', '300', '--pss-pages', '1,4'] },
  // Pictures of HTTP captures (issue 19): ~2 min at full size.
  { name: 'capture-picture', script: 'bench/capture-picture.bench.ts', args: ['40', '3'], quickArgs: ['15', '1'] },
];

const { quick, only } = parseRunArgs(process.argv.slice(2), 'npx tsx bench/run.ts', BENCHES.map((b) => b.name), 'all, about an hour');

/** The captcha benchmark's text lines → figures (its baseline: naive OCR, 15 of 66 right). */
function captchaFigures(lines: string[]): Figure[] {
  const baseline = 15 / 66;
  const out: Figure[] = [];
  for (const line of lines) {
    const m = /^(.+?)\s+n=\s*(\d+)\s+accuracy\s+([\d.]+)%\s+declined\s+([\d.]+)%\s+(\d+) ms\/solve/.exec(line);
    if (!m) continue;
    const accuracy = Number(m[3]) / 100;
    out.push({
      figure: `captcha accuracy, ${m[1]!.trim()} (n=${m[2]})`,
      unit: '',
      value: accuracy,
      range: [accuracy, accuracy],
      baseline: `naive OCR on real FSSP captcha ${fmt(baseline)}`,
      ratio: { median: accuracy / baseline, range: [accuracy / baseline, accuracy / baseline] },
    });
    out.push({ figure: `captcha solve time, ${m[1]!.trim()}`, unit: 'ms', value: Number(m[5]), range: [Number(m[5]), Number(m[5])] });
  }
  return out;
}

const started = performance.now();
const figures: Figure[] = [];
const failures: string[] = [];
for (const bench of BENCHES) {
  if (only && !only.has(bench.name)) continue;
  console.log(`\n=== ${bench.name} ${'='.repeat(60 - bench.name.length)}`);
  const t0 = performance.now();
  const child = spawnTs(bench.script, quick ? bench.quickArgs : bench.args);
  child.proc.stdout!.on('data', (chunk: Buffer) => process.stdout.write(chunk));
  child.proc.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  const code = await child.exited;
  const lines = child.stdoutLines();
  console.log(`--- ${bench.name}: exit ${code} after ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  if (code !== 0) {
    failures.push(`${bench.name} exited ${code}`);
    continue;
  }
  if (bench.name === 'captcha-accuracy') {
    figures.push(...captchaFigures(lines));
    continue;
  }
  const last = [...lines].reverse().find((l) => l.startsWith('{"bench"'));
  if (!last) {
    failures.push(`${bench.name} printed no JSON line`);
    continue;
  }
  const reported = (JSON.parse(last) as BenchReport).figures;
  // One benchmark's malformed report must not lose the others' figures.
  if (Array.isArray(reported)) figures.push(...reported);
  else failures.push(`${bench.name} printed figures that are not a list`);
}

console.log(`\n=== summary (${((performance.now() - started) / 1000 / 60).toFixed(1)} min) ${'='.repeat(40)}`);
printTable(FIGURE_HEADER, figures.map(figureRow));
for (const f of failures) console.log(`FAILED: ${f}`);
process.exitCode = failures.length > 0 ? 1 : 0;
