import type { Worker } from 'bullmq';
import type { Config } from '../config/index.ts';
import type { Logger } from '../core/logger.ts';
import { ROBOT_JOB_NAMES, type RobotJobName } from '../queues/names.ts';
import { createRedis, watchRedisConnection } from '../queues/redis.ts';
import { startStuckLookupSweeper } from '../queues/stuck-lookups.ts';
import { JobRequeuedError, startLookupWorker } from '../queues/worker.ts';
import { CLEANUP_BUDGET_MS, cleanupClock, requeueActive, trackActiveJobs, within } from './pool-shutdown.ts';
import type { CourtCaseStore, EvidenceStore, LookupDoc, LookupStore } from '../storage/types.ts';
import type { CaptchaTaskStore, EnforcementProceedingStore } from '../storage/types.ts';
import { OperatorSolver } from './runtime/captcha/operator.solver.ts';
import { RucaptchaSolver } from './runtime/captcha/rucaptcha.solver.ts';
import { buildHandlers } from './index.ts';
import { buildEpguServices } from './epgu/epgu-services.ts';
import { buildPostTrackingServices } from './post-tracking/post-tracking-services.ts';
import type { DocumentStore, EpguRequestStore, EpguSessionStore } from '../storage/types.ts';
import { CourtSearchFanOut } from './court-search/fan-out.ts';
import { RobotBrowserPool } from './runtime/browser-pool.ts';
import { CaptchaChain, LocalOcrSolver, type CaptchaSolver } from './runtime/captcha/index.ts';
import { CaptchaTokenCache } from './runtime/captcha-tokens.ts';
import { HttpClient } from './runtime/http-client.ts';
import { Politeness } from './runtime/politeness.ts';
import type { RobotServices } from './runtime/robot-services.ts';
import { TargetRouter } from './runtime/targets.ts';
import { CircuitBreaker } from './runtime/circuit-breaker.ts';
import { RobotHeartbeat } from './runtime/heartbeat.ts';
import { EgressPool } from './runtime/egress/egress-pool.ts';
import { browserPages, browserRecycles, countedSolver } from '../core/metrics.ts';
import type { PostalItemStore, RobotHeartbeatStore } from '../storage/types.ts';
import { enqueuePictures, pictureQueue } from '../queues/picture.queue.ts';
import { startPictureWorker } from './capture-picture/index.ts';

export interface RobotPoolOptions {
  config: Config;
  storage: {
    lookups: LookupStore;
    courtCases: CourtCaseStore;
    evidence: EvidenceStore;
    enforcementProceedings: EnforcementProceedingStore;
    /** Present = the operator hand-off is the last captcha solver. */
    captchaTasks?: CaptchaTaskStore;
    /** EPGU robots (issue 5): all three or none. */
    epguRequests?: EpguRequestStore;
    epguSessions?: EpguSessionStore;
    documents?: DocumentStore;
    /** post.tracking (issue 17). */
    postalItems?: PostalItemStore;
  };
  log: Logger;
  robotId: string;
  /** Job names to serve; default every robot job (`ocr.document` has its own role: ocr/ocr-worker.ts). */
  only?: RobotJobName[];
  concurrency?: number;
  /** Solvers tried after local OCR (an external service, an operator hand-off). */
  extraSolvers?: CaptchaSolver[];
  /** Local OCR as the first captcha solver (default true; tests of the later solvers turn it off). */
  localOcr?: boolean;
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
 * Builds a robot process: its services (HTTP client, browser pool, politeness, captcha) and a
 * worker per job name. Owns all of them; `close()` finishes active jobs and releases everything.
 */
export async function startRobotPool(options: RobotPoolOptions): Promise<RobotPool> {
  const { config, storage, log } = options;
  const redis = createRedis(config.redis);
  // One line per state change of each connection while Redis is away, none per reconnect attempt.
  watchRedisConnection(redis, log, 'robots');
  const epguWiring = buildEpguServices(config, storage, redis);
  const router = new TargetRouter({ hosts: config.targets.hosts, sandboxOrigin: config.targets.sandboxOrigin });
  // Proxies (PROXY_URLS / PROXY_POOLS); none configured = direct. Optional chaining: configs built by older tests lack `egress`.
  const egress = new EgressPool(config.egress ?? { proxyUrls: [], pools: {}, restSecs: 300, perProxyConcurrency: 8 });
  const http = new HttpClient({ router, timeoutMs: config.http.timeoutMs, egress });
  const ocr = new LocalOcrSolver({ langPath: config.captcha.tessdataDir, workers: 1, guessWhenUnread: true });
  let browsers: RobotBrowserPool | null = null;
  // Pages leased per browser pool instance, so a pool recycled for memory closes once its jobs are done.
  const leases = new WeakMap<RobotBrowserPool, number>();
  // Every pool created (current and recycled): a shutdown that runs out of time kills their Chromium.
  const browserPools: RobotBrowserPool[] = [];
  // Set at the shutdown deadline: recycled pools stop waiting for their leases and close.
  let forcing = false;
  let pagesBefore = 0;
  const newBrowserPool = (): RobotBrowserPool => {
    const created = new RobotBrowserPool({
      executablePath: config.browser.executablePath,
      headless: config.browser.headless,
      maxPages: config.robot.browserPages,
      retireBrowserAfterPages: config.browser.retireAfterPages,
      pageReuse: config.browser.pageReuse,
      hostResolverRules: router.chromiumResolverRules(),
      egress,
      log,
    });
    browserPools.push(created);
    const withPage = created.withPage.bind(created);
    created.withPage = async (fn) => {
      leases.set(created, (leases.get(created) ?? 0) + 1);
      browserPages.inc();
      try {
        return await withPage(fn);
      } finally {
        leases.set(created, (leases.get(created) ?? 1) - 1);
      }
    };
    return created;
  };
  const retired: Promise<void>[] = [];
  /** Swaps in a fresh browser pool; the old one closes when its last page is given back. */
  const recycleBrowsers = (reason: string): void => {
    const old = browsers;
    if (!old) return;
    browsers = null;
    pagesBefore += old.pagesOpened;
    browserRecycles.inc({ reason });
    log.info({ reason }, 'recycling browsers');
    retired.push((async () => {
      while ((leases.get(old) ?? 0) > 0 && !forcing) await new Promise((r) => setTimeout(r, 200));
      await old.close().catch((err: unknown) => log.warn({ err }, 'closing a recycled browser pool failed'));
    })());
  };
  const services: RobotServices = {
    epgu: epguWiring.epgu,
    robotId: options.robotId,
    router,
    http,
    browsers: () => (browsers ??= newBrowserPool()),
    politeness: new Politeness({
      redis,
      prefix: config.queue.prefix,
      defaultLimit: config.politeness.default,
      hostLimits: config.politeness.hosts,
      breaker: new CircuitBreaker({ redis, prefix: config.queue.prefix, failureThreshold: config.ops.circuitFailures, cooldownMs: config.ops.circuitCooldownMs }),
    }),
    // The chain: local OCR → rucaptcha (when a key is configured) → extra solvers → operator (last).
    captcha: new CaptchaChain(
      [
        ...(options.localOcr === false ? [] : [countedSolver(ocr)]),
        ...(config.captcha.rucaptcha.key
          ? [countedSolver(new RucaptchaSolver({ key: config.captcha.rucaptcha.key, baseUrl: config.captcha.rucaptcha.url, pollMs: config.captcha.rucaptcha.pollMs, timeoutMs: config.captcha.rucaptcha.timeoutMs }))]
          : []),
        ...(options.extraSolvers ?? []).map(countedSolver),
        ...(storage.captchaTasks
          ? [countedSolver(new OperatorSolver({ tasks: storage.captchaTasks, waitMs: config.captcha.operator.waitMs, taskTtlMs: config.captcha.operator.taskTtlMs }))]
          : []),
      ],
      { onSolverError: (solver, err) => log.warn({ solver, err }, 'captcha solver failed') },
    ),
    captchaTokens: new CaptchaTokenCache(redis, config.queue.prefix),
    evidence: storage.evidence,
    courtCases: storage.courtCases,
    enforcementProceedings: storage.enforcementProceedings,
    captchaTasks: storage.captchaTasks ?? null,
    modes: config.robot.modes,
    captchaMaxTries: config.captcha.maxTries,
    browserFetch: {
      screenshotFormat: config.evidence.screenshotFormat,
      jpegQuality: config.evidence.jpegQuality,
      timeoutMs: config.http.timeoutMs,
    },
  };
  services.postTracking = buildPostTrackingServices(config, { postalItems: storage.postalItems, redis, router, http, politeness: services.politeness });
  // court.search children: stored as lookups and queued as one BullMQ flow per search.
  const courtSearchFanOut = new CourtSearchFanOut({ lookups: storage.lookups, connection: redis, prefix: config.queue.prefix, jobOptions: { attempts: config.queue.attempts, backoffMs: config.queue.backoffMs } });
  const handlers = buildHandlers(services, { courtSearchFanOut });
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
        pagesOpened: () => pagesBefore + (browsers?.pagesOpened ?? 0),
        onRecycle: () => recycleBrowsers('memory'),
        onDrain: options.onDrain,
        log,
      })
    : null;
  // Jobs put back on their queue at the shutdown deadline (job id = lookup id).
  const requeued = new Set<string>();
  // Jobs in flight (for the heartbeat) wrap each handler; the worker does the rest.
  const tracked = <H extends (ctx: never) => Promise<unknown>>(h: H): H =>
    (async (ctx: { lookupId: string; attempt: number }) => {
      heartbeat?.jobStarted(ctx.lookupId);
      try {
        return await (h as unknown as (c: typeof ctx) => Promise<unknown>)(ctx);
      } catch (error) {
        // Failing because the shutdown closed its browser under it: not this lookup's failure.
        if (requeued.has(ctx.lookupId)) throw new JobRequeuedError('job put back on the queue at the shutdown deadline', { cause: error });
        throw error;
      } finally {
        heartbeat?.jobEnded(ctx.lookupId);
        // The attempt's captures get their pictures later; a queue error costs the pictures, never the lookup.
        if (pictures && !requeued.has(ctx.lookupId)) {
          await enqueuePictures(pictures.queue, ctx.lookupId, ctx.attempt).catch((err: unknown) => log.warn({ err, lookupId: ctx.lookupId }, 'capture pictures not queued'));
        }
      }
    }) as unknown as H;
  const workers = queueNames.map((name) =>
    startLookupWorker({
      name,
      connection: workerConnection,
      prefix: config.queue.prefix,
      concurrency,
      lookups: storage.lookups,
      handler: tracked(handlers[name]),
      log,
      robotId: options.robotId,
      onFinished: options.onFinished,
      lockDurationMs: config.robot.lockDurationMs,
      // Listeners first (below), then run: a job taken before them would be missing from `active`.
      autorun: false,
    }),
  );
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  // Active jobs with their lock tokens: what goes back to the queue at the shutdown deadline.
  const active = trackActiveJobs(workers);
  for (const w of workers) w.run().catch((err: unknown) => log.error({ err, queue: w.name }, 'worker stopped with an error'));
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
  /** Closes the current browser pool within `ms`; Chromium of any pool still there afterwards is killed. */
  const closeBrowsers = async (ms: number): Promise<void> => {
    await within(browsers?.close(), ms, 'browsers', log);
    const killed = browserPools.reduce((n, b) => n + b.killProcesses(), 0);
    if (killed > 0) log.warn({ killed }, 'Chromium processes killed after the browsers did not close in time');
  };
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
        forcing = true;
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
        await closeBrowsers(clock.step());
        step('browsers closed');
        await within(closing, clock.step(), 'handlers ending', log);
        step('handlers');
      }
      // The picture in progress finishes (a few seconds); waiting ones stay queued for the next robot.
      await within(pictures?.worker.close(), clock.step(), 'capture pictures', log);
      await within(pictures?.queue.close(), clock.step(), 'capture picture queue', log);
      await within(heartbeat?.stop(), clock.step(), 'heartbeat stop', log);
      log.info({ robot: options.robotId, inTime }, 'workers closed; closing browsers');
      forcing = true;
      await within(Promise.all(retired), clock.step(), 'recycled browsers', log);
      await closeBrowsers(clock.step());
      step('browsers');
      await within(sweepStopped, clock.step(), 'stuck lookup sweep', log);
      await within(ocr.close(), clock.step(), 'ocr', log);
      if (!httpDestroyed && !(await within(http.close(), clock.step(), 'http client', log))) await http.agent.destroy().catch(() => undefined);
      await egress.close().catch(() => undefined);
      await within(courtSearchFanOut.close(), clock.step(), 'court.search flows', log);
      await within(epguWiring.close(), clock.step(), 'epgu', log);
      workerConnection.disconnect();
      redis.disconnect();
      step('closed');
    },
  };
}
