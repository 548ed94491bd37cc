/**
 * Scaling on one machine: lookups per second with 1, 2 and 3 `konveyer robots` processes against
 * the sandbox (HTTP mode), and the highest rate per court host the sandbox saw against the
 * configured per-host limit (shared through Redis, so more processes must not raise it).
 *
 *   npx tsx bench/scaling.bench.ts [N=150] [rounds=1]      (BENCH_HOST_LIMIT=rps/concurrency, default 40/4)
 *
 * Each configuration (processes × round) gets a fresh sandbox process (its stats are per life), a
 * fresh database and queue prefix, and N `court.case` lookups by caseId+caseUid on courts without
 * search captcha, srv 1 cases only (one card page each). Lookups/s runs from the submit call to the
 * last lookup's `finishedAt`.
 */
import { Queue } from 'bullmq';
import { createRedis } from '../queues/redis.ts';
import { dropDatabases, startBenchServices, startRobotProcess, type BatchResult, type RobotProcess } from './support/farm.ts';
import { figureOf, finish, fmt, printTable, type Figure } from './support/report.ts';
import { cardOnlyCases, startSandboxProcess } from './support/sandbox-process.ts';

const N = Number(process.argv[2] ?? 150);
const ROUNDS = Number(process.argv[3] ?? 1);
const PROCESSES = [1, 2, 3];
const CONCURRENCY = 8;
const [limitRps, limitConc] = (process.env.BENCH_HOST_LIMIT ?? '40/4').split('/').map(Number) as [number, number];

interface Run {
  processes: number;
  round: number;
  batch: BatchResult;
  perSecond: number;
  /** Busiest court host: the sandbox's highest requests in a 1 s window and in flight at once. */
  maxPerSecond: number;
  maxConcurrent: number;
  hosts: number;
}

const services = await startBenchServices();
const runs: Run[] = [];
const errors: string[] = [];
const dbs: string[] = [];
try {
  for (let round = 1; round <= ROUNDS; round++) {
    for (const k of PROCESSES) {
      const sandbox = await startSandboxProcess(42, Math.ceil(N / 3) + 10);
      const cases = cardOnlyCases(sandbox.world).slice(0, N);
      const db = `bench_scaling_${Date.now()}_p${k}_r${round}`;
      dbs.push(db);
      const robots: RobotProcess[] = [];
      const redis = createRedis(services.redisUrl);
      const queue = new Queue('court.case', { connection: redis, prefix: db });
      try {
        if (cases.length < N) throw new Error(`only ${cases.length} card-only cases for N=${N}`);
        for (let i = 0; i < k; i++) {
          robots.push(await startRobotProcess({ services, sandboxUrl: sandbox.url, db, concurrency: CONCURRENCY, mode: 'http', politeness: { rps: limitRps, concurrency: limitConc } }));
        }
        // Every process must be pulling before the batch goes in.
        const ready = Date.now() + 60_000;
        while ((await queue.getWorkers()).length < k) {
          if (Date.now() > ready) throw new Error(`only ${(await queue.getWorkers()).length} of ${k} robot processes connected`);
          await new Promise((r) => setTimeout(r, 200));
        }
        const batch = await robots[0]!.submit(cases.map((c) => ({ type: 'court.case', input: { court: c.host, caseId: String(c.caseId), caseUid: c.caseUid } })));
        const stats = (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as Record<string, { requests: number; maxPerSecond: number; maxConcurrent: number }>;
        const courts = new Set(cases.map((c) => c.host));
        const seen = Object.entries(stats).filter(([h]) => courts.has(h)).map(([, s]) => s);
        const run: Run = {
          processes: k,
          round,
          batch,
          perSecond: N / batch.seconds,
          maxPerSecond: Math.max(...seen.map((s) => s.maxPerSecond)),
          maxConcurrent: Math.max(...seen.map((s) => s.maxConcurrent)),
          hosts: courts.size,
        };
        runs.push(run);
        console.log(`round ${round}, ${k} process(es): ${fmt(run.perSecond)} lookups/s (${batch.statuses.succeeded}/${N} succeeded), busiest court ${run.maxPerSecond}/s, ${run.maxConcurrent} in flight`);
      } catch (error) {
        errors.push(`round ${round} × ${k}: ${(error as Error).message.split('\n')[0]}`);
        console.error(errors.at(-1));
      } finally {
        for (const r of robots) await r.stop();
        await queue.close();
        redis.disconnect();
        await sandbox.stop();
      }
    }
  }
} finally {
  await dropDatabases(services, dbs);
  await services.stop();
}

if (runs.length === 0) throw new Error(`no run completed: ${errors.join('; ')}`);
console.log('');
printTable(
  ['processes', 'round', 'lookups/s', 'succeeded', 'courts', 'busiest court req/s', 'max in flight', `limit ${limitRps}/${limitConc}`],
  runs.map((r) => [String(r.processes), String(r.round), fmt(r.perSecond), `${r.batch.statuses.succeeded}/${r.batch.lookups}`, String(r.hosts), String(r.maxPerSecond), String(r.maxConcurrent), r.maxPerSecond <= limitRps + 1 && r.maxConcurrent <= limitConc ? 'held' : 'EXCEEDED']),
);
const of = (k: number) => runs.filter((r) => r.processes === k);
const figures: Figure[] = [];
for (const k of PROCESSES) {
  const rs = of(k);
  if (!rs.length) continue;
  const one = of(1);
  figures.push(
    k === 1 || one.length !== rs.length
      ? figureOf(`HTTP lookups/s, ${k} robot process(es)`, 'lookups/s', rs.map((r) => r.perSecond))
      : figureOf(`HTTP lookups/s, ${k} robot processes`, 'lookups/s', rs.map((r) => r.perSecond), { baseline: '1 process', baselineValues: one.map((r) => r.perSecond) }),
  );
}
const peak = figureOf('highest req/s per court host (sandbox)', 'req/s', runs.map((r) => r.maxPerSecond), { baseline: 'configured limit rps', baselineValues: runs.map(() => limitRps) });
peak.goal = `≤ ${limitRps} (+1 arrival jitter)`;
peak.met = runs.every((r) => r.maxPerSecond <= limitRps + 1) ? 'yes' : runs.some((r) => r.maxPerSecond <= limitRps + 1) ? 'mixed' : 'no';
figures.push(peak, figureOf('highest in flight per court host (sandbox)', 'requests', runs.map((r) => r.maxConcurrent)));
finish({
  bench: 'scaling',
  figures,
  notes: [
    ...errors.map((e) => `FAILED ${e}`),
    `${N} lookups per configuration × ${ROUNDS} round(s); robot processes of concurrency ${CONCURRENCY} each, same machine (2 shared cores), HTTP mode`,
    `court.case by caseId+caseUid on courts without search captcha, srv 1 cases (one card page each), spread over ${runs[0]?.hosts ?? '?'} courts`,
    `configured politeness per court host ${limitRps} rps / ${limitConc} in flight (POLITENESS_RPS/CONCURRENCY), shared through Redis by all processes`,
    'fresh sandbox process per configuration: its stats (highest 1 s window and in-flight count per host) cover that configuration only',
  ],
  rounds: runs.map(({ batch, ...r }) => ({ ...r, seconds: batch.seconds, statuses: batch.statuses })),
});
