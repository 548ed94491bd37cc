/**
 * Services restarted mid-batch: the scenario starts its own Redis (AOF on) and its own
 * MongoDB-wire server (FerretDB or mongod, on a fixed data dir), runs a robot child process, then
 * stops and restarts Redis on the same port and data dir, and later the MongoDB-wire server.
 * Afterwards every lookup must be final, nothing duplicated, no job lost, no chain broken.
 * Skipped (returns null) when MONGODB_URI points to an external server that cannot be restarted.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, startMongo, startRedis, type EmbeddedMongo, type EmbeddedRedis } from '../../storage/embedded/index.ts';
import { auditFarm, type FarmAudit } from '../lib/audit.ts';
import { courtCaseBatch } from '../lib/batch.ts';
import { FINAL_STATUSES, openReliabilityFarm, type RobotProcess } from '../lib/farm.ts';

/** Options of {@link runServiceRestartScenario}. */
export interface ServiceRestartOptions {
  lookups: number;
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** Figures of a service-restart run. */
export interface ServiceRestartFigures extends FarmAudit {
  redisRestarts: number;
  mongoRestarts: number;
  mongoKind: string;
  drainMs: number;
  /** Robot processes that died during the run (a crash on a lost connection). */
  robotDeaths: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs the scenario; null when no restartable MongoDB-wire server can be had. */
export async function runServiceRestartScenario(options: ServiceRestartOptions): Promise<ServiceRestartFigures | null> {
  const say = options.log ?? (() => undefined);
  const env = { ...process.env };
  delete env.MONGODB_URI;
  const runDir = join(repoRoot, '.run', `reliability-services-${process.pid}`);
  mkdirSync(runDir, { recursive: true });
  let redis: EmbeddedRedis = await startRedis({ runDir, appendOnly: true });
  let mongo: EmbeddedMongo = await startMongo({ runDir, env });
  if (mongo.kind === 'external') {
    await redis.stop();
    return null;
  }
  const mongoPort = Number(new URL(mongo.uri).port);
  const farm = await openReliabilityFarm({ services: { redisUrl: redis.url, mongoUri: mongo.uri }, name: 'restart' });
  const robots: RobotProcess[] = [];
  let robotDeaths = 0;
  const spawn = (label: string): void => {
    const r = farm.spawnRobot(label, 8);
    robots.push(r);
    // A robot that dies on a lost connection is a finding; it is counted and replaced.
    void r.exited.then(({ signal }) => {
      if (signal !== 'SIGTERM' && signal !== 'SIGKILL' && !closing) {
        robotDeaths++;
        spawn(`${label}-respawn`);
      }
    });
  };
  let closing = false;
  try {
    spawn('robot-a');
    const started = Date.now();
    const ids = await farm.submit(courtCaseBatch(farm.sandbox.world, options.lookups));
    const doneShare = async (): Promise<number> => {
      try {
        const docs = await farm.lookups(ids);
        return docs.filter((d) => FINAL_STATUSES.has(d.status)).length / ids.length;
      } catch {
        return 0;
      }
    };
    while ((await doneShare()) < 0.2) await sleep(300);
    say('restart: stopping Redis (AOF on) mid-batch');
    await redis.stop();
    await sleep(2000);
    redis = await startRedis({ runDir, appendOnly: true, port: redis.port });
    say('restart: Redis back on the same port and data');
    while ((await doneShare()) < 0.55) await sleep(300);
    say(`restart: stopping the MongoDB-wire server (${mongo.kind}) mid-batch`);
    await mongo.stop();
    await sleep(2000);
    mongo = await startMongo({ runDir, env, port: mongoPort });
    say('restart: MongoDB-wire server back on the same port and data');
    const wait = await farm.waitFinal(ids, options.timeoutMs ?? 10 * 60_000);
    const drainMs = Date.now() - started;
    say(`restart: drained in ${(drainMs / 1000).toFixed(1)} s, ${wait.open} open, ${robotDeaths} robot deaths`);
    const audit = await auditFarm(farm.storage, farm.queueFor('court.case'), await farm.lookups(ids), ids);
    return { ...audit, redisRestarts: 1, mongoRestarts: 1, mongoKind: mongo.kind, drainMs, robotDeaths };
  } finally {
    closing = true;
    for (const r of robots) r.child.kill('SIGTERM');
    await Promise.race([Promise.all(robots.map((r) => r.exited)), sleep(10_000)]);
    await farm.close().catch(() => undefined);
    await redis.stop().catch(() => undefined);
    await mongo.stop().catch(() => undefined);
    rmSync(runDir, { recursive: true, force: true });
  }
}
