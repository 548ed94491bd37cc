/** The scheduler role: re-checks of tracked court cases and their legal deadlines. */
import type { PassReport, RecheckSchedulerDeps, RecheckSchedulerOptions } from './recheck-scheduler.ts';
import { runSchedulerPass } from './recheck-scheduler.ts';

export { computeCaseDeadlines, FINAL_CASE_STATUSES, isFinalCase, localDate, type CaseDeadlines, type ExpectedEvent, type ScheduleCaseInput } from './case-schedule.ts';
export { addCalendarDays, addMonths, DEADLINE_RULES, deadlineOf, type DeadlineRule, type DeadlineRuleId } from './deadline-rules.ts';
export { runPostTrackingRecheckPass, type PostTrackingPassReport, type PostTrackingRecheckDeps, type PostTrackingRecheckOptions } from './post-tracking-recheck.ts';
export {
  DEFAULT_CADENCE,
  intervalFor,
  recheckClientKey,
  recheckInput,
  runSchedulerPass,
  type PassReport,
  type RecheckCadence,
  type RecheckSchedulerDeps,
  type RecheckSchedulerOptions,
} from './recheck-scheduler.ts';

/**
 * Runs passes every `passIntervalMs` until `signal` aborts; the pass in progress finishes first.
 * A failed pass is logged and the next one runs on time (a database blip must not stop the role).
 */
export async function runSchedulerLoop(
  deps: RecheckSchedulerDeps,
  options: RecheckSchedulerOptions & { passIntervalMs: number; signal: AbortSignal; onPass?: (r: PassReport) => void; afterPass?: () => Promise<unknown> },
): Promise<void> {
  while (!options.signal.aborted) {
    try {
      options.onPass?.(await runSchedulerPass(deps, options));
    } catch (err) {
      deps.log.error({ err }, 'scheduler pass failed');
    }
    // Other re-checks of the role (letters: post-tracking-recheck.ts), each failing on its own.
    await options.afterPass?.().catch((err: unknown) => deps.log.error({ err }, 'scheduler pass (letters) failed'));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.passIntervalMs);
      options.signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
    });
  }
}
