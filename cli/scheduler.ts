import type { Command } from 'commander';
import { armShutdownWatchdog, stopReason, within } from '../runtime/shutdown.ts';
import { loadConfigOrExit } from './config-file.ts';

/**
 * `konveyer scheduler [--once]`: re-checks every tracked court case on its cadence until a final
 * state, and keeps expected dates and overdue flags. Loops until SIGINT/SIGTERM (the pass in
 * progress finishes; SIGHUP: the same, as a graceful restart); `--once` runs one pass and prints its report (cron, tests).
 */
export function registerScheduler(program: Command): void {
  program
    .command('scheduler')
    .description('re-check tracked court cases on a cadence until final; keep legal deadlines and overdue flags')
    .option('--once', 'run one pass, print its report as JSON, exit')
    .action(async (opts: { once?: boolean }) => {
      const [{ openFarm }, { loadProductionCalendar }, scheduler, { submitLookups }, { waitForShutdown }] = await Promise.all([
        import('../runtime/farm.ts'),
        import('../core/calendar/index.ts'),
        import('../scheduler/index.ts'),
        import('../queues/submit.ts'),
        import('../runtime/shutdown.ts'),
      ]);
      const farm = await openFarm(loadConfigOrExit(), { role: 'scheduler' });
      void import('../runtime/role-health.server.ts').then((h) => h.serveRoleHealth('scheduler', farm));
      const { config } = farm;
      try {
        const deps = {
          schedules: farm.storage.schedules,
          calendar: loadProductionCalendar({ overridePath: config.calendar.overridePath }),
          log: farm.log.child({ role: 'scheduler' }),
          submit: (requests: Parameters<typeof submitLookups>[1], batchId: string) =>
            submitLookups({ lookups: farm.storage.lookups, queueFor: farm.queueFor, jobOptions: { attempts: config.queue.attempts, backoffMs: config.queue.backoffMs } }, requests, batchId as NonNullable<Parameters<typeof submitLookups>[2]>),
        };
        const options = {
          cadence: {
            intervalMs: config.recheck.intervalHours * 3_600_000,
            nearDeadlineIntervalMs: config.recheck.nearDeadlineHours * 3_600_000,
            nearDeadlineWorkingDays: config.recheck.nearDeadlineWorkingDays,
          },
          timeZone: config.recheck.timeZone,
          maxSubmitsPerPass: config.recheck.maxPerPass,
        };
        // Letters not yet final (issue 17): batch re-checks when many are due.
        const letters = () => scheduler.runPostTrackingRecheckPass({ items: farm.storage.postalItems, lookups: farm.storage.lookups, log: deps.log, submit: deps.submit }, { batchMin: config.postTracking.batchMin });
        if (opts.once) {
          const report = await scheduler.runSchedulerPass(deps, options);
          process.stdout.write(`${JSON.stringify({ ...report, letters: await letters() })}\n`);
          return;
        }
        const stop = new AbortController();
        void waitForShutdown().then((signal) => {
          farm.log.info({ signal }, `scheduler ${stopReason(signal)}: the pass in progress finishes`);
          // Bounded even with Redis or MongoDB gone (a pass waiting on them never ends by itself).
          armShutdownWatchdog(30_000, farm.log);
          stop.abort();
        });
        await scheduler.runSchedulerLoop(deps, { ...options, passIntervalMs: config.recheck.passSecs * 1000, signal: stop.signal, afterPass: letters });
      } finally {
        await within(farm.close(), 5000, 'farm services', farm.log);
      }
    });
}
