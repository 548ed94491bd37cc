/**
 * The `court.search` robot: runs the portal's search by party name and registration dates, then
 * fans out one `court.case` per distinct case found (fan-out.ts). Each portal plugs in through
 * `CourtSearchPortal`; sudrf today, msudrf when its robot has a search.
 */
import { BadInputError } from '../../core/errors.ts';
import { courtPortalOf, type CourtPortal } from '../../core/identifiers.ts';
import type { CourtSearchInput } from '../../queues/court-search.payload.ts';
import type { HandlerContext, HandlerResult } from '../../queues/worker.ts';
import { EvidenceRecorder } from '../runtime/evidence-recorder.ts';
import { BrowserPageFetcher, HttpPageFetcher, type PageFetcher } from '../runtime/page-fetcher.ts';
import type { RobotServices } from '../runtime/robot-services.ts';
import { searchSudrfByParty, type FoundCase } from '../court-sudrf/search.flow.ts';
import type { CourtSearchFanOut } from './fan-out.ts';

export { CourtSearchFanOut, fanInJobId, foundCaseKey, type FanOutResult } from './fan-out.ts';

/** One portal's search: every case it lists for the input (duplicates allowed). */
export interface CourtSearchPortal {
  /** Target slug for logs and the mode config, e.g. `court-sudrf`. */
  target: string;
  search(args: { services: RobotServices; fetcher: PageFetcher; lookupId: string; log: HandlerContext['log'] }, input: CourtSearchInput): Promise<FoundCase[]>;
}

/** Portals with a search. msudrf: add `msudrf: { target: 'court-msudrf', search: … }` when its robot lands. */
export const COURT_SEARCH_PORTALS: Partial<Record<CourtPortal, CourtSearchPortal>> = {
  sudrf: {
    target: 'court-sudrf',
    search: ({ services, fetcher, lookupId, log }, input) =>
      searchSudrfByParty(
        { lookupId, fetcher, router: services.router, captcha: services.captcha, captchaTokens: services.captchaTokens, courtCases: services.courtCases, captchaMaxTries: services.captchaMaxTries, log },
        input,
      ),
  },
};

/** Runs a `court.search` lookup, or the fan-in of one (the flow's parent job, when all children ended). */
export async function runCourtSearch(services: RobotServices, fanOut: CourtSearchFanOut | undefined, ctx: HandlerContext<'court.search'>): Promise<HandlerResult> {
  const fanIn = (ctx.input as { fanInOf?: string }).fanInOf;
  if (fanIn) {
    ctx.log.info({ search: fanIn }, 'court.search children all ended');
    return { status: 'succeeded', result: { collection: 'lookups', id: fanIn }, evidenceCount: 0 };
  }
  if (!fanOut) throw new BadInputError('this robot process has no court.search fan-out configured');
  const input = ctx.input as CourtSearchInput;
  const portal = courtPortalOf(input.court);
  const impl = portal ? COURT_SEARCH_PORTALS[portal] : undefined;
  if (!impl) throw new BadInputError(`no court.search for ${input.court} (portals with a search: ${Object.keys(COURT_SEARCH_PORTALS).join(', ')})`);
  const mode = input.mode ?? (services.modes as Record<string, 'http' | 'browser' | undefined>)[impl.target] ?? 'http';
  const evidence = new EvidenceRecorder(services.evidence, { jobId: ctx.lookupId, lookupId: ctx.lookupId, robot: services.robotId });
  const deps = { router: services.router, politeness: services.politeness, evidence };
  const log = ctx.log.child({ target: impl.target, mode });
  const run = async (fetcher: PageFetcher): Promise<HandlerResult> => {
    const found = await impl.search({ services, fetcher, lookupId: ctx.lookupId, log }, input);
    const out = await fanOut.fanOut(ctx.lookupId, found, input.mode);
    log.info({ rows: found.length, distinct: out.distinct, created: out.created.length, existing: out.existing.length }, 'court.search fanned out');
    return {
      status: out.distinct > 0 ? 'succeeded' : 'not_found',
      result: out.distinct > 0 ? { collection: 'lookups', id: ctx.lookupId, count: out.distinct, ids: [...out.created, ...out.existing] } : null,
      evidenceCount: evidence.recorded,
    };
  };
  if (mode === 'browser') return services.browsers().withPage((page) => run(new BrowserPageFetcher(page, deps, services.browserFetch)));
  return run(new HttpPageFetcher(services.http.session(), deps));
}
