/**
 * Login to EPGU through ESIA in the browser: reuse the account's stored session when it is alive;
 * else login + password, then the second factor — a TOTP code from the configured secret, or an
 * SMS code handed to an operator through `captcha_tasks` (kind `sms`, the same hand-off as
 * captchas: `konveyer captcha answer <task> <code>`). The robot waits in-process for the answer;
 * when none comes the lookup parks `needs_human` and the task keeps the half-done ESIA flow
 * (cookies sealed) so the answer resumes it. Credentials come from config and are only typed.
 */
import type { Page } from 'playwright';
import sharp from 'sharp';
import { AuthRequiredError, LayoutDriftError, NeedsHumanError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { totp } from '../../core/totp.ts';
import type { CaptchaTaskStore } from '../../storage/captcha-tasks.types.ts';
import type { BrowserPageFetcher } from '../runtime/page-fetcher.ts';
import { parkedEgressOf } from '../runtime/egress/page-egress.ts';
import type { EpguRobotServices } from '../runtime/robot-services.ts';
import type { TargetRouter } from '../runtime/targets.ts';
import { ESIA_HOST, PATHS, PORTAL_HOST } from './epgu-urls.ts';
import { contextCookies, loadCookies, openCookies, putIntoContext, saveFromContext, sealCookies } from './session-vault.ts';

export interface EsiaLoginContext {
  page: Page;
  fetcher: BrowserPageFetcher;
  router: TargetRouter;
  epgu: EpguRobotServices;
  captchaTasks: CaptchaTaskStore | null;
  account: { id: string; login: string; password: string; totpSecret?: string };
  lookupId: string;
  jobName: string;
  log: Logger;
}

/** How the session was had: reused from `epgu_sessions`, or a fresh login with which factor. */
export type LoginOutcome = 'reused' | 'totp' | 'sms';

/** Leaves the page logged in on the portal home; returns how. */
export async function ensureLoggedIn(ctx: EsiaLoginContext): Promise<LoginOutcome> {
  const context = ctx.page.context();
  // An SMS code an operator answered for a parked lookup: continue that ESIA flow.
  const parked = await ctx.captchaTasks?.findResumable(ctx.lookupId);
  if (parked?.kind === 'sms' && parked.answer && parked.session) {
    await putIntoContext(context, openCookies(ctx.epgu, ctx.account.id, String(parked.session.cookies)));
    await ctx.fetcher.open(ctx.router.urlFor(ESIA_HOST, '/login/otp'), 'esia-sms-resume');
    const ok = await typeCode(ctx, parked.answer, 'esia-sms-code');
    await ctx.captchaTasks!.markConsumed(parked._id, ok);
    if (ok) return finish(ctx, 'sms');
    ctx.log.warn({ captchaTask: parked._id }, 'operator SMS code refused; logging in again');
  }
  await putIntoContext(context, await loadCookies(ctx.epgu, ctx.account.id));
  const home = await ctx.fetcher.open(ctx.router.urlFor(PORTAL_HOST, PATHS.home), 'portal-home');
  if (home.html.includes('id="lk"')) return 'reused';

  await putIntoContext(context, []);
  await ctx.fetcher.open(ctx.router.urlFor(ESIA_HOST, PATHS.login), 'esia-login');
  await ctx.page.fill('#login', ctx.account.login);
  await ctx.page.fill('#password', ctx.account.password);
  await Promise.all([ctx.page.waitForLoadState('domcontentloaded'), ctx.page.click('#loginByPwdButton')]);
  const afterPwd = await ctx.fetcher.capture('esia-password');
  if (afterPwd.html.includes('id="login-error"')) throw new AuthRequiredError(`ESIA refused the login or password of account ${ctx.account.id}`, { target: 'epgu' });
  const factor = /data-factor="(sms|totp)"/.exec(afterPwd.html)?.[1];
  if (!factor) throw new LayoutDriftError('no second-factor form after the ESIA password step', { selector: '#factor[data-factor]', evidenceId: afterPwd.evidenceId });

  if (factor === 'totp') {
    if (!ctx.account.totpSecret) throw new AuthRequiredError(`ESIA asks a TOTP code and account ${ctx.account.id} has no totpSecret`, { target: 'epgu' });
    if (await typeCode(ctx, totp(ctx.account.totpSecret), 'esia-totp')) return finish(ctx, 'totp');
    // A code typed at the edge of its 30 s step: one more with the next step's code.
    await new Promise((r) => setTimeout(r, 1500));
    if (await typeCode(ctx, totp(ctx.account.totpSecret, Date.now() + 15_000), 'esia-totp-retry')) return finish(ctx, 'totp');
    throw new AuthRequiredError(`ESIA refused the TOTP code of account ${ctx.account.id}: check the secret and the clock`, { target: 'epgu' });
  }
  return smsHandoff(ctx);
}

async function smsHandoff(ctx: EsiaLoginContext): Promise<LoginOutcome> {
  if (!ctx.captchaTasks) throw new NeedsHumanError(`ESIA sent an SMS code for account ${ctx.account.id} and no operator hand-off is configured`, { target: 'epgu' });
  const image = await sharp(
    Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="420" height="60"><rect width="100%" height="100%" fill="white"/><text x="10" y="38" font-family="DejaVu Sans" font-size="20">SMS-код ЕСИА, учётная запись ${escapeXml(ctx.account.id)}</text></svg>`),
  )
    .png()
    .toBuffer();
  const task = await ctx.captchaTasks.create({
    image,
    contentType: 'image/png',
    kind: 'sms',
    target: ESIA_HOST,
    lookupId: ctx.lookupId,
    jobName: ctx.jobName,
    // The ESIA flow cookie binds the code to this login attempt; sealed like any EPGU session.
    // The page's proxy and fingerprint go with it: ESIA must see the code come from the same client.
    session: { cookies: sealCookies(ctx.epgu, ctx.account.id, await contextCookies(ctx.page.context())), url: ctx.page.url(), state: { account: ctx.account.id }, egress: parkedEgressOf(ctx.page) },
    ttlMs: ctx.epgu.taskTtlMs,
  });
  ctx.log.info({ captchaTask: task._id, account: ctx.account.id }, 'ESIA SMS code handed to an operator');
  const answered = ctx.epgu.operatorWaitMs > 0 ? await ctx.captchaTasks.waitForAnswer(task._id, ctx.epgu.operatorWaitMs) : null;
  if (!answered?.answer) {
    throw new NeedsHumanError(`ESIA SMS code needed for account ${ctx.account.id}: konveyer captcha answer ${task._id} <code>`, { target: 'epgu', details: { captchaTask: task._id } });
  }
  const ok = await typeCode(ctx, answered.answer, 'esia-sms-code');
  await ctx.captchaTasks.markConsumed(task._id, ok);
  if (!ok) throw new AuthRequiredError(`ESIA refused the SMS code typed by ${answered.answeredBy ?? 'the operator'}`, { target: 'epgu' });
  return finish(ctx, 'sms');
}

/** Types a code into the open second-factor form; true when ESIA let us through to the portal. */
async function typeCode(ctx: EsiaLoginContext, code: string, step: string): Promise<boolean> {
  await ctx.page.fill('#code', code);
  await Promise.all([ctx.page.waitForLoadState('domcontentloaded'), ctx.page.click('#confirmCode')]);
  await ctx.page.waitForSelector('#lk, #code-error, #login-form', { timeout: 15_000 }).catch(() => undefined);
  const after = await ctx.fetcher.capture(step);
  return after.html.includes('id="lk"');
}

async function finish(ctx: EsiaLoginContext, how: LoginOutcome): Promise<LoginOutcome> {
  await saveFromContext(ctx.epgu, ctx.account.id, ctx.page.context());
  ctx.log.info({ account: ctx.account.id, factor: how }, 'ESIA login done, session stored sealed');
  return how;
}

const escapeXml = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
