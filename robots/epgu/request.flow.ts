/**
 * The `epgu.request` flow in the browser: log in (esia-login.flow.ts), then the three steps of
 * the FSSP application wizard, then the receipt. Never twice (ANCHORS.md §4 point 6): the request
 * document records `submitting` BEFORE the irreversible click; an attempt that finds that mark
 * first looks in «Мои заявления» for an application carrying its client reference (with the same
 * ИП number and kind) and records it instead of submitting again.
 */
import { load } from 'cheerio';
import { BadInputError, LayoutDriftError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { EpguRequestDoc } from '../../storage/epgu-requests.types.ts';
import type { BrowserPageFetcher } from '../runtime/page-fetcher.ts';
import type { EpguRobotServices } from '../runtime/robot-services.ts';
import type { TargetRouter } from '../runtime/targets.ts';
import type { Page } from 'playwright';
import { PATHS, PORTAL_HOST } from './epgu-urls.ts';
import { saveFromContext } from './session-vault.ts';

/** Test hooks: `afterSubmitClick` runs right after the submit click (a test throws there to simulate a crash). */
export const epguTestHooks: { afterSubmitClick?: (lookupId: string) => void } = {};

export interface RequestFlowContext {
  page: Page;
  fetcher: BrowserPageFetcher;
  router: TargetRouter;
  epgu: EpguRobotServices;
  account: string;
  lookupId: string;
  log: Logger;
}

/** One row of «Мои заявления». */
export interface PortalOrder {
  number: string;
  ipNumber: string;
  kind: string;
  status: string;
  sentAt: Date | null;
  registeredAt: Date | null;
  text: string;
}

/** Reads «Мои заявления» (sandbox page `epgu-sandbox-1`). */
export function parseOrders(html: string): PortalOrder[] {
  const $ = load(html);
  return $('tr.order')
    .toArray()
    .map((el) => {
      const r = $(el);
      const date = (v: string | undefined) => (v ? new Date(v) : null);
      return { number: r.attr('data-number') ?? '', ipNumber: r.attr('data-ip') ?? '', kind: r.attr('data-kind') ?? '', status: r.attr('data-status') ?? '', sentAt: date(r.attr('data-sent')), registeredAt: date(r.attr('data-registered')), text: r.find('td.text').text() };
    });
}

/** Moscow calendar date of an instant (deadlines count in the bailiffs' days). */
export const mskDate = (d: Date) => new Date(d.getTime() + 3 * 3600_000).toISOString().slice(0, 10);

/** Submits (or reconciles) the request; returns it with its application number. */
export async function submitOrReconcile(ctx: RequestFlowContext, req: EpguRequestDoc): Promise<{ doc: EpguRequestDoc; reconciled: boolean }> {
  if (req.submitAttemptAt) {
    const orders = await ctx.fetcher.open(ctx.router.urlFor(PORTAL_HOST, PATHS.orders), 'reconcile-orders');
    const found = parseOrders(orders.html).find((o) => o.text.includes(req.clientRef) && o.ipNumber === req.ipNumber && o.kind === req.kind);
    if (found) {
      ctx.log.warn({ applicationNumber: found.number }, 'application already made by an earlier attempt: recorded, not submitted again');
      const doc = await ctx.epgu.requests.recordSubmitted(req._id, { applicationNumber: found.number, portalStatus: found.status, submittedAt: found.sentAt ?? req.submitAttemptAt, dueDate: provisionalDue(ctx.epgu, found.sentAt ?? req.submitAttemptAt), evidenceId: orders.evidenceId });
      return { doc, reconciled: true };
    }
    ctx.log.info('no application with our reference on the portal: the earlier attempt did not submit');
  }
  const page = ctx.page;
  await ctx.fetcher.open(ctx.router.urlFor(PORTAL_HOST, PATHS.wizard), 'wizard-ip');
  await step(ctx, async () => page.fill('#ipNumber', req.ipNumber), 'wizard-kind');
  await step(ctx, async () => void (await page.selectOption('#kind', req.kind)), 'wizard-text');
  await page.fill('#text', req.text);
  await ctx.epgu.requests.markSubmitting(req._id, new Date());
  // The irreversible click. From here a retry must reconcile first.
  await Promise.all([page.waitForURL(/\/order\/\d+/, { timeout: 30_000 }), page.click('#submit')]);
  epguTestHooks.afterSubmitClick?.(ctx.lookupId);
  const receipt = await ctx.fetcher.capture('receipt');
  const $ = load(receipt.html);
  const number = $('#order-number').text().trim();
  if (!/^\d+$/.test(number)) throw new LayoutDriftError('no application number on the receipt page', { selector: '#order-number', evidenceId: receipt.evidenceId });
  const sentAt = new Date($('tr.status-row').first().attr('data-at') ?? Date.now());
  const doc = await ctx.epgu.requests.recordSubmitted(req._id, { applicationNumber: number, portalStatus: $('#order-status').text().trim() || null, submittedAt: sentAt, dueDate: provisionalDue(ctx.epgu, sentAt), evidenceId: receipt.evidenceId });
  await saveFromContext(ctx.epgu, ctx.account, page.context());
  return { doc, reconciled: false };
}

/** Clicks «Далее» after `fill`; a form error on the page is the portal refusing our input. */
async function step(ctx: RequestFlowContext, fill: () => Promise<void>, next: string): Promise<void> {
  await fill();
  await Promise.all([ctx.page.waitForLoadState('domcontentloaded'), ctx.page.click('#next')]);
  await ctx.page.waitForSelector('#form-error, #wizard-form', { timeout: 15_000 }).catch(() => undefined);
  const after = await ctx.fetcher.capture(next);
  const error = load(after.html)('#form-error').text().trim();
  if (error) throw new BadInputError(`EPGU refused the application: ${error}`, { target: 'epgu', details: { evidenceId: after.evidenceId } });
}

/**
 * Due date before the portal reports registration: the official has 3 days to receive the
 * application (ст.64.1 ч.2) and 10 to decide (ч.5), so 3 + 10 working days after submission.
 * Replaced by registration + 10 once the portal shows «Зарегистрировано» (inbox.flow.ts).
 */
export function provisionalDue(epgu: EpguRobotServices, sentAt: Date): string {
  return epgu.calendar.addWorkingDays(mskDate(sentAt), 3 + epgu.answerWorkingDays);
}

/** Due date from the registration date: `answerWorkingDays` working days later (229-ФЗ ст.64.1 ч.5). */
export function dueAfterRegistration(epgu: EpguRobotServices, registeredAt: Date): string {
  return epgu.calendar.addWorkingDays(mskDate(registeredAt), epgu.answerWorkingDays);
}
