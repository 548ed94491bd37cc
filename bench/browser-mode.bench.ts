/**
 * Browser mode end to end against plain playwright-core, on the same card pages, side by side.
 *
 *   npx tsx bench/browser-mode.bench.ts [N=80] [rounds=3]      (BENCH_CPU_PROF=<dir> profiles the robot)
 *
 * - e2e: N `court.case` lookups by caseId+caseUid with `mode: 'browser'`, robot pool in a child
 *   process (`konveyer robots`, ROBOT_BROWSER_PAGES=4). The robot first serves 4 warm-up lookups so
 *   that Chromium's launch is not timed (the baseline's launch is not timed either). lookups/s from
 *   the submit call to the last `finishedAt`.
 * - plain: playwright-core, Debian's Chromium with the robot's CHROMIUM_ARGS and host-resolver
 *   rules, 4 reused pages: goto card, page.content(), show the tab panes, full-page PNG screenshot, parse.
 * - plain-same-format: the same, with the robot's screenshot format (EVIDENCE_SCREENSHOT_FORMAT, by
 *   default WebP q10 through CDP): what the format costs apart from what the farm adds.
 * Goal: e2e/plain ≥ 0.8. Also the robot's RSS and the PSS of the Chromium tree at 4 pages, for both.
 */
import type { SandboxCase } from '../sandbox/data/world.types.ts';
import { loadConfig } from '../config/index.ts';
import { dropDatabases, startBenchServices, startRobotProcess, type BatchResult, type RobotProcess } from './support/farm.ts';
import { runPlaywrightBaseline, type PlaywrightBaselineResult } from './support/playwright-baseline.ts';
import { cpuSeconds, descendants, descendantsNamed, MemorySampler, type MemorySample } from './support/proc-stats.ts';
import { figureOf, finish, fmt, printTable } from './support/report.ts';
import { cardOnlyCases, sandboxRequestCount, startSandboxProcess } from './support/sandbox-process.ts';

const N = Number(process.argv[2] ?? 80);
const ROUNDS = Number(process.argv[3] ?? 3);
const PAGES = 4;
const WARMUP = PAGES;
const profileDir = process.env.BENCH_CPU_PROF;
// The product's own settings from the environment: the robot child inherits them too (EVIDENCE_SCREENSHOT_FORMAT …).
const config = loadConfig();
const executablePath = config.browser.executablePath ?? '/usr/bin/chromium';
const robotFormat = { format: config.evidence.screenshotFormat, jpegQuality: config.evidence.jpegQuality, webpQuality: config.evidence.webpQuality };

interface Round {
  round: number;
  order: string[];
  e2e: BatchResult & { perSecond: number; robotRssMb: number; chromiumPssMb: number; chromiumProcesses: number; treeCpuMsPerLookup: number; robotCpuMsPerLookup: number; mongoCpuMsPerLookup: number; cardRequests: number };
  plain: PlainResult;
  plainSameFormat: PlainResult;
}
type PlainResult = PlaywrightBaselineResult & { perSecond: number; nodeRssMb: number; chromiumPssMb: number; chromiumProcesses: number; treeCpuMsPerPage: number; nodeCpuMsPerPage: number; cardRequests: number };

const sandbox = await startSandboxProcess(42, Math.ceil((N + WARMUP) * ROUNDS / 3) + 10);
const services = await startBenchServices();
const mongoPids = [...descendantsNamed(process.pid, 'ferretdb'), ...descendantsNamed(process.pid, 'mongod')];
const mongoCpu = (): number => mongoPids.reduce((s, p) => s + cpuSeconds(p), 0);
const cases = cardOnlyCases(sandbox.world);
const rounds: Round[] = [];
const dbs: string[] = [];
const roundErrors: string[] = [];
const newDb = (round: number): string => {
  dbs.push(`bench_browser_${Date.now()}_r${round}`);
  return dbs.at(-1)!;
};
const toLookup = (c: SandboxCase) => ({ type: 'court.case', input: { court: c.host, caseId: String(c.caseId), caseUid: c.caseUid, mode: 'browser' } });
/** CPU seconds of a process and every descendant alive now (Chromium's renderers come and go). */
const treeCpu = (pid: number): number => [pid, ...descendants(pid)].reduce((s, p) => s + cpuSeconds(p), 0);
/**
 * CPU seconds of a node process and of its Chromium descendants alive now, apart. The bench process's
 * other children (the sandbox, FerretDB, Redis) are not the baseline's work and are left out.
 */
const nodeAndChromiumCpu = (pid: number): { node: number; chromium: number } => ({
  node: cpuSeconds(pid),
  chromium: descendantsNamed(pid, 'chromium').reduce((s, p) => s + cpuSeconds(p), 0),
});

async function e2e(round: number, warmup: SandboxCase[], batch: SandboxCase[]): Promise<Round['e2e']> {
  const robot: RobotProcess = await startRobotProcess({
    services,
    sandboxUrl: sandbox.url,
    db: newDb(round),
    concurrency: 16,
    mode: 'browser',
    browserPages: PAGES,
    nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  });
  try {
    const warm = await robot.submit(warmup.map(toLookup));
    if (warm.statuses.succeeded !== warmup.length) throw new Error(`browser warm-up failed: ${JSON.stringify(warm.statuses)} ${JSON.stringify(warm.errorsByCode)}`);
    const memory = new MemorySampler(robot.child.pid, true, 500);
    const cpu0 = treeCpu(robot.child.pid);
    const robotCpu0 = cpuSeconds(robot.child.pid);
    const mongo0 = mongoCpu();
    const requests0 = await sandboxRequestCount(sandbox.url);
    const result = await robot.submit(batch.map(toLookup));
    const cardRequests = (await sandboxRequestCount(sandbox.url)) - requests0;
    const cpu = treeCpu(robot.child.pid) - cpu0;
    const robotCpu = cpuSeconds(robot.child.pid) - robotCpu0;
    const peak: MemorySample = memory.stop();
    return {
      ...result,
      perSecond: result.lookups / result.seconds,
      robotRssMb: peak.rssMb,
      chromiumPssMb: peak.chromiumPssMb,
      chromiumProcesses: peak.chromiumProcesses,
      treeCpuMsPerLookup: (cpu * 1000) / result.lookups,
      robotCpuMsPerLookup: (robotCpu * 1000) / result.lookups,
      mongoCpuMsPerLookup: ((mongoCpu() - mongo0) * 1000) / result.lookups,
      cardRequests,
    };
  } finally {
    await robot.stop();
  }
}

async function plain(batch: SandboxCase[], format?: typeof robotFormat): Promise<PlainResult> {
  let memory: MemorySampler | null = null;
  let cpu0 = { node: 0, chromium: 0 };
  let cpu1 = { node: 0, chromium: 0 };
  let peak: MemorySample = { rssMb: 0, chromiumPssMb: 0, chromiumProcesses: 0 };
  const requests0 = await sandboxRequestCount(sandbox.url);
  const result = await runPlaywrightBaseline(batch, sandbox.port, {
    executablePath,
    pages: PAGES,
    format,
    onLaunched: () => {
      memory = new MemorySampler(process.pid, true, 500);
      cpu0 = nodeAndChromiumCpu(process.pid);
    },
    onDone: () => {
      // Read while Chromium is still alive: once it exits its time is no longer in the tree.
      cpu1 = nodeAndChromiumCpu(process.pid);
      peak = memory?.stop() ?? peak;
    },
  });
  const cardRequests = (await sandboxRequestCount(sandbox.url)) - requests0;
  return {
    ...result,
    perSecond: result.pages / result.seconds,
    nodeRssMb: peak.rssMb,
    chromiumPssMb: peak.chromiumPssMb,
    chromiumProcesses: peak.chromiumProcesses,
    treeCpuMsPerPage: ((cpu1.node + cpu1.chromium - cpu0.node - cpu0.chromium) * 1000) / result.pages,
    nodeCpuMsPerPage: ((cpu1.node - cpu0.node) * 1000) / result.pages,
    cardRequests,
  };
}

try {
  for (let r = 0; r < ROUNDS; r++) {
    const slice = cases.slice(r * (N + WARMUP), (r + 1) * (N + WARMUP));
    const [warmup, batch] = [slice.slice(0, WARMUP), slice.slice(WARMUP)];
    const order = r % 2 === 0 ? ['e2e', 'plain', 'plainSameFormat'] : ['plainSameFormat', 'plain', 'e2e'];
    const round: Partial<Round> = { round: r + 1, order };
    try {
      for (const step of order) {
        if (step === 'e2e') round.e2e = await e2e(r, warmup, batch);
        else if (step === 'plain') round.plain = await plain(batch);
        else round.plainSameFormat = await plain(batch, robotFormat);
      }
    } catch (error) {
      // One broken round should not lose the others; it is reported, and no round at all fails the bench.
      roundErrors.push(`round ${r + 1}: ${String(error).split('\n')[0]}`);
      console.log(`round ${r + 1} FAILED: ${String(error)}`);
      continue;
    }
    const done = round as Round;
    rounds.push(done);
    console.log(
      `round ${done.round}: e2e ${fmt(done.e2e.perSecond)} lookups/s (${done.e2e.statuses.succeeded}/${N} succeeded, ${done.e2e.cardRequests} card requests)  ` +
        `plain ${fmt(done.plain.perSecond)} pages/s (${done.plain.wrong} wrong, ${done.plain.cardRequests} requests)  ` +
        `plain ${robotFormat.format} ${fmt(done.plainSameFormat.perSecond)} pages/s (${done.plainSameFormat.wrong} wrong)`,
    );
  }
} finally {
  if (rounds.length === 0) process.exitCode = 1;
  await dropDatabases(services, dbs);
  await services.stop();
  await sandbox.stop();
}

if (rounds.length === 0) throw new Error(`no round completed: ${roundErrors.join('; ')}`);
console.log('');
printTable(
  ['round', 'e2e lookups/s', 'plain pages/s', 'e2e/plain', `plain ${robotFormat.format} pages/s`, 'robot RSS MB', 'robot Chromium PSS MB', 'plain Chromium PSS MB', 'e2e CPU ms/lookup (robot node)', 'mongo CPU ms/lookup', 'plain CPU ms/page (node)', `plain ${robotFormat.format} CPU ms/page`, `KiB/screenshot plain · plain ${robotFormat.format}`],
  rounds.map((r) => [
    String(r.round),
    fmt(r.e2e.perSecond),
    fmt(r.plain.perSecond),
    fmt(r.e2e.perSecond / r.plain.perSecond),
    fmt(r.plainSameFormat.perSecond),
    fmt(r.e2e.robotRssMb),
    `${fmt(r.e2e.chromiumPssMb)} (${r.e2e.chromiumProcesses} procs)`,
    `${fmt(r.plain.chromiumPssMb)} (${r.plain.chromiumProcesses} procs)`,
    `${fmt(r.e2e.treeCpuMsPerLookup)} (${fmt(r.e2e.robotCpuMsPerLookup)})`,
    fmt(r.e2e.mongoCpuMsPerLookup),
    `${fmt(r.plain.treeCpuMsPerPage)} (${fmt(r.plain.nodeCpuMsPerPage)})`,
    fmt(r.plainSameFormat.treeCpuMsPerPage),
    `${fmt(r.plain.screenshotKb)} · ${fmt(r.plainSameFormat.screenshotKb)}`,
  ]),
);

const failedLookups = rounds.reduce((s, r) => s + (r.e2e.lookups - r.e2e.statuses.succeeded), 0);
finish({
  bench: 'browser-mode',
  figures: [
    figureOf('browser e2e vs plain playwright', 'lookups/s', rounds.map((r) => r.e2e.perSecond), {
      baseline: 'playwright-core 4 pages pages/s',
      baselineValues: rounds.map((r) => r.plain.perSecond),
      goalMin: 0.8,
    }),
    figureOf(`browser e2e vs plain playwright with the robot's ${robotFormat.format} screenshots`, 'lookups/s', rounds.map((r) => r.e2e.perSecond), {
      baseline: `playwright-core 4 pages, ${robotFormat.format}, pages/s`,
      baselineValues: rounds.map((r) => r.plainSameFormat.perSecond),
    }),
    figureOf('browser robot + Chromium CPU per lookup', 'ms', rounds.map((r) => r.e2e.treeCpuMsPerLookup), {
      baseline: 'plain playwright CPU ms/page',
      baselineValues: rounds.map((r) => r.plain.treeCpuMsPerPage),
      goalMax: 1.1,
    }),
    figureOf(`browser robot + Chromium CPU per lookup vs plain with ${robotFormat.format} screenshots`, 'ms', rounds.map((r) => r.e2e.treeCpuMsPerLookup), {
      baseline: `plain playwright ${robotFormat.format} CPU ms/page`,
      baselineValues: rounds.map((r) => r.plainSameFormat.treeCpuMsPerPage),
    }),
    figureOf('browser robot node process CPU per lookup', 'ms', rounds.map((r) => r.e2e.robotCpuMsPerLookup), {
      baseline: 'plain playwright node CPU ms/page',
      baselineValues: rounds.map((r) => r.plain.nodeCpuMsPerPage),
    }),
    figureOf('browser MongoDB-wire server CPU per lookup', 'ms', rounds.map((r) => r.e2e.mongoCpuMsPerLookup)),
    figureOf('browser robot peak RSS (4 pages)', 'MB', rounds.map((r) => r.e2e.robotRssMb)),
    figureOf('browser robot Chromium tree peak PSS', 'MB', rounds.map((r) => r.e2e.chromiumPssMb), {
      baseline: 'plain playwright Chromium PSS MB',
      baselineValues: rounds.map((r) => r.plain.chromiumPssMb),
    }),
  ],
  notes: [
    ...roundErrors.map((e) => `FAILED ${e}`),
    `${N} browser lookups per round × ${ROUNDS} rounds after ${WARMUP} untimed warm-up lookups; ROBOT_BROWSER_PAGES=${PAGES}, robot concurrency 16; same cards for every side; both plain runs show the card's tab panes before the screenshot, as the robot does`,
    `robot RSS = the robot node process (VmRSS); Chromium PSS = sum of smaps_rollup Pss over its chromium descendants, sampled every 500 ms`,
    `e2e CPU = robot process + Chromium tree; plain CPU = this process + its Chromium processes (not the sandbox, FerretDB or Redis it also runs), both per page; the node process's own share in parentheses`,
    `lookups not succeeded: ${failedLookups}; plain pages with a wrong card: ${rounds.reduce((s, r) => s + r.plain.wrong + r.plainSameFormat.wrong, 0)}`,
  ],
  rounds,
});
