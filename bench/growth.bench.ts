/**
 * Cost as the work grows (issue 18 §5): the HTTP e2e batch of bench/http-mode.bench.ts on databases
 * that already hold 0, 100 000 and 1 000 000 lookups — with half as many court cases and one
 * evidence item and manifest per succeeded lookup (3 in 5), generated straight into MongoDB
 * (bench/support/seed-records.ts), not through robots. Per level: lookups/s and MongoDB-wire CPU ms
 * per lookup, and their ratio to the empty database within the same round.
 * Goal: within 10 % of each other (throughput ratio ≥ 0.9, CPU ratio ≤ 1.1).
 *
 *   npx tsx bench/growth.bench.ts [N=300] [rounds=3] [levels=0,100000,1000000] [batchSize=5000] [seedBudgetSecs=1800]
 *
 * Seeding stops when its budget (over all levels) is spent: a level then holds what was written by
 * then, and is reported with that count.
 * One database per level, seeded once (its seeding time is reported); every round runs one batch of
 * N fresh cases on each level, in alternating order (0→max, max→0 …) so that a drift of the VM's
 * speed does not favour one level. The batches add N lookups per round to each level.
 */
import { benchDbUri, dropDatabases, startBenchServices } from './support/farm.ts';
import { mongoServerPids, runHttpE2e, type HttpE2eResult } from './support/http-e2e.ts';
import { figureOf, finish, fmt, median, printTable, type Figure } from './support/report.ts';
import { cpuSeconds } from './support/proc-stats.ts';
import { seedRecords, type SeedResult } from './support/seed-records.ts';
import { cardOnlyCases, startSandboxProcess } from './support/sandbox-process.ts';
import { openStorage } from '../storage/index.ts';

const N = Number(process.argv[2] ?? 300);
const ROUNDS = Number(process.argv[3] ?? 3);
const LEVELS = (process.argv[4] ?? '0,100000,1000000').split(',').map(Number);
const BATCH_SIZE = Number(process.argv[5] ?? 5000);
const SEED_DEADLINE_MS = performance.now() + Number(process.argv[6] ?? 1800) * 1000;
if (LEVELS[0] !== 0) throw new Error('the first level is the empty database (0), the base of the ratios');

const sandbox = await startSandboxProcess(42, Math.ceil((N * ROUNDS * LEVELS.length) / 3) + 10);
const services = await startBenchServices();
const mongoPids = mongoServerPids();
const cases = cardOnlyCases(sandbox.world);
if (cases.length < N * ROUNDS * LEVELS.length) throw new Error(`only ${cases.length} card-only cases for ${N}×${ROUNDS}×${LEVELS.length}`);
const stamp = Date.now();
const dbOf = (level: number): string => `bench_growth_${stamp}_${level}`;
const seeds = new Map<number, SeedResult & { docsPerSec: number; mongoCpuSecs: number }>();
const results = new Map<number, HttpE2eResult[]>(LEVELS.map((l) => [l, []]));
const roundErrors: string[] = [];
const mongoCpu = (): number => mongoPids.reduce((s, p) => s + cpuSeconds(p), 0);

try {
  for (const level of LEVELS) {
    if (level === 0) continue;
    const storage = await openStorage({ uri: benchDbUri(services.mongoUri, dbOf(level)), db: dbOf(level) });
    const cpu0 = mongoCpu();
    let reported = 0;
    const t0 = performance.now();
    const seed = await seedRecords(storage.conn, {
      lookups: level,
      evidence: true,
      batchSize: BATCH_SIZE,
      deadlineMs: SEED_DEADLINE_MS,
      onProgress: (n) => {
        if (n - reported < 50_000) return;
        reported = n;
        console.log(`  seeding ${level}: ${n} lookups after ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      },
    });
    const docs = Object.values(seed.written).reduce((s, n) => s + n, 0);
    seeds.set(level, { ...seed, docsPerSec: docs / seed.secs, mongoCpuSecs: mongoCpu() - cpu0 });
    await storage.close();
    if (seed.lookups < level) console.log(`seeding budget spent: level ${level} holds ${seed.lookups} lookups`);
    console.log(`seeded ${level} lookups: ${JSON.stringify(seed.written)} in ${seed.secs.toFixed(0)} s (${fmt(docs / seed.secs)} documents/s)`);
  }

  let next = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? LEVELS : [...LEVELS].reverse();
    for (const level of order) {
      const batch = cases.slice(next * N, (next + 1) * N);
      next++;
      try {
        const e2e = await runHttpE2e({ services, sandboxUrl: sandbox.url, db: dbOf(level), batch, mongoPids });
        results.get(level)!.push(e2e);
        console.log(`round ${r + 1}, ${level} stored: ${fmt(e2e.perSecond)} lookups/s (${e2e.statuses.succeeded}/${N} succeeded), MongoDB ${fmt(e2e.mongoCpuMsPerLookup)} ms CPU/lookup, robot ${fmt(e2e.robotCpuMsPerLookup)} ms CPU/lookup`);
      } catch (error) {
        roundErrors.push(`round ${r + 1} level ${level}: ${String(error).split('\n')[0]}`);
        console.log(`round ${r + 1} level ${level} FAILED: ${String(error)}`);
      }
    }
  }
} finally {
  await dropDatabases(services, LEVELS.map(dbOf));
  await services.stop();
  await sandbox.stop();
}

// Ratios within a round: only rounds where both the level and the empty database completed.
const base = results.get(0)!;
const stored = (level: number): number => seeds.get(level)?.lookups ?? level;
const complete = (level: number): Array<[HttpE2eResult, HttpE2eResult]> => results.get(level)!.slice(0, base.length).map((x, i) => [x, base[i]!]);
if (LEVELS.some((l) => results.get(l)!.length === 0)) process.exitCode = 1;
console.log('');
printTable(
  ['stored lookups', 'rounds', 'lookups/s', 'ratio to 0', 'mongo CPU ms/lookup', 'ratio to 0', 'robot CPU ms/lookup', 'seeded in s'],
  LEVELS.map((level) => {
    const pairs = complete(level);
    return [
      String(stored(level)),
      String(pairs.length),
      fmt(median(pairs.map(([x]) => x.perSecond))),
      fmt(median(pairs.map(([x, b]) => x.perSecond / b.perSecond))),
      fmt(median(pairs.map(([x]) => x.mongoCpuMsPerLookup))),
      fmt(median(pairs.map(([x, b]) => x.mongoCpuMsPerLookup / b.mongoCpuMsPerLookup))),
      fmt(median(pairs.map(([x]) => x.robotCpuMsPerLookup))),
      seeds.has(level) ? fmt(seeds.get(level)!.secs) : '',
    ];
  }),
);

const figures: Figure[] = [];
for (const level of LEVELS) {
  const pairs = complete(level);
  if (pairs.length === 0) continue;
  const rate = figureOf(`HTTP e2e, ${stored(level)} lookups stored`, 'lookups/s', pairs.map(([x]) => x.perSecond), level === 0 ? undefined : { baseline: '0 stored', baselineValues: pairs.map(([, b]) => b.perSecond), goalMin: 0.9 });
  const cpu = figureOf(`MongoDB-wire CPU per lookup, ${stored(level)} stored`, 'ms', pairs.map(([x]) => x.mongoCpuMsPerLookup), level === 0 ? undefined : { baseline: '0 stored', baselineValues: pairs.map(([, b]) => b.mongoCpuMsPerLookup) });
  if (cpu.ratio) {
    // Lower is better here: the goal is a ratio ≤ 1.1.
    const ratios = pairs.map(([x, b]) => x.mongoCpuMsPerLookup / b.mongoCpuMsPerLookup);
    const ok = ratios.filter((q) => q <= 1.1).length;
    cpu.goal = '≤ 1.1';
    cpu.met = ok === ratios.length ? 'yes' : ok === 0 ? 'no' : 'mixed';
  }
  figures.push(rate, cpu);
}
for (const [level, seed] of seeds) {
  const docs = Object.values(seed.written).reduce((s, n) => s + n, 0);
  figures.push({ figure: `seeding ${seed.lookups} lookups (${docs} documents, insertMany × ${BATCH_SIZE})`, unit: 's', value: seed.secs, range: [seed.secs, seed.secs] });
}
finish({
  bench: 'growth',
  figures,
  notes: [
    ...roundErrors.map((e) => `FAILED ${e}`),
    `${N} court.case lookups per batch (one card each, concurrency 16), one batch per level per round, ${ROUNDS} rounds, order alternating; each level its own database, seeded once`,
    `stored per level L: L lookups (3/5 succeeded, 100 batches, 2 clients), L/2 court cases, 3L/5 evidence items + 3L/5 manifests (bodies not written); generated, not through robots`,
    ...[...seeds].map(([level, s]) => `seeding ${level} (written ${s.lookups}): ${JSON.stringify(s.written)} in ${s.secs.toFixed(0)} s, ${fmt(s.docsPerSec)} documents/s, MongoDB-wire CPU ${s.mongoCpuSecs.toFixed(0)} s`),
    `MongoDB CPU read when the batch's queue drains (bench/support/http-e2e.ts), so the bench's own status counts are not counted; ratio to 0 within each round`,
  ],
  rounds: LEVELS.map((level) => {
    const { batchIds: _ids, ...seed } = seeds.get(level) ?? { batchIds: [] };
    return { level, stored: stored(level), seed: seeds.has(level) ? seed : null, batches: results.get(level) };
  }),
});
