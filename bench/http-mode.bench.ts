/**
 * HTTP mode end to end against its baselines, on the same card pages, side by side in each round.
 *
 *   npx tsx bench/http-mode.bench.ts [N=300] [rounds=3] [--profile]   (BENCH_CPU_PROF=<dir> profiles the robot)
 *
 * - e2e: N `court.case` lookups by caseId+caseUid (one card page each) submitted to a robot pool in
 *   a child process (`konveyer robots --concurrency 16`); lookups/s from the submit call to the last
 *   lookup's `finishedAt` in MongoDB. Each round has a fresh database and robot process.
 * - (a) bare loop: undici + iconv-lite + the farm's cheerio parser over the same URLs, 16 at once.
 * - (b) Crawlee CheerioCrawler (in memory, 16 at once) fetching and parsing the same URLs.
 * Goals: e2e/bare ≥ 0.5, e2e/cheerio ≥ 1.5. Also the robot process's peak RSS and the CPU time
 * per lookup of the robot and of the MongoDB-wire server.
 *
 * `--profile` (or BENCH_PROFILE=1) also prints, per lookup: the robot's MongoDB commands by command
 * and collection and the bytes it wrote per collection (MONGODB_COMMAND_STATS_FILE of the robot
 * process), the Redis commands by name (`INFO commandstats` of the bench's Redis before/after the
 * batch: the robot's, the submit's and this bench's queue polls every 100 ms), and the top 15
 * self-time entries of the robot's CPU profile (`--cpu-prof`, the whole process life).
 *
 * Every run also prints the CPU budget: CPU ms per e2e lookup of each process (robot, MongoDB-wire
 * server, Redis, sandbox) and per bare-loop page (this process's loop, the sandbox), and the rate
 * the machine's cores could sustain at that cost. The ratio of the two ceilings is the ratio the
 * e2e path can reach on this machine when CPU is what limits it; its MongoDB/Redis/sandbox part
 * alone bounds the ratio whatever the robot does.
 */
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxCase } from '../sandbox/data/world.types.ts';
import { createRedis } from '../queues/redis.ts';
import { profileLines, summariseProfile } from './profile-summary.tool.ts';
import { BENCH_POLITENESS, dropDatabases, startBenchServices, type BatchResult, type RobotProcess } from './support/farm.ts';
import { HTTP_E2E_CONCURRENCY, mongoServerPids, runHttpE2e, type HttpE2eResult } from './support/http-e2e.ts';
import { runBareLoop, runCheerioCrawler, type BaselineResult } from './support/http-baselines.ts';
import { figureOf, finish, fmt, printTable, type Figure } from './support/report.ts';
import { perLookup, rangeRows, readCommandStats, redisClientAddr, redisCommandCalls, sumOf, watchRedisCommands } from './support/round-trips.ts';
import { cardOnlyCases, startSandboxProcess } from './support/sandbox-process.ts';
import { cpuSeconds, descendants, descendantsNamed } from './support/proc-stats.ts';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const N = Number(positional[0] ?? 300);
const ROUNDS = Number(positional[1] ?? 3);
const CONCURRENCY = HTTP_E2E_CONCURRENCY;
const profileMode = process.argv.includes('--profile') || process.env.BENCH_PROFILE === '1';
const profileDir = process.env.BENCH_CPU_PROF ?? (profileMode ? mkdtempSync(join(tmpdir(), 'konveyer-http-prof-')) : undefined);

/** Round trips of one batch, per lookup (profile mode). */
interface Trips {
  mongo: Record<string, number>;
  mongoBytes: Record<string, number>;
  /** Commands Redis ran (`INFO commandstats`: inside scripts too, and the bench's). */
  redis: Record<string, number>;
  /** Top-level Redis commands the robot process sent (MONITOR), by name: its round trips. */
  redisTrips: Record<string, number>;
  /** Per lookup: commands run inside Lua scripts; the bench's own commands (submit, polls). */
  redisInScripts: number;
  redisBench: number;
  /** The robot's `.cpuprofile` of this round. */
  cpuProfile: string | null;
}
const trips: Trips[] = [];

interface Round {
  round: number;
  order: string[];
  e2e: HttpE2eResult;
  bare: BaselineResult & { perSecond: number; cpuMsPerPage: { client: number; sandbox: number } };
  cheerio: BaselineResult & { perSecond: number };
}

const sandbox = await startSandboxProcess(42, Math.ceil((N * ROUNDS) / 3) + 10);
const services = await startBenchServices();
const statsRedis = createRedis(services.redisUrl);
const mongoPids = mongoServerPids();
const redisPids = descendantsNamed(process.pid, 'redis-server');
// The sandbox child is tsx's wrapper; the server runs in its node descendant.
const sandboxPids = [sandbox.child.proc.pid!, ...descendants(sandbox.child.proc.pid!)];
const cpuOf = (pids: number[]): number => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
const cores = availableParallelism();
const cases = cardOnlyCases(sandbox.world);
if (cases.length < N * ROUNDS) throw new Error(`only ${cases.length} card-only cases for ${N}×${ROUNDS}`);
const rounds: Round[] = [];
const dbs: string[] = [];
const roundErrors: string[] = [];
const newDb = (round: number): string => {
  dbs.push(`bench_http_${Date.now()}_r${round}`);
  return dbs.at(-1)!;
};

/** The robot's main-thread profile of a round: the largest one written since (tsx's loader thread writes a small one too). */
const mainThreadProfile = (since: number): string | null => {
  if (!profileDir) return null;
  const files = readdirSync(profileDir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(profileDir, f))
    .filter((f) => statSync(f).mtimeMs >= since)
    .sort((a, b) => statSync(b).size - statSync(a).size);
  return files[0] ?? null;
};

async function e2e(round: number, batch: SandboxCase[]): Promise<Round['e2e']> {
  const statsFile = profileMode ? join(profileDir!, `commands-r${round + 1}-${Date.now()}.json`) : null;
  const startedAt = Date.now();
  // Profile mode: the robot's MongoDB commands (its stats file), Redis commands (INFO + MONITOR).
  const watch = statsFile
    ? async (robot: RobotProcess) => {
        const mongo0 = await readCommandStats(statsFile);
        const redis0 = await redisCommandCalls(statsRedis);
        const monitor = await watchRedisCommands(statsRedis);
        return {
          async end(result: BatchResult) {
            const mongo1 = await readCommandStats(statsFile);
            const redis1 = await redisCommandCalls(statsRedis);
            const watched = await monitor.stop(new Set([await redisClientAddr(robot.redis), await redisClientAddr(statsRedis)]));
            trips.push({
              redisTrips: perLookup({}, watched.topLevel, result.lookups),
              redisInScripts: watched.inScripts / result.lookups,
              redisBench: watched.excluded / result.lookups,
              mongo: perLookup(mongo0.commands, mongo1.commands, result.lookups),
              mongoBytes: perLookup(mongo0.bytesWritten, mongo1.bytesWritten, result.lookups),
              redis: perLookup(redis0, redis1, result.lookups),
              cpuProfile: null,
            });
          },
        };
      }
    : undefined;
  try {
    return await runHttpE2e({
      services,
      sandboxUrl: sandbox.url,
      db: newDb(round),
      batch,
      mongoPids,
      otherPids: { redis: redisPids, sandbox: sandboxPids },
      env: statsFile ? { MONGODB_COMMAND_STATS_FILE: statsFile } : {},
      nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
      watch,
    });
  } finally {
    // The profile is written when the robot process exits.
    if (profileMode && trips.length > 0 && trips.at(-1)!.cpuProfile === null) trips.at(-1)!.cpuProfile = mainThreadProfile(startedAt);
  }
}

const withRate = (r: BaselineResult): BaselineResult & { perSecond: number } => ({ ...r, perSecond: r.pages / r.seconds });

/** The bare loop with its CPU: this process's (the loop alone runs here meanwhile) and the sandbox's, per page. */
async function bareWithCpu(batch: SandboxCase[]): Promise<Round['bare']> {
  const client0 = process.cpuUsage();
  const sandbox0 = cpuOf(sandboxPids);
  const result = withRate(await runBareLoop(batch, sandbox.port, CONCURRENCY));
  const client = process.cpuUsage(client0);
  const sandboxCpu = cpuOf(sandboxPids) - sandbox0;
  return { ...result, cpuMsPerPage: { client: (client.user + client.system) / 1000 / result.pages, sandbox: (sandboxCpu * 1000) / result.pages } };
}

try {
  // Warm the baselines' code paths (the robot process warms up inside its own first batch).
  await runBareLoop(cases.slice(-50), sandbox.port, CONCURRENCY);
  await runCheerioCrawler(cases.slice(-50), sandbox.port, CONCURRENCY);
  for (let r = 0; r < ROUNDS; r++) {
    const batch = cases.slice(r * N, (r + 1) * N);
    // Alternate the order so that a drift of the VM's speed within a round does not always favour one side.
    const order = r % 2 === 0 ? ['e2e', 'bare', 'cheerio'] : ['cheerio', 'bare', 'e2e'];
    const round: Partial<Round> = { round: r + 1, order };
    try {
      for (const step of order) {
        if (step === 'e2e') round.e2e = await e2e(r, batch);
        if (step === 'bare') round.bare = await bareWithCpu(batch);
        if (step === 'cheerio') round.cheerio = withRate(await runCheerioCrawler(batch, sandbox.port, CONCURRENCY));
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
      `round ${done.round}: e2e ${fmt(done.e2e.perSecond)} lookups/s (${done.e2e.statuses.succeeded}/${N} succeeded, ${done.e2e.cardRequests} card requests, ` +
        `robot peak RSS ${fmt(done.e2e.robotRssMb)} MB)  bare ${fmt(done.bare.perSecond)} pages/s  cheerio ${fmt(done.cheerio.perSecond)} pages/s`,
    );
  }
} finally {
  if (rounds.length === 0) process.exitCode = 1;
  statsRedis.disconnect();
  await dropDatabases(services, dbs);
  await services.stop();
  await sandbox.stop();
}

if (rounds.length === 0) throw new Error(`no round completed: ${roundErrors.join('; ')}`);
console.log('');
printTable(
  ['round', 'e2e lookups/s', 'submit s', 'bare pages/s', 'cheerio pages/s', 'e2e/bare', 'e2e/cheerio', 'robot RSS MB', 'robot CPU ms/lookup', 'mongo CPU ms/lookup'],
  rounds.map((r) => [
    String(r.round),
    fmt(r.e2e.perSecond),
    fmt(r.e2e.submitSeconds),
    fmt(r.bare.perSecond),
    fmt(r.cheerio.perSecond),
    fmt(r.e2e.perSecond / r.bare.perSecond),
    fmt(r.e2e.perSecond / r.cheerio.perSecond),
    fmt(r.e2e.robotRssMb),
    fmt(r.e2e.robotCpuMsPerLookup),
    fmt(r.e2e.mongoCpuMsPerLookup),
  ]),
);

/** CPU ms of one e2e lookup, all processes, and of one bare page, client and sandbox. */
/** What the lookup costs outside the robot: the MongoDB-wire server, Redis and the sandbox. */
const serviceCpu = (r: Round) => r.e2e.mongoCpuMsPerLookup + (r.e2e.otherCpuMsPerLookup.redis ?? 0) + (r.e2e.otherCpuMsPerLookup.sandbox ?? 0);
const e2eCpu = (r: Round) => r.e2e.robotCpuMsPerLookup + serviceCpu(r);
const bareCpu = (r: Round) => r.bare.cpuMsPerPage.client + r.bare.cpuMsPerPage.sandbox;
console.log(`\nCPU budget (ms of CPU per lookup or page; ceiling = ${cores} cores × 1000 ms / that):`);
printTable(
  ['round', 'robot', 'mongo', 'redis', 'sandbox', 'e2e total', 'e2e ceiling/s', 'bare client', 'bare sandbox', 'bare total', 'bare ceiling/s', 'ceiling ratio', 'ratio without the robot'],
  rounds.map((r) => [
    String(r.round),
    fmt(r.e2e.robotCpuMsPerLookup),
    fmt(r.e2e.mongoCpuMsPerLookup),
    fmt(r.e2e.otherCpuMsPerLookup.redis ?? 0),
    fmt(r.e2e.otherCpuMsPerLookup.sandbox ?? 0),
    fmt(e2eCpu(r)),
    fmt((cores * 1000) / e2eCpu(r)),
    fmt(r.bare.cpuMsPerPage.client),
    fmt(r.bare.cpuMsPerPage.sandbox),
    fmt(bareCpu(r)),
    fmt((cores * 1000) / bareCpu(r)),
    fmt(bareCpu(r) / e2eCpu(r)),
    // The ratio reached with a robot that costs no more than the bare loop's client.
    fmt(bareCpu(r) / (serviceCpu(r) + r.bare.cpuMsPerPage.client)),
  ]),
);

if (profileMode && trips.length > 0) {
  console.log(`\nper lookup, mean (min–max) over ${trips.length} round(s) of ${N}:`);
  console.log('\nMongoDB commands sent by the robot (command collection):');
  printTable(['command', 'per lookup'], rangeRows(trips.map((t) => t.mongo)));
  console.log('\nbytes written by the robot per collection (BSON of inserted/updated documents):');
  printTable(['collection', 'bytes per lookup'], rangeRows(trips.map((t) => t.mongoBytes), 0));
  console.log('\nRedis round trips of the robot process (top-level commands it sent, MONITOR):');
  printTable(['command', 'per lookup'], rangeRows(trips.map((t) => t.redisTrips)));
  console.log(
    `  plus per lookup: ${trips.map((t) => fmt(t.redisInScripts)).join(' / ')} commands inside Lua scripts; ` +
      `${trips.map((t) => fmt(t.redisBench)).join(' / ')} sent by this bench (submit, polls every 100 ms)`,
  );
  console.log('\nRedis commands run, whole server (INFO commandstats: inside scripts too, and the bench\'s):');
  printTable(['command', 'per lookup'], rangeRows(trips.map((t) => t.redis)).slice(0, 16));
  const last = trips.findLast((t) => t.cpuProfile);
  if (last?.cpuProfile) {
    console.log(`\nrobot CPU profile (${last.cpuProfile}), whole process life:`);
    console.log(profileLines(summariseProfile(last.cpuProfile, 15)).join('\n'));
  }
}

const e2eRates = rounds.map((r) => r.e2e.perSecond);
const failedLookups = rounds.reduce((s, r) => s + (r.e2e.lookups - r.e2e.statuses.succeeded), 0);
const wrongPages = rounds.reduce((s, r) => s + r.bare.wrong + r.cheerio.wrong, 0);
const figures: Figure[] = [
  figureOf('HTTP e2e vs bare loop', 'lookups/s', e2eRates, { baseline: 'undici+iconv+cheerio pages/s', baselineValues: rounds.map((r) => r.bare.perSecond), goalMin: 0.5 }),
  figureOf('HTTP e2e vs CheerioCrawler', 'lookups/s', e2eRates, { baseline: 'CheerioCrawler pages/s', baselineValues: rounds.map((r) => r.cheerio.perSecond), goalMin: 1.5 }),
  figureOf('HTTP robot peak RSS (conc 16)', 'MB', rounds.map((r) => r.e2e.robotRssMb)),
  figureOf('HTTP robot CPU per lookup', 'ms', rounds.map((r) => r.e2e.robotCpuMsPerLookup)),
  figureOf('HTTP MongoDB-wire server CPU per lookup', 'ms', rounds.map((r) => r.e2e.mongoCpuMsPerLookup)),
  figureOf('HTTP Redis server CPU per lookup', 'ms', rounds.map((r) => r.e2e.otherCpuMsPerLookup.redis ?? 0)),
  figureOf('HTTP sandbox CPU per lookup (e2e) / per page (bare)', 'ms', rounds.map((r) => r.e2e.otherCpuMsPerLookup.sandbox ?? 0), {
    baseline: 'bare-loop page',
    baselineValues: rounds.map((r) => r.bare.cpuMsPerPage.sandbox),
  }),
  figureOf('HTTP CPU per lookup, all processes', 'ms', rounds.map(e2eCpu), { baseline: 'bare-loop page, client + sandbox', baselineValues: rounds.map(bareCpu) }),
  // What the e2e/bare ratio could be if the robot cost no more CPU than the bare loop's client: the
  // database, queue and sandbox share alone; when CPU limits, the 0.5 goal needs this ≥ 0.5.
  figureOf('HTTP e2e CPU ceiling with a robot as cheap as the bare loop', 'lookups/s', rounds.map((r) => (cores * 1000) / (serviceCpu(r) + r.bare.cpuMsPerPage.client)), {
    baseline: 'bare-loop CPU ceiling pages/s',
    baselineValues: rounds.map((r) => (cores * 1000) / bareCpu(r)),
    goalMin: 0.5,
  }),
];
finish({
  bench: 'http-mode',
  figures,
  notes: [
    ...roundErrors.map((e) => `FAILED ${e}`),
    `${N} lookups per round × ${ROUNDS} rounds, concurrency ${CONCURRENCY}; court.case by caseId+caseUid on courts without search captcha (one card each)`,
    `politeness raised to ${BENCH_POLITENESS.rps} rps / ${BENCH_POLITENESS.concurrency} in flight per host so it does not throttle (max POLITENESS_RPS allows)`,
    `robot = node bin/konveyer.mjs robots in a child process; RSS is that process alone (VmRSS); sandbox and submitter run elsewhere`,
    `MongoDB-wire server: ${mongoPids.length ? 'embedded (FerretDB/SQLite or mongod)' : 'external, CPU not measured'}; fresh database per round; completion is polled in Redis, not MongoDB`,
    `lookups not succeeded: ${failedLookups}; baseline pages with a wrong or unparsed card: ${wrongPages}`,
  ],
  rounds,
  ...(profileMode
    ? {
        roundTrips: trips.map((t) => ({ mongo: sumOf(t.mongo), redis: sumOf(t.redisTrips), redisRun: sumOf(t.redis), redisByTrip: t.redisTrips, mongoBytes: sumOf(t.mongoBytes), byCommand: t.mongo, redisByCommand: t.redis, bytesByCollection: t.mongoBytes })),
      }
    : {}),
});
