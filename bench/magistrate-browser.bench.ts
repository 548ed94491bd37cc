/**
 * Browser mode on magistrate cards (`*.msudrf.ru`, the kcaptcha gate on a fresh session):
 *
 *   npx tsx bench/magistrate-browser.bench.ts [N=60] [rounds=3] [memJobs=2000] [--parts e2e,pss,memory] [--pss-pages 1,2,4,8]
 *
 * - e2e: N `court.case` lookups by case_id (browser), robot pool in a child process
 *   (`konveyer robots`, ROBOT_BROWSER_PAGES=4) vs plain playwright-core doing the same steps with
 *   the same screenshots (bench/support/magistrate-baseline.ts), rounds alternated. Each side first
 *   opens 4 cards of the one court without a gate (untimed: Chromium's launch, page warm-up); the
 *   timed batch meets the gate of each of the 6 gated courts once per fresh browser, on both sides.
 *   Goal: e2e/plain ≥ 0.8.
 * - pss: PSS of the Chromium tree while k pages work (k = 1, 2, 4, 8), divided by k, for the robot
 *   and for plain playwright (peak over a batch of max(16, 4k) cards, sampled every 250 ms).
 * - memory: one robot (default recycling config: BROWSER_PAGE_REUSE, BROWSER_RETIRE_AFTER_PAGES)
 *   serves `memJobs` browser lookups in chunks; the robot's RSS after 100 jobs vs after all, and
 *   the RSS slope over the checkpoints. Goal: RSS(memJobs) / RSS(100) ≤ 1.10.
 */
import { loadConfig } from '../config/index.ts';
import { msudrfWorld, type MsudrfCase } from '../sandbox/court-msudrf/msudrf.data.ts';
import { dropDatabases, startBenchServices, startRobotProcess, type BatchResult, type RobotProcess } from './support/farm.ts';
import { startMagistrateBaseline, type MagistrateBaselineResult } from './support/magistrate-baseline.ts';
import { MemorySampler, descendantsNamed, pssMb, vmRssMb, type MemorySample } from './support/proc-stats.ts';
import { figureOf, finish, fmt, median, printTable, type Figure } from './support/report.ts';
import { startSandboxProcess } from './support/sandbox-process.ts';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const positional = argv.filter((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'));
const N = Number(positional[0] ?? 60);
const ROUNDS = Number(positional[1] ?? 3);
const MEM_JOBS = Number(positional[2] ?? 2000);
const PARTS = new Set((flag('--parts') ?? 'e2e,pss,memory').split(','));
const PSS_PAGES = (flag('--pss-pages') ?? '1,2,4,8').split(',').map(Number);
const PAGES = 4;
const executablePath = loadConfig({}).browser.executablePath ?? '/usr/bin/chromium';

// The msudrf world does not depend on casesPerCourt (36 cards per court, 7 courts); keep the sudrf part small.
const sandbox = await startSandboxProcess(42, 20);
const services = await startBenchServices();
const ms = msudrfWorld(sandbox.world);
const gated = new Set(ms.courts.filter((c) => c.hasGate).map((c) => c.host));
const openCards = ms.cases.filter((c) => !gated.has(c.host));
/** Cards interleaved across courts, so that every batch meets every gate early. */
const interleaved: MsudrfCase[] = (() => {
  const lists = ms.courts.map((k) => ms.cases.filter((c) => c.host === k.host));
  const out: MsudrfCase[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length) out.push(l[i]!);
  return out;
})();
/** `n` cards from the interleaved list starting at `offset`, wrapping round (repeats are fine: fresh DB). */
const cardsAt = (offset: number, n: number): MsudrfCase[] => Array.from({ length: n }, (_, i) => interleaved[(offset + i) % interleaved.length]!);
const toLookup = (c: MsudrfCase) => ({ type: 'court.case', input: { court: c.host, caseId: String(c.caseId) } });
const dbs: string[] = [];
const newDb = (tag: string): string => {
  dbs.push(`bench_magistrate_${Date.now()}_${tag}`);
  return dbs.at(-1)!;
};
const startRobot = (tag: string, pages: number, nodeArgs: string[] = []): Promise<RobotProcess> =>
  startRobotProcess({ services, sandboxUrl: sandbox.url, db: newDb(tag), concurrency: Math.max(16, pages), mode: 'browser', browserPages: pages, nodeArgs });
/**
 * V8 heap (MB) of the robot's main isolate after its last full GC, from `--trace-gc` lines
 * (`[pid:0xISOLATE] … Mark-Compact 120 (140) -> 80 (142) MB`; worker threads such as the OCR's
 * have isolates of their own, the main one prints first); null before the first full GC.
 */
const heapAfterLastMarkCompact = (robot: RobotProcess): number | null => {
  const lines = robot.child.stdoutLines();
  const main = lines.map((l) => /^\[\d+:(0x[0-9a-f]+)\]/.exec(l)?.[1]).find(Boolean);
  for (let i = lines.length - 1; i >= 0; i--) {
    if (main && !lines[i]!.includes(main)) continue;
    const m = /Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/.exec(lines[i]!);
    if (m) return Number(m[1]);
  }
  return null;
};
/** The robot's last `process.memoryUsage()` in MB (bench/support/memory-report.preload.mjs prints one a second). */
const memoryUsageOf = (robot: RobotProcess): Record<'rss' | 'heapTotal' | 'heapUsed' | 'external' | 'arrayBuffers', number> | null => {
  const line = robot.child.stdoutLines().findLast((l) => l.startsWith('memusage '));
  if (!line) return null;
  const m = JSON.parse(line.slice('memusage '.length)) as Record<string, number>;
  const mb = (k: string) => m[k]! / 2 ** 20;
  return { rss: mb('rss'), heapTotal: mb('heapTotal'), heapUsed: mb('heapUsed'), external: mb('external'), arrayBuffers: mb('arrayBuffers') };
};
const gateAnswers = (robot: RobotProcess): Promise<number> =>
  robot.storage.conn.collection('evidence').countDocuments({ kind: 'html', step: { $regex: 'after-kcaptcha' } });
const chromiumPss = (pid: number): number => descendantsNamed(pid, 'chrom').reduce((s, p) => s + pssMb(p), 0);
const ok = (r: BatchResult, n: number) => {
  if (r.statuses.succeeded !== n) console.log(`  not all succeeded: ${JSON.stringify(r.statuses)} ${JSON.stringify(r.errorsByCode)}`);
};

// ---- (a) e2e vs plain -------------------------------------------------------------------------
interface E2eRound {
  round: number;
  order: string[];
  e2e: BatchResult & { perSecond: number; gateAnswers: number; peak: MemorySample };
  plain: MagistrateBaselineResult & { perSecond: number; peak: MemorySample };
}

async function e2eSide(round: number, batch: MsudrfCase[]): Promise<E2eRound['e2e']> {
  const robot = await startRobot(`e2e_r${round}`, PAGES);
  try {
    const warm = await robot.submit(openCards.slice(0, PAGES).map(toLookup));
    ok(warm, PAGES);
    const memory = new MemorySampler(robot.child.pid, true, 500);
    const result = await robot.submit(batch.map(toLookup));
    ok(result, batch.length);
    return { ...result, perSecond: result.statuses.succeeded / result.seconds, gateAnswers: await gateAnswers(robot), peak: memory.stop() };
  } finally {
    await robot.stop();
  }
}

async function plainSide(batch: MsudrfCase[], pages = PAGES): Promise<MagistrateBaselineResult & { perSecond: number; peak: MemorySample }> {
  const plain = await startMagistrateBaseline({ executablePath, pages, port: sandbox.port });
  try {
    await plain.run(openCards.slice(0, pages));
    const memory = new MemorySampler(process.pid, true, pages > 4 ? 250 : 500);
    const result = await plain.run(batch);
    const peak = memory.stop();
    return { ...result, perSecond: (result.pages - result.wrong) / result.seconds, peak };
  } finally {
    await plain.close();
  }
}

const e2eRounds: E2eRound[] = [];
const errors: string[] = [];
const figures: Figure[] = [];
const notes: string[] = [];

try {
  if (PARTS.has('e2e')) {
    for (let r = 0; r < ROUNDS; r++) {
      const batch = cardsAt(r * N, N);
      const order = r % 2 === 0 ? ['e2e', 'plain'] : ['plain', 'e2e'];
      const round: Partial<E2eRound> = { round: r + 1, order };
      try {
        for (const side of order) {
          if (side === 'e2e') round.e2e = await e2eSide(r, batch);
          else round.plain = await plainSide(batch);
        }
      } catch (error) {
        errors.push(`e2e round ${r + 1}: ${String(error).split('\n')[0]}`);
        console.log(`round ${r + 1} FAILED: ${String(error)}`);
        continue;
      }
      const done = round as E2eRound;
      e2eRounds.push(done);
      console.log(`round ${done.round}: e2e ${fmt(done.e2e.perSecond)} lookups/s (${done.e2e.statuses.succeeded}/${N}, ${done.e2e.gateAnswers} gate answers)  ` +
        `plain ${fmt(done.plain.perSecond)} pages/s (${done.plain.wrong} wrong, ${done.plain.gates} gates, ${done.plain.answers} answers)`);
    }
    if (e2eRounds.length > 0) {
      printTable(['round', 'e2e lookups/s', 'plain pages/s', 'e2e/plain', 'robot RSS MB', 'robot Chromium PSS MB', 'plain Chromium PSS MB', 'gate answers e2e / plain'],
        e2eRounds.map((r) => [String(r.round), fmt(r.e2e.perSecond), fmt(r.plain.perSecond), fmt(r.e2e.perSecond / r.plain.perSecond), fmt(r.e2e.peak.rssMb),
          fmt(r.e2e.peak.chromiumPssMb), fmt(r.plain.peak.chromiumPssMb), `${r.e2e.gateAnswers} / ${r.plain.answers}`]));
      figures.push(
        figureOf('magistrate browser e2e vs plain playwright', 'lookups/s', e2eRounds.map((r) => r.e2e.perSecond), {
          baseline: 'playwright-core 4 pages, same steps, pages/s', baselineValues: e2eRounds.map((r) => r.plain.perSecond), goalMin: 0.8,
        }),
        figureOf('magistrate browser robot peak RSS (4 pages)', 'MB', e2eRounds.map((r) => r.e2e.peak.rssMb)),
      );
      notes.push(`e2e: ${N} msudrf cards per round × ${e2eRounds.length} rounds (orders alternated), after ${PAGES} untimed cards of the ungated court; ` +
        `the timed batch meets ${gated.size} kcaptcha gates on each side (answers by the same local OCR)`);
    }
  }

  // ---- (b) Chromium PSS per concurrent page ----------------------------------------------------
  const pssRows: Array<{ pages: number; robot: number; plain: number }> = [];
  if (PARTS.has('pss')) {
    for (const [i, k] of PSS_PAGES.entries()) {
      const batch = cardsAt(1000 + i * 97, Math.max(16, 4 * k));
      try {
        const robot = await startRobot(`pss_${k}`, k);
        let robotPeak: MemorySample;
        try {
          ok(await robot.submit(cardsAt(0, ms.courts.length).map(toLookup)), ms.courts.length); // one card per court: every gate passed first
          const memory = new MemorySampler(robot.child.pid, true, 250);
          ok(await robot.submit(batch.map(toLookup)), batch.length);
          robotPeak = memory.stop();
        } finally {
          await robot.stop();
        }
        const plain = await plainSide(batch, k);
        pssRows.push({ pages: k, robot: robotPeak.chromiumPssMb, plain: plain.peak.chromiumPssMb });
        console.log(`pss ${k} pages: robot Chromium ${fmt(robotPeak.chromiumPssMb)} MB (${robotPeak.chromiumProcesses} procs), plain ${fmt(plain.peak.chromiumPssMb)} MB (${plain.peak.chromiumProcesses} procs)`);
      } catch (error) {
        errors.push(`pss ${k}: ${String(error).split('\n')[0]}`);
        console.log(`pss ${k} FAILED: ${String(error)}`);
      }
    }
    if (pssRows.length > 0) {
      printTable(['pages', 'robot Chromium PSS MB', 'per page', 'plain Chromium PSS MB', 'per page'],
        pssRows.map((r) => [String(r.pages), fmt(r.robot), fmt(r.robot / r.pages), fmt(r.plain), fmt(r.plain / r.pages)]));
      for (const r of pssRows) {
        figures.push(figureOf(`magistrate Chromium PSS per page at ${r.pages} pages`, 'MB', [r.robot / r.pages], { baseline: 'plain playwright MB/page', baselineValues: [r.plain / r.pages] }));
      }
      if (pssRows.length > 1) {
        const [a, b] = [pssRows[0]!, pssRows.at(-1)!];
        figures.push(figureOf(`magistrate Chromium PSS per added page (${a.pages}→${b.pages})`, 'MB', [(b.robot - a.robot) / (b.pages - a.pages)], {
          baseline: 'plain playwright', baselineValues: [(b.plain - a.plain) / (b.pages - a.pages)],
        }));
      }
      notes.push('pss: peak of the sum of smaps_rollup Pss over the Chromium processes under the robot (or this process) while the batch runs; one sample of each size');
    }
  }

  // ---- (c) robot RSS after many browser jobs ---------------------------------------------------
  if (PARTS.has('memory')) {
    // Checkpoints every 100 jobs (the goal's first point), finer on a short run so the slope has points.
    const step = MEM_JOBS >= 1000 ? 100 : Math.max(10, Math.min(100, Math.round(MEM_JOBS / 8)));
    const points: Array<{ jobs: number; rssMb: number; heapMb: number | null; chromiumPssMb: number; seconds: number; usage: ReturnType<typeof memoryUsageOf> }> = [];
    // --trace-gc: the live heap after each full GC tells a leak from a heap V8 has not collected yet;
    // the preload prints process.memoryUsage() (external, arrayBuffers: Buffers such as screenshots).
    const robot = await startRobot('memory', PAGES, ['--trace-gc', '--import', './bench/support/memory-report.preload.mjs']);
    try {
      const t0 = performance.now();
      let failed = 0;
      for (let jobs = 0; jobs < MEM_JOBS; ) {
        const n = Math.min(step, MEM_JOBS - jobs);
        const result = await robot.submit(cardsAt(jobs, n).map(toLookup));
        failed += n - result.statuses.succeeded;
        jobs += n;
        // Median of 5 readings over ~1 s: a single reading catches the heap before or after a GC.
        const readings: number[] = [];
        for (let i = 0; i < 5; i++) {
          readings.push(vmRssMb(robot.child.pid) ?? 0);
          await new Promise((r) => setTimeout(r, 200));
        }
        points.push({ jobs, rssMb: median(readings), heapMb: heapAfterLastMarkCompact(robot), chromiumPssMb: chromiumPss(robot.child.pid), seconds: (performance.now() - t0) / 1000, usage: memoryUsageOf(robot) });
        const p = points.at(-1)!;
        const u = p.usage ? `, heapUsed ${fmt(p.usage.heapUsed)} heapTotal ${fmt(p.usage.heapTotal)} external ${fmt(p.usage.external)} arrayBuffers ${fmt(p.usage.arrayBuffers)} MB` : '';
        console.log(`memory: ${jobs} jobs, robot RSS ${fmt(p.rssMb)} MB, heap after last full GC ${p.heapMb === null ? '-' : fmt(p.heapMb)} MB${u}, Chromium PSS ${fmt(p.chromiumPssMb)} MB, ${fmt(jobs / p.seconds)} lookups/s`);
      }
      const first = points.find((p) => p.jobs >= 100) ?? points[0]!;
      const last = points.at(-1)!;
      // Least-squares slope of RSS over jobs, MB per 1000 jobs (points after the first checkpoint).
      const tail = points.filter((p) => p.jobs >= first.jobs);
      const mx = tail.reduce((s, p) => s + p.jobs, 0) / tail.length;
      const my = tail.reduce((s, p) => s + p.rssMb, 0) / tail.length;
      const den = tail.reduce((s, p) => s + (p.jobs - mx) ** 2, 0);
      const slope = den > 0 ? (tail.reduce((s, p) => s + (p.jobs - mx) * (p.rssMb - my), 0) / den) * 1000 : 0;
      const ratio = last.rssMb / first.rssMb;
      figures.push({
        figure: `magistrate robot RSS after ${last.jobs} browser jobs vs after ${first.jobs}`, unit: 'MB', value: last.rssMb, range: [last.rssMb, last.rssMb],
        baseline: `RSS after ${first.jobs} jobs ${fmt(first.rssMb)}`, ratio: { median: ratio, range: [ratio, ratio] }, goal: '≤ 1.1', met: ratio <= 1.1 ? 'yes' : 'no',
      });
      figures.push(figureOf('magistrate robot RSS slope', 'MB/1000 jobs', [slope]));
      if (first.heapMb !== null && last.heapMb !== null) {
        figures.push(figureOf(`magistrate robot V8 heap after full GC, ${last.jobs} jobs`, 'MB', [last.heapMb], { baseline: `after ${first.jobs}`, baselineValues: [first.heapMb] }));
      }
      if (first.usage && last.usage) {
        for (const k of ['heapUsed', 'heapTotal', 'external', 'arrayBuffers'] as const) {
          figures.push(figureOf(`magistrate robot ${k} (process.memoryUsage) after ${last.jobs} jobs`, 'MB', [last.usage[k]], { baseline: `after ${first.jobs}`, baselineValues: [first.usage[k]] }));
        }
      }
      // Native = RSS not accounted for by the V8 heap (as reserved: heapTotal) and Buffers: malloc arenas, code, stacks.
      const native = (p: (typeof points)[number]) => (p.usage ? p.usage.rss - p.usage.heapTotal - p.usage.external : null);
      if (native(first) !== null && native(last) !== null) {
        figures.push(figureOf(`magistrate robot RSS − heapTotal − external after ${last.jobs} jobs`, 'MB', [native(last)!], { baseline: `after ${first.jobs}`, baselineValues: [native(first)!] }));
      }
      figures.push(figureOf(`magistrate robot Chromium PSS after ${last.jobs} jobs`, 'MB', [last.chromiumPssMb], { baseline: `after ${first.jobs}`, baselineValues: [first.chromiumPssMb] }));
      notes.push(`memory: ${MEM_JOBS} browser lookups in chunks of ${step} on one robot (4 pages, default page reuse / browser retirement), ${failed} not succeeded, ` +
        `${fmt(last.jobs / last.seconds)} lookups/s; RSS = median of 5 VmRSS readings after each chunk`);
    } catch (error) {
      errors.push(`memory: ${String(error).split('\n')[0]}`);
      console.log(`memory FAILED: ${String(error)}`);
    } finally {
      await robot.stop();
    }
  }
} finally {
  await dropDatabases(services, dbs);
  await services.stop();
  await sandbox.stop();
}

if (figures.length === 0) {
  process.exitCode = 1;
  throw new Error(`nothing measured: ${errors.join('; ')}`);
}
finish({ bench: 'magistrate-browser', figures, notes: [...errors.map((e) => `FAILED ${e}`), ...notes], rounds: e2eRounds });
