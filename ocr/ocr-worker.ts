/**
 * The OCR process role (`konveyer ocr work`): one BullMQ worker on the `ocr.document` queue only,
 * one tesseract.js engine (workers = cores unless OCR_WORKERS says otherwise, recycled after
 * OCR_RECYCLE_AFTER_PAGES pages per worker), a heartbeat in `robots` (role `ocr`) and the robot
 * pool's shutdown rule: on close it stops taking jobs, gives active ones until the deadline, then
 * puts them back on the queue. The robot pool never serves `ocr.document` (queues/names.ts): OCR
 * is CPU-heavy and is scaled on its own.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'bullmq';
import type { Config } from '../config/index.ts';
import type { Logger } from '../core/logger.ts';
import { createRedis, watchRedisConnection } from '../queues/redis.ts';
import { startStuckLookupSweeper } from '../queues/stuck-lookups.ts';
import { JobRequeuedError, startLookupWorker } from '../queues/worker.ts';
import type { JobData } from '../queues/payloads.ts';
import { requeueActive, STEP_MS, trackActiveJobs, within } from '../runtime/shutdown.ts';
import { RobotHeartbeat } from '../runtime/heartbeat.ts';
import type { DocumentStore } from '../storage/documents.types.ts';
import type { EvidenceStore } from '../storage/evidence.types.ts';
import type { LookupDoc, LookupStore } from '../storage/lookups.types.ts';
import type { RobotHeartbeatStore } from '../storage/robots.types.ts';
import { runOcrDocument } from './ocr-document.job.ts';
import { createOcrEngine, type OcrEngine, type OcrEngineStats } from './ocr-engine.ts';

/** The queue this role serves. */
export const OCR_QUEUE = 'ocr.document' as const;

/** Options of `startOcrWorker`. */
export interface OcrWorkerOptions {
  config: Config;
  storage: { lookups: LookupStore; documents: DocumentStore; evidence: Pick<EvidenceStore, 'readBody'> };
  log: Logger;
  /** Heartbeat and lookup `robot` id (host:pid). */
  robotId: string;
  /** tesseract.js workers; default OCR_WORKERS, 0 there = one per core. */
  workers?: number;
  /** Documents read at once; default workers + 1 (one document loads while the others' pages are recognised). */
  concurrency?: number;
  /** Pages per tesseract worker before the engine's scheduler is replaced; default OCR_RECYCLE_AFTER_PAGES. */
  recycleAfterPages?: number;
  /** Heartbeats into MongoDB `robots` (ops dashboard, drain); absent = none. */
  heartbeats?: RobotHeartbeatStore;
  /** Called once when ops asked this process to drain; the owner closes the worker and exits. */
  onDrain?: () => void;
  /** Called with each lookup that reached a final status (webhooks). */
  onFinished?: (lookup: LookupDoc) => Promise<void>;
}

/** A running OCR role; `close()` releases everything it built. */
export interface OcrWorker {
  worker: Worker<JobData<'ocr.document'>>;
  /** Engine counters; null until the first page that needed OCR started the engine. */
  engineStats(): OcrEngineStats | null;
  heartbeat: RobotHeartbeat | null;
  /**
   * Stops taking jobs, waits for active ones at most `deadlineMs` (default SHUTDOWN_DEADLINE_MS),
   * puts the ones still running back on the queue, terminates the tesseract workers.
   */
  close(deadlineMs?: number): Promise<void>;
}

/** Starts the OCR role; resolves once the worker listens on its queue. */
export async function startOcrWorker(options: OcrWorkerOptions): Promise<OcrWorker> {
  const { config, storage, log } = options;
  const workers = options.workers ?? (config.ocr.workers || undefined);
  const recycleAfterPages = options.recycleAfterPages ?? config.ocr.recycleAfterPages;
  // The engine starts on the first page without a text layer: text-layer PDFs never pay for it.
  let engine: Promise<OcrEngine> | null = null;
  let stats: (() => OcrEngineStats) | null = null;
  let engineClosed = false;
  const getEngine = (): Promise<OcrEngine> => {
    // A handler still running past the shutdown deadline must not start a new engine nobody closes.
    if (engineClosed) return Promise.reject(new Error('the OCR worker is closed'));
    engine ??= createOcrEngine({ workers, recycleAfterPages, langPath: config.captcha.tessdataDir, pageSegMode: config.ocr.pageSegMode }).then(
      (e) => {
        stats = () => e.stats();
        log.info({ workers: e.stats().workers, recycleAfterPages }, 'OCR engine started');
        return e;
      },
      (error: unknown) => {
        // Not cached: the next document tries again (the job itself is retried with backoff).
        engine = null;
        throw error;
      },
    );
    return engine;
  };
  const redis = createRedis(config.redis);
  const workerConnection = createRedis(config.redis);
  watchRedisConnection(redis, log, 'ocr');
  watchRedisConnection(workerConnection, log, 'ocr-worker');
  const concurrency = options.concurrency ?? (workers ?? availableParallelism()) + 1;
  const heartbeat = options.heartbeats
    ? new RobotHeartbeat({
        store: options.heartbeats,
        redis,
        prefix: config.queue.prefix,
        robotId: options.robotId,
        role: 'ocr',
        queues: [OCR_QUEUE],
        concurrency,
        intervalMs: config.ops.heartbeatSecs * 1000,
        // No browsers here: the dashboard's "pages" column shows the pages OCR has read.
        pagesOpened: () => stats?.().pages ?? 0,
        onDrain: options.onDrain,
        log,
      })
    : null;
  const services = { documents: storage.documents, evidence: storage.evidence, engine: getEngine, renderDpi: config.ocr.renderDpi, maxAttempts: config.queue.attempts };
  // Lookups whose job went back to the queue at the shutdown deadline: their late end records nothing.
  const requeued = new Set<string>();
  const worker = startLookupWorker({
    name: OCR_QUEUE,
    connection: workerConnection,
    prefix: config.queue.prefix,
    concurrency,
    lookups: storage.lookups,
    handler: async (ctx) => {
      heartbeat?.jobStarted(ctx.lookupId);
      try {
        const out = await runOcrDocument(services, ctx);
        if (requeued.has(ctx.lookupId)) throw new JobRequeuedError('put back on the queue at the shutdown deadline');
        return out;
      } catch (error) {
        if (requeued.has(ctx.lookupId)) throw new JobRequeuedError('put back on the queue at the shutdown deadline', { cause: error });
        throw error;
      } finally {
        heartbeat?.jobEnded(ctx.lookupId);
      }
    },
    log,
    robotId: options.robotId,
    onFinished: options.onFinished,
    lockDurationMs: config.robot.lockDurationMs,
    // Listeners first, then jobs: none may start unseen by the shutdown bookkeeping.
    autorun: false,
  });
  await worker.waitUntilReady();
  // Active jobs with their lock tokens: what goes back to the queue at the shutdown deadline.
  const active = trackActiveJobs([worker]);
  worker.run().catch((err: unknown) => log.error({ err, queue: OCR_QUEUE }, 'OCR worker stopped with an error'));
  // OCR lookups left `running` whose job failed outside the handler or vanished (as the robot pool does).
  const sweeper = startStuckLookupSweeper({
    lookups: storage.lookups,
    types: [OCR_QUEUE],
    log,
    onFinished: options.onFinished,
    connection: redis,
    prefix: config.queue.prefix,
    olderThanMs: config.robot.lockDurationMs,
    everySecs: config.ops.stuckSweepSecs,
    jobOptions: { attempts: config.queue.attempts, backoffMs: config.queue.backoffMs },
  });
  await heartbeat?.start();
  log.info({ robot: options.robotId, queue: OCR_QUEUE, concurrency }, 'OCR worker started');
  let closing: Promise<void> | null = null;
  return {
    worker,
    heartbeat,
    engineStats: () => stats?.() ?? null,
    close(deadlineMs = config.ops.shutdownDeadlineMs) {
      closing ??= (async () => {
        const sweepStopped = sweeper.stop();
        await heartbeat?.setDraining();
        const inTime = await within(worker.close(), deadlineMs, 'active OCR jobs finishing', log);
        if (!inTime) {
          const jobs = [...active.values()];
          // The late handlers record nothing (JobRequeuedError); the re-run is idempotent.
          for (const job of jobs) if (job.id) requeued.add(job.id);
          await within(requeueActive(jobs, options.robotId, log), STEP_MS, 'requeue active OCR jobs', log);
          await within(worker.close(true), STEP_MS, 'OCR handlers ending', log);
        }
        await heartbeat?.stop();
        await sweepStopped;
        engineClosed = true;
        if (engine) await (await engine.catch(() => null))?.close();
        workerConnection.disconnect();
        redis.disconnect();
        log.info({ robot: options.robotId, inTime }, 'OCR worker stopped');
      })();
      return closing;
    },
  };
}
