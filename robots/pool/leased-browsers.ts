import type { Config } from '../../config/index.ts';
import type { Logger } from '../../core/logger.ts';
import { browserPages, browserRecycles } from '../../core/metrics.ts';
import { within } from '../../runtime/shutdown.ts';
import { RobotBrowserPool } from '../runtime/browser-pool.ts';
import type { EgressPool } from '../runtime/egress/egress-pool.ts';
import type { TargetRouter } from '../runtime/targets.ts';

/**
 * A robot process's browsers: one browser pool, launched on first use (HTTP-only robots never
 * start Chromium), whose pages are counted as leases, so that a pool recycled for memory closes
 * only once its last page is given back. Every pool it made (current and recycled) is kept: a
 * shutdown that runs out of time kills their Chromium.
 */
export class LeasedBrowsers {
  private current: RobotBrowserPool | null = null;
  // Pages leased per browser pool instance, so a pool recycled for memory closes once its jobs are done.
  private readonly leases = new WeakMap<RobotBrowserPool, number>();
  private readonly made: RobotBrowserPool[] = [];
  private readonly retired: Promise<void>[] = [];
  // Set at the shutdown deadline: recycled pools stop waiting for their leases and close.
  private forcing = false;
  private pagesBefore = 0;

  constructor(private readonly options: { config: Config; router: TargetRouter; egress: EgressPool; log: Logger }) {}

  /** The process's browser pool (RobotServices.browsers), launched when first asked for. */
  pool(): RobotBrowserPool {
    return (this.current ??= this.launch());
  }

  /** Pages opened by every pool so far (heartbeat). */
  get pagesOpened(): number {
    return this.pagesBefore + (this.current?.pagesOpened ?? 0);
  }

  /** Swaps in a fresh browser pool on next use; the old one closes when its last page is given back. */
  recycle(reason: string): void {
    const old = this.current;
    if (!old) return;
    this.current = null;
    this.pagesBefore += old.pagesOpened;
    browserRecycles.inc({ reason });
    this.options.log.info({ reason }, 'recycling browsers');
    this.retired.push((async () => {
      while ((this.leases.get(old) ?? 0) > 0 && !this.forcing) await new Promise((r) => setTimeout(r, 200));
      await old.close().catch((err: unknown) => this.options.log.warn({ err }, 'closing a recycled browser pool failed'));
    })());
  }

  /** Recycled pools stop waiting for their pages (the shutdown deadline passed, or workers are closed). */
  force(): void {
    this.forcing = true;
  }

  /** Waits, within `ms`, for recycled pools to close (call after `force`). */
  async closeRetired(ms: number): Promise<void> {
    await within(Promise.all(this.retired), ms, 'recycled browsers', this.options.log);
  }

  /** Closes the current browser pool within `ms`; Chromium of any pool still there afterwards is killed. */
  async close(ms: number): Promise<void> {
    const { log } = this.options;
    await within(this.current?.close(), ms, 'browsers', log);
    const killed = this.made.reduce((n, b) => n + b.killProcesses(), 0);
    if (killed > 0) log.warn({ killed }, 'Chromium processes killed after the browsers did not close in time');
  }

  private launch(): RobotBrowserPool {
    const { config, router, egress, log } = this.options;
    const created = new RobotBrowserPool({
      executablePath: config.browser.executablePath,
      headless: config.browser.headless,
      maxPages: config.robot.browserPages,
      retireBrowserAfterPages: config.browser.retireAfterPages,
      pageReuse: config.browser.pageReuse,
      hostResolverRules: router.chromiumResolverRules(),
      egress,
      log,
    });
    this.made.push(created);
    const withPage = created.withPage.bind(created);
    // The target host goes through to the pool: it picks the proxy pool (PROXY_POOLS) of the page's session.
    created.withPage = async (fn, host, options) => {
      this.leases.set(created, (this.leases.get(created) ?? 0) + 1);
      browserPages.inc();
      try {
        return await withPage(fn, host, options);
      } finally {
        this.leases.set(created, (this.leases.get(created) ?? 1) - 1);
      }
    };
    return created;
  }
}
