import { randomUUID } from 'node:crypto';
import { BrowserPool, PlaywrightPlugin } from '@crawlee/browser-pool';
import { chromium, type Page } from 'playwright';
import type { Logger } from '../../core/logger.ts';
import { descendantsOf } from '../../runtime/heartbeat.ts';
import type { EgressPool, EgressSession } from './egress/egress-pool.ts';
import { notePageEgress } from './egress/page-egress.ts';
import type { ParkedEgress } from '../../storage/captcha-tasks.types.ts';
import { FingerprintInjector } from 'fingerprint-injector';
import { NetworkError } from '../../core/errors.ts';
import { browserFingerprint, chromiumVersion, fingerprintSignature, RU_ACCEPT_LANGUAGE, type BrowserFingerprint } from './egress/fingerprints.ts';
import { redactProxy } from './http-client.ts';

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
  /**
   * A browser (and with it its one context) is retired after its pages served this many jobs, or
   * after this many pages were opened in it, whichever comes first. Jobs, not only pages: a page is
   * reused `pageReuse` times, so counting pages alone retired a browser after 500 × 100 jobs.
   */
  retireBrowserAfterPages: number;
  /** A page is closed and replaced after this many uses. */
  pageReuse: number;
  /** `--host-resolver-rules` (sandbox mode). */
  hostResolverRules?: string;
  /** Proxies (PROXY_URLS / PROXY_POOLS): each page runs in a browser launched through its session's proxy. */
  egress?: EgressPool;
  log: Logger;
}

interface PooledPage {
  page: Page;
  uses: number;
  /** The proxy of the page's browser (null = direct). */
  proxyUrl: string | null;
}

const injector = new FingerprintInjector();

/** Chromium's net errors that mean the proxy, not the site, failed. */
const PROXY_FAILURE = /ERR_PROXY|ERR_TUNNEL_CONNECTION_FAILED|ERR_NO_SUPPORTED_PROXIES|ERR_PROXY_AUTH|ERR_MANDATORY_PROXY|\b407\b/;

/**
 * The browser side of a robot process: Crawlee's BrowserPool launches, tracks and retires Chromium,
 * and this class keeps a small set of pages that jobs reuse — opening a page per request costs
 * ~2.5× here (SPIKE.md §2). Each browser wears one fingerprint from Crawlee's fingerprint suite
 * (desktop Chrome of the real Chromium's version, Russian locale and Accept-Language), injected
 * with fingerprint-injector: through a proxy it is the egress session's, which the proxy's browser
 * keeps for the session's life (the browser's cookies are the session's cookie jar).
 */
export class RobotBrowserPool {
  readonly pool: BrowserPool;
  private readonly idle: PooledPage[] = [];
  private readonly waiters: Array<() => void> = [];
  private leased = 0;
  private closed = false;
  /** Marks this pool's Chromium command lines so `killProcesses` finds exactly its browsers. */
  private readonly tag = `--konveyer-pool=${randomUUID()}`;
  pagesOpened = 0;
  /** Jobs served by each browser's pages (keyed by Crawlee's browser controller). */
  private readonly jobsByBrowser = new WeakMap<object, number>();
  /** Browsers retired for the jobs they served (Crawlee closes each once its last page is closed). */
  browsersRetired = 0;
  /** The real Chromium's version, which every fingerprint claims. */
  private readonly chromeVersion: string | null;
  /** The fingerprint each page id being opened launches its browser with (read by the pre-launch hook). */
  private readonly launchFingerprints = new Map<string, BrowserFingerprint>();
  /** The egress session whose browser each proxy's browser is (session affinity), by proxy URL. */
  private readonly boundSessions = new Map<string, EgressSession>();
  /** Signatures of the fingerprints in use, so two live sessions never look alike. */
  private readonly signatures = new Set<string>();

  constructor(private readonly options: RobotBrowserPoolOptions) {
    this.chromeVersion = chromiumVersion(options.executablePath ?? chromium.executablePath());
    const args = [...CHROMIUM_ARGS];
    if (options.hostResolverRules) args.push(`--host-resolver-rules=${options.hostResolverRules}`);
    // Chromium ignores unknown switches; this one only names the pool in /proc (see killProcesses).
    args.push(this.tag);
    // Russian locale for the page's Intl and navigator; the Accept-Language list is the fingerprint's
    // (Playwright's `locale` would send the single tag `ru-RU` and override it).
    args.push('--lang=ru-RU', '--accept-lang=ru-RU,ru');
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
            viewport: { width: 1280, height: 900 },
            ignoreHTTPSErrors: true,
          } as never,
          useIncognitoPages: false,
          // One browser per proxy: a page's proxy is its browser's (Crawlee otherwise reuses any browser).
          browserPerProxy: true,
        }),
      ],
      useFingerprints: false,
      // A browser launched for a proxy goes through it: drop the bypass-everything dummy (above).
      // Every browser wears the fingerprint of the session it is launched for (or a fresh one, direct).
      preLaunchHooks: [
        (pageId: string, launchContext: { proxyUrl?: string; launchOptions?: Record<string, unknown>; extend(f: Record<string, unknown>): void }) => {
          if (launchContext.proxyUrl && launchContext.launchOptions) launchContext.launchOptions.proxy = undefined;
          const fingerprint = this.launchFingerprints.get(pageId) ?? this.freshFingerprint();
          launchContext.extend({ konveyerFingerprint: fingerprint });
          if (launchContext.launchOptions) {
            launchContext.launchOptions.userAgent = fingerprint.fingerprint.navigator.userAgent;
            launchContext.launchOptions.extraHTTPHeaders = { 'accept-language': RU_ACCEPT_LANGUAGE };
          }
        },
      ] as never,
      // One persistent context per browser: inject its fingerprint once, before the first navigation.
      postPageCreateHooks: [
        async (page: unknown, controller: { launchContext: { extend(f: Record<string, unknown>): void } & Record<string, unknown> }) => {
          const ctx = controller.launchContext;
          if (ctx.konveyerFingerprintInjected) return;
          ctx.extend({ konveyerFingerprintInjected: true });
          await injector.attachFingerprintToPlaywright((page as Page).context(), ctx.konveyerFingerprint as BrowserFingerprint);
        },
      ] as never,
      maxOpenPagesPerBrowser: options.maxPages * 2,
      retireBrowserAfterPageCount: options.retireBrowserAfterPages,
      closeInactiveBrowserAfterSecs: 300,
    });
  }

  /**
   * Runs `fn` with a page from the pool; the page goes back for reuse unless `fn` threw. With
   * proxies the page's browser goes through an egress session of `host`'s pool (default pool when
   * no host is given) for the whole job; a proxy failure retires that session and rests the proxy.
   * `resume`: the egress a parked lookup kept; the page goes out on that proxy wearing that
   * fingerprint (EgressPool.resume), in a browser launched for it when the proxy's browser wears another.
   */
  async withPage<T>(fn: (page: Page) => Promise<T>, host?: string, options: { resume?: ParkedEgress | null } = {}): Promise<T> {
    const egress = this.options.egress;
    const parked = egress?.enabled && options.resume && egress.sameGroup(options.resume.host, host ?? '') ? options.resume : null;
    const session = egress?.enabled ? (parked ? this.affine(await egress.resume(parked), true) : this.affine(await egress.sessionFor(host ?? ''))) : null;
    const pooled = await this.lease(session?.proxyUrl ?? null, session ? this.fingerprintOf(session) : undefined);
    if (session) notePageEgress(pooled.page, { session, host: host ?? '' });
    let healthy = false;
    // Crawlee's local proxy in front of Chromium answers 590–599 when the upstream proxy fails
    // (597: it refused our credentials with 407, 595: refused the connection): that page is the proxy's, not the site's.
    let proxyStatus = 0;
    const onResponse = (r: import('playwright').Response): void => {
      if (r.status() >= 590 && r.status() <= 599 && r.request().isNavigationRequest()) proxyStatus = r.status();
    };
    // Only a proxied job listens: while a page has a 'response' listener Playwright hands every
    // request and response of it to this process, and keeps them until the page closes.
    if (session) pooled.page.on('response', onResponse);
    try {
      // Through a proxy the job holds one of the proxy's farm-wide slots (PROXY_CONCURRENCY / PROXY_RPS).
      const result = egress && pooled.proxyUrl ? await egress.withSlot(pooled.proxyUrl, () => fn(pooled.page)) : await fn(pooled.page);
      if (proxyStatus) throw new NetworkError(`proxy ${redactProxy(pooled.proxyUrl ?? '')} failed (HTTP ${proxyStatus} from the browser's proxy chain)`, { details: { status: proxyStatus } });
      healthy = true;
      return result;
    } catch (error) {
      if (session && (proxyStatus || PROXY_FAILURE.test(String((error as Error)?.message ?? '')))) {
        egress!.retire(session, 'browser proxy failure');
        if (!proxyStatus) throw error;
        throw new NetworkError(`proxy ${redactProxy(pooled.proxyUrl ?? '')} failed (HTTP ${proxyStatus} from the browser's proxy chain)`, { cause: error, details: { status: proxyStatus } });
      }
      throw error;
    } finally {
      if (session) pooled.page.off('response', onResponse);
      notePageEgress(pooled.page, null);
      await this.giveBack(pooled, healthy);
    }
  }

  /**
   * Session affinity: a proxy's browser is one egress session (its fingerprint, its cookies). A job
   * handed another session of that proxy stays in the browser's session while it is usable; once
   * that one is retired, the proxy's browser is retired too and the new session gets its own.
   * A `resumed` session (a parked lookup's) is worn as it parked: the proxy's browser is rebound to it.
   */
  private affine(session: EgressSession, resumed = false): EgressSession {
    const proxyUrl = session.proxyUrl;
    if (!proxyUrl || !session.crawlee) return session;
    const bound = this.boundSessions.get(proxyUrl);
    if (bound?.crawlee?.id === session.crawlee.id) return session;
    if (!resumed && bound?.crawlee?.isUsable() && !this.options.egress?.isResting(proxyUrl)) return bound;
    if (bound) {
      for (const c of this.pool.activeBrowserControllers as Set<{ launchContext: { proxyUrl?: string } }>) {
        if (c.launchContext.proxyUrl === proxyUrl) this.pool.retireBrowserController(c as never);
      }
    }
    this.boundSessions.set(proxyUrl, session);
    return session;
  }

  /** The session's one fingerprint (made with it by the egress pool; its HTTP requests send its headers). */
  private fingerprintOf(session: EgressSession): BrowserFingerprint {
    return session.fingerprint;
  }

  /** A direct browser's fingerprint, unlike any in use here (a few tries; the generator rarely repeats itself). */
  private freshFingerprint(): BrowserFingerprint {
    let fp = browserFingerprint(this.chromeVersion);
    for (let i = 0; i < 20 && this.signatures.has(fingerprintSignature(fp)); i++) fp = browserFingerprint(this.chromeVersion);
    this.signatures.add(fingerprintSignature(fp));
    return fp;
  }

  private async lease(proxyUrl: string | null = null, fingerprint?: BrowserFingerprint): Promise<PooledPage> {
    if (this.closed) throw new Error('browser pool is closed');
    while (this.leased >= this.options.maxPages) await new Promise<void>((r) => this.waiters.push(r));
    // Closed while this job waited for a page: launching a browser now would outlive the pool.
    if (this.closed) throw new Error('browser pool is closed');
    this.leased += 1;
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const reused = this.idle[i]!;
      if (reused.proxyUrl !== proxyUrl) continue;
      this.idle.splice(i, 1);
      if (!reused.page.isClosed() && !this.isRetired(reused.page)) return reused;
      // An idle page of a retired browser: closing it lets Crawlee close that browser.
      await reused.page.close().catch(() => undefined);
    }
    try {
      // With a proxy Crawlee launches (or reuses) a browser for exactly that proxy.
      const id = randomUUID();
      if (fingerprint) this.launchFingerprints.set(id, fingerprint);
      const page = (await this.pool.newPage(proxyUrl ? { id, proxyUrl } : { id }).finally(() => this.launchFingerprints.delete(id))) as Page;
      // Closed during the launch: close what the launch started rather than leave it running.
      if (this.closed) {
        await this.pool.destroy().catch(() => undefined);
        throw new Error('browser pool is closed');
      }
      this.pagesOpened += 1;
      return { page, uses: 0, proxyUrl };
    } catch (error) {
      this.release();
      throw error;
    }
  }

  private async giveBack(pooled: PooledPage, healthy: boolean): Promise<void> {
    pooled.uses += 1;
    this.countJob(pooled.page);
    const keep = healthy && !this.closed && pooled.uses < this.options.pageReuse && !pooled.page.isClosed() && !this.isRetired(pooled.page);
    // Playwright keeps a page's last 200 console messages and page errors (page.consoleMessages());
    // each message holds a handle on the document that logged it, so a reused page would keep
    // documents of past jobs alive until it closes. Nothing here reads them.
    if (keep) {
      await Promise.all([pooled.page.clearConsoleMessages(), pooled.page.clearPageErrors()]).catch(() => undefined);
      this.idle.push(pooled);
    } else {
      await pooled.page.close().catch(() => undefined);
    }
    this.release();
  }

  /** Counts one job on the page's browser and retires the browser once it has served its share. */
  private countJob(page: Page): void {
    const controller = this.pool.getBrowserControllerByPage(page as never);
    if (!controller || this.pool.retiredBrowserControllers.has(controller)) return;
    const jobs = (this.jobsByBrowser.get(controller) ?? 0) + 1;
    this.jobsByBrowser.set(controller, jobs);
    if (jobs >= this.options.retireBrowserAfterPages) {
      this.pool.retireBrowserController(controller);
      this.browsersRetired += 1;
      this.options.log.debug({ jobs, browsersRetired: this.browsersRetired }, 'browser retired after its jobs');
    }
  }

  /** Whether the page's browser is retired (or unknown to the pool: a stale page). */
  private isRetired(page: Page): boolean {
    const controller = this.pool.getBrowserControllerByPage(page as never);
    return !controller || this.pool.retiredBrowserControllers.has(controller);
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

  /**
   * SIGKILLs this pool's Chromium processes — each browser launched with its tag and everything
   * under it (renderers, zygotes, GPU) — for a shutdown whose `close()` did not finish in time
   * (Crawlee's own "kill" of a Playwright browser is another `browser.close()`). Returns how many
   * processes it signalled; 0 where there is no /proc.
   */
  killProcesses(): number {
    const pids = new Set<number>();
    for (const browser of descendantsOf(process.pid).filter((p) => p.cmdline.includes(this.tag))) {
      pids.add(browser.pid);
      for (const child of descendantsOf(browser.pid)) pids.add(child.pid);
    }
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    return pids.size;
  }
}
