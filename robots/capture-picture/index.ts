/**
 * Pictures of HTTP captures (issue 19): the offline renderer, the job that appends a `picture`
 * item per capture, and the `capture.picture` worker a robot pool runs beside its lookups.
 */
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../../core/logger.ts';
import { PICTURE_QUEUE, type PictureJobData } from '../../queues/picture.queue.ts';
import type { EvidenceStore } from '../../storage/index.ts';
import { OfflineRenderer, type OfflineRendererOptions } from './offline-renderer.ts';
import { drawJobPictures } from './picture-job.ts';

export { OfflineRenderer, RENDERER, classifyBody, HIDDEN_PANES, MAX_PICTURE_HEIGHT_PX } from './offline-renderer.ts';
export type { RenderInput, RenderedPicture, PictureBox, OfflineRendererOptions } from './offline-renderer.ts';
export { drawJobPictures, valueAt, PICTURE_STEP_PREFIX } from './picture-job.ts';
export type { PictureField, PictureMeta } from './picture-job.ts';

export interface PictureWorkerOptions {
  connection: Redis;
  prefix: string;
  evidence: EvidenceStore;
  robotId: string;
  log: Logger;
  renderer: OfflineRendererOptions & { jpegQuality: number };
}

export interface PictureWorker {
  worker: Worker<PictureJobData>;
  renderer: OfflineRenderer;
  close(): Promise<void>;
}

/**
 * Serves `capture.picture` one job at a time with one offline renderer (its Chromium launched on
 * the first job). Owns both; `close()` lets the job in progress finish, then closes them.
 */
export function startPictureWorker(options: PictureWorkerOptions): PictureWorker {
  const renderer = new OfflineRenderer(options.renderer);
  const log = options.log.child({ queue: PICTURE_QUEUE });
  const worker = new Worker<PictureJobData>(
    PICTURE_QUEUE,
    async (job) => drawJobPictures({ evidence: options.evidence, renderer, robotId: options.robotId, log }, job.data.jobId, options.renderer.jpegQuality),
    { connection: options.connection, prefix: options.prefix, concurrency: 1 },
  );
  worker.on('failed', (job, err) => log.warn({ err, jobId: job?.data.jobId }, 'capture picture not drawn'));
  worker.on('error', (err) => log.warn({ err }, 'capture picture worker error'));
  return {
    worker,
    renderer,
    async close() {
      await worker.close();
      await renderer.close();
    },
  };
}
