import type { JobsOptions } from 'bullmq';

export interface JobOptionsConfig {
  attempts: number;
  backoffMs: number;
}

/**
 * Options of every lookup job: `jobId` = lookup id (so a lookup can never be queued twice),
 * exponential backoff, completed jobs trimmed, failed jobs kept for ops.
 */
export function lookupJobOptions(lookupId: string, config: JobOptionsConfig): JobsOptions {
  return {
    jobId: lookupId,
    attempts: config.attempts,
    backoff: { type: 'exponential', delay: config.backoffMs, jitter: 0.3 },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: false,
  };
}
