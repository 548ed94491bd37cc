/**
 * The `court.case` robot for Moscow magistrates on mos-sud.ru (TARGETS.md §2.3). Cards are
 * server-rendered, so HTTP mode is the default; browser mode by config (`COURT_MOS_SUD_MODE`) or per
 * lookup (`mode`). By `section` + `caseUid` the card is opened directly; by `uid` the search
 * (`/search?uid=…`) is read first and the card of its `a.detailsLink` opened. The участок comes
 * from the link, never from the UID.
 */
import { LayoutDriftError } from '../../core/errors.ts';
import type { CourtCaseRecord, CourtSearchResult } from '../../core/records.ts';
import { classifyMosSudPage, parseMosSudCaseCard, parseMosSudSearchResults, PARSER_VERSION } from '../../parsers/index.ts';
import type { CourtCaseInput } from '../../queues/court-case.payload.ts';
import type { HandlerContext, HandlerResult } from '../../queues/worker.ts';
import { EvidenceRecorder } from '../runtime/evidence-recorder.ts';
import { BrowserPageFetcher, HttpPageFetcher, type FetchedPage, type PageFetcher } from '../runtime/page-fetcher.ts';
import type { RobotServices } from '../runtime/robot-services.ts';
import { parseWithEvidence } from '../runtime/page-errors.ts';

/** Target slug, used in config, logs and evidence. */
export const TARGET = 'court-mos-sud';
export const MOS_SUD_HOST = 'mos-sud.ru';

/** Card path `/<участок>/cases/details/<uuid>` and search path `/search?uid=<UID>`. */
export const mosSudCardPath = (section: string, uuid: string) => `/${encodeURIComponent(section)}/cases/details/${encodeURIComponent(uuid)}`;
export const mosSudSearchPath = (uid: string) => `/search?uid=${encodeURIComponent(uid)}`;

/** The robot's mode: the lookup's, else the configured one (`modes['court-mos-sud']`), else HTTP. */
function modeOf(services: RobotServices, input: CourtCaseInput): 'http' | 'browser' {
  return input.mode ?? (services.modes as Record<string, 'http' | 'browser' | undefined>)[TARGET] ?? 'http';
}

/** Runs one lookup on mos-sud.ru. */
export async function runMosSudCaseLookup(services: RobotServices, ctx: HandlerContext<'court.case'>): Promise<HandlerResult> {
  const input = ctx.input as CourtCaseInput;
  const mode = modeOf(services, input);
  const log = ctx.log.child({ target: TARGET, mode });
  const evidence = new EvidenceRecorder(services.evidence, { jobId: ctx.lookupId, lookupId: ctx.lookupId, robot: services.robotId });
  const deps = { router: services.router, politeness: services.politeness, evidence };
  const run = async (fetcher: PageFetcher): Promise<HandlerResult> => {
    let cardUrl: string;
    if (input.section && input.caseUid) {
      cardUrl = services.router.urlFor(MOS_SUD_HOST, mosSudCardPath(input.section, input.caseUid));
    } else {
      const page = await fetcher.open(services.router.urlFor(MOS_SUD_HOST, mosSudSearchPath(input.uid ?? '')), 'search');
      const kind = classifyMosSudPage(page.html);
      if (kind === 'search_empty') return { status: 'not_found', result: null, evidenceCount: evidence.recorded };
      if (kind !== 'search_results') throw drift(page, `expected search results, got a page of kind ${kind}`);
      const results: CourtSearchResult = parseWithEvidence(page, () => parseMosSudSearchResults(page.html, { url: page.url }));
      const first = results.cases[0]?.url;
      if (!first) return { status: 'not_found', result: null, evidenceCount: evidence.recorded };
      cardUrl = first;
    }
    const card = await fetcher.open(cardUrl, 'case-card', { reveal: ['li.tablist__panel'] });
    const kind = classifyMosSudPage(card.html);
    if (kind !== 'case_card') throw drift(card, `expected a case card, got a page of kind ${kind}`);
    const record: CourtCaseRecord = parseWithEvidence(card, () => parseMosSudCaseCard(card.html, { url: card.url, fetchedAt: new Date().toISOString() }));
    const saved = await services.courtCases.save(record, { url: card.url, fetchedAt: new Date(), evidenceId: card.evidenceId, parserVersion: PARSER_VERSION, lookupId: ctx.lookupId });
    log.info({ caseKey: saved.id, created: saved.created, changes: saved.changes.length }, 'court case saved');
    return { status: 'succeeded', result: { collection: 'court_cases', id: saved.id, changed: saved.created || saved.changes.length > 0 }, evidenceCount: evidence.recorded };
  };
  if (mode === 'browser') return services.browsers().withPage((page) => run(new BrowserPageFetcher(page, deps, services.browserFetch)));
  return run(new HttpPageFetcher(services.http.session(), deps));
}

function drift(page: FetchedPage, message: string): LayoutDriftError {
  return new LayoutDriftError(`mos-sud: ${message}`, { url: page.url, evidenceId: page.evidenceId });
}

