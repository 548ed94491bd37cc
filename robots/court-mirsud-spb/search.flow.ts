/**
 * `court.search` on mirsud.spb.ru: the portal's case search by party name and registration dates
 * (`/cases/?id=&full_name=…&date_from=DD.MM.YYYY&date_to=…&court_site_id=<участок or empty>`), one
 * results list (`table.rwd-table`); each row's card link gives the участок and the number the
 * `court.case` child opens. The field names are the sandbox replica's (mirsud.site.ts).
 */
import { LayoutDriftError } from '../../core/errors.ts';
import { classifyMirsudPage, mirsudCardIds, parseMirsudSearchResults } from '../../parsers/index.ts';
import type { CourtSearchInput } from '../../queues/court-search.payload.ts';
import type { PageFetcher } from '../runtime/page-fetcher.ts';
import { parseWithEvidence } from '../runtime/page-errors.ts';
import type { TargetRouter } from '../runtime/targets.ts';
import type { MagistrateFoundCase } from '../court-mos-sud/search.flow.ts';
import { MIRSUD_HOST } from './index.ts';

const ruDate = (iso: string) => iso.split('-').reverse().join('.');

/** `/cases/?…` of a party search. */
export function mirsudSearchPath(input: Pick<CourtSearchInput, 'party' | 'registeredFrom' | 'registeredTo' | 'section'>): string {
  const q = new URLSearchParams({ id: '', full_name: input.party, date_from: ruDate(input.registeredFrom), date_to: ruDate(input.registeredTo), court_site_id: input.section ?? '' });
  return `/cases/?${q.toString()}`;
}

/** Every case mirsud.spb.ru lists for the party and dates (of `input.section` when given), in site order. */
export async function searchMirsudByParty(ctx: { fetcher: PageFetcher; router: TargetRouter }, input: CourtSearchInput): Promise<MagistrateFoundCase[]> {
  const page = await ctx.fetcher.open(ctx.router.urlFor(MIRSUD_HOST, mirsudSearchPath(input)), 'search');
  const kind = classifyMirsudPage(page.html);
  if (kind === 'search_empty') return [];
  if (kind !== 'search_results') throw new LayoutDriftError(`mirsud: expected search results, got a page of kind ${kind}`, { url: page.url, evidenceId: page.evidenceId });
  const results = parseWithEvidence(page, () => parseMirsudSearchResults(page.html, { url: page.url }));
  return results.cases.flatMap((r) => {
    const ids = mirsudCardIds(r.url);
    if (!ids.section || !ids.number || (input.section && ids.section !== input.section)) return [];
    return [{ court: MIRSUD_HOST, caseNumber: ids.number, caseId: null, caseUid: null, registeredAt: r.registeredAt, srvNum: 1, section: ids.section }];
  });
}
