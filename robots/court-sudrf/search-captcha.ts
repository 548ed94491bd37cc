/**
 * The sudrf search captcha and the operator hand-off (issue 15 §2). A sudrf captcha is a pair —
 * the `captchaid` on the form and the digits of its picture — valid for ~30 minutes whatever the
 * cookies, so the "site session" an operator's answer belongs to is that captchaid. A lookup whose
 * captcha no solver read parks with the captchaid kept in its captcha task; the operator's answer
 * re-queues it, and the search resumes with that same pair (the picture the operator read).
 */
import { NeedsHumanError } from '../../core/errors.ts';
import type { CaptchaTaskStore } from '../../storage/captcha-tasks.types.ts';
import type { CaptchaSolution, CaptchaSolver } from '../runtime/captcha/index.ts';
import { withCaptchaHandoff, type CaptchaHandoff } from '../runtime/captcha/operator.solver.ts';
import type { CaptchaToken } from '../runtime/captcha-tokens.ts';
import type { PageFetcher } from '../runtime/page-fetcher.ts';

/** What the hand-off needs of a flow context. */
export interface SudrfCaptchaContext {
  lookupId: string;
  captcha: CaptchaSolver;
  /** The operator's task store; absent = no park with a kept pair (the lookup parks without one). */
  captchaTasks?: CaptchaTaskStore | null;
  /** Job name to re-queue on the operator's answer (`court.case`, `court.search`). */
  jobName?: string;
  /** The flow's fetcher: the proxy and fingerprint its requests go out on park with the pair. */
  fetcher?: Pick<PageFetcher, 'parkedEgress'>;
}

/** An operator's answer to resume with: the pair it answered, and its task (told the verdict). */
export interface SudrfResumedPair {
  token: CaptchaToken;
  taskId: string;
}

/** The pair of this lookup's answered, parked captcha on `host`, if there is one (used once). */
export async function resumedSudrfPair(ctx: SudrfCaptchaContext, host: string): Promise<SudrfResumedPair | null> {
  const task = await ctx.captchaTasks?.findResumable(ctx.lookupId);
  const state = task?.session?.state;
  if (!task?.answer || !state || state.host !== host || typeof state.captchaId !== 'string') return null;
  return { token: { captchaId: state.captchaId, answer: task.answer }, taskId: task._id };
}

/** Tells the parked task whether the site took its pair. */
export async function reportResumedPair(ctx: SudrfCaptchaContext, pair: SudrfResumedPair, accepted: boolean): Promise<void> {
  await ctx.captchaTasks?.markConsumed(pair.taskId, accepted);
}

/**
 * Asks the chain for the digits of one search captcha. An operator who does not answer in time
 * leaves the task open with the captchaid, and the lookup parks (NeedsHumanError naming the task).
 */
export async function solveSudrfCaptcha(ctx: SudrfCaptchaContext, host: string, challenge: { imageBase64: string; captchaId: string }, pageUrl: string): Promise<CaptchaSolution> {
  const handoff: CaptchaHandoff | null = ctx.captchaTasks && ctx.jobName
    ? { lookupId: ctx.lookupId, jobName: ctx.jobName, session: async () => ({ cookies: null, url: pageUrl, state: { host, captchaId: challenge.captchaId }, egress: ctx.fetcher?.parkedEgress(host) ?? null }) }
    : null;
  const ask = () => ctx.captcha.solve({ image: Buffer.from(challenge.imageBase64, 'base64'), kind: 'digits5', target: host });
  const solution = handoff ? await withCaptchaHandoff(handoff, ask) : await ask();
  if (solution) return solution;
  const taskId = handoff?.parkedTaskId ?? null;
  throw new NeedsHumanError(
    taskId ? `no solver could read the search captcha of ${host}; waiting for an operator (captcha task ${taskId})` : `no solver could read the search captcha of ${host}`,
    { target: host, url: pageUrl, details: { captchaTaskId: taskId } },
  );
}
