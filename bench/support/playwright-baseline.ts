/**
 * The browser baseline: plain playwright-core on Debian's Chromium with the robot's flags, one
 * context and `pages` reused pages, each doing what a browser-mode card lookup does to the page:
 * goto (domcontentloaded), page.content(), show the card's tab panes (as the robot does, so both
 * draw the same picture), a full-page screenshot, parse. No queue, database, politeness, fingerprint
 * or evidence store. The screenshot is Playwright's PNG unless `format` asks for the robot's format.
 */
import { chromium } from 'playwright-core';
import { parseSudrfCaseCard } from '../../parsers/index.ts';
import { CHROMIUM_ARGS } from '../../robots/runtime/browser-pool.ts';
import { SUDRF_CARD_PANES } from '../../robots/court-sudrf/flow.ts';
import { revealPanes } from '../../robots/runtime/page-fetcher.ts';
import { captureFullPage, type ScreenshotOptions } from '../../robots/runtime/screenshot.ts';
import type { SandboxCase } from '../../sandbox/data/world.types.ts';
import type { BaselineResult } from './http-baselines.ts';
import { cardUrl } from './sandbox-process.ts';

/** Options of {@link runPlaywrightBaseline}. */
export interface PlaywrightBaselineOptions {
  executablePath: string;
  pages: number;
  /** The screenshot's format; default: Playwright's own PNG (`page.screenshot`). */
  format?: ScreenshotOptions;
  /** Called once the browser is up, with nothing in flight (e.g. to start a memory sampler). */
  onLaunched?: () => void;
  /** Called after the last page, before the browser closes (e.g. to read the Chromium tree's CPU time). */
  onDone?: () => void;
}

/** What the baseline did; `screenshotKb` is the mean screenshot size, to compare with the robot's evidence. */
export interface PlaywrightBaselineResult extends BaselineResult {
  screenshotKb: number;
}

/** Runs the card list through `pages` reused pages; the launch is not part of `seconds`. */
export async function runPlaywrightBaseline(cases: SandboxCase[], port: number, options: PlaywrightBaselineOptions): Promise<PlaywrightBaselineResult> {
  const browser = await chromium.launch({
    executablePath: options.executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP *.sudrf.ru 127.0.0.1'],
  });
  try {
    // The robot's pool opens its pages at 1280×900 too, so both take the same screenshots.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const pages = await Promise.all(Array.from({ length: options.pages }, () => context.newPage()));
    options.onLaunched?.();
    let next = 0;
    let wrong = 0;
    let screenshotBytes = 0;
    const started = performance.now();
    await Promise.all(
      pages.map(async (page) => {
        while (next < cases.length) {
          const c = cases[next++]!;
          const url = cardUrl(c, port);
          const response = await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 90_000 });
          const html = await page.content();
          await revealPanes(page, SUDRF_CARD_PANES);
          const shot = options.format ? (await captureFullPage(page, options.format)).body : await page.screenshot({ type: 'png', fullPage: true });
          screenshotBytes += shot.length;
          const record = parseSudrfCaseCard(html, { url: page.url(), fetchedAt: new Date().toISOString() });
          if (response?.status() !== 200 || record.uid !== c.uid) wrong++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    options.onDone?.();
    return { pages: cases.length, wrong, seconds, screenshotKb: screenshotBytes / cases.length / 1024 };
  } finally {
    await browser.close();
  }
}
