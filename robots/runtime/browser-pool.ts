import { BrowserPool, PlaywrightPlugin } from '@crawlee/browser-pool';
import { chromium, type Page } from 'playwright';
import type { Logger } from '../../core/logger.ts';

/** Chromium flags that keep it quiet on a closed network and inside containers (SPIKE.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface RobotBrowserPoolOptions {
  /** Chromium binary; undefined = Playwright's own browser. */
  executablePath?: string;
  headless: boolean;
  /** Pages kept open and reused; also the number of browser jobs at once. */
  maxPages: number;
  /** A browser is retired after this many pages were opened in it. */
  retireBrowserAfterPages: number;
  /** A page is closed and replaced after this many uses. */
  pageReuse: number;
  /** `--host-resolver-rules` (sandbox mode). */
  hostResolverRules?: string;
  userAgent?: string;
  log: Logger;
}

interface PooledPage {
  page: Page;
  uses: number;
}

/**
 * The browser side of a robot process: Crawlee's BrowserPool launches, tracks and retires Chromium
 * (fingerprints off, a UA that matches the real browser), and this class keeps a small set of pages
 * that jobs reuse — opening a page per request costs ~2.5× here (SPIKE.md §2).
 */
export class RobotBrowserPool {
  readonly pool: BrowserPool;
  private readonly idle: PooledPage[] = [];
  private readonly waiters: Array<() => void> = [];
  private leased = 0;
  private closed = false;
  pagesOpened = 0;

  constructor(private readonly options: RobotBrowserPoolOptions) {
    const args = [...CHROMIUM_ARGS];
    if (options.hostResolverRules) args.push(`--host-resolver-rules=${options.hostResolverRules}`);
    this.pool = new BrowserPool({
      browserPlugins: [
        new PlaywrightPlugin(chromium, {
          launchOptions: {
            executablePath: options.executablePath,
            headless: options.headless,
            args,
            // Crawlee puts a local proxy in front of every browser (for per-context proxies); we
            // use none, and a proxy would also bypass --host-resolver-rules. Bypass it for all hosts.
            proxy: { server: 'http://127.0.0.1:9', bypass: '*' },
            userAgent: options.userAgent,
            viewport: { width: 1280, height: 900 },
            ignoreHTTPSErrors: true,
          } as never,
          useIncognitoPages: false,
        }),
      ],
      useFingerprints: false,
      maxOpenPagesPerBrowser: options.maxPages * 2,
      retireBrowserAfterPageCount: options.retireBrowserAfterPages,
      closeInactiveBrowserAfterSecs: 300,
    });
  }

  /** Runs `fn` with a page from the pool; the page goes back for reuse unless `fn` threw. */
  async withPage<T>(fn: (page: Page) => Promise<T>): Promise<T> {
    const pooled = await this.lease();
    let healthy = false;
    try {
      const result = await fn(pooled.page);
      healthy = true;
      return result;
    } finally {
      await this.giveBack(pooled, healthy);
    }
  }

  private async lease(): Promise<PooledPage> {
    if (this.closed) throw new Error('browser pool is closed');
    while (this.leased >= this.options.maxPages) await new Promise<void>((r) => this.waiters.push(r));
    this.leased += 1;
    const reused = this.idle.pop();
    if (reused && !reused.page.isClosed()) return reused;
    try {
      const page = (await this.pool.newPage()) as Page;
      this.pagesOpened += 1;
      return { page, uses: 0 };
    } catch (error) {
      this.release();
      throw error;
    }
  }

  private async giveBack(pooled: PooledPage, healthy: boolean): Promise<void> {
    pooled.uses += 1;
    const keep = healthy && !this.closed && pooled.uses < this.options.pageReuse && !pooled.page.isClosed();
    if (keep) this.idle.push(pooled);
    else await pooled.page.close().catch(() => undefined);
    this.release();
  }

  private release(): void {
    this.leased -= 1;
    this.waiters.shift()?.();
  }

  /** Closes every page and browser; the pool cannot be used afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.idle.splice(0)) await p.page.close().catch(() => undefined);
    await this.pool.destroy();
  }
}
