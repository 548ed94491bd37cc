/**
 * The browser baseline on magistrate cards (`*.msudrf.ru`): plain playwright-core on Debian's
 * Chromium with the robot's flags, one context and `pages` reused pages, each doing what the msudrf
 * robot does to the page for a `court.case` by `case_id`: goto the card (domcontentloaded); when
 * the kcaptcha gate shows, an element screenshot of its image, the same local OCR as the robot, the
 * answer typed and posted by the page's own script, wait for the content (one page answers a host's
 * gate at a time, the others wait and reload, as the robot does); then page.content(), the
 * card panes shown, a full-page PNG screenshot, parse. No queue, database, politeness or evidence.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { parseMsudrfCaseCard } from '../../parsers/index.ts';
import { msudrfCardPath } from '../../robots/court-msudrf/msudrf-urls.ts';
import { KCAPTCHA_ALPHABET } from '../../robots/court-msudrf/kcaptcha-gate.ts';
import { CHROMIUM_ARGS } from '../../robots/runtime/browser-pool.ts';
import { revealPanes } from '../../robots/runtime/page-fetcher.ts';
import { LocalOcrSolver } from '../../robots/runtime/captcha/index.ts';
import type { MsudrfCase } from '../../sandbox/court-msudrf/msudrf.data.ts';

/** Options of {@link startMagistrateBaseline}. */
export interface MagistrateBaselineOptions {
  executablePath: string;
  pages: number;
  /** Sandbox port: cards are `http://<court host>:<port>/modules.php?…`, the hosts mapped to 127.0.0.1. */
  port: number;
  /** Answers per gate before the card counts as wrong (the robot's CAPTCHA_MAX_TRIES default). */
  maxTries?: number;
}

/** One run over a card list. */
export interface MagistrateBaselineResult {
  pages: number;
  /** Cards not shown or not parsed to the expected number. */
  wrong: number;
  seconds: number;
  /** Mean PNG size of the card screenshots. */
  screenshotKb: number;
  /** Gates met, and answers given to them. */
  gates: number;
  answers: number;
}

/** A launched baseline browser: `run` a card list (repeatable), then `close`. */
export interface MagistrateBaseline {
  browser: Browser;
  run(cases: MsudrfCase[]): Promise<MagistrateBaselineResult>;
  close(): Promise<void>;
}

const FORM = 'form#kcaptchaForm';
const CARD_PANES = 'div#contentt > div.tab-content';

/** Launches Chromium with `pages` pages in one context (the launch is not part of any run). */
export async function startMagistrateBaseline(options: MagistrateBaselineOptions): Promise<MagistrateBaseline> {
  const browser = await chromium.launch({
    executablePath: options.executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP *.msudrf.ru 127.0.0.1'],
  });
  // The robot's pool opens its pages at 1280×900 in one context too, so both take the same screenshots.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const pages = await Promise.all(Array.from({ length: options.pages }, () => context.newPage()));
  const ocr = new LocalOcrSolver({ workers: 1, guessWhenUnread: true });
  const maxTries = options.maxTries ?? 5;
  let gates = 0;
  let answers = 0;
  // Pages share the context's cookie jar: a gate loaded by a second page voids the first one's answer.
  const answering = new Map<string, Promise<void>>();
  const gateIdle = async (host: string) => {
    for (let p = answering.get(host); p; p = answering.get(host)) await p.catch(() => undefined);
  };

  /** The robot's kcaptcha-gate.ts steps, without evidence. */
  async function passGate(page: Page, host: string): Promise<void> {
    gates += 1;
    for (let tries = 0; (await page.$(FORM)) !== null; tries++) {
      if (tries >= maxTries) throw new Error(`gate of ${host} not passed after ${tries} answers`);
      if (tries > 0) {
        await page.evaluate((sel) => {
          const el = document.querySelector<HTMLImageElement>(sel);
          if (el) el.src = `${el.src.split('?')[0]}?${Date.now()}`;
        }, `${FORM} img`);
      }
      await page.waitForFunction((sel) => {
        const el = document.querySelector<HTMLImageElement>(sel);
        return !!el && el.complete && el.naturalWidth > 0;
      }, `${FORM} img`, { timeout: 30_000 });
      const image = await page.locator(`${FORM} img`).first().screenshot();
      const solution = await ocr.solve({ image, kind: 'text', alphabet: KCAPTCHA_ALPHABET, target: host });
      answers += 1;
      await page.fill(`${FORM} input[name="captcha-response"]`, solution?.answer ?? 'xxxxx');
      await page.evaluate((sel) => document.querySelector(sel)?.setAttribute('data-answered', '1'), FORM);
      const posted = page.waitForResponse((r) => r.request().method() === 'POST', { timeout: 30_000 });
      await page.click(`${FORM} button[type="submit"]`);
      await posted;
      await page.waitForFunction((sel) => !document.querySelector(`${sel}[data-answered]`), FORM, { timeout: 30_000 });
    }
  }

  return {
    browser,
    async run(cases) {
      gates = 0;
      answers = 0;
      let next = 0;
      let wrong = 0;
      let screenshotBytes = 0;
      const started = performance.now();
      await Promise.all(
        pages.map(async (page) => {
          while (next < cases.length) {
            const c = cases[next++]!;
            try {
              const url = `http://${c.host}:${options.port}${msudrfCardPath(c.caseId)}`;
              await gateIdle(c.host);
              await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 90_000 });
              for (let waits = 0; answering.has(c.host) && waits < 3 && (await page.$(FORM)) !== null; waits++) {
                await gateIdle(c.host);
                await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 90_000 });
              }
              if ((await page.$(FORM)) !== null) {
                const run = passGate(page, c.host);
                answering.set(c.host, run);
                await run.finally(() => {
                  if (answering.get(c.host) === run) answering.delete(c.host);
                });
              }
              const html = await page.content();
              await revealPanes(page, [CARD_PANES]);
              screenshotBytes += (await page.screenshot({ type: 'png', fullPage: true })).length;
              const record = parseMsudrfCaseCard(html, { url: page.url(), fetchedAt: new Date().toISOString() });
              if (record.caseNumber !== c.caseNumber) wrong++;
            } catch {
              wrong++;
            }
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      return { pages: cases.length, wrong, seconds, screenshotKb: screenshotBytes / Math.max(1, cases.length) / 1024, gates, answers };
    },
    async close() {
      await ocr.close();
      await browser.close();
    },
  };
}
