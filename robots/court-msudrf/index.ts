/**
 * The msudrf robot (magistrate courts on `*.msudrf.ru`), browser mode only: the kcaptcha gate on
 * the first request of a session needs a page that keeps its cookies and runs the site's script.
 * Pages come from the process's pool and are reused, so a page passes the gate once per session.
 */
import type { Page } from 'playwright';

import type { Logger } from '../../core/logger.ts';
import type { CourtSearchRow } from '../../core/records.ts';
import type { CourtCaseInput } from '../../queues/court-case.payload.ts';
import type { HandlerContext, HandlerResult } from '../../queues/worker.ts';
import { EvidenceRecorder } from '../runtime/evidence-recorder.ts';
import { BrowserPageFetcher } from '../runtime/page-fetcher.ts';
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

/** The flow context on a page and fetcher the caller holds (it owns them and their evidence recorder). */
function flowContext(services: RobotServices, job: { lookupId: string; log: Logger }, page: Page, fetcher: BrowserPageFetcher): MsudrfFlowContext {
  return {
    lookupId: job.lookupId, page, fetcher, router: services.router, politeness: services.politeness, captcha: services.captcha,
    captchaMaxTries: services.captchaMaxTries, timeoutMs: services.browserFetch.timeoutMs, log: job.log.child({ target: TARGET }),
  };
}

async function withFlow<T>(services: RobotServices, job: { lookupId: string; log: Logger }, fn: (ctx: MsudrfFlowContext, evidence: EvidenceRecorder) => Promise<T>): Promise<T> {
  const evidence = new EvidenceRecorder(services.evidence, { jobId: job.lookupId, lookupId: job.lookupId, robot: services.robotId });
  return services.browsers().withPage((page) => {
    const fetcher = new BrowserPageFetcher(page, { router: services.router, politeness: services.politeness, evidence }, services.browserFetch);
    return fn(flowContext(services, job, page, fetcher), evidence);
  });
}

/**
 * Searches one magistrate court (party name, number, registration dates) and walks every result
 * page; one row per case card (`url`, `caseId`, number, dates). For `court.search` fan-out.
 * Evidence of every page goes to the job `job.lookupId`.
 */
export async function searchMsudrf(services: RobotServices, job: { lookupId: string; log: Logger }, input: MsudrfSearchInput): Promise<CourtSearchRow[]> {
  return withFlow(services, job, (ctx) => searchAllPages(ctx, input.host, input));
}

/**
 * {@link searchMsudrf} on a page the caller already holds (`court.search` takes one page from the pool
 * and records the evidence of every step with its own recorder, through `fetcher`).
 */
export async function searchMsudrfOnPage(
  services: RobotServices,
  job: { lookupId: string; log: Logger; page: Page; fetcher: BrowserPageFetcher },
  input: MsudrfSearchInput,
): Promise<CourtSearchRow[]> {
  return searchAllPages(flowContext(services, job, job.page, job.fetcher), input.host, input);
}

/** The `court.case` handler for msudrf hosts. */
export async function runMsudrfCaseLookup(services: RobotServices, ctx: HandlerContext<'court.case'>): Promise<HandlerResult> {
  const input = ctx.input as CourtCaseInput;
  return withFlow(services, { lookupId: ctx.lookupId, log: ctx.log }, async (flow, evidence) => {
    // A gate no solver passed parks with its session; the operator's answer resumes there (kcaptcha-handoff.ts).
    const out = await lookupMsudrfCase({ ...flow, courtCases: services.courtCases, gateHandoff: services.captchaTasks ? { captchaTasks: services.captchaTasks, jobName: 'court.case' } : undefined }, input);
    return out.found
      ? { status: 'succeeded', result: { collection: 'court_cases', id: out.caseKey, changed: out.saved.created || out.saved.changes.length > 0 }, evidenceCount: evidence.recorded }
      : { status: 'not_found', result: null, evidenceCount: evidence.recorded };
  });
}
