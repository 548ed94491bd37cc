import type { Logger } from '../core/logger.ts';

/** Resolves on the first SIGINT or SIGTERM; a second one exits at once. */
export function waitForShutdown(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.once(signal, () => process.exit(130));
      resolve(signal);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
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
        const { chromiumOf, descendantsOf } = await import('../robots/runtime/heartbeat.ts');
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
