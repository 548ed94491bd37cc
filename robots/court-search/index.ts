/**
 * The `court.search` robot: runs the portal's search by party name and registration dates, then
 * fans out one `court.case` per distinct case found (fan-out.ts). One robot per portal with a
 * search — sudrf (HTTP or browser), msudrf (browser only: the kcaptcha gate), mos-sud.ru and
 * mirsud.spb.ru (HTTP or browser; optional `section` = участок) — and the fan-in.
 */
import type { Page } from 'playwright';

import { BadInputError } from '../../core/errors.ts';
import { courtPortalOf } from '../../core/identifiers.ts';
import { courtSearchInputSchema } from '../../queues/court-search.payload.ts';
import { BrowserPageFetcher, type PageFetcher } from '../runtime/page-fetcher.ts';
import { defineRobot, type RobotContext, type RobotResult, type RobotWiring } from '../runtime/robot-definition.ts';
import { CourtSearchFanOut, type FoundCase } from './fan-out.ts';
import { searchSudrfByParty } from '../court-sudrf/search.flow.ts';
import { searchMosSudByParty } from '../court-mos-sud/search.flow.ts';
import { searchMirsudByParty } from '../court-mirsud-spb/search.flow.ts';
import { searchMsudrfOnPage } from '../court-msudrf/index.ts';

export { CourtSearchFanOut, fanInJobId, foundCaseKey, type FanOutResult, type FoundCase } from './fan-out.ts';

/** The portal of a `court.search` input's court (fan-in inputs have no court). */
const portalOfInput = (input: { court?: unknown }) => courtPortalOf(String(input.court ?? ''));

/** The process's fan-out: `court.search` children stored as lookups and queued as one BullMQ flow per search. */
const wireFanOut: RobotWiring = ({ config, stores, redis }) => {
  const fanOut = new CourtSearchFanOut({ lookups: stores.lookups, connection: redis, prefix: config.queue.prefix, jobOptions: { attempts: config.queue.attempts, backoffMs: config.queue.backoffMs } });
  return { services: { courtSearchFanOut: fanOut }, close: () => fanOut.close() };
};

/** Runs a portal's search in `ctx`'s fetcher, then fans out one `court.case` per distinct case. */
async function searchAndFanOut(ctx: RobotContext<'court.search'>, search: (fetcher: PageFetcher, page: Page | null) => Promise<FoundCase[]>): Promise<RobotResult> {
  const fanOut = ctx.services.courtSearchFanOut;
  if (!fanOut) throw new BadInputError('this robot process has no court.search fan-out configured');
  const found = await ctx.withFetcher(search);
  const out = await fanOut.fanOut(ctx.lookupId, found, ctx.input.mode);
  ctx.log.info({ rows: found.length, distinct: out.distinct, created: out.created.length, existing: out.existing.length }, 'court.search fanned out');
  return out.distinct > 0 ? { collection: 'lookups', id: ctx.lookupId, count: out.distinct, ids: [...out.created, ...out.existing] } : null;
}

/** The fan-in of a `court.search` (the flow's parent job, run when all its children ended): nothing to fetch. */
export const courtSearchFanInRobot = defineRobot({
  job: 'court.search',
  target: 'court-search',
  input: courtSearchInputSchema,
  modes: ['http'],
  stores: ['lookups'],
  parser: null,
  handles: (input) => Boolean((input as { fanInOf?: string }).fanInOf),
  async run(ctx) {
    const fanIn = (ctx.input as { fanInOf?: string }).fanInOf!;
    ctx.log.info({ search: fanIn }, 'court.search children all ended');
    return { collection: 'lookups', id: fanIn };
  },
});

/** `court.search` on a sudrf court (HTTP or browser). */
export const sudrfSearchRobot = defineRobot({
  job: 'court.search',
  target: 'court-sudrf',
  input: courtSearchInputSchema,
  modes: ['http', 'browser'],
  stores: ['lookups'],
  parser: null,
  handles: (input) => portalOfInput(input) === 'sudrf',
  wire: wireFanOut,
  run: (ctx) =>
    searchAndFanOut(ctx, (fetcher) => {
      const { services } = ctx;
      return searchSudrfByParty(
        { lookupId: ctx.lookupId, fetcher, router: services.router, captcha: services.captcha, captchaTokens: services.captchaTokens, courtCases: services.courtCases, captchaMaxTries: services.captchaMaxTries, log: ctx.log, captchaTasks: services.captchaTasks, jobName: 'court.search' },
        ctx.input,
      );
    }),
});

/** `court.search` on a magistrate court of msudrf (browser only: the kcaptcha gate). */
export const msudrfSearchRobot = defineRobot({
  job: 'court.search',
  target: 'court-msudrf',
  input: courtSearchInputSchema,
  modes: ['browser'],
  stores: ['lookups'],
  parser: null,
  handles: (input) => portalOfInput(input) === 'msudrf',
  wire: wireFanOut,
  run: (ctx) =>
    searchAndFanOut(ctx, async (fetcher, page) => {
      if (!page || !(fetcher instanceof BrowserPageFetcher)) throw new BadInputError('msudrf is searched in browser mode only');
      const { input } = ctx;
      // A gate no solver passed parks this search with its session; the operator's answer resumes it there.
      const rows = await searchMsudrfOnPage(ctx.services, { lookupId: ctx.lookupId, log: ctx.log, page, fetcher, jobName: 'court.search' }, {
        host: input.court, partyName: input.party, registeredFrom: input.registeredFrom, registeredTo: input.registeredTo,
      });
      // Cards are opened by case_id alone (no case_uid on msudrf); one server per site.
      return rows.map((r) => ({ court: input.court, caseNumber: r.caseNumber, caseId: r.caseId ?? null, caseUid: null, registeredAt: r.registeredAt, srvNum: 1 }));
    }),
});

/** `court.search` on mos-sud.ru (Moscow magistrates): the full search form, all участки or `section`'s. */
export const mosSudSearchRobot = defineRobot({
  job: 'court.search',
  target: 'court-mos-sud',
  input: courtSearchInputSchema,
  modes: ['http', 'browser'],
  stores: ['lookups'],
  parser: null,
  handles: (input) => portalOfInput(input) === 'mos-sud',
  wire: wireFanOut,
  run: (ctx) => searchAndFanOut(ctx, (fetcher) => searchMosSudByParty({ fetcher, router: ctx.services.router }, ctx.input)),
});

/** `court.search` on mirsud.spb.ru (St Petersburg magistrates): the server-rendered case search, all участки or `section`'s. */
export const mirsudSearchRobot = defineRobot({
  job: 'court.search',
  target: 'court-mirsud-spb',
  input: courtSearchInputSchema,
  modes: ['http', 'browser'],
  stores: ['lookups'],
  parser: null,
  handles: (input) => portalOfInput(input) === 'mirsud-spb',
  wire: wireFanOut,
  run: (ctx) => searchAndFanOut(ctx, (fetcher) => searchMirsudByParty({ fetcher, router: ctx.services.router }, ctx.input)),
});

/** The `court.search` robots: the fan-in first (its input has no court), then one per portal with a search. */
export const COURT_SEARCH_ROBOTS = [courtSearchFanInRobot, sudrfSearchRobot, msudrfSearchRobot, mosSudSearchRobot, mirsudSearchRobot] as const;
