import { CookieJar } from 'tough-cookie';
import type { FsspSearchInput } from '../../queues/fssp-search.payload.ts';
import type { HandlerContext, HandlerResult } from '../../queues/worker.ts';
import { EvidenceRecorder } from '../runtime/evidence-recorder.ts';
import { HttpPageFetcher } from '../runtime/page-fetcher.ts';
import type { RobotServices } from '../runtime/robot-services.ts';
import { runFsspSearch, type FsspResume } from './flow.ts';

/** Target slug, used in config, logs and evidence. */
export const TARGET = 'fssp';
export const JOB_NAME = 'fssp.search';

/**
 * The `fssp.search` robot (HTTP mode: the site is a JSONP endpoint, a browser adds nothing but
 * cost). One site session per job. A lookup parked for an operator resumes here: its answered
 * captcha task holds the cookies of the session and the page it was on, and the robot sends the
 * operator's code in that same session. Result: the ИП numbers found in `enforcement_proceedings`.
 */
export async function runFsspSearchLookup(services: RobotServices, ctx: HandlerContext<'fssp.search'>): Promise<HandlerResult> {
  const input = ctx.input as FsspSearchInput;
  const evidence = new EvidenceRecorder(services.evidence, { jobId: ctx.lookupId, lookupId: ctx.lookupId, robot: services.robotId });
  const session = services.http.session();
  let resume: FsspResume | null = null;
  const task = await services.captchaTasks?.findResumable(ctx.lookupId);
  if (task?.session && task.answer) {
    // Restore the site session the captcha belongs to: its pending code is valid only there.
    await CookieJar.deserialize(task.session.cookies as object, session.jar.store);
    const state = task.session.state ?? {};
    resume = { taskId: task._id, answer: task.answer, page: Number(state.page ?? 1), ids: Array.isArray(state.ids) ? state.ids.map(String) : [] };
    ctx.log.info({ captchaTask: task._id }, 'resuming in the parked FSSP session with the operator answer');
  }
  const fetcher = new HttpPageFetcher(session, { router: services.router, politeness: services.politeness, evidence });
  const out = await runFsspSearch(
    {
      lookupId: ctx.lookupId,
      jobName: JOB_NAME,
      fetcher,
      session,
      router: services.router,
      captcha: services.captcha,
      captchaTasks: services.captchaTasks ?? null,
      proceedings: services.enforcementProceedings,
      captchaMaxTries: services.captchaMaxTries,
      log: ctx.log.child({ target: TARGET }),
      resume,
    },
    input,
  );
  if (out.ids.length === 0) return { status: 'not_found', result: null, evidenceCount: evidence.recorded };
  return {
    status: 'succeeded',
    result: { collection: 'enforcement_proceedings', id: out.ids[0]!, ids: out.ids, count: out.ids.length },
    evidenceCount: evidence.recorded,
  };
}
