import type { Page } from 'playwright';
import { decodeHtml } from '../../parsers/index.ts';
import type { ParkedEgress } from '../../storage/captcha-tasks.types.ts';
import { parkedEgressOf } from './egress/page-egress.ts';
import { statusError, type HttpSession } from './http-client.ts';
import type { EvidenceRecorder } from './evidence-recorder.ts';
import type { Politeness } from '../../runtime/politeness.ts';
import type { TargetRouter } from './targets.ts';
import { captureFullPage, type Screenshot, type ScreenshotFormat } from './screenshot.ts';

/** A page as a robot step sees it, with the id of the evidence that proves it. */
export interface FetchedPage {
  url: string;
  status: number;
  html: string;
  /** The evidence item a parser failure or a result points at. */
  evidenceId: string;
  /** When the page's content was read (response received / DOM taken): a record's `source.fetchedAt`. */
  fetchedAt: Date;
}

/**
 * How a robot opens a page: over plain HTTP or in a browser. Flows are written once against this
 * and run in either mode. Every `open` respects the host's politeness and records evidence.
 */
export interface PageFetcher {
  readonly mode: 'http' | 'browser';
  open(url: string, step: string, options?: OpenOptions): Promise<FetchedPage>;
  /** The proxy and fingerprint its requests to `host` go out on, for a lookup that parks (null: direct). */
  parkedEgress(host: string): ParkedEgress | null;
}

export interface OpenOptions {
  /**
   * Browser mode: elements made visible before the screenshot, so that tabbed panes (hidden until
   * clicked) are all in the picture the auditor sees. The DOM evidence holds them either way.
   */
  reveal?: string[];
  /**
   * Browser mode: wait until this selector is attached before reading the page (pages that render
   * their data later by XHR, e.g. mirsud.spb.ru's print table; `networkidle` fires too early there).
   * A timeout is not an error here: the page is read as it is and its kind decides.
   */
  waitFor?: { selector: string; timeoutMs: number };
}

export interface FetcherDeps {
  router: TargetRouter;
  politeness: Politeness;
  evidence: EvidenceRecorder;
}

/** HTTP mode: the raw response bytes are the evidence; the page is decoded by its declared charset. */
export class HttpPageFetcher implements PageFetcher {
  readonly mode = 'http' as const;
  constructor(private readonly session: HttpSession, private readonly deps: FetcherDeps) {}

  parkedEgress(host: string): ParkedEgress | null {
    return this.session.parkedEgress(host);
  }

  async open(url: string, step: string): Promise<FetchedPage> {
    const target = this.deps.router.assertAllowed(url);
    const res = await this.deps.politeness.run(target.hostname, () => this.session.request(url, { acceptStatuses: [404] }));
    const fetchedAt = new Date();
    const item = await this.deps.evidence.record(step, 'http_response', {
      url: res.url,
      contentType: res.contentType,
      body: res.body,
      meta: { status: res.status, headers: withoutCookies(res.headers) },
    });
    if (res.status === 404) throw statusError(res);
    return { url: res.url, status: res.status, html: decodeHtml(res.body, res.contentType), evidenceId: item._id, fetchedAt };
  }
}

export interface BrowserFetcherOptions {
  screenshotFormat: ScreenshotFormat;
  jpegQuality: number;
  webpQuality: number;
  timeoutMs: number;
}

/** Browser mode: a screenshot and the DOM are the evidence of each step. */
export class BrowserPageFetcher implements PageFetcher {
  readonly mode = 'browser' as const;
  constructor(private readonly page: Page, private readonly deps: FetcherDeps, private readonly options: BrowserFetcherOptions) {}

  /** The page's one egress, whatever the host (a job's page keeps its proxy for the job). */
  parkedEgress(): ParkedEgress | null {
    return parkedEgressOf(this.page);
  }

  async open(url: string, step: string, options: OpenOptions = {}): Promise<FetchedPage> {
    const target = this.deps.router.assertAllowed(url);
    const response = await this.deps.politeness.run(
      target.hostname,
      () => this.page.goto(url, { waitUntil: 'domcontentloaded', timeout: this.options.timeoutMs }),
      undefined,
      // A 5xx page counts against the host's circuit breaker like an HTTP-mode ServerError does.
      (r) => (r?.status() ?? 0) >= 500,
    );
    const finalUrl = this.page.url();
    this.deps.router.assertAllowed(finalUrl);
    const status = response?.status() ?? 0;
    if (options.waitFor && status < 400) {
      await this.page.waitForSelector(options.waitFor.selector, { state: 'attached', timeout: options.waitFor.timeoutMs }).catch(() => undefined);
    }
    const html = await this.page.content();
    const fetchedAt = new Date();
    if (options.reveal?.length) {
      await revealPanes(this.page, options.reveal);
    }
    const shot = await this.screenshot();
    await this.deps.evidence.record(step, 'screenshot', { url: finalUrl, contentType: shot.contentType, body: shot.body, meta: { status } });
    const dom = await this.deps.evidence.record(step, 'html', { url: finalUrl, contentType: 'text/html; charset=utf-8', body: Buffer.from(html, 'utf8'), meta: { status } });
    if (status >= 400) {
      throw statusError({ url: finalUrl, status, headers: (await response?.allHeaders()) ?? {}, body: Buffer.alloc(0), contentType: '' });
    }
    return { url: finalUrl, status, html, evidenceId: dom._id, fetchedAt };
  }

  /**
   * Records the page as it is now, without navigating — for content a page's own script put in
   * place (an AJAX refresh after a captcha answer). Screenshot + DOM, like `open`; status is 0.
   */
  async capture(step: string, options: OpenOptions = {}): Promise<FetchedPage> {
    const url = this.page.url();
    this.deps.router.assertAllowed(url);
    const html = await this.page.content();
    const fetchedAt = new Date();
    if (options.reveal?.length) {
      await revealPanes(this.page, options.reveal);
    }
    const shot = await this.screenshot();
    await this.deps.evidence.record(step, 'screenshot', { url, contentType: shot.contentType, body: shot.body, meta: { inPage: true } });
    const dom = await this.deps.evidence.record(step, 'html', { url, contentType: 'text/html; charset=utf-8', body: Buffer.from(html, 'utf8'), meta: { inPage: true } });
    return { url, status: 0, html, evidenceId: dom._id, fetchedAt };
  }

  private screenshot(): Promise<Screenshot> {
    const { screenshotFormat: format, jpegQuality, webpQuality } = this.options;
    return captureFullPage(this.page, { format, jpegQuality, webpQuality });
  }
}

/** Shows hidden elements (a card's tab panes) so that a screenshot has them all; the DOM is not re-read. */
export async function revealPanes(page: Page, selectors: string[]): Promise<void> {
  await page.evaluate((list) => {
    for (const el of document.querySelectorAll<HTMLElement>(list.join(','))) el.style.display = 'block';
  }, selectors);
}

function withoutCookies(headers: Record<string, string>): Record<string, string> {
  const { 'set-cookie': _drop, ...rest } = headers;
  return rest;
}
