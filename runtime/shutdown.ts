/**
 * How a process role stops: the signals it waits for, the watchdog of last resort, and the bounded
 * pieces of its shutdown (the robot pool's `close()` in robots/pool.ts, the OCR worker's in
 * ocr/ocr-worker.ts, the API's and scheduler's in cli/): every wait after the drain deadline has its
 * own time limit, so one resource that never settles (a handler stuck on a
 * page, a browser that does not answer `close`, a MongoDB write under load) cannot keep the process
 * alive. Issue 8: `konveyer robots` sometimes outlived SIGTERM by more than 45 s.
 */
import type { Job, Worker } from 'bullmq';
import type { Logger } from '../core/logger.ts';

/** Clean-up after the drain deadline gets at most this long in all (ms). */
export const CLEANUP_BUDGET_MS = 15_000;
/** One clean-up step gets at most this long (ms), and at least `MIN_STEP_MS` however late it is. */
export const STEP_MS = 5_000;
const MIN_STEP_MS = 250;

/**
 * Waits for `work` at most `ms`; true when it settled in time (rejections count as settled and are
 * logged), false when it timed out — the promise is left running and its outcome ignored.
 */
export async function within(work: Promise<unknown> | undefined, ms: number, what: string, log: Logger): Promise<boolean> {
  if (!work) return true;
  let timer: NodeJS.Timeout | undefined;
  const settled = work.then(
    () => true,
    (err: unknown) => {
      log.warn({ err, step: what }, 'shutdown step failed');
      return true;
    },
  );
  const timedOut = new Promise<false>((r) => (timer = setTimeout(() => r(false), Math.max(0, ms))));
  const inTime = await Promise.race([settled, timedOut]);
  clearTimeout(timer);
  if (!inTime) log.warn({ step: what, ms }, 'shutdown step timed out; going on without it');
  return inTime;
}

/** A clean-up budget that ends `budgetMs` after `startAt`; `step()` is the limit of the next step. */
export function cleanupClock(endAt: number): { step: () => number; left: () => number } {
  const left = () => endAt - Date.now();
  return { left, step: () => Math.max(MIN_STEP_MS, Math.min(STEP_MS, left())) };
}

/**
 * After the shutdown deadline: every job this robot still runs goes back to its queue (waiting) and
 * another robot takes it now rather than after its lock expires. The handler may still be running;
 * its late completion is refused by BullMQ (the lock is gone) and the re-run is idempotent.
 * Returns the ids of the jobs put back.
 */
export async function requeueActive(jobs: Job[], robotId: string, log: Logger): Promise<string[]> {
  const back: string[] = [];
  for (const job of jobs) {
    if (!job.token || !job.id) continue;
    await job.moveToWait(job.token).then(
      () => {
        back.push(job.id!);
        log.info({ jobId: job.id, robot: robotId }, 'job put back on the queue at the shutdown deadline');
      },
      (err: unknown) => log.warn({ err, jobId: job.id }, 'could not put a job back; it returns when its lock expires'),
    );
  }
  return back;
}

/**
 * The jobs the workers hold right now, with their lock tokens: what `requeueActive` puts back at
 * the shutdown deadline. Call before the workers run (`autorun: false`): a job taken before the
 * listeners would be missing.
 */
export function trackActiveJobs(workers: readonly Worker[]): Map<string, Job> {
  const active = new Map<string, Job>();
  for (const w of workers) {
    w.on('active', (job) => active.set(`${w.name}:${job.id}`, job));
    w.on('completed', (job) => active.delete(`${w.name}:${job.id}`));
    w.on('failed', (job) => job && active.delete(`${w.name}:${job.id}`));
  }
  return active;
}

/** Signals every process role stops on. */
export const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Resolves on the first SIGINT, SIGTERM or SIGHUP; a second one exits at once (130).
 * SIGHUP is a graceful restart: the role stops exactly as on SIGTERM (bounded, jobs finished or put
 * back) and its supervisor (docker `restart:`, systemd `Restart=`, Kubernetes) starts it again,
 * which re-reads the environment — configuration is parsed once at start-up and never changes
 * under a running process, so there is nothing to reload in place.
 */
export function waitForShutdown(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      for (const s of SHUTDOWN_SIGNALS) process.off(s, onSignal);
      for (const s of SHUTDOWN_SIGNALS) process.once(s, () => process.exit(130));
      resolve(signal);
    };
    for (const s of SHUTDOWN_SIGNALS) process.once(s, onSignal);
  });
}

/** The log line's words for a stop signal (SIGHUP: a graceful restart by the supervisor). */
export function stopReason(signal: string): string {
  return signal === 'SIGHUP' ? 'SIGHUP: graceful restart (stopping; the supervisor starts this role again with the current environment)' : 'stopping';
}

/**
 * The last resort of a shutdown: if the process is still alive `ms` after this call (every step of
 * a pool's close is bounded, so this means a bug), Chromium processes under this process are killed
 * and the process exits 1 — an overrun is reported, never hidden as a clean stop. The timer is
 * unref'd: a shutdown that ends in time is not held up by it.
 */
export function armShutdownWatchdog(ms: number, log: Logger): void {
  setTimeout(() => {
    void (async () => {
      log.error({ ms }, 'shutdown overran its bounds; killing Chromium and exiting');
      try {
        const { chromiumOf, descendantsOf } = await import('./heartbeat.ts');
        for (const p of chromiumOf(descendantsOf(process.pid))) {
          try {
            process.kill(p.pid, 'SIGKILL');
          } catch {
            // Already gone.
          }
        }
      } finally {
        process.exit(1);
      }
    })();
  }, ms).unref();
}
