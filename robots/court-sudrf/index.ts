import type { HandlerContext, HandlerResult } from '../../queues/worker.ts';
import type { CourtCaseInput } from '../../queues/court-case.payload.ts';
import { EvidenceRecorder } from '../runtime/evidence-recorder.ts';
import { BrowserPageFetcher, HttpPageFetcher, type PageFetcher } from '../runtime/page-fetcher.ts';
import type { RobotServices } from '../runtime/robot-services.ts';
import { lookupSudrfCase } from './flow.ts';

/** Target slug, used in config, logs and evidence. */
export const TARGET = 'court-sudrf';

/**
 * The `court.case` robot for federal courts on sudrf.ru. HTTP mode by default; browser mode by
 * config (`COURT_SUDRF_MODE=browser`) or per lookup (`mode`).
 */
export async function runSudrfCaseLookup(services: RobotServices, ctx: HandlerContext<'court.case'>): Promise<HandlerResult> {
  const input = ctx.input as CourtCaseInput;
  const mode = input.mode ?? services.modes[TARGET];
  const evidence = new EvidenceRecorder(services.evidence, { jobId: ctx.lookupId, lookupId: ctx.lookupId, robot: services.robotId });
  const deps = { router: services.router, politeness: services.politeness, evidence };
  const run = async (fetcher: PageFetcher): Promise<HandlerResult> => {
    const out = await lookupSudrfCase(
      {
        lookupId: ctx.lookupId,
        fetcher,
        router: services.router,
        captcha: services.captcha,
        captchaTokens: services.captchaTokens,
        courtCases: services.courtCases,
        captchaMaxTries: services.captchaMaxTries,
        log: ctx.log.child({ target: TARGET, mode }),
        captchaTasks: services.captchaTasks, jobName: 'court.case',
      },
      input,
    );
    return out.found
      ? { status: 'succeeded', result: { collection: 'court_cases', id: out.caseKey, changed: out.saved.created || out.saved.changes.length > 0 }, evidenceCount: evidence.recorded }
      : { status: 'not_found', result: null, evidenceCount: evidence.recorded };
  };
  try {
    if (mode === 'browser') {
      return await services.browsers().withPage((page) => run(new BrowserPageFetcher(page, deps, services.browserFetch)));
    }
    return await run(new HttpPageFetcher(services.http.session(), deps));
  } finally {
    // Every attempt ends its evidence chain with a manifest; a failure to seal must not hide the outcome.
    await evidence.seal().catch((err: unknown) => ctx.log.warn({ err }, 'evidence manifest not written'));
  }
}
