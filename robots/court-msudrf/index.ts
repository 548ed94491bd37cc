/**
 * The msudrf robot (magistrate courts on `*.msudrf.ru`), browser mode only: the kcaptcha gate on
 * the first request of a session needs a page that keeps its cookies and runs the site's script.
 * Pages come from the process's pool and are reused, so a page passes the gate once per session.
 */
import type { Page } from 'playwright';

import type { Logger } from '../../core/logger.ts';
import type { CourtSearchRow } from '../../core/records.ts';
import { courtPortalOf } from '../../core/identifiers.ts';
import { MSUDRF_PARSER } from '../../parsers/msudrf/index.ts';
import { courtCaseInputSchema } from '../../queues/court-case.payload.ts';
import { EvidenceRecorder } from '../runtime/evidence-recorder.ts';
import { BrowserPageFetcher } from '../runtime/page-fetcher.ts';
import { defineRobot } from '../runtime/robot-definition.ts';
import type { RobotServices } from '../runtime/robot-services.ts';
import { lookupMsudrfCase, searchAllPages, type MsudrfFlowContext } from './flow.ts';

/** Target slug, used in config, logs and evidence. */
export const TARGET = 'court-msudrf';

/** Input of {@link searchMsudrf}; dates ISO `YYYY-MM-DD`, all filters optional. */
export interface MsudrfSearchInput {
  host: string;
  partyName?: string;
  caseNumber?: string;
  registeredFrom?: string;
  registeredTo?: string;
}

/** The flow context on a page and fetcher the caller holds (it owns them and their evidence recorder); `job.log` is used as given. */
function flowContext(services: RobotServices, job: { lookupId: string; log: Logger }, page: Page, fetcher: BrowserPageFetcher): MsudrfFlowContext {
  return {
    lookupId: job.lookupId, page, fetcher, router: services.router, politeness: services.politeness, captcha: services.captcha,
    captchaMaxTries: services.captchaMaxTries, timeoutMs: services.browserFetch.timeoutMs, log: job.log,
  };
}

/** A search outside a job of the runtime (its own recorder, sealed at the end like a job's). */
async function withFlow<T>(services: RobotServices, job: { lookupId: string; log: Logger }, host: string, fn: (ctx: MsudrfFlowContext) => Promise<T>): Promise<T> {
  const evidence = new EvidenceRecorder(services.evidence, { jobId: job.lookupId, lookupId: job.lookupId, robot: services.robotId });
  try {
    return await services.browsers().withPage((page) => {
      const fetcher = new BrowserPageFetcher(page, { router: services.router, politeness: services.politeness, evidence }, services.browserFetch);
      return fn(flowContext(services, { lookupId: job.lookupId, log: job.log.child({ target: TARGET }) }, page, fetcher));
    }, host);
  } finally {
    await evidence.seal().catch((err: unknown) => job.log.warn({ err }, 'evidence manifest not written'));
  }
}

/**
 * Searches one magistrate court (party name, number, registration dates) and walks every result
 * page; one row per case card (`url`, `caseId`, number, dates). For `court.search` fan-out.
 * Evidence of every page goes to the job `job.lookupId`.
 */
export async function searchMsudrf(services: RobotServices, job: { lookupId: string; log: Logger }, input: MsudrfSearchInput): Promise<CourtSearchRow[]> {
  return withFlow(services, job, input.host, (ctx) => searchAllPages(ctx, input.host, input));
}

/**
 * {@link searchMsudrf} on a page the caller already holds (`court.search` takes one page from the pool
 * and records the evidence of every step with its own recorder, through `fetcher`). Every result
 * page is opened on that page, so in the site session the gate was passed in (its cookies, its
 * proxy). With `jobName`, a gate no solver passed parks the lookup with that session and the
 * operator's answer resumes the search there (kcaptcha-handoff.ts), as `court.case` does.
 */
export async function searchMsudrfOnPage(
  services: RobotServices,
  job: { lookupId: string; log: Logger; page: Page; fetcher: BrowserPageFetcher; jobName?: string },
  input: MsudrfSearchInput,
): Promise<CourtSearchRow[]> {
  const gateHandoff = job.jobName && services.captchaTasks ? { captchaTasks: services.captchaTasks, jobName: job.jobName } : undefined;
  return searchAllPages({ ...flowContext(services, job, job.page, job.fetcher), gateHandoff }, input.host, input);
}

/** The `court.case` robot for msudrf hosts (browser only: the kcaptcha gate). */
export const msudrfCaseRobot = defineRobot({
  job: 'court.case',
  target: TARGET,
  input: courtCaseInputSchema,
  modes: ['browser'],
  stores: ['court_cases'],
  parser: MSUDRF_PARSER,
  handles: (input) => courtPortalOf(input.court) === 'msudrf',
  run: (ctx) =>
    ctx.withBrowser(async (fetcher, page) => {
      const flow = flowContext(ctx.services, { lookupId: ctx.lookupId, log: ctx.log }, page, fetcher);
      // A gate no solver passed parks with its session; the operator's answer resumes there (kcaptcha-handoff.ts).
      const gateHandoff = ctx.services.captchaTasks ? { captchaTasks: ctx.services.captchaTasks, jobName: 'court.case' as const } : undefined;
      const out = await lookupMsudrfCase({ ...flow, courtCases: ctx.services.courtCases, sourceOf: ctx.sourceOf, gateHandoff }, ctx.input);
      return out.found ? { collection: 'court_cases', id: out.caseKey, changed: out.saved.created || out.saved.changes.length > 0 } : null;
    }),
});
