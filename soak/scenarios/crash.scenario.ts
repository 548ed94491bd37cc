/**
 * Crashes: robot processes (`konveyer robots`) are killed with SIGKILL at random moments while a
 * batch of court.case lookups runs, and a new robot is started each time. Afterwards every lookup
 * must be final, no court case duplicated, no job lost, no evidence chain broken.
 */
import { createPrng } from '../../sandbox/data/prng.ts';
import { auditFarm, type FarmAudit } from '../lib/audit.ts';
import { courtCaseBatch } from '../lib/batch.ts';
import { openReliabilityFarm, type FarmServices, type RobotProcess } from '../lib/farm.ts';

/** Options of {@link runCrashScenario}. */
export interface CrashScenarioOptions {
  services: FarmServices;
  lookups: number;
  kills: number;
  /** Robot processes alive at once; default 2. */
  robots?: number;
  /** Jobs at once per robot; default 8. */
  concurrency?: number;
  /** Seed of the kill moments; default 1. */
  seed?: number;
  /** Give up waiting after this long; default 20 min. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** Figures of a crash run. */
export interface CrashFigures extends FarmAudit {
  kills: number;
  /** Lookups that were `running` on the killed robot at the moment of each kill (summed). */
  runningAtKills: number;
  drainMs: number;
}

/** Runs the crash scenario and returns its figures (it asserts nothing; callers do). */
export async function runCrashScenario(options: CrashScenarioOptions): Promise<CrashFigures> {
  const say = options.log ?? (() => undefined);
  const farm = await openReliabilityFarm({ services: options.services, name: 'crash' });
  const rng = createPrng(options.seed ?? 1);
  const robots: RobotProcess[] = [];
  let spawned = 0;
  const spawn = () => robots.push(farm.spawnRobot(`robot-${++spawned}`, options.concurrency ?? 8));
  try {
    for (let i = 0; i < (options.robots ?? 2); i++) spawn();
    const started = Date.now();
    const ids = await farm.submit(courtCaseBatch(farm.sandbox.world, options.lookups));
    say(`crash: ${ids.length} lookups submitted, ${robots.length} robots`);
    let runningAtKills = 0;
    let kills = 0;
    // Kill moments: whenever a random share of the batch has finished, so kills land mid-batch.
    const marks = Array.from({ length: options.kills }, () => 0.05 + rng.next() * 0.8).sort((a, b) => a - b);
    const deadline = started + (options.timeoutMs ?? 20 * 60_000);
    while (kills < options.kills && Date.now() < deadline) {
      const docs = await farm.lookups(ids);
      const done = docs.filter((d) => ['succeeded', 'not_found', 'failed', 'needs_human'].includes(d.status)).length;
      if (done >= (marks[kills] ?? 1) * ids.length) {
        const victimIndex = Math.floor(rng.next() * robots.length);
        const victim = robots[victimIndex]!;
        const running = docs.filter((d) => d.status === 'running').length;
        victim.child.kill('SIGKILL');
        await victim.exited;
        robots.splice(victimIndex, 1);
        kills++;
        runningAtKills += running;
        say(`crash: kill -9 #${kills} of pid ${victim.pid} at ${done}/${ids.length} done (${running} running)`);
        spawn();
      }
      await new Promise((r) => setTimeout(r, 150 + rng.next() * 400));
    }
    const wait = await farm.waitFinal(ids, Math.max(0, deadline - Date.now()));
    const drainMs = Date.now() - started;
    say(`crash: drained in ${(drainMs / 1000).toFixed(1)} s, ${wait.open} open`);
    const audit = await auditFarm(farm.storage, farm.queueFor('court.case'), await farm.lookups(ids), ids);
    return { ...audit, kills, runningAtKills, drainMs };
  } finally {
    for (const r of robots) r.child.kill('SIGTERM');
    await Promise.race([Promise.all(robots.map((r) => r.exited)), new Promise((r) => setTimeout(r, 10_000))]);
    await farm.close();
  }
}
