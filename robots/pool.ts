/**
 * A robot process's pool, composed from parts with one concern each (robots/pool/):
 * services (leased-browsers.ts: browsers with leases and memory recycling; the captcha chain from
 * runtime/captcha/build-chain.ts;
 * robot-services.build.ts: the shared services and each robot's own `wire`), workers
 * (robot-workers.ts), and here the heartbeat, the stuck-lookup sweeper and the ordered shutdown.
 */
import type { Worker } from 'bullmq';
import type { Config } from '../config/index.ts';
import type { Logger } from '../core/logger.ts';
import { ROBOT_JOB_NAMES, type RobotJobName } from '../queues/names.ts';
import { createRedis, watchRedisConnection } from '../queues/redis.ts';
import { startStuckLookupSweeper } from '../queues/stuck-lookups.ts';
import { CLEANUP_BUDGET_MS, cleanupClock, requeueActive, within } from '../runtime/shutdown.ts';
import type { LookupDoc, RobotHeartbeatStore } from '../storage/index.ts';
import { buildHandlers, ROBOTS } from './index.ts';
import { countedSolver } from '../core/metrics.ts';
import { FarmSeriesWriter } from '../queues/farm-series.ts';
import type { CaptchaSolver } from './runtime/captcha/index.ts';
import { buildCaptchaChain } from './runtime/captcha/build-chain.ts';
import type { RobotStores } from './runtime/robot-definition.ts';
import type { RobotServices } from './runtime/robot-services.ts';
import { RobotHeartbeat } from '../runtime/heartbeat.ts';
import { buildRobotServices } from './pool/robot-services.build.ts';
import { startRobotWorkers } from './pool/robot-workers.ts';
import { enqueuePictures, pictureQueue } from '../queues/picture.queue.ts';
import { startPictureWorker } from './capture-picture/index.ts';

export interface RobotPoolOptions {
  config: Config;
  storage: RobotStores;
  log: Logger;
  robotId: string;
  /** Job names to serve; default every robot job (`ocr.document` has its own role: ocr/ocr-worker.ts). */
  only?: RobotJobName[];
  concurrency?: number;
  /** Solvers given in code, asked just before the operator (runtime/captcha/build-chain.ts). */
  extraSolvers?: CaptchaSolver[];
  /** Called with each lookup that reached a final status (webhooks: queues/webhook.queue.ts). */
  onFinished?: (lookup: LookupDoc) => Promise<void>;
  /** Heartbeats into MongoDB `robots` (ops dashboard, drain flags); absent = no heartbeat. */
  heartbeats?: RobotHeartbeatStore;
  /** Called once when ops asked this robot to drain (`konveyer ops drain`): the owner closes the pool and exits. */
  onDrain?: () => void;
}

export interface RobotPool {
  services: RobotServices;
  workers: Worker[];
  /**
   * Stops taking jobs, waits for active ones — at most `deadlineMs` (default SHUTDOWN_DEADLINE_MS),
   * after which the jobs still running go back to their queue — closes browsers and connections.
   */
  close(deadlineMs?: number): Promise<void>;
  /** The heartbeat, when `heartbeats` was given. */
  heartbeat: RobotHeartbeat | null;
}

/**
 * Builds a robot process: its services (HTTP client, browser pool, politeness, captcha, each
 * robot's own) and a worker per job name. Owns all of them; `close()` finishes active jobs and
 * releases everything.
 */
export async function startRobotPool(options: RobotPoolOptions): Promise<RobotPool> {
  const { config, storage, log } = options;
  // First: a bad chain (a service refusing RUCAPTCHA_KEY) stops the start-up before anything is opened.
  // Captcha answers by solver go to Prometheus and to the dashboard's charts (queues/farm-series.ts), best-effort.
  let series: FarmSeriesWriter | null = null;
  const counted = <S extends CaptchaSolver>(solver: S): S =>
    countedSolver(solver, (name, result) => void series?.captchaAnswered(name, result).catch((err: unknown) => log.debug({ err }, 'series write failed')));
  const captcha = await buildCaptchaChain(config.captcha, { captchaTasks: storage.captchaTasks, extraSolvers: options.extraSolvers, wrap: counted, log });
  const redis = createRedis(config.redis);
  series = new FarmSeriesWriter(redis, config.queue.prefix);
  // One line per state change of each connection while Redis is away, none per reconnect attempt.
  watchRedisConnection(redis, log, 'robots');
  const built = buildRobotServices({ config, stores: storage, redis, robotId: options.robotId, robots: ROBOTS, log, captcha: captcha.chain });
  const { services, http, egress, browsers } = built;
  const handlers = buildHandlers(services);
  const workerConnection = createRedis(config.redis);
  watchRedisConnection(workerConnection, log, 'robots-worker');
  // Pictures of HTTP captures (issue 19): queued when a lookup attempt ends, drawn one at a time beside the lookups.
  const pictures = config.evidence.pictures !== false
    ? {
        queue: pictureQueue(redis, config.queue.prefix),
        worker: startPictureWorker({
          connection: workerConnection,
          prefix: config.queue.prefix,
          evidence: storage.evidence,
          robotId: options.robotId,
          log,
          renderer: { executablePath: config.browser.executablePath, headless: config.browser.headless, jpegQuality: config.evidence.jpegQuality, timeoutMs: config.http.timeoutMs },
        }),
      }
    : null;
  const queueNames = options.only ?? [...ROBOT_JOB_NAMES];
  const concurrency = options.concurrency ?? config.robot.concurrency;
  const heartbeat = options.heartbeats
    ? new RobotHeartbeat({
        store: options.heartbeats,
        redis,
        prefix: config.queue.prefix,
        robotId: options.robotId,
        role: 'robots',
        queues: queueNames,
        concurrency,
        intervalMs: config.ops.heartbeatSecs * 1000,
        recycleBytes: config.ops.browserRecycleMb * 1024 * 1024,
        pagesOpened: () => browsers.pagesOpened,
        onRecycle: () => browsers.recycle('memory'),
        onDrain: options.onDrain,
        log,
      })
    : null;
  const { workers, active, requeued } = await startRobotWorkers({
    config, connection: workerConnection, lookups: storage.lookups, queueNames, handlers, concurrency, heartbeat, robotId: options.robotId, log, onFinished: options.onFinished,
    // The attempt's captures get their pictures later; a queue error costs the pictures, never the lookup.
    onAttemptEnded: pictures
      ? (lookupId, attempt) => enqueuePictures(pictures.queue, lookupId, attempt).catch((err: unknown) => log.warn({ err, lookupId }, 'capture pictures not queued'))
      : undefined,
  });
  // Lookups left `running` whose job failed outside a handler or vanished (queues/stuck-lookups.ts).
  const sweeper = startStuckLookupSweeper({
    lookups: storage.lookups,
    types: queueNames,
    log,
    onFinished: options.onFinished,
    connection: redis,
    prefix: config.queue.prefix,
    olderThanMs: config.robot.lockDurationMs,
    everySecs: config.ops.stuckSweepSecs,
    jobOptions: { attempts: config.queue.attempts, backoffMs: config.queue.backoffMs },
  });
  await heartbeat?.start();
  log.info({ robot: options.robotId, queues: queueNames }, 'robot pool started');
  return {
    services,
    workers,
    heartbeat,
    async close(deadlineMs = config.ops.shutdownDeadlineMs) {
      const t0 = Date.now();
      const step = (name: string) => log.debug({ step: name, ms: Date.now() - t0 }, 'robot pool shutdown step');
      // Every wait below is bounded: the drain deadline, then one clean-up budget shared by all steps.
      const clock = cleanupClock(t0 + deadlineMs + CLEANUP_BUDGET_MS);
      let httpDestroyed = false;
      // No sweeps while shutting down; the one in progress is awaited near the end.
      const sweepStopped = sweeper.stop();
      await within(heartbeat?.setDraining(), clock.step(), 'heartbeat draining', log);
      // Workers stop taking jobs at once; active ones get until the deadline, then go back to the queue.
      const closing = Promise.all(workers.map((w) => w.close()));
      const inTime = await within(closing, deadlineMs, 'active jobs finishing', log);
      step('deadline');
      if (!inTime) {
        browsers.force();
        const jobs = [...active.values()];
        for (const job of jobs) if (job.id) requeued.add(job.id);
        await within(requeueActive(jobs, options.robotId, log), clock.step(), 'requeue active jobs', log);
        step('requeued');
        // BullMQ cannot turn a pending close() into a forced one — close(true) returns the same
        // promise, which waits for every handler — so take the handlers' resources away instead:
        // browsers and HTTP sockets close under them and they end at once (their jobs are back on
        // the queue; JobRequeuedError makes them record nothing).
        httpDestroyed = true;
        http.agent.destroy().catch(() => undefined);
        await browsers.close(clock.step());
        step('browsers closed');
        await within(closing, clock.step(), 'handlers ending', log);
        step('handlers');
      }
      // The picture in progress finishes (a few seconds); waiting ones stay queued for the next robot.
      await within(pictures?.worker.close(), clock.step(), 'capture pictures', log);
      await within(pictures?.queue.close(), clock.step(), 'capture picture queue', log);
      await within(heartbeat?.stop(), clock.step(), 'heartbeat stop', log);
      log.info({ robot: options.robotId, inTime }, 'workers closed; closing browsers');
      browsers.force();
      await browsers.closeRetired(clock.step());
      await browsers.close(clock.step());
      step('browsers');
      await within(sweepStopped, clock.step(), 'stuck lookup sweep', log);
      await within(captcha.close(), clock.step(), 'ocr', log);
      if (!httpDestroyed && !(await within(http.close(), clock.step(), 'http client', log))) await http.agent.destroy().catch(() => undefined);
      await egress.close().catch(() => undefined);
      for (const w of built.wirings) await within(w.close?.(), clock.step(), `${w.target} services`, log);
      workerConnection.disconnect();
      redis.disconnect();
      step('closed');
    },
  };
}
