/**
 * The steps of the msudrf robot, in the browser: open a page (passing the kcaptcha gate when the
 * session meets it), walk the result pages of a search, open and parse a card, save it.
 */
import type { Page } from 'playwright';

import { normalizeCaseNumber } from '../../core/identifiers.ts';
import type { Logger } from '../../core/logger.ts';
import type { CourtSearchRow } from '../../core/records.ts';
import { classifyMsudrfPage, parseMsudrfCaseCard, parseMsudrfSearchResults, withListedEffectiveAt } from '../../parsers/index.ts';
import type { CaseSaveResult, CourtCaseStore, SourceRef } from '../../storage/court-cases.types.ts';
import type { CaptchaSolver } from '../runtime/captcha/index.ts';
import type { BrowserPageFetcher, FetchedPage } from '../runtime/page-fetcher.ts';
import type { Politeness } from '../../runtime/politeness.ts';
import type { TargetRouter } from '../runtime/targets.ts';
import { gateIdle, passKcaptchaGate } from './kcaptcha-gate.ts';
import { openResumingGate, type GateHandoff } from './kcaptcha-handoff.ts';
import { cartotekaOfNumber, msudrfCardPath, msudrfSearchPath, type MsudrfSearchQuery } from './msudrf-urls.ts';
import { pageKindError, parseWithEvidence } from '../runtime/page-errors.ts';

/** Card panes, all shown in the screenshot (tabs hide them). */
const CARD_PANES = ['div#contentt > div.tab-content'];
/** A search never walks more pages than this (a runaway paging link is layout drift, not data). */
export const MAX_RESULT_PAGES = 50;

/** What the msudrf flow needs for one job. */
export interface MsudrfFlowContext {
  lookupId: string;
  page: Page;
  fetcher: BrowserPageFetcher;
  router: TargetRouter;
  politeness: Politeness;
  captcha: CaptchaSolver;
  captchaMaxTries: number;
  timeoutMs: number;
  log: Logger;
  /** Park a gate no solver passed with its session, and resume it with the operator's answer (court.case). */
  gateHandoff?: GateHandoff;
}

/** Opens `url`; a gate met on the way is solved, and the content it hid is returned. */
export async function openPassingGate(ctx: MsudrfFlowContext, url: string, step: string, reveal?: string[]): Promise<FetchedPage> {
  // Loading the gate while another page answers it would void that answer (kcaptcha-gate.ts).
  await gateIdle(new URL(url).hostname);
  const deps = { page: ctx.page, fetcher: ctx.fetcher, politeness: ctx.politeness, captcha: ctx.captcha, maxTries: ctx.captchaMaxTries, timeoutMs: ctx.timeoutMs, reveal };
  const handoff = ctx.gateHandoff ? { ...ctx.gateHandoff, lookupId: ctx.lookupId } : undefined;
  // A parked gate answered by an operator: its session restored, the answer sent (kcaptcha-handoff.ts).
  const first = (handoff && (await openResumingGate(deps, handoff, url, step))) || (await ctx.fetcher.open(url, step, { reveal }));
  return passKcaptchaGate({ ...deps, handoff }, first, step);
}

/**
 * A search on one court, every result page walked; one row per card (`caseId`), duplicates of
 * the list (a row per party) and of overlapping pages dropped.
 */
export async function searchAllPages(ctx: MsudrfFlowContext, host: string, query: MsudrfSearchQuery): Promise<CourtSearchRow[]> {
  const rows = new Map<string, CourtSearchRow>();
  for (let pageIndex = 0, n = 0; n < MAX_RESULT_PAGES; n++) {
    const step = pageIndex === 0 ? 'search' : `search-page-${pageIndex + 1}`;
    const page = await openPassingGate(ctx, ctx.router.urlFor(host, msudrfSearchPath({ ...query, pageIndex })), step);
    const kind = classifyMsudrfPage(page.html);
    if (kind === 'search_empty') break;
    if (kind !== 'search_results') throw pageKindError(kind, page, 'search results');
    const result = parseWithEvidence(page, () => parseMsudrfSearchResults(page.html, { url: page.url }));
    for (const row of result.cases) rows.set(row.caseId ?? row.url ?? row.caseNumber, row);
    if (!result.nextPage || result.nextPage - 1 <= pageIndex) break;
    pageIndex = result.nextPage - 1;
  }
  return [...rows.values()];
}

export type MsudrfCaseOutcome = { found: false } | { found: true; caseKey: string; saved: CaseSaveResult; evidenceId: string };

/** `court.case` on a magistrate court: search by number or UID (or open by `caseId`), parse, save. */
export async function lookupMsudrfCase(
  ctx: MsudrfFlowContext & { courtCases: CourtCaseStore; sourceOf(page: FetchedPage, url?: string): SourceRef },
  input: { court: string; number?: string; uid?: string; caseId?: string },
): Promise<MsudrfCaseOutcome> {
  let cardUrl: string;
  let listed: CourtSearchRow | undefined;
  if (input.caseId) {
    cardUrl = ctx.router.urlFor(input.court, msudrfCardPath(input.caseId));
  } else {
    // A number is searched in the cartoteka its prefix belongs to (a КоАП «5-…» is not in the civil one).
    const rows = await searchAllPages(ctx, input.court, input.uid ? { uid: input.uid } : { caseNumber: input.number, cartoteka: cartotekaOfNumber(input.number) });
    const wanted = input.number ? normalizeCaseNumber(input.number) : null;
    listed = wanted ? rows.find((r) => normalizeCaseNumber(r.caseNumber) === wanted) : rows[0];
    if (!listed?.url) return { found: false };
    cardUrl = listed.url;
  }
  const card = await openPassingGate(ctx, cardUrl, 'case-card', CARD_PANES);
  const kind = classifyMsudrfPage(card.html);
  if (kind === 'search_empty' && input.caseId) return { found: false };
  if (kind !== 'case_card') throw pageKindError(kind, card, 'a case card');
  // The URL of the card as opened (the content came in place of the gate, same URL) gives case_id.
  const record = withListedEffectiveAt(
    parseWithEvidence(card, () => parseMsudrfCaseCard(card.html, { url: cardUrl, fetchedAt: card.fetchedAt.toISOString() })),
    listed?.effectiveAt,
  );
  // The card is known by the URL it was opened at (the content came in place of the gate).
  const saved = await ctx.courtCases.save(record, ctx.sourceOf(card, cardUrl));
  ctx.log.info({ caseKey: saved.id, created: saved.created, changes: saved.changes.length }, 'court case saved');
  return { found: true, caseKey: saved.id, saved, evidenceId: card.evidenceId };
}

