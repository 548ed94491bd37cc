import type { Worker } from 'bullmq';
import type { Config } from '../config/index.ts';
import type { Logger } from '../core/logger.ts';
import { JOB_NAMES, type JobName } from '../queues/names.ts';
import { createRedis } from '../queues/redis.ts';
import { startLookupWorker } from '../queues/worker.ts';
import type { CourtCaseStore, EvidenceStore, LookupDoc, LookupStore } from '../storage/types.ts';
import type { CaptchaTaskStore, EnforcementProceedingStore } from '../storage/types.ts';
import { OperatorSolver } from './runtime/captcha/operator.solver.ts';
import { RucaptchaSolver } from './runtime/captcha/rucaptcha.solver.ts';
import { buildHandlers } from './index.ts';
import { CourtSearchFanOut } from './court-search/fan-out.ts';
import { RobotBrowserPool } from './runtime/browser-pool.ts';
import { CaptchaChain, LocalOcrSolver, type CaptchaSolver } from './runtime/captcha/index.ts';
import { CaptchaTokenCache } from './runtime/captcha-tokens.ts';
import { HttpClient } from './runtime/http-client.ts';
import { Politeness } from './runtime/politeness.ts';
import type { RobotServices } from './runtime/robot-services.ts';
import { TargetRouter } from './runtime/targets.ts';

export interface RobotPoolOptions {
  config: Config;
  storage: {
    lookups: LookupStore;
    courtCases: CourtCaseStore;
    evidence: EvidenceStore;
    enforcementProceedings: EnforcementProceedingStore;
    /** Present = the operator hand-off is the last captcha solver. */
    captchaTasks?: CaptchaTaskStore;
  };
  log: Logger;
  robotId: string;
  /** Job names to serve; default all. */
  only?: JobName[];
  concurrency?: number;
  /** Solvers tried after local OCR (an external service, an operator hand-off). */
  extraSolvers?: CaptchaSolver[];
  /** Local OCR as the first captcha solver (default true; tests of the later solvers turn it off). */
  localOcr?: boolean;
  /** Called with each lookup that reached a final status (webhooks: queues/webhook.queue.ts). */
  onFinished?: (lookup: LookupDoc) => Promise<void>;
}

export interface RobotPool {
  services: RobotServices;
  workers: Worker[];
  /** Stops taking jobs, waits for active ones, closes browsers and connections. */
  close(): Promise<void>;
}

/**
 * Builds a robot process: its services (HTTP client, browser pool, politeness, captcha) and a
 * worker per job name. Owns all of them; `close()` finishes active jobs and releases everything.
 */
export async function startRobotPool(options: RobotPoolOptions): Promise<RobotPool> {
  const { config, storage, log } = options;
  const redis = createRedis(config.redis.url!);
  const router = new TargetRouter({ hosts: config.targets.hosts, sandboxOrigin: config.targets.sandboxOrigin });
  const http = new HttpClient({ router, timeoutMs: config.http.timeoutMs });
  const ocr = new LocalOcrSolver({ langPath: config.captcha.tessdataDir, workers: 1 });
  let browsers: RobotBrowserPool | null = null;
  const services: RobotServices = {
    robotId: options.robotId,
    router,
    http,
    browsers: () =>
      (browsers ??= new RobotBrowserPool({
        executablePath: config.browser.executablePath,
        headless: config.browser.headless,
        maxPages: config.robot.browserPages,
        retireBrowserAfterPages: config.browser.retireAfterPages,
        pageReuse: config.browser.pageReuse,
        hostResolverRules: router.chromiumResolverRules(),
        log,
      })),
    politeness: new Politeness({
      redis,
      prefix: config.queue.prefix,
      defaultLimit: config.politeness.default,
      hostLimits: config.politeness.hosts,
    }),
    // The chain: local OCR → rucaptcha (when a key is configured) → extra solvers → operator (last).
    captcha: new CaptchaChain(
      [
        ...(options.localOcr === false ? [] : [ocr]),
        ...(config.captcha.rucaptcha.key
          ? [new RucaptchaSolver({ key: config.captcha.rucaptcha.key, baseUrl: config.captcha.rucaptcha.url, pollMs: config.captcha.rucaptcha.pollMs, timeoutMs: config.captcha.rucaptcha.timeoutMs })]
          : []),
        ...(options.extraSolvers ?? []),
        ...(storage.captchaTasks
          ? [new OperatorSolver({ tasks: storage.captchaTasks, waitMs: config.captcha.operator.waitMs, taskTtlMs: config.captcha.operator.taskTtlMs })]
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
  // court.search children: stored as lookups and queued as one BullMQ flow per search.
  const courtSearchFanOut = new CourtSearchFanOut({ lookups: storage.lookups, connection: redis, prefix: config.queue.prefix, jobOptions: { attempts: config.queue.attempts, backoffMs: config.queue.backoffMs } });
  const handlers = buildHandlers(services, { courtSearchFanOut });
  const workerConnection = createRedis(config.redis.url!);
  const workers = (options.only ?? [...JOB_NAMES]).map((name) =>
    startLookupWorker({
      name,
      connection: workerConnection,
      prefix: config.queue.prefix,
      concurrency: options.concurrency ?? config.robot.concurrency,
      lookups: storage.lookups,
      handler: handlers[name],
      log,
      robotId: options.robotId,
      onFinished: options.onFinished,
      lockDurationMs: config.robot.lockDurationMs,
    }),
  );
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  log.info({ robot: options.robotId, queues: options.only ?? JOB_NAMES }, 'robot pool started');
  return {
    services,
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await browsers?.close();
      await ocr.close();
      await http.close();
      await courtSearchFanOut.close();
      workerConnection.disconnect();
      redis.disconnect();
    },
  };
}
