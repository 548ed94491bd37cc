/**
 * Passing the kcaptcha gate of a magistrate site in the browser (TARGETS.md §2.1; real gate:
 * `kcaptcha_gate_perm_59MS0002_puppeteer-dom.html`). The image is taken as an ELEMENT SCREENSHOT:
 * fetching `/captcha.php` again would draw a new image and change the session's answer. The answer
 * is POSTed by the page's own script, which then puts the content in place without navigating, so
 * the robot waits for the old form to be replaced, not for a navigation.
 */
import type { Page } from 'playwright';
import { CaptchaWrongError, NeedsHumanError } from '../../core/errors.ts';
import { classifyMsudrfPage } from '../../parsers/index.ts';
import type { CaptchaSolution, CaptchaSolver } from '../runtime/captcha/index.ts';
import type { BrowserPageFetcher, FetchedPage } from '../runtime/page-fetcher.ts';
import type { Politeness } from '../../runtime/politeness.ts';
import { withCaptchaHandoff } from '../runtime/captcha/operator.solver.ts';
import type { CaptchaTaskSession, CaptchaTaskStore } from '../../storage/captcha-tasks.types.ts';
import { parkedEgressOf } from '../runtime/egress/page-egress.ts';

/** kcaptcha's default alphabet (the sites do not change it): no 0/o, 1/l look-alikes. */
export const KCAPTCHA_ALPHABET = '23456789abcdegikpqsvxyz';

const FORM = 'form#kcaptchaForm';

/** Where a gate no solver passed is parked for an operator, and the job to re-queue on the answer. */
export interface GateHandoff {
  captchaTasks: CaptchaTaskStore;
  jobName: string;
}

/** The site session of a gate: the host's cookies in the browser (PHPSESSID holds the keystring), and the page's proxy and fingerprint. */
export async function gateSession(page: Page, host: string, url: string): Promise<CaptchaTaskSession> {
  const cookies = (await page.context().cookies()).filter((c) => c.domain.replace(/^\./, '') === host);
  return { cookies, url, state: { host }, egress: parkedEgressOf(page) };
}

/** What passing the gate needs. */
export interface GateDeps {
  page: Page;
  fetcher: BrowserPageFetcher;
  politeness: Politeness;
  captcha: CaptchaSolver;
  maxTries: number;
  timeoutMs: number;
  /** Panes to show in the screenshots of what comes after the gate. */
  reveal?: string[];
  /** Park with the session when no solver answers (kcaptcha-handoff.ts); absent = park without one. */
  handoff?: GateHandoff & { lookupId: string };
}

/**
 * Gates being answered in this process, by host. The pages of one browser share its cookie jar, so
 * one session: a second page that loads the gate draws a new image, and the site then refuses the
 * answer the first page is typing. Pages wait for a gate in progress instead (see {@link gateIdle}).
 */
const answering = new Map<string, Promise<unknown>>();

/** Resolves once no page of this process is answering the gate of `host` (at once when none is). */
export async function gateIdle(host: string): Promise<void> {
  for (let p = answering.get(host); p; p = answering.get(host)) await p.catch(() => undefined);
}

/**
 * If `current` is the gate, solves it until the content shows (up to `maxTries` answers) and
 * returns the content as recorded evidence; otherwise returns `current` unchanged. When another
 * page of the process is answering the same host's gate, waits for it and opens the URL again.
 * @throws CaptchaWrongError after `maxTries` refused answers; NeedsHumanError when no solver answers.
 */
export async function passKcaptchaGate(deps: GateDeps, current: FetchedPage, step: string): Promise<FetchedPage> {
  const host = new URL(current.url).hostname;
  let page = current;
  for (let waits = 1; classifyMsudrfPage(page.html) === 'captcha' && answering.has(host) && waits <= 3; waits++) {
    await gateIdle(host);
    page = await deps.fetcher.open(current.url, `${step}-after-gate-wait-${waits}`, { reveal: deps.reveal });
  }
  if (classifyMsudrfPage(page.html) !== 'captcha') return page;
  const run = answerGate(deps, page, step, host);
  answering.set(host, run);
  try {
    return await run;
  } finally {
    if (answering.get(host) === run) answering.delete(host);
  }
}

/** Types `answer` into the gate on the page and submits it; resolves once the form is replaced (content or a new gate). */
export async function sendGateAnswer(deps: GateDeps, host: string, answer: string): Promise<void> {
  await deps.page.fill(`${FORM} input[name="captcha-response"]`, answer);
  // Mark the form, so that its replacement (content, or a new gate after a wrong answer) is seen.
  await deps.page.evaluate((sel) => document.querySelector(sel)?.setAttribute('data-answered', '1'), FORM);
  await deps.politeness.run(host, async () => {
    const posted = deps.page.waitForResponse((r) => r.request().method() === 'POST', { timeout: deps.timeoutMs });
    await deps.page.click(`${FORM} button[type="submit"]`);
    await posted;
  });
  await deps.page.waitForFunction((sel) => !document.querySelector(`${sel}[data-answered]`), FORM, { timeout: deps.timeoutMs });
}

/** Asks the gate's image anew (the site's own «обновить»): Chromium would show the cached old one. */
export async function reloadGateImage(page: Page): Promise<void> {
  await page.evaluate((sel) => {
    const el = document.querySelector<HTMLImageElement>(sel);
    if (el) el.src = `${el.src.split('?')[0]}?${Date.now()}`;
  }, `${FORM} img`);
}

async function answerGate(deps: GateDeps, current: FetchedPage, step: string, host: string): Promise<FetchedPage> {
  let page = current;
  let solution: CaptchaSolution | null = null;
  for (let tries = 0; classifyMsudrfPage(page.html) === 'captcha'; ) {
    if (solution) await deps.captcha.report?.(solution, false);
    if (tries >= deps.maxTries) {
      throw new CaptchaWrongError(`kcaptcha gate of ${host} not passed after ${tries} answers`, { target: host, url: page.url, details: { evidenceId: page.evidenceId } });
    }
    const img = deps.page.locator(`${FORM} img`).first();
    if (tries > 0) {
      // A gate put back after a wrong answer shows the same `/captcha.php` URL, which Chromium
      // serves from its image cache — the old picture, while the site expects a new keystring.
      // Ask for a fresh image, as the site's own "обновить" link does.
      await reloadGateImage(deps.page);
    }
    await deps.page.waitForFunction((sel) => {
      const el = document.querySelector<HTMLImageElement>(sel);
      return !!el && el.complete && el.naturalWidth > 0;
    }, `${FORM} img`, { timeout: deps.timeoutMs });
    const image = await img.screenshot({ timeout: deps.timeoutMs });
    const ask = () => deps.captcha.solve({ image, kind: 'text', alphabet: KCAPTCHA_ALPHABET, target: host });
    const handoff = deps.handoff ? { lookupId: deps.handoff.lookupId, jobName: deps.handoff.jobName, session: () => gateSession(deps.page, host, page.url) } : null;
    solution = handoff ? await withCaptchaHandoff(handoff, ask) : await ask();
    if (!solution) {
      const taskId = (handoff as { parkedTaskId?: string } | null)?.parkedTaskId ?? null;
      throw new NeedsHumanError(taskId ? `no solver could read the kcaptcha of ${host}; waiting for an operator (captcha task ${taskId})` : `no solver could read the kcaptcha of ${host}`, { target: host, url: page.url, details: { captchaTaskId: taskId } });
    }
    tries += 1;
    await sendGateAnswer(deps, host, solution.answer);
    page = await deps.fetcher.capture(`${step}-after-kcaptcha-${tries}`, { reveal: deps.reveal });
  }
  if (solution) await deps.captcha.report?.(solution, true);
  return page;
}
