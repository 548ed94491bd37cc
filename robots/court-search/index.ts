/**
 * The `court.search` robot: runs the portal's search by party name and registration dates, then
 * fans out one `court.case` per distinct case found (fan-out.ts). Each portal plugs in through
 * `CourtSearchPortal`: sudrf (HTTP or browser) and msudrf (browser only: the kcaptcha gate).
 */
import type { Page } from 'playwright';

import { BadInputError } from '../../core/errors.ts';
import { courtPortalOf, type CourtPortal } from '../../core/identifiers.ts';
import type { CourtSearchInput } from '../../queues/court-search.payload.ts';
import type { HandlerContext, HandlerResult } from '../../queues/worker.ts';
import { EvidenceRecorder } from '../runtime/evidence-recorder.ts';
import { BrowserPageFetcher, HttpPageFetcher, type PageFetcher } from '../runtime/page-fetcher.ts';
import type { RobotServices } from '../runtime/robot-services.ts';
import { searchSudrfByParty, type FoundCase } from '../court-sudrf/search.flow.ts';
import { searchMsudrfOnPage } from '../court-msudrf/index.ts';
import type { CourtSearchFanOut } from './fan-out.ts';

export { CourtSearchFanOut, fanInJobId, foundCaseKey, type FanOutResult } from './fan-out.ts';

/** What a portal's search gets: the fetcher of the job, and in browser mode the page behind it. */
export interface CourtSearchArgs {
  services: RobotServices;
  fetcher: PageFetcher;
  /** Set in browser mode (always for a `browserOnly` portal): the pool page `fetcher` drives. */
  page?: Page;
  lookupId: string;
  log: HandlerContext['log'];
}

/** One portal's search: every case it lists for the input (duplicates allowed). */
export interface CourtSearchPortal {
  /** Target slug for logs and the mode config, e.g. `court-sudrf`. */
  target: string;
  /** The portal is searched in the browser whatever the mode asks (a gate that needs the site's script). */
  browserOnly?: boolean;
  search(args: CourtSearchArgs, input: CourtSearchInput): Promise<FoundCase[]>;
}

/** Portals with a search by party name and registration dates. */
export const COURT_SEARCH_PORTALS: Partial<Record<CourtPortal, CourtSearchPortal>> = {
  sudrf: {
    target: 'court-sudrf',
    search: ({ services, fetcher, lookupId, log }, input) =>
      searchSudrfByParty(
        { lookupId, fetcher, router: services.router, captcha: services.captcha, captchaTokens: services.captchaTokens, courtCases: services.courtCases, captchaMaxTries: services.captchaMaxTries, log, captchaTasks: services.captchaTasks, jobName: 'court.search' },
        input,
      ),
  },
  msudrf: {
    target: 'court-msudrf',
    browserOnly: true,
    async search({ services, fetcher, page, lookupId, log }, input) {
      if (!page || !(fetcher instanceof BrowserPageFetcher)) throw new BadInputError('msudrf is searched in browser mode only');
      const rows = await searchMsudrfOnPage(services, { lookupId, log, page, fetcher }, {
        host: input.court, partyName: input.party, registeredFrom: input.registeredFrom, registeredTo: input.registeredTo,
      });
      // Cards are opened by case_id alone (no case_uid on msudrf); one server per site.
      return rows.map((r) => ({ court: input.court, caseNumber: r.caseNumber, caseId: r.caseId ?? null, caseUid: null, registeredAt: r.registeredAt, srvNum: 1 }));
    },
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
  const mode = impl.browserOnly ? 'browser' : input.mode ?? (services.modes as Record<string, 'http' | 'browser' | undefined>)[impl.target] ?? 'http';
  const evidence = new EvidenceRecorder(services.evidence, { jobId: ctx.lookupId, lookupId: ctx.lookupId, robot: services.robotId });
  const deps = { router: services.router, politeness: services.politeness, evidence };
  const log = ctx.log.child({ target: impl.target, mode });
  const run = async (fetcher: PageFetcher, page?: Page): Promise<HandlerResult> => {
    const found = await impl.search({ services, fetcher, page, lookupId: ctx.lookupId, log }, input);
    const out = await fanOut.fanOut(ctx.lookupId, found, input.mode);
    log.info({ rows: found.length, distinct: out.distinct, created: out.created.length, existing: out.existing.length }, 'court.search fanned out');
    return {
      status: out.distinct > 0 ? 'succeeded' : 'not_found',
      result: out.distinct > 0 ? { collection: 'lookups', id: ctx.lookupId, count: out.distinct, ids: [...out.created, ...out.existing] } : null,
      evidenceCount: evidence.recorded,
    };
  };
  if (mode === 'browser') return services.browsers().withPage((page) => run(new BrowserPageFetcher(page, deps, services.browserFetch), page));
  return run(new HttpPageFetcher(services.http.session(), deps));
}
