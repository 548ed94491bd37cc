/**
 * How every benchmark reports: a human table, then one final JSON line (`BenchReport`) that
 * `bench/run.ts` collects. Figures are given as the median over rounds with the range; a ratio is
 * computed inside each round (the VM's speed drifts up to 2× between runs, SPIKE.md) and its range
 * over rounds decides whether the goal is met.
 */

/** One line of the summary table. */
export interface Figure {
  /** What is measured, e.g. "HTTP e2e lookups/s". */
  figure: string;
  unit: string;
  /** Median over rounds. */
  value: number;
  /** Min and max over rounds. */
  range: [number, number];
  /** What the value is compared with, e.g. "bare undici+cheerio 159 pages/s". */
  baseline?: string;
  /** value/baseline within each round: median and range. */
  ratio?: { median: number; range: [number, number] };
  /** e.g. "≥ 0.5". */
  goal?: string;
  /** yes: every round meets the goal; no: none does; mixed: some do. */
  met?: 'yes' | 'no' | 'mixed';
}

/** The final JSON line of a benchmark. */
export interface BenchReport {
  bench: string;
  figures: Figure[];
  /** Conditions a reader needs (N, concurrency, politeness, what RSS includes …). */
  notes: string[];
  /** Raw per-round numbers. */
  rounds: unknown[];
}

/** Median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A figure measured once (no rounds), optionally against a goal it meets or not. */
export function singleFigure(figure: string, unit: string, value: number, goal?: { goal: string; met: boolean }): Figure {
  return { figure, unit, value, range: [value, value], ...(goal ? { goal: goal.goal, met: goal.met ? 'yes' : 'no' } : {}) };
}

/** A figure over rounds, optionally with per-round ratios against a goal `ratio ≥ goalMin` or `ratio ≤ goalMax`. */
export function figureOf(
  figure: string,
  unit: string,
  values: number[],
  compare?: { baseline: string; baselineValues: number[]; goalMin?: number; goalMax?: number },
): Figure {
  const out: Figure = { figure, unit, value: median(values), range: [Math.min(...values), Math.max(...values)] };
  if (compare) {
    const ratios = values.map((v, i) => v / compare.baselineValues[i]!);
    out.baseline = `${compare.baseline} ${fmt(median(compare.baselineValues))} (${fmt(Math.min(...compare.baselineValues))}–${fmt(Math.max(...compare.baselineValues))})`;
    out.ratio = { median: median(ratios), range: [Math.min(...ratios), Math.max(...ratios)] };
    const { goalMin, goalMax } = compare;
    if (goalMin !== undefined || goalMax !== undefined) {
      out.goal = goalMin !== undefined ? `≥ ${goalMin}` : `≤ ${goalMax}`;
      const ok = ratios.filter((r) => (goalMin === undefined || r >= goalMin) && (goalMax === undefined || r <= goalMax)).length;
      out.met = ok === ratios.length ? 'yes' : ok === 0 ? 'no' : 'mixed';
    }
  }
  return out;
}

/** A number with 3 significant digits at most (but no exponent). */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  return abs >= 100 ? x.toFixed(0) : abs >= 10 ? x.toFixed(1) : abs >= 1 ? x.toFixed(2) : x.toFixed(3);
}

/** Prints rows as an aligned text table with a header rule. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ').trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
}

/** The summary table columns of a figure: figure | value | baseline | ratio | goal | met? */
export function figureRow(f: Figure): string[] {
  const value = `${fmt(f.value)} ${f.unit} (${fmt(f.range[0])}–${fmt(f.range[1])})`;
  const ratio = f.ratio ? `${fmt(f.ratio.median)} (${fmt(f.ratio.range[0])}–${fmt(f.ratio.range[1])})` : '';
  return [f.figure, value, f.baseline ?? '', ratio, f.goal ?? '', f.met ?? ''];
}

export const FIGURE_HEADER = ['figure', 'value (range)', 'baseline (range)', 'ratio (range)', 'goal', 'met?'];

/** Prints the figures as a table, the notes, and the final JSON line. */
export function finish(report: BenchReport): void {
  console.log('');
  printTable(FIGURE_HEADER, report.figures.map(figureRow));
  for (const n of report.notes) console.log(`  note: ${n}`);
  console.log(JSON.stringify(report));
}
