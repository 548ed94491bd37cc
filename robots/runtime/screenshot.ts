import type { CDPSession, Page } from 'playwright';

/** Formats of browser screenshots: Playwright draws png and jpeg; webp comes from CDP. */
export type ScreenshotFormat = 'png' | 'jpeg' | 'webp';

/** What {@link captureFullPage} draws: the format, and the qualities (1–100) of jpeg and webp. */
export interface ScreenshotOptions {
  format: ScreenshotFormat;
  /** Quality of jpeg screenshots, and of a webp one drawn as jpeg (a page beyond {@link WEBP_MAX_PX}). */
  jpegQuality: number;
  webpQuality: number;
}

/** A drawn full-page screenshot and the content type it is stored with. */
export interface Screenshot {
  body: Buffer;
  contentType: 'image/png' | 'image/jpeg' | 'image/webp';
  /** The format drawn: webp falls back to jpeg on a page taller or wider than WebP allows. */
  format: ScreenshotFormat;
}

/** WebP's largest side (the format's limit); a longer page is drawn as JPEG at `jpegQuality`. */
export const WEBP_MAX_PX = 16_383;

/**
 * One CDP session per page, opened on its first webp screenshot and detached when the page closes
 * (a reused page keeps its session: no session per screenshot piles up in Playwright's connection).
 */
const sessions = new WeakMap<Page, Promise<CDPSession>>();

function sessionOf(page: Page): Promise<CDPSession> {
  let session = sessions.get(page);
  if (!session) {
    session = page.context().newCDPSession(page);
    sessions.set(page, session);
    page.once('close', () => {
      sessions.delete(page);
      void session!.then((s) => s.detach()).catch(() => undefined);
    });
    // A failed attach is not cached: the next screenshot tries again.
    session.catch(() => sessions.delete(page));
  }
  return session;
}

/**
 * A screenshot of the whole page (beyond the viewport) as it is now. png and jpeg through
 * `page.screenshot({ fullPage: true })`; webp through CDP `Page.captureScreenshot` with
 * `captureBeyondViewport` over the page's content size, which Playwright's API does not offer.
 *
 * @example const shot = await captureFullPage(page, { format: 'webp', webpQuality: 50, jpegQuality: 70 });
 */
export async function captureFullPage(page: Page, options: ScreenshotOptions): Promise<Screenshot> {
  if (options.format === 'png') return { body: await page.screenshot({ type: 'png', fullPage: true }), contentType: 'image/png', format: 'png' };
  if (options.format === 'webp') {
    const cdp = await sessionOf(page);
    const { cssContentSize, cssLayoutViewport } = await cdp.send('Page.getLayoutMetrics');
    const width = Math.ceil(Math.max(cssContentSize.width, cssLayoutViewport.clientWidth));
    const height = Math.ceil(Math.max(cssContentSize.height, cssLayoutViewport.clientHeight));
    if (width <= WEBP_MAX_PX && height <= WEBP_MAX_PX) {
      const { data } = await cdp.send('Page.captureScreenshot', {
        format: 'webp', quality: options.webpQuality, captureBeyondViewport: true, clip: { x: 0, y: 0, width, height, scale: 1 },
      });
      return { body: Buffer.from(data, 'base64'), contentType: 'image/webp', format: 'webp' };
    }
  }
  return { body: await page.screenshot({ type: 'jpeg', quality: options.jpegQuality, fullPage: true }), contentType: 'image/jpeg', format: 'jpeg' };
}
