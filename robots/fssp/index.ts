import { CookieJar } from 'tough-cookie';
import { FSSP_PARSER } from '../../parsers/fssp/index.ts';
import { fsspSearchInputSchema } from '../../queues/fssp-search.payload.ts';
import { defineRobot } from '../runtime/robot-definition.ts';
import { runFsspSearch, type FsspResume } from './flow.ts';

/** Target slug, used in config, logs and evidence. */
export const TARGET = 'fssp';
export const JOB_NAME = 'fssp.search';

/**
 * The `fssp.search` robot (HTTP mode: the site is a JSONP endpoint, a browser adds nothing but
 * cost). One site session per job. A lookup parked for an operator resumes here: its answered
 * captcha task holds the cookies of the session, its proxy and fingerprint, and the page it was
 * on, and the robot sends the operator's code in that same session. Result: the ИП numbers found in `enforcement_proceedings`.
 */
export const fsspSearchRobot = defineRobot({
  job: JOB_NAME,
  target: TARGET,
  input: fsspSearchInputSchema,
  modes: ['http'],
  stores: ['enforcement_proceedings'],
  parser: FSSP_PARSER,
  async run(ctx) {
    const { services } = ctx;
    let resume: FsspResume | null = null;
    const task = await services.captchaTasks?.findResumable(ctx.lookupId);
    const parked = task?.session && task.answer ? task.session : null;
    // Restore the site session the captcha belongs to (its pending code is valid only there): its
    // proxy and fingerprint, and its cookies.
    const session = services.http.session({ resume: parked?.egress });
    if (parked && task?.answer) {
      await CookieJar.deserialize(parked.cookies as object, session.jar.store);
      const state = parked.state ?? {};
      resume = { taskId: task._id, answer: task.answer, page: Number(state.page ?? 1), ids: Array.isArray(state.ids) ? state.ids.map(String) : [] };
      ctx.log.info({ captchaTask: task._id, proxy: parked.egress?.proxyId ?? null }, 'resuming in the parked FSSP session with the operator answer');
    }
    const out = await ctx.withFetcher(
      (fetcher) =>
        runFsspSearch(
          {
            lookupId: ctx.lookupId,
            jobName: JOB_NAME,
            fetcher,
            session,
            router: services.router,
            captcha: services.captcha,
            captchaTasks: services.captchaTasks ?? null,
            proceedings: services.enforcementProceedings,
            sourceOf: ctx.sourceOf,
            captchaMaxTries: services.captchaMaxTries,
            log: ctx.log,
            resume,
          },
          ctx.input,
        ),
      { session },
    );
    if (out.ids.length === 0) return null;
    return { collection: 'enforcement_proceedings', id: out.ids[0]!, ids: out.ids, count: out.ids.length };
  },
});
