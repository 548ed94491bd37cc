/**
 * Draws a stored HTTP capture as Chromium would show it, offline (issue 19 §1): JavaScript off,
 * every request but the document itself aborted, the document served from the stored bytes with
 * the charset the site declared, every tab pane shown, traced fields outlined (§2).
 */
import { chromium, type Browser, type BrowserContext, type Page, type Route } from 'playwright';
import { charsetFromContentType, isValidUtf8, sniffMetaCharset } from '../../parsers/common/decode-html.ts';
import type { FieldTrace, ParseTrace } from '../../parsers/common/trace.ts';
import { randomUUID } from 'node:crypto';
import { setPriority } from 'node:os';
import { CHROMIUM_ARGS } from '../runtime/browser-pool.ts';
import { descendantsOf } from '../../runtime/heartbeat.ts';
import { Sinkhole } from './sinkhole.ts';

/** Name and version of this renderer, stored in every picture so an outsider can redraw it. */
export const RENDERER = { name: 'konveyer-offline-renderer', version: '1.0.0' } as const;

/**
 * Tab panes hidden until clicked, per portal (the browser-mode robots reveal the same): sudrf old
 * template `div#contN` (card_oldtpl_syktyvkar_2-7212-2025), new template `div.lawcase-tab-content`
 * (card_newtpl_blagoveshchensk_2-5-2026), msudrf `div#contentt > div.tab-content`, mos-sud `li.tablist__panel`.
 */
export const HIDDEN_PANES = ['div[id^="cont"]', 'div.lawcase-tab-content', 'div#contentt > div.tab-content', 'li.tablist__panel'];

/** Pictures drawn in one context and page before both are replaced. */
const SURFACE_USES = 200;

/** Pictures taller than this are cut (Chromium's largest texture is 16 384 px); the picture says so. */
export const MAX_PICTURE_HEIGHT_PX = 16_000;

export interface OfflineRendererOptions {
  /** Chromium binary (BROWSER_EXECUTABLE_PATH); undefined = Playwright's own. */
  executablePath?: string;
  headless?: boolean;
  /** JPEG quality 1–100 (default 70: the text of a court card stays readable). */
  jpegQuality?: number;
  /** Navigation budget per picture, ms (default 15 000). */
  timeoutMs?: number;
  viewport?: { width: number; height: number };
}

export interface RenderInput {
  /** The stored body, byte for byte. */
  body: Buffer;
  /** The URL it was fetched from (the document is served at this URL, so relative links resolve as they did). */
  url: string;
  /** The stored Content-Type header. */
  contentType: string;
  /** Fields to outline (a traced parse of the same body); absent = nothing outlined. */
  trace?: ParseTrace | null;
  /** Draw a notice saying this instead of the body (the body could not be drawn: see OfflineRenderer.render). */
  notice?: string;
}

/** A traced field drawn on the picture: its box in picture pixels. */
export interface PictureBox {
  field: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface RenderedPicture {
  image: Buffer;
  contentType: 'image/jpeg';
  width: number;
  height: number;
  /** How the body was drawn: as the HTML page, as text (not HTML), or a notice (nothing to draw). */
  renderedAs: 'html' | 'text' | 'notice';
  /** Why the picture is not the page as a browser showed it (truncated, not HTML, cut); null = it is. */
  problem: string | null;
  /** Charset the document was decoded with. */
  charset: string | null;
  /** Requests the page attempted (subresources, refreshes): each aborted, none left the renderer. */
  blockedRequests: string[];
  /** Connections Chromium opened by itself (preconnects) during this render, all dropped by the sinkhole. */
  sinkConnections: number;
  boxes: PictureBox[];
  /** Traced fields that could not be drawn, with why. */
  notLocated: Array<{ field: string; reason: string }>;
  renderMs: number;
}

const TEXT_TYPES = /^(text\/|application\/(json|javascript|x-javascript|xml|soap\+xml|xhtml\+xml)|[^;]*\+(json|xml))/i;
const HTML_START = /^\s*(<!--[\s\S]*?-->\s*)*(<!doctype\s+html|<html|<head|<body|<meta|<title|<div|<table|<form|<script|<link|<style)/i;

/** Decides how a body is drawn, before any browser sees it. */
export function classifyBody(body: Buffer, contentType: string): { as: RenderedPicture['renderedAs']; charset: string | null; problem: string | null } {
  if (body.length === 0) return { as: 'notice', charset: null, problem: 'the response body is empty: nothing to draw' };
  const head = body.subarray(0, 4096);
  if (head.includes(0)) return { as: 'notice', charset: null, problem: `the body is binary (${contentType || 'no Content-Type'}, ${body.length} bytes), not a page: nothing to draw` };
  const declared = charsetFromContentType(contentType);
  // What a browser would use: the header's charset, else the page's <meta>; UTF-8 bytes without either stay UTF-8.
  const charset = declared ?? sniffMetaCharset(body) ?? (isValidUtf8(body) ? 'utf-8' : 'windows-1251');
  const latin = head.toString('latin1');
  const isHtml = /html/i.test(contentType) || (!contentType && HTML_START.test(latin));
  if (isHtml && HTML_START.test(latin)) {
    const tail = body.subarray(Math.max(0, body.length - 2048)).toString('latin1');
    const truncated = !/<\/html\s*>\s*$/i.test(tail) && !/<\/body\s*>/i.test(tail);
    return { as: 'html', charset, problem: truncated ? `the body ends before </html> (${body.length} bytes): truncated, drawn as far as it goes` : null };
  }
  if (isHtml || TEXT_TYPES.test(contentType) || !contentType) {
    return { as: 'text', charset, problem: `not an HTML page (${contentType || 'no Content-Type'}): drawn as text` };
  }
  return { as: 'notice', charset: null, problem: `not a page (${contentType}, ${body.length} bytes): nothing to draw` };
}

/**
 * One Chromium for pictures, launched on first use with the robots' flags (CHROMIUM_ARGS) and a
 * proxy that leads nowhere but this process's sinkhole; one fresh context per picture with
 * JavaScript off. Renders one picture at a time (a low-priority job; lookups never wait for it).
 */
export class OfflineRenderer {
  private browser: Promise<Browser> | null = null;
  private readonly sink = new Sinkhole();
  private sinkUrl: string | null = null;
  /** Marks this renderer's Chromium command line (found in /proc to lower its priority). */
  private readonly tag = `--konveyer-renderer=${randomUUID()}`;
  private surface: { context: BrowserContext; page: Page; uses: number } | null = null;
  /** The picture being drawn: what the route serves, and what it blocked. */
  private current: { doc: { url: string; contentType: string; body: Buffer }; served: boolean; blocked: string[] } | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Pictures drawn by this renderer. */
  rendered = 0;

  constructor(private readonly options: OfflineRendererOptions = {}) {}

  /** The Chromium version of this renderer's browser (launches it if needed). */
  async chromiumVersion(): Promise<string> {
    return (await this.launch()).version();
  }

  /**
   * Draws one capture; calls are served one after another. A body Chromium fails on (a navigation
   * that times out, a crash) gets a notice picture saying so: every capture has a picture.
   */
  render(input: RenderInput): Promise<RenderedPicture> {
    const run = this.queue.then(() =>
      this.renderNow(input).catch((error: unknown) => {
        if (input.notice || this.closed) throw error;
        const message = String((error as Error)?.message ?? error).split('\n')[0]!.slice(0, 300);
        return this.renderNow({ ...input, trace: null, notice: `Chromium could not draw this body (${input.contentType || 'no Content-Type'}, ${input.body.length} bytes): ${message}` });
      }),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.dropSurface();
    const browser = this.browser;
    this.browser = null;
    if (browser) await (await browser.catch(() => null))?.close().catch(() => undefined);
    await this.sink.close();
  }

  /**
   * Pictures must not slow lookups: this browser's processes run at the lowest CPU priority (nice
   * 19). Chromium re-prioritises the processes it starts, so this runs at launch and before every
   * picture. Best effort (no /proc, or not allowed: nothing happens).
   */
  private lowerPriority(): void {
    for (const browser of descendantsOf(process.pid).filter((p) => p.cmdline.includes(this.tag))) {
      for (const pid of [browser.pid, ...descendantsOf(browser.pid).map((c) => c.pid)]) {
        try {
          setPriority(pid, 19);
        } catch {
          // Gone already, or not ours to renice.
        }
      }
    }
  }

  private async launch(): Promise<Browser> {
    if (this.closed) throw new Error('offline renderer is closed');
    // A crashed browser is replaced on the next picture.
    const current = await this.browser?.catch(() => null);
    if (current && !current.isConnected()) this.browser = null;
    this.browser ??= (async () => {
      this.sinkUrl ??= await this.sink.start();
      const sink = this.sinkUrl!;
      const browser = await chromium.launch({
        executablePath: this.options.executablePath,
        headless: this.options.headless ?? true,
        args: [...CHROMIUM_ARGS, this.tag],
        // `<-loopback>` removes Chromium's implicit "loopback goes direct": nothing is direct.
        proxy: { server: sink, bypass: '<-loopback>' },
      });
      this.lowerPriority();
      return browser;
    })();
    this.browser.catch(() => {
      this.browser = null;
    });
    return this.browser;
  }

  /**
   * The context and page pictures are drawn in, kept between pictures (a new page costs a renderer
   * process, ~0.5 s here) and replaced after `SURFACE_USES` pictures or any failure. Its one route
   * serves the current picture's document and blocks everything else, between pictures too.
   */
  private async surfaceFor(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
    if (this.surface && this.surface.uses < SURFACE_USES && !this.surface.page.isClosed()) {
      this.surface.uses += 1;
      return this.surface;
    }
    await this.dropSurface();
    const viewport = this.options.viewport ?? { width: 1280, height: 900 };
    const context = await browser.newContext({ javaScriptEnabled: false, serviceWorkers: 'block', viewport, acceptDownloads: false, ignoreHTTPSErrors: true });
    await context.route('**/*', async (route: Route) => {
      const req = route.request();
      const cur = this.current;
      // The document, once; a refresh of it, a subresource or any other navigation is blocked.
      if (cur && !cur.served && req.isNavigationRequest() && req.url() === cur.doc.url) {
        cur.served = true;
        return route.fulfill({ status: 200, headers: { 'content-type': cur.doc.contentType }, body: cur.doc.body });
      }
      cur?.blocked.push(req.url());
      // A navigation (a meta refresh, a frame) answered 204 leaves the drawn document in place;
      // aborted, Chromium would swap in its error page.
      if (req.isNavigationRequest()) return route.fulfill({ status: 204, body: '' });
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    this.surface = { context, page, uses: 1 };
    return this.surface;
  }

  private async dropSurface(): Promise<void> {
    const old = this.surface;
    this.surface = null;
    await old?.context.close().catch(() => undefined);
  }

  private async renderNow(input: RenderInput): Promise<RenderedPicture> {
    const t0 = Date.now();
    const browser = await this.launch();
    const sinkBefore = this.sink.connections;
    let healthy = false;
    try {
      const kind = input.notice ? { as: 'notice' as const, charset: null, problem: input.notice } : classifyBody(input.body, input.contentType);
      const blocked: string[] = [];
      const doc = documentFor(input, kind);
      const { page } = await this.surfaceFor(browser);
      // Chromium sets its children's priorities itself (renderers, GPU): lowered again before each picture.
      this.lowerPriority();
      // Off the last picture first: a URL that differs from it only by #fragment would not load.
      await page.goto('about:blank');
      this.current = { doc, served: false, blocked };
      await page.goto(doc.url, { waitUntil: 'load', timeout: this.options.timeoutMs ?? 15_000 });
      // Every pane shown, as in the browser-mode screenshot; only panes that are hidden now.
      await page.evaluate((selectors) => {
        for (const el of document.querySelectorAll<HTMLElement>(selectors.join(','))) {
          if (getComputedStyle(el).display === 'none' && !(el.id.startsWith('cont') && !/^cont\d+$/.test(el.id))) el.style.setProperty('display', 'block', 'important');
        }
      }, HIDDEN_PANES);
      let problem = kind.problem;
      // The banner goes in before anything is measured: it moves the page down.
      if (problem) await page.evaluate(banner, problem);
      const fields = Object.entries(input.trace ?? {}).filter((e): e is [string, Extract<FieldTrace, { kind: 'element' }>] => e[1].kind === 'element');
      const located = await page.evaluate(
        ({ fields, maxHeight }) => {
          // Compared without whitespace: the parser's text puts a space where a <br> was. (No named
          // helpers in here: tsx wraps them in a `__name` the page does not have.)
          const boxes: Array<{ field: string; x: number; y: number; width: number; height: number }> = [];
          const missing: Array<{ field: string; reason: string }> = [];
          for (const [field, t] of fields) {
            const el = document.querySelector(t.path);
            if (!el) {
              missing.push({ field, reason: 'the element the parser read is not in the drawn page' });
              continue;
            }
            const text = (el.textContent ?? '').replace(/\s+/g, '');
            const want = t.text.replace(/\s+/g, '');
            if (want && !text.includes(want)) {
              missing.push({ field, reason: 'the element at that path shows other text than the parser read' });
              continue;
            }
            const r = el.getBoundingClientRect();
            const y = r.top + window.scrollY;
            if (r.width < 1 || r.height < 1) missing.push({ field, reason: 'the element is not drawn (no size: e.g. the page <title>)' });
            else if (y >= maxHeight) missing.push({ field, reason: `below the cut of the picture (${maxHeight} px)` });
            else boxes.push({ field, x: Math.round(r.left + window.scrollX), y: Math.round(y), width: Math.round(r.width), height: Math.round(r.height) });
          }
          return { boxes, missing };
        },
        { fields, maxHeight: MAX_PICTURE_HEIGHT_PX },
      );
      for (const [field, t] of Object.entries(input.trace ?? {})) {
        if (t.kind === 'not_located') located.missing.push({ field, reason: t.reason });
      }
      const boxes = located.boxes;
      await page.evaluate(outline, boxes);
      const size = await page.evaluate(() => ({ width: Math.ceil(document.documentElement.scrollWidth), height: Math.ceil(document.documentElement.scrollHeight) }));
      const width = Math.max((this.options.viewport?.width ?? 1280), Math.min(size.width, 4000));
      let height = Math.max(1, size.height);
      if (height > MAX_PICTURE_HEIGHT_PX) {
        problem = [problem, `the page is ${height} px tall: the picture is cut at ${MAX_PICTURE_HEIGHT_PX} px`].filter(Boolean).join('; ');
        height = MAX_PICTURE_HEIGHT_PX;
      }
      const image = await page.screenshot({ type: 'jpeg', quality: this.options.jpegQuality ?? 70, fullPage: true, clip: { x: 0, y: 0, width, height } });
      this.rendered += 1;
      const result: RenderedPicture = {
        image,
        contentType: 'image/jpeg',
        width,
        height,
        renderedAs: kind.as,
        problem,
        charset: kind.as === 'notice' ? null : kind.charset,
        blockedRequests: blocked,
        sinkConnections: this.sink.connections - sinkBefore,
        boxes: boxes.filter((b) => b.y < height),
        notLocated: located.missing,
        renderMs: Date.now() - t0,
      };
      healthy = true;
      return result;
    } finally {
      this.current = null;
      if (!healthy) await this.dropSurface();
    }
  }
}

/** What the route serves as the document: the stored bytes as sent, as text, or a notice. */
function documentFor(input: RenderInput, kind: ReturnType<typeof classifyBody>): { url: string; contentType: string; body: Buffer } {
  // Without its #fragment: that is how the request reaches the route.
  const url = /^https?:\/\//i.test(input.url) ? input.url.replace(/#.*$/, '') : 'http://capture.invalid/';
  if (kind.as === 'html') return { url, contentType: `text/html; charset=${kind.charset}`, body: input.body };
  if (kind.as === 'text') return { url, contentType: `text/plain; charset=${kind.charset}`, body: input.body };
  const notice = `<!doctype html><html><head><meta charset="utf-8"><title>no picture</title></head><body style="font:16px sans-serif;margin:24px"><h1>No picture of this capture</h1><p>${escapeHtml(kind.problem ?? '')}</p><p>URL: <code>${escapeHtml(input.url)}</code></p></body></html>`;
  return { url, contentType: 'text/html; charset=utf-8', body: Buffer.from(notice, 'utf8') };
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** In the page: a banner at the top saying why the picture is not the page as it was. */
function banner(text: string): void {
  const div = document.createElement('div');
  div.id = 'konveyer-picture-banner';
  div.textContent = `konveyer picture: ${text}`;
  div.setAttribute('style', 'display:block;position:relative;z-index:2147483647;background:#b00020;color:#fff;font:bold 16px sans-serif;padding:8px 12px;white-space:normal');
  (document.body ?? document.documentElement).prepend(div);
}

/** In the page: an outline and a number over each traced field. */
function outline(boxes: Array<{ field: string; x: number; y: number; width: number; height: number }>): void {
  const layer = document.createElement('div');
  layer.setAttribute('style', 'position:absolute;left:0;top:0;width:0;height:0;z-index:2147483646;pointer-events:none');
  boxes.forEach((b, i) => {
    const box = document.createElement('div');
    box.setAttribute('style', `position:absolute;left:${b.x - 3}px;top:${b.y - 3}px;width:${b.width + 6}px;height:${b.height + 6}px;border:3px solid rgb(230,81,0);box-sizing:border-box`);
    const tag = document.createElement('span');
    tag.textContent = String(i + 1);
    tag.setAttribute('style', 'position:absolute;right:100%;top:-3px;background:#e65100;color:#fff;font:bold 10px sans-serif;padding:0 3px;opacity:.9');
    box.append(tag);
    layer.append(box);
  });
  document.documentElement.append(layer);
}
