/**
 * `court.search` on a sudrf court: the `name_op=r` search by party name (`G1_PARTS__NAMESS`,
 * CP1251) and registration dates (`g1_case__ENTRY_DATE1D/2D`), through the search captcha where the
 * court has one, every results page of every database server (`srv_num`; TARGETS.md §1.2).
 */
import { CaptchaWrongError, LayoutDriftError } from '../../core/errors.ts';
import type { CourtSearchRow } from '../../core/records.ts';
import { classifySudrfPage, extractSudrfCaptcha, parseSudrfSearchResults, readSudrfServerChoices } from '../../parsers/index.ts';
import type { CourtSearchInput } from '../../queues/court-search.payload.ts';
import type { CaptchaSolution } from '../runtime/captcha/index.ts';
import type { CaptchaToken } from '../runtime/captcha-tokens.ts';
import type { FetchedPage } from '../runtime/page-fetcher.ts';
import type { SudrfFlowContext } from './flow.ts';
import { ServerQueue, urlFormOf } from './flow.ts';
import { pageKindError } from '../runtime/page-errors.ts';
import { sudrfSearchFormPath, sudrfSearchPath, type SudrfSearchQuery } from './sudrf-urls.ts';
import { reportResumedPair, resumedSudrfPair, solveSudrfCaptcha } from './search-captcha.ts';

/** Pages walked per server at most (25 rows each): a runaway pager must end. */
export const MAX_RESULT_PAGES = 200;

/** A case the search listed: enough to look it up with `court.case`. */
export interface FoundCase {
  court: string;
  caseNumber: string;
  caseId: string | null;
  caseUid: string | null;
  registeredAt: string | null;
  /** Database server the row came from (1 when the portal has none). */
  srvNum: number;
}

const ruDate = (iso: string) => iso.split('-').reverse().join('.');

/** Every case the court lists for the party and dates, in site order (duplicates kept; the caller dedupes). */
export async function searchSudrfByParty(ctx: SudrfFlowContext, input: CourtSearchInput): Promise<FoundCase[]> {
  const found: FoundCase[] = [];
  const servers = new ServerQueue();
  const urlForm = await urlFormOf(ctx, input.court);
  for (let srvNum = servers.next(); srvNum !== null; srvNum = servers.next()) {
    for (let page = 1; page <= MAX_RESULT_PAGES; ) {
      const query: SudrfSearchQuery = { partyName: input.party, registeredFrom: ruDate(input.registeredFrom), registeredTo: ruDate(input.registeredTo), srvNum, page, urlForm };
      const step = `search-srv${srvNum}-p${page}`;
      const res = await openSudrfSearch(ctx, input.court, query, step);
      if (res.kind === 'no_such_server') return found;
      if (res.kind === 'search_empty') break;
      if (res.kind === 'server_choice') {
        // «Выберите сервер»: the servers to walk are the ones it links to.
        if (!servers.follow(readSudrfServerChoices(res.page.html, res.page.url))) throw pageKindError('server_choice', res.page, 'search results');
        break;
      }
      const results = parseSudrfSearchResults(res.page.html, { url: res.page.url });
      for (const row of results.cases) found.push(toFound(input.court, row, srvNum));
      if (!results.nextPage || results.nextPage <= page) break;
      page = results.nextPage;
    }
  }
  return found;
}

function toFound(court: string, row: CourtSearchRow, srvNum: number): FoundCase {
  return { court, caseNumber: row.caseNumber, caseId: row.caseId ?? null, caseUid: row.caseUid ?? null, registeredAt: row.registeredAt, srvNum };
}

/** A search page that passed the captcha gate. */
export type SudrfSearchPage = { kind: 'search_results'; page: FetchedPage } | { kind: 'search_empty' | 'no_such_server' | 'server_choice'; page: FetchedPage };

/**
 * Opens one search page, answering the court's captcha as many times as allowed: a cached solved
 * pair first (shared by robots for 25 min), else the image from the page, else a fresh search form
 * after the site refused a pair (the same loop as flow.ts `searchServer`).
 */
export async function openSudrfSearch(ctx: SudrfFlowContext, host: string, query: SudrfSearchQuery, step: string): Promise<SudrfSearchPage> {
  // An operator's answer to this lookup's parked captcha goes first, with the captchaid it was read for.
  let resumed = await resumedSudrfPair(ctx, host);
  let token: CaptchaToken | null = resumed?.token ?? (await ctx.captchaTokens.get(host));
  let solution: CaptchaSolution | null = null;
  let next = { url: ctx.router.urlFor(host, sudrfSearchPath(query, token ?? undefined)), step };
  for (let solves = 0; ; ) {
    const page = await ctx.fetcher.open(next.url, next.step);
    const kind = classifySudrfPage(page.html);
    if (resumed) {
      await reportResumedPair(ctx, resumed, kind !== 'captcha_wrong' && kind !== 'captcha');
      if (kind !== 'captcha_wrong' && kind !== 'captcha') await ctx.captchaTokens.put(host, resumed.token);
      resumed = null;
    }
    if (kind === 'captcha_wrong' || kind === 'captcha') {
      if (token) await ctx.captchaTokens.drop(host, token);
      if (solution) await ctx.captcha.report?.(solution, false);
      token = null;
      solution = null;
      if (solves >= ctx.captchaMaxTries) {
        throw new CaptchaWrongError(`search captcha of ${host} not passed after ${solves} answers`, { target: host, url: page.url, details: { evidenceId: page.evidenceId } });
      }
      if (kind === 'captcha_wrong') {
        next = { url: ctx.router.urlFor(host, sudrfSearchFormPath(query.srvNum ?? 1)), step: `${step}-form` };
        continue;
      }
      const challenge = extractSudrfCaptcha(page.html);
      if (!challenge) throw new LayoutDriftError('captcha page without an image or captchaid', { url: page.url, selector: 'input[name=captchaid]', evidenceId: page.evidenceId });
      solution = await solveSudrfCaptcha(ctx, host, challenge, page.url);
      token = { captchaId: challenge.captchaId, answer: solution.answer };
      solves += 1;
      next = { url: ctx.router.urlFor(host, sudrfSearchPath(query, token)), step: `${step}-after-captcha-${solves}` };
      continue;
    }
    if (solution && token) {
      await ctx.captcha.report?.(solution, true);
      await ctx.captchaTokens.put(host, token);
    }
    if (kind === 'search_results' || kind === 'search_empty' || kind === 'no_such_server' || kind === 'server_choice') return { kind, page };
    throw pageKindError(kind, page, 'search results');
  }
}
