import { CaptchaWrongError } from '../../core/errors.ts';
import { normalizeCaseNumber } from '../../core/identifiers.ts';
import type { CourtSearchRow } from '../../core/records.ts';
import type { Logger } from '../../core/logger.ts';
import {
  classifySudrfPage,
  extractSudrfCaptcha,
  parseSudrfCaseCard,
  parseSudrfSearchResults,
  readSudrfServerChoices,
  type SudrfServerChoice,
  withListedEffectiveAt,
} from '../../parsers/index.ts';
import type { CourtCaseInput } from '../../queues/court-case.payload.ts';
import type { CaseSaveResult, CourtCaseStore, SourceRef } from '../../storage/court-cases.types.ts';
import type { CaptchaTaskStore } from '../../storage/captcha-tasks.types.ts';
import type { CaptchaSolution, CaptchaSolver } from '../runtime/captcha/index.ts';
import type { CaptchaToken, CaptchaTokenCache } from '../runtime/captcha-tokens.ts';
import type { FetchedPage, PageFetcher } from '../runtime/page-fetcher.ts';
import type { TargetRouter } from '../runtime/targets.ts';
import { readSudrfUrlForm } from '../../parsers/sudrf/sudrf-url.ts';
import {
  cartotekasForNumber, SUDRF_CARTOTEKAS, sudrfCardPath, sudrfSearchFormPath, sudrfSearchPath, type SudrfCartoteka, type SudrfUrlForm,
} from './sudrf-urls.ts';
import { driftAt, pageKindError, parseWithEvidence } from '../runtime/page-errors.ts';
import { reportResumedPair, resumedSudrfPair, solveSudrfCaptcha } from './search-captcha.ts';

/** What the sudrf flow needs for one lookup. */
export interface SudrfFlowContext {
  lookupId: string;
  fetcher: PageFetcher;
  router: TargetRouter;
  captcha: CaptchaSolver;
  captchaTokens: CaptchaTokenCache;
  courtCases: CourtCaseStore;
  captchaMaxTries: number;
  log: Logger;
  /** The operator's captcha tasks and this lookup's job name: a captcha no solver read parks with its pair kept (search-captcha.ts). */
  captchaTasks?: CaptchaTaskStore | null;
  jobName?: string;
}

/** Tab panes of both card templates (card_oldtpl_*, card_newtpl_*), all shown in the screenshot so the auditor sees every tab. */
export const SUDRF_CARD_PANES = ['div[id^="cont"]', 'div.lawcase-tab-content'];

export type SudrfCaseOutcome =
  | { found: false }
  | { found: true; caseKey: string; saved: CaseSaveResult; evidenceId: string };

/**
 * `court.case` on a sudrf court: find the card (search by number or UID, solving the search
 * captcha where the court has one), open it, parse it, upsert it. Not found is a result.
 */
export async function lookupSudrfCase(ctx: SudrfFlowContext & { sourceOf(page: FetchedPage): SourceRef }, input: CourtCaseInput): Promise<SudrfCaseOutcome> {
  const host = input.court;
  let card: FetchedPage | null;
  let listed: CourtSearchRow | null = null;
  if (input.caseId && input.caseUid) {
    card = await openCardById(ctx, host, input.caseId, input.caseUid);
    if (!card) return { found: false };
  } else {
    listed = await searchCase(ctx, host, input);
    if (!listed?.url) return { found: false };
    card = await ctx.fetcher.open(listed.url, 'case-card', { reveal: SUDRF_CARD_PANES });
  }
  const kind = classifySudrfPage(card.html);
  if (kind !== 'case_card') throw pageKindError(kind, card, 'a case card');
  const page = card;
  // The list's «Дата вступления в законную силу» column completes a card without that row.
  const record = withListedEffectiveAt(
    parseWithEvidence(page, () => parseSudrfCaseCard(page.html, { url: page.url, fetchedAt: page.fetchedAt.toISOString() })),
    listed?.effectiveAt,
  );
  const saved = await ctx.courtCases.save(record, ctx.sourceOf(card));
  ctx.log.info({ caseKey: saved.id, created: saved.created, changes: saved.changes.length }, 'court case saved');
  return { found: true, caseKey: saved.id, saved, evidenceId: card.evidenceId };
}

/**
 * The database servers (`srv_num`) still to try on one court: 1…MAX_SRV_NUM at first; a
 * «Выберите сервер» landing replaces the untried ones by the servers it links to (in page order).
 */
export class ServerQueue {
  private readonly tried = new Set<number>();
  private pending: number[];
  constructor(max = MAX_SRV_NUM) {
    this.pending = Array.from({ length: max }, (_v, i) => i + 1);
  }
  /** The next server to try, or null when every one was tried. */
  next(): number | null {
    const n = this.pending.shift();
    if (n === undefined) return null;
    this.tried.add(n);
    return n;
  }
  /** Follows the links of a server-choice landing; false when it links to no untried server. */
  follow(choices: ReadonlyArray<{ srvNum: number }>): boolean {
    this.pending = [...new Set(choices.map((c) => c.srvNum))].filter((n) => !this.tried.has(n));
    return this.pending.length > 0;
  }
}

/**
 * Opens a card by the site's ids. The ids do not say which database server holds the case, so
 * servers are tried in turn: «no data» on one means "look on the next", not "not found"; a
 * server-choice landing sends the robot along its links.
 */
async function openCardById(ctx: SudrfFlowContext, host: string, caseId: string, caseUid: string): Promise<FetchedPage | null> {
  const urlForm = await urlFormOf(ctx, host);
  for (const [i, cartoteka] of distinctCartotekas(SUDRF_CARTOTEKAS, urlForm).entries()) {
    const servers = new ServerQueue();
    for (let srvNum = servers.next(); srvNum !== null; srvNum = servers.next()) {
      const step = `case-card${i ? `-${cartoteka.key}` : ''}${srvNum === 1 ? '' : `-srv${srvNum}`}`;
      const page = await ctx.fetcher.open(ctx.router.urlFor(host, sudrfCardPath(caseId, caseUid, srvNum, cartoteka, urlForm)), step, { reveal: SUDRF_CARD_PANES });
      const kind = classifySudrfPage(page.html);
      if (kind === 'search_empty') continue;
      if (kind === 'no_such_server') break;
      if (kind === 'server_choice') {
        if (!servers.follow(readSudrfServerChoices(page.html, page.url))) throw pageKindError(kind, page, 'a case card');
        continue;
      }
      return page;
    }
  }
  return null;
}

/** URL form per court host, learnt once per process from the court's search form. */
const urlForms = new Map<string, SudrfUrlForm>();

/**
 * The URL form the court answers (a court answers one: the other gives an empty page), read off its
 * search form: the new UI's fields are `case__…` with the court code in `vnkod`. Primary when the
 * form page says neither (cached only when it said).
 */
export async function urlFormOf(ctx: SudrfFlowContext, host: string): Promise<SudrfUrlForm> {
  const known = urlForms.get(host);
  if (known) return known;
  const page = await ctx.fetcher.open(ctx.router.urlFor(host, sudrfSearchFormPath(1)), 'search-form-probe');
  const form = readSudrfUrlForm(page.html);
  if (!form) return { form: 'primary' };
  urlForms.set(host, form);
  ctx.log.debug({ host, form: form.form }, 'sudrf URL form');
  return form;
}

/** Cartotekas the form tells apart (the new UI shares one register for civil and KAS appeals). */
function distinctCartotekas(list: readonly SudrfCartoteka[], form: SudrfUrlForm): SudrfCartoteka[] {
  const seen = new Set<string>();
  return list.filter((k) => {
    const id = form.form === 'vnkod' ? k.vnkod.join('_') : `${k.deloId}_${k.newId}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Database servers tried at most: a search on `srv_num=1` silently misses cases kept on 2 and 3. */
export const MAX_SRV_NUM = 3;

/**
 * Searches every database server of the court in turn until the case is found or the site says
 * there is no such server (TARGETS.md §1.2: a search on `srv_num=1` alone is incomplete); a
 * server-choice landing replaces the servers still to try by those it links to.
 */
async function searchCase(ctx: SudrfFlowContext, host: string, input: CourtCaseInput): Promise<CourtSearchRow | null> {
  const urlForm = await urlFormOf(ctx, host);
  // A UID is unique across registers: the civil one first. A number: the registers its prefix names first.
  for (const [i, cartoteka] of distinctCartotekas(cartotekasForNumber(input.number), urlForm).entries()) {
    const servers = new ServerQueue();
    for (let srvNum = servers.next(); srvNum !== null; srvNum = servers.next()) {
      const found = await searchServer(ctx, host, input, srvNum, cartoteka, urlForm, i === 0 ? '' : `-${cartoteka.key}`);
      if (found === 'no_such_server') break;
      if (found && 'choices' in found) {
        if (!servers.follow(found.choices)) throw pageKindError('server_choice', found.page, 'search results');
        continue;
      }
      if (found) return found;
    }
  }
  return null;
}

/** One server's search, passing the captcha gate if the court has one; returns the matching row. */
async function searchServer(
  ctx: SudrfFlowContext, host: string, input: CourtCaseInput, srvNum: number, cartoteka: SudrfCartoteka, urlForm: SudrfUrlForm, stepSuffix: string,
): Promise<CourtSearchRow | null | 'no_such_server' | { choices: SudrfServerChoice[]; page: FetchedPage }> {
  const query = { number: input.number, uid: input.uid, srvNum, cartoteka, urlForm };
  const stepPrefix = (srvNum === 1 ? 'search' : `search-srv${srvNum}`) + stepSuffix;
  // An operator's answer to this lookup's parked captcha goes first, with the captchaid it was read for.
  let resumed = await resumedSudrfPair(ctx, host);
  let token: CaptchaToken | null = resumed?.token ?? (await ctx.captchaTokens.get(host));
  let solution: CaptchaSolution | null = null;
  let next = { url: ctx.router.urlFor(host, sudrfSearchPath(query, token ?? undefined)), step: stepPrefix };
  for (let solves = 0; ; ) {
    const page = await ctx.fetcher.open(next.url, next.step);
    const kind = classifySudrfPage(page.html);
    if (resumed && (kind === 'captcha_wrong' || kind === 'captcha')) {
      await reportResumedPair(ctx, resumed, false);
      resumed = null;
    }
    if (kind === 'captcha_wrong') {
      // The site refused the pair (wrong, expired or used up) — or wants a code it never showed
      // (listing_captcha_gate_kas). That page has no image: a fresh one is on the search form.
      if (token) await ctx.captchaTokens.drop(host, token);
      if (solution) await ctx.captcha.report?.(solution, false);
      token = null;
      solution = null;
      if (solves >= ctx.captchaMaxTries) throw captchaNotPassed(host, page, solves);
      next = { url: ctx.router.urlFor(host, sudrfSearchFormPath(srvNum, cartoteka)), step: `${stepPrefix}-form` };
      continue;
    }
    if (kind === 'captcha') {
      if (token) await ctx.captchaTokens.drop(host, token);
      if (solution) await ctx.captcha.report?.(solution, false);
      if (solves >= ctx.captchaMaxTries) throw captchaNotPassed(host, page, solves);
      const challenge = extractSudrfCaptcha(page.html);
      if (!challenge) throw driftAt(page, 'captcha page without an image or captchaid', 'input[name=captchaid]');
      solution = await solveSudrfCaptcha(ctx, host, challenge, page.url);
      token = { captchaId: challenge.captchaId, answer: solution.answer };
      solves += 1;
      next = { url: ctx.router.urlFor(host, sudrfSearchPath(query, token)), step: `${stepPrefix}-after-captcha-${solves}` };
      continue;
    }
    if (resumed) {
      await reportResumedPair(ctx, resumed, true);
      await ctx.captchaTokens.put(host, resumed.token);
      resumed = null;
    }
    if (solution && token) {
      await ctx.captcha.report?.(solution, true);
      await ctx.captchaTokens.put(host, token);
      ctx.log.debug({ solver: solution.solver, solves }, 'search captcha passed');
    }
    if (kind === 'search_empty') return null;
    if (kind === 'no_such_server') return 'no_such_server';
    if (kind === 'server_choice') return { choices: readSudrfServerChoices(page.html, page.url), page };
    if (kind !== 'search_results') throw pageKindError(kind, page, 'search results');
    const results = parseWithEvidence(page, () => parseSudrfSearchResults(page.html, { url: page.url }));
    return pickRow(results.cases, input);
  }
}

/** The row of the case asked for: same number (the list may show others), or the first for a UID. */
function pickRow(rows: CourtSearchRow[], input: CourtCaseInput): CourtSearchRow | null {
  if (input.uid) return rows[0] ?? null;
  const wanted = normalizeCaseNumber(input.number ?? '');
  return rows.find((r) => normalizeCaseNumber(r.caseNumber.split(/\s*[~(]/)[0] ?? '') === wanted) ?? null;
}

function captchaNotPassed(host: string, page: FetchedPage, solves: number): CaptchaWrongError {
  return new CaptchaWrongError(`search captcha of ${host} not passed after ${solves} answers`, { target: host, url: page.url, details: { evidenceId: page.evidenceId } });
}

