/**
 * `court.search` on mos-sud.ru: the portal's full search form by participant and registration dates
 * (`/search?formType=fullForm&courtAlias=&participant=…&caseDateFrom=DD.MM.YYYY&caseDateTo=…`), one
 * results list; each row's card link gives the участок and the card UUID the `court.case` child
 * opens directly. The участок of the input, when given, keeps only its rows (the row links name it).
 */
import { LayoutDriftError } from '../../core/errors.ts';
import { classifyMosSudPage, mosSudCardIds, parseMosSudSearchResults } from '../../parsers/index.ts';
import type { CourtSearchInput } from '../../queues/court-search.payload.ts';
import type { PageFetcher } from '../runtime/page-fetcher.ts';
import { parseWithEvidence } from '../runtime/page-errors.ts';
import type { TargetRouter } from '../runtime/targets.ts';
import type { FoundCase } from '../court-sudrf/search.flow.ts';
import { MOS_SUD_HOST, mosSudFormPath } from './index.ts';

/** A found case of a single-host magistrate portal: its участок is part of its address. */
export type MagistrateFoundCase = FoundCase & { section: string };

const ruDate = (iso: string) => iso.split('-').reverse().join('.');

/** Every case mos-sud.ru lists for the party and dates (of `input.section` when given), in site order. */
export async function searchMosSudByParty(ctx: { fetcher: PageFetcher; router: TargetRouter }, input: CourtSearchInput): Promise<MagistrateFoundCase[]> {
  const path = mosSudFormPath({ formType: 'fullForm', participant: input.party, caseDateFrom: ruDate(input.registeredFrom), caseDateTo: ruDate(input.registeredTo) });
  const page = await ctx.fetcher.open(ctx.router.urlFor(MOS_SUD_HOST, path), 'search');
  const kind = classifyMosSudPage(page.html);
  if (kind === 'search_empty') return [];
  if (kind !== 'search_results') throw new LayoutDriftError(`mos-sud: expected search results, got a page of kind ${kind}`, { url: page.url, evidenceId: page.evidenceId });
  const results = parseWithEvidence(page, () => parseMosSudSearchResults(page.html, { url: page.url }));
  return results.cases.flatMap((r) => {
    const ids = mosSudCardIds(r.url);
    if (!ids.section || !ids.uuid || (input.section && ids.section !== input.section)) return [];
    return [{ court: MOS_SUD_HOST, caseNumber: r.caseNumber, caseId: null, caseUid: ids.uuid, registeredAt: r.registeredAt, srvNum: 1, section: ids.section }];
  });
}
