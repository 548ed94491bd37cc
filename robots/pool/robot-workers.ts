import { withCaptchaEscalation } from '../runtime/captcha/index.ts';
import type { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../../config/index.ts';
import type { Logger } from '../../core/logger.ts';
import type { RobotJobName } from '../../queues/names.ts';
import { JobRequeuedError, startLookupWorker, type LookupHandler } from '../../queues/worker.ts';
import type { LookupDoc, LookupStore } from '../../storage/index.ts';
import { trackActiveJobs } from '../../runtime/shutdown.ts';
import type { RobotHeartbeat } from '../../runtime/heartbeat.ts';

/** The workers of a robot process and what its shutdown needs of them. */
export interface RobotWorkers {
  workers: Worker[];
  /** Active jobs with their lock tokens: what goes back to the queue at the shutdown deadline. */
  active: Map<string, Job>;
  /** Jobs put back on their queue at the shutdown deadline (job id = lookup id): their handlers' failures record nothing. */
  requeued: Set<string>;
}

/**
 * One lookup worker per job name in `queueNames`, running `handlers`; each handler is wrapped to
 * tell the heartbeat which jobs are in flight and to turn the failure of a job put back on its
 * queue at the shutdown deadline into JobRequeuedError. Workers start once their listeners are on.
 */
export async function startRobotWorkers(options: {
  config: Config;
  connection: Redis;
  lookups: LookupStore;
  queueNames: readonly RobotJobName[];
  handlers: { [N in RobotJobName]: LookupHandler<N> };
  concurrency: number;
  heartbeat: RobotHeartbeat | null;
  robotId: string;
  log: Logger;
  onFinished?: (lookup: LookupDoc) => Promise<void>;
  /** Called when an attempt ends (not one put back on its queue), whatever its outcome: e.g. queue the pictures of its captures. Must not throw. */
  onAttemptEnded?: (lookupId: string, attempt: number) => Promise<void>;
}): Promise<RobotWorkers> {
  const { config, heartbeat, log } = options;
  const requeued = new Set<string>();
  const tracked = <H extends (ctx: never) => Promise<unknown>>(h: H): H =>
    (async (ctx: { lookupId: string; attempt: number }) => {
      heartbeat?.jobStarted(ctx.lookupId);
      try {
        // One escalation memory per job attempt: a captcha solver the site refused is passed over.
        return await withCaptchaEscalation(() => (h as unknown as (c: typeof ctx) => Promise<unknown>)(ctx));
      } catch (error) {
        // Failing because the shutdown closed its browser under it: not this lookup's failure.
        if (requeued.has(ctx.lookupId)) throw new JobRequeuedError('job put back on the queue at the shutdown deadline', { cause: error });
        throw error;
      } finally {
        heartbeat?.jobEnded(ctx.lookupId);
        if (options.onAttemptEnded && !requeued.has(ctx.lookupId)) await options.onAttemptEnded(ctx.lookupId, ctx.attempt);
      }
    }) as unknown as H;
  const workers = options.queueNames.map((name) =>
    startLookupWorker({
      name,
      connection: options.connection,
      prefix: config.queue.prefix,
      concurrency: options.concurrency,
      lookups: options.lookups,
      handler: tracked(options.handlers[name]),
      log,
      robotId: options.robotId,
      onFinished: options.onFinished,
      lockDurationMs: config.robot.lockDurationMs,
      // Listeners first (below), then run: a job taken before them would be missing from `active`.
      autorun: false,
    }),
  );
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  const active = trackActiveJobs(workers);
  for (const w of workers) w.run().catch((err: unknown) => log.error({ err, queue: w.name }, 'worker stopped with an error'));
  return { workers, active, requeued };
}
