import type { Logger } from '../core/logger.ts';

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
        const { chromiumOf, descendantsOf } = await import('../runtime/heartbeat.ts');
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
