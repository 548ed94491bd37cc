/**
 * A service killed with SIGKILL mid-batch (issue 13 §9): Redis under `konveyer services`-style
 * supervision (restarted by the supervisor on its port, AOF on), Redis restarted by hand on its
 * port, or the MongoDB-wire server under supervision. `konveyer robots` child processes work the
 * batch; an API wired as `konveyer api` takes a burst of submits during the outage. Afterwards:
 * lost (lookups never final), duplicated (court cases, and lookups per client key), orphaned
 * (`queued` without a job), 5xx other than the 503 refusals, refused (503), stored while refused.
 */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createApiServer } from '../../api/server.ts';
import { openFarm, type Farm } from '../../runtime/farm.ts';
import { loadConfig } from '../../config/index.ts';
import { repoRoot, startRedis, startServices, type EmbeddedRedis, type EmbeddedServices } from '../../storage/embedded/index.ts';
import { auditFarm, type FarmAudit } from '../lib/audit.ts';
import { courtCaseBatch } from '../lib/batch.ts';
import { FINAL_STATUSES, openReliabilityFarm, type FarmServices, type RobotProcess } from '../lib/farm.ts';

/** Which service dies and who brings it back. */
export type ServiceKillMode = 'redis-supervised' | 'redis-manual' | 'mongo-supervised';

/** Options of {@link runServiceKillScenario}. */
export interface ServiceKillOptions {
  mode: ServiceKillMode;
  /** The MongoDB-wire server for the Redis modes (the Mongo mode starts its own). */
  services: FarmServices;
  lookups: number;
  /** Submits sent to the API while the service is down. */
  burst: number;
  /** redis-manual: how long Redis stays down before it is started again by hand; default 5 000 ms. */
  outageMs?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** Figures of one run. */
export interface ServiceKillFigures extends FarmAudit {
  mode: ServiceKillMode;
  /** Share of the batch final when the service was killed. */
  doneAtKill: number;
  restarts: number;
  /** The service came back on the address every client already had. */
  sameAddress: boolean;
  downMs: number;
  /** Lookups never final (open at the end, whatever their job). */
  lost: number;
  /** `queued` lookups of the run without a BullMQ job at the end. */
  orphaned: number;
  /** Lookups beyond the first per client key (burst and resubmission). */
  duplicatedLookups: number;
  burst: number;
  /** Burst answers: 503 (refused, with a clear code), 2xx, other 5xx; slowest answer, ms. */
  refused: number;
  accepted: number;
  other5xx: number;
  slowestAnswerMs: number;
  refusedCodes: Record<string, number>;
  /** Lookups of refused submits found stored (must be 0). */
  storedWhileRefused: number;
  /** Refused burst submits sent again after the outage and accepted. */
  resubmitted: number;
  robotDeaths: number;
  drainMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs one mode; the Mongo mode returns null when no restartable MongoDB-wire server can be had. */
export async function runServiceKillScenario(options: ServiceKillOptions): Promise<ServiceKillFigures | null> {
  const say = options.log ?? (() => undefined);
  const { mode } = options;
  const runDir = join(repoRoot, '.run', `reliability-kill-${mode}-${process.pid}`);
  mkdirSync(runDir, { recursive: true });
  let redis: EmbeddedRedis | null = null;
  let supervised: EmbeddedServices | null = null;
  let restarts = 0;
  let lastDownMs = 0;
  const onEvent = (e: { event: string; downMs: number }) => {
    if (e.event === 'restarted') {
      restarts++;
      lastDownMs = e.downMs;
    }
  };
  if (mode === 'redis-manual') {
    redis = await startRedis({ runDir, appendOnly: true });
  } else {
    const env = { ...process.env };
    if (mode === 'mongo-supervised') delete env.MONGODB_URI;
    else env.MONGODB_URI = options.services.mongoUri;
    supervised = await startServices({ runDir, supervise: true, redisAppendOnly: true, env, onEvent });
    if (mode === 'mongo-supervised' && supervised.mongoKind === 'external') {
      await supervised.stop();
      return null;
    }
  }
  const redisUrl = redis?.url ?? supervised!.redisUrl;
  const mongoUri = mode === 'mongo-supervised' ? supervised!.mongoUri : options.services.mongoUri;
  const farm = await openReliabilityFarm({ services: { redisUrl, mongoUri }, name: `kill-${mode}` });
  // The API as `konveyer api` wires it: producers fail fast, one log line per state change.
  const api: Farm = await openFarm(loadConfig({ ...farm.env, LOG_LEVEL: 'silent' }), { failFast: true, role: 'api' });
  // What the server logged behind an answer of 500 (the answer itself hides it): kept, named in the log line.
  const serverErrors = new Map<string, number>();
  const errorLog = pino({ level: 'error' }, { write: (line: string) => {
    const entry = JSON.parse(line) as { err?: { type?: string; message?: string } };
    const key = `${entry.err?.type ?? '?'}: ${String(entry.err?.message ?? '').split('\n')[0]!.slice(0, 160)}`;
    serverErrors.set(key, (serverErrors.get(key) ?? 0) + 1);
  } });
  const app: FastifyInstance = await createApiServer({ storage: api.storage, queueFor: api.queueFor, config: api.config, pingRedis: () => api.redis.ping(), queueReady: api.redisReady }, { log: errorLog });
  const token = (await api.storage.apiKeys.create({ name: 'soak', scopes: ['submit', 'read'] })).token;
  const robots: RobotProcess[] = [];
  let robotDeaths = 0;
  let closing = false;
  const spawnRobot = (label: string): void => {
    const r = farm.spawnRobot(label, 8);
    robots.push(r);
    void r.exited.then(({ signal }) => {
      if (signal !== 'SIGTERM' && signal !== 'SIGKILL' && !closing) {
        robotDeaths++;
        spawnRobot(`${label}-respawn`);
      }
    });
  };
  try {
    spawnRobot('robot-a');
    spawnRobot('robot-b');
    const started = Date.now();
    const ids = await farm.submit(courtCaseBatch(farm.sandbox.world, options.lookups));
    const doneShare = async (): Promise<number> => {
      try {
        return (await farm.lookups(ids)).filter((d) => FINAL_STATUSES.has(d.status)).length / ids.length;
      } catch {
        return 0;
      }
    };
    while ((await doneShare()) < 0.2) await sleep(300);
    const doneAtKill = await doneShare();
    const pid = mode === 'redis-manual' ? redis!.pid : mode === 'redis-supervised' ? supervised!.pids().redis : supervised!.pids().mongo!;
    say(`${mode}: kill -9 of pid ${pid} with ${(doneAtKill * 100).toFixed(0)} % of the batch final`);
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    if (mode !== 'mongo-supervised') {
      const until = Date.now() + 5000;
      while (api.redisReady() && Date.now() < until) await sleep(20);
    }

    // A burst of submits while the service is down: each refused (503) or, once it is back, accepted.
    const burstInputs = courtCaseBatch(farm.sandbox.world, options.burst).map((r, i) => ({ ...r, clientKey: `burst-${i}-${randomUUID().slice(0, 6)}` }));
    const refusedKeys: string[] = [];
    const refusedCodes: Record<string, number> = {};
    let accepted = 0;
    let other5xx = 0;
    let slowestAnswerMs = 0;
    const burstIds: string[] = [];
    await Promise.all(burstInputs.map(async (body, i) => {
      await sleep(i * 5);
      const t0 = Date.now();
      const res = await app.inject({ method: 'POST', url: '/v1/lookups', headers: { authorization: `Bearer ${token}` }, payload: body });
      slowestAnswerMs = Math.max(slowestAnswerMs, Date.now() - t0);
      if (res.statusCode === 503) {
        refusedKeys.push(body.clientKey);
        const code = (res.json() as { error?: { code?: string } }).error?.code ?? 'none';
        refusedCodes[code] = (refusedCodes[code] ?? 0) + 1;
      } else if (res.statusCode >= 500) other5xx++;
      else if (res.statusCode < 300) {
        accepted++;
        burstIds.push((res.json() as { lookup: { id: string } }).lookup.id);
      }
    }));
    say(`${mode}: burst of ${options.burst}: ${refusedKeys.length} refused (503), ${accepted} accepted, ${other5xx} other 5xx, slowest ${slowestAnswerMs} ms`);
    if (other5xx > 0) say(`${mode}: errors behind the answers: ${[...serverErrors].map(([k, n]) => `${n} × ${k}`).join('; ')}`);

    if (mode === 'redis-manual') {
      await sleep(Math.max(0, (options.outageMs ?? 5000) - (Date.now() - killedAt)));
      redis = await startRedis({ runDir, appendOnly: true, port: redis!.port });
      restarts = 1;
      lastDownMs = Date.now() - killedAt;
      say(`${mode}: Redis started again by hand on port ${redis.port}`);
    } else {
      const until = Date.now() + 120_000;
      while (restarts === 0 && Date.now() < until) await sleep(100);
      say(`${mode}: the supervisor restarted it after ${lastDownMs} ms`);
    }
    const sameAddress = redisUrl === (redis?.url ?? supervised!.redisUrl) && mongoUri === (mode === 'mongo-supervised' ? supervised!.mongoUri : mongoUri);
    const storedWhileRefused = refusedKeys.length === 0 ? 0 : await farm.storage.lookups.model.countDocuments({ clientKey: { $in: refusedKeys.map((k) => `court.case:${k}`) } }).catch(() => -1);

    // The refused clients try again with the same keys once the API answers.
    let resubmitted = 0;
    for (const body of burstInputs.filter((b) => refusedKeys.includes(b.clientKey))) {
      for (let attempt = 0; attempt < 120; attempt++) {
        const res = await app.inject({ method: 'POST', url: '/v1/lookups', headers: { authorization: `Bearer ${token}` }, payload: body });
        if (res.statusCode < 300) {
          resubmitted++;
          burstIds.push((res.json() as { lookup: { id: string } }).lookup.id);
          break;
        }
        await sleep(500);
      }
    }
    const all = [...ids, ...burstIds];
    const wait = await farm.waitFinal(all, options.timeoutMs ?? 10 * 60_000);
    const drainMs = Date.now() - started;
    const docs = await farm.lookups(all);
    const audit = await auditFarm(farm.storage, farm.queueFor('court.case'), docs, all);
    let orphaned = 0;
    for (const d of docs.filter((x) => x.status === 'queued')) if ((await farm.queueFor('court.case').getJobState(d._id)) === 'unknown') orphaned++;
    const keyed = await farm.storage.lookups.model.aggregate<{ n: number }>([{ $match: { clientKey: { $ne: null } } }, { $group: { _id: '$clientKey', n: { $sum: 1 } } }, { $match: { n: { $gt: 1 } } }]);
    say(`${mode}: drained in ${(drainMs / 1000).toFixed(1)} s, ${wait.open} open, ${orphaned} orphaned, ${robotDeaths} robot deaths`);
    return {
      ...audit,
      mode,
      doneAtKill: Math.round(doneAtKill * 100) / 100,
      restarts,
      sameAddress,
      downMs: lastDownMs,
      lost: audit.open,
      orphaned,
      duplicatedLookups: keyed.reduce((n, k) => n + k.n - 1, 0),
      burst: options.burst,
      refused: refusedKeys.length,
      accepted,
      other5xx,
      slowestAnswerMs,
      refusedCodes,
      storedWhileRefused,
      resubmitted,
      robotDeaths,
      drainMs,
    };
  } finally {
    closing = true;
    for (const r of robots) r.child.kill('SIGTERM');
    await Promise.race([Promise.all(robots.map((r) => r.exited)), sleep(15_000)]);
    await app.close().catch(() => undefined);
    await api.close().catch(() => undefined);
    await farm.close().catch(() => undefined);
    await redis?.stop().catch(() => undefined);
    await supervised?.stop().catch(() => undefined);
    rmSync(runDir, { recursive: true, force: true });
  }
}
