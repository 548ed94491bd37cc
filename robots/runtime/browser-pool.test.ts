/**
 * What a reused page carries from one job to the next, on real Chromium: Playwright keeps a page's
 * console messages and page errors (each message holds a handle on the document that logged it),
 * and while a page has a 'response' listener every request and response of it is handed to this
 * process and kept until the page closes. A direct job's page starts clean and has no such listener.
 */
import { afterAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Page } from 'playwright';
import { loadConfig } from '../../config/index.ts';
import { RobotBrowserPool } from './browser-pool.ts';

const browsers = new RobotBrowserPool({
  executablePath: loadConfig({}).browser.executablePath,
  headless: true,
  maxPages: 1,
  retireBrowserAfterPages: 50,
  pageReuse: 10,
  log: pino({ level: 'silent' }),
});
afterAll(() => browsers.close());

const responseListeners = (page: Page): number => (page as unknown as { listenerCount(event: string): number }).listenerCount('response');

describe('a reused browser page', () => {
  it('does not keep the console messages and page errors of earlier jobs, and a direct job adds no response listener', async () => {
    const first = await browsers.withPage(async (page) => {
      await page.setContent('<p>job one</p>');
      await page.evaluate(() => {
        for (let i = 0; i < 5; i++) console.log(`job one says ${i}`);
        setTimeout(() => { throw new Error('job one failed in the page'); }, 0);
      });
      await page.waitForTimeout(200);
      // Playwright did record them (else the check below proves nothing).
      expect((await page.consoleMessages()).map((m) => m.text())).toContain('job one says 4');
      expect((await page.pageErrors()).map((e) => e.message)).toContain('job one failed in the page');
      expect(responseListeners(page)).toBe(0);
      return page;
    });
    await browsers.withPage(async (page) => {
      expect(page).toBe(first);
      expect(await page.consoleMessages()).toEqual([]);
      expect(await page.pageErrors()).toEqual([]);
      expect(responseListeners(page)).toBe(0);
    });
  }, 60_000);
});
