/**
 * The `court.case` robot for Moscow magistrates on mos-sud.ru (TARGETS.md §2.3). Cards are
 * server-rendered, so HTTP mode is the default; browser mode by config (`COURT_MOS_SUD_MODE`) or per
 * lookup (`mode`). By `section` + `caseUid` the card is opened directly; by `uid` the search
 * (`/search?uid=…`) is read first and the card of its `a.detailsLink` opened; by `number` the short
 * search form (`/search?formType=shortForm&courtAlias=&caseNumber=…`) is read and the card of the row
 * with that number (in `section`, when given) opened. The участок comes
 * from the link, never from the UID.
 */
import { LayoutDriftError } from '../../core/errors.ts';
import type { CourtCaseRecord, CourtSearchResult } from '../../core/records.ts';
import { courtPortalOf, normalizeCaseNumber } from '../../core/identifiers.ts';
import { classifyMosSudPage, MOS_SUD_PARSER, mosSudCardIds, parseMosSudCaseCard, parseMosSudSearchResults } from '../../parsers/index.ts';
import { courtCaseInputSchema } from '../../queues/court-case.payload.ts';
import type { FetchedPage } from '../runtime/page-fetcher.ts';
import { parseWithEvidence } from '../runtime/page-errors.ts';
import { defineRobot } from '../runtime/robot-definition.ts';

/** Target slug, used in config, logs and evidence. */
export const TARGET = 'court-mos-sud';
export const MOS_SUD_HOST = 'mos-sud.ru';

/** Card path `/<участок>/cases/details/<uuid>` and search path `/search?uid=<UID>`. */
export const mosSudCardPath = (section: string, uuid: string) => `/${encodeURIComponent(section)}/cases/details/${encodeURIComponent(uuid)}`;
export const mosSudSearchPath = (uid: string) => `/search?uid=${encodeURIComponent(uid)}`;

/** Query of the portal's search form; empty fields are sent empty, as the form does. */
export interface MosSudSearchQuery {
  formType: 'shortForm' | 'fullForm';
  courtAlias?: string;
  caseNumber?: string;
  participant?: string;
  /** DD.MM.YYYY. */
  caseDateFrom?: string;
  caseDateTo?: string;
}

/** `/search?formType=…&courtAlias=…&uid=&caseNumber=…&participant=…&caseDateFrom=…&caseDateTo=…`. */
export function mosSudFormPath(q: MosSudSearchQuery): string {
  const params = new URLSearchParams({
    formType: q.formType, courtAlias: q.courtAlias ?? '', uid: '', caseNumber: q.caseNumber ?? '',
    participant: q.participant ?? '', caseDateFrom: q.caseDateFrom ?? '', caseDateTo: q.caseDateTo ?? '',
  });
  return `/search?${params.toString()}`;
}

/** The card among search results of `number` (case or material number), of участок `section` when given. */
export function pickMosSudResult(results: CourtSearchResult, number: string, section?: string): string | null {
  const want = normalizeCaseNumber(number).toLocaleLowerCase('ru');
  const hit = results.cases.find((r) => normalizeCaseNumber(r.caseNumber).toLocaleLowerCase('ru') === want && (!section || mosSudCardIds(r.url).section === section));
  return hit?.url ?? null;
}

/** The `court.case` robot for mos-sud.ru (and mos-gorsud.ru cards). */
export const mosSudCaseRobot = defineRobot({
  job: 'court.case',
  target: TARGET,
  input: courtCaseInputSchema,
  modes: ['http', 'browser'],
  stores: ['court_cases'],
  parser: MOS_SUD_PARSER,
  handles: (input) => courtPortalOf(input.court) === 'mos-sud',
  run: (ctx) =>
    ctx.withFetcher(async (fetcher) => {
      const { services, input } = ctx;
      let cardUrl: string;
      if (input.section && input.caseUid) {
        cardUrl = services.router.urlFor(MOS_SUD_HOST, mosSudCardPath(input.section, input.caseUid));
      } else if (input.number) {
        // The portal's short search form by number, over all участки; the участок, if given, picks among the rows.
        const page = await fetcher.open(services.router.urlFor(MOS_SUD_HOST, mosSudFormPath({ formType: 'shortForm', caseNumber: input.number })), 'search');
        const kind = classifyMosSudPage(page.html);
        if (kind === 'search_empty') return null;
        if (kind !== 'search_results') throw drift(page, `expected search results, got a page of kind ${kind}`);
        const results: CourtSearchResult = parseWithEvidence(page, () => parseMosSudSearchResults(page.html, { url: page.url }));
        const hit = pickMosSudResult(results, input.number, input.section);
        if (!hit) return null;
        cardUrl = hit;
      } else {
        const page = await fetcher.open(services.router.urlFor(MOS_SUD_HOST, mosSudSearchPath(input.uid ?? '')), 'search');
        const kind = classifyMosSudPage(page.html);
        if (kind === 'search_empty') return null;
        if (kind !== 'search_results') throw drift(page, `expected search results, got a page of kind ${kind}`);
        const results: CourtSearchResult = parseWithEvidence(page, () => parseMosSudSearchResults(page.html, { url: page.url }));
        const first = results.cases[0]?.url;
        if (!first) return null;
        cardUrl = first;
      }
      const card = await fetcher.open(cardUrl, 'case-card', { reveal: ['li.tablist__panel'] });
      const kind = classifyMosSudPage(card.html);
      if (kind !== 'case_card') throw drift(card, `expected a case card, got a page of kind ${kind}`);
      const record: CourtCaseRecord = parseWithEvidence(card, () => parseMosSudCaseCard(card.html, { url: card.url, fetchedAt: card.fetchedAt.toISOString() }));
      const saved = await services.courtCases.save(record, ctx.sourceOf(card));
      ctx.log.info({ caseKey: saved.id, created: saved.created, changes: saved.changes.length }, 'court case saved');
      return { collection: 'court_cases', id: saved.id, changed: saved.created || saved.changes.length > 0 };
    }),
});

function drift(page: FetchedPage, message: string): LayoutDriftError {
  return new LayoutDriftError(`mos-sud: ${message}`, { url: page.url, evidenceId: page.evidenceId });
}

