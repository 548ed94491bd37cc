import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * `capture.picture`: draw the pictures of a lookup's HTTP captures (robots/capture-picture/).
 * Not a lookup: no lookup document, no webhook; a robot pool serves it one job at a time beside
 * its lookups, so pictures never slow them.
 */
export const PICTURE_QUEUE = 'capture.picture';

export interface PictureJobData {
  /** The evidence chain (= lookup id) whose captures are drawn. */
  jobId: string;
}

/** Producer side (the caller owns the connection and closes the queue). */
export function pictureQueue(connection: Redis, prefix: string): Queue<PictureJobData> {
  return new Queue<PictureJobData>(PICTURE_QUEUE, { connection, prefix });
}

/**
 * Queues the pictures of one attempt of a lookup. One job per attempt (`<lookup>-a<attempt>`):
 * a second call for the same attempt is a no-op; a retry's captures get their own job.
 */
export async function enqueuePictures(queue: Queue<PictureJobData>, jobId: string, attempt: number): Promise<void> {
  await queue.add('draw', { jobId }, {
    jobId: `${jobId}-a${attempt}`,
    attempts: 3,
    backoff: { type: 'exponential', delay: 2000 },
    removeOnComplete: { age: 3600, count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  });
}

/** Picture jobs not yet done (waiting, delayed, active): the demo waits for 0. */
export async function picturesPending(queue: Queue<PictureJobData>): Promise<number> {
  const c = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized', 'waiting-children');
  return Object.values(c).reduce((a, b) => a + b, 0);
}
