/**
 * Resuming a kcaptcha gate an operator answered (issue 15 §2). kcaptcha keeps its keystring in the
 * PHP session, and every `/captcha.php` request draws a new one: so the answer is good only in the
 * session whose picture the operator read, and only while no new picture is asked for. A gate no
 * solver passed parks with the host's cookies (kcaptcha-gate.ts `gateSession`); on the resumed job
 * the cookies go back into the browser, the gate is opened with its picture NOT loaded, and the
 * operator's answer is sent.
 */
import type { Cookie, Route } from 'playwright';
import { classifyMsudrfPage } from '../../parsers/index.ts';
import type { FetchedPage } from '../runtime/page-fetcher.ts';
import { reloadGateImage, sendGateAnswer, type GateDeps, type GateHandoff } from './kcaptcha-gate.ts';

export type { GateHandoff } from './kcaptcha-gate.ts';

/**
 * When this lookup's parked gate on `url`'s host was answered: restores its session, opens `url`
 * without loading the picture, sends the answer and returns the page after it (the content, or a
 * new gate when the site refused it — the caller's gate loop goes on from there), telling the task
 * whether the site took it. Null when there is nothing to resume.
 */
export async function openResumingGate(deps: GateDeps, handoff: GateHandoff & { lookupId: string }, url: string, step: string): Promise<FetchedPage | null> {
  const host = new URL(url).hostname;
  const task = await handoff.captchaTasks.findResumable(handoff.lookupId);
  const session = task?.session;
  if (!task?.answer || !session || session.state?.host !== host || !Array.isArray(session.cookies)) return null;
  await deps.page.context().addCookies(session.cookies as Cookie[]);
  // Loading the picture would draw a new keystring and void the answer.
  const block = (route: Route) => route.abort();
  await deps.page.route('**/captcha.php*', block);
  let page: FetchedPage;
  try {
    page = await deps.fetcher.open(url, `${step}-operator-resume`, { reveal: deps.reveal });
    if (classifyMsudrfPage(page.html) === 'captcha') {
      await sendGateAnswer(deps, host, task.answer);
      page = await deps.fetcher.capture(`${step}-after-operator-kcaptcha`, { reveal: deps.reveal });
    }
  } finally {
    await deps.page.unroute('**/captcha.php*', block);
  }
  const refused = classifyMsudrfPage(page.html) === 'captcha';
  await handoff.captchaTasks.markConsumed(task._id, !refused);
  // A new gate after a refused answer: its picture was not loaded; ask for it for the next solver.
  if (refused) await reloadGateImage(deps.page);
  return page;
}
