/**
 * The `fssp.search` flow over plain HTTP: one site session (cookie jar) per job; the first query
 * meets the captcha, the chain reads it (local OCR → rucaptcha → operator), the same query goes again
 * with `code`, later queries of the session (the other pages) pass; every page is walked, every
 * proceeding upserted. An operator hand-off parks the lookup with the session and resumes in it.
 */
import { CaptchaWrongError, LayoutDriftError, NeedsHumanError } from '../../core/errors.ts';
import type { FsspSearchResult } from '../../core/records.ts';
import type { Logger } from '../../core/logger.ts';
import { classifyFsspPage, parseFsspSearch } from '../../parsers/index.ts';
import type { FsspSearchInput } from '../../queues/fssp-search.payload.ts';
import type { SourceRef } from '../../storage/court-cases.types.ts';
import type { CaptchaTaskSession, CaptchaTaskStore } from '../../storage/captcha-tasks.types.ts';
import type { EnforcementProceedingStore } from '../../storage/enforcement-proceedings.types.ts';
import type { CaptchaSolution, CaptchaSolver } from '../runtime/captcha/index.ts';
import { withCaptchaHandoff, type CaptchaHandoff } from '../runtime/captcha/operator.solver.ts';
import type { HttpSession } from '../runtime/http-client.ts';
import type { FetchedPage, PageFetcher } from '../runtime/page-fetcher.ts';
import type { TargetRouter } from '../runtime/targets.ts';
import { FSSP_SEARCH_HOST, fsspSearchPath, withCodeAndPage } from './fssp-urls.ts';
import { parseWithEvidence } from '../runtime/page-errors.ts';

/** Pages walked at most (20 rows each): a search broader than this is refused as too broad. */
export const MAX_PAGES = 200;

/** An operator's answer to resume with: the parked task, its answer, and the state it kept. */
export interface FsspResume {
  taskId: string;
  answer: string;
  /** The page the search was on, and the ИП numbers already saved from earlier pages. */
  page: number;
  ids: string[];
}

/** What the FSSP flow needs for one lookup. */
export interface FsspFlowContext {
  lookupId: string;
  jobName: string;
  fetcher: PageFetcher;
  /** The site session of the job (its cookies are kept with a parked captcha). */
  session: HttpSession;
  router: TargetRouter;
  captcha: CaptchaSolver;
  captchaTasks: CaptchaTaskStore | null;
  proceedings: EnforcementProceedingStore;
  /** The record's `source` for the page it was read from (the runtime stamps the parser). */
  sourceOf(page: FetchedPage): SourceRef;
  captchaMaxTries: number;
  log: Logger;
  resume?: FsspResume | null;
}

export interface FsspSearchOutcome {
  /** ИП numbers found (and saved), in page order. */
  ids: string[];
  /** «Найдено записей» of the first page. */
  total: number;
  pages: number;
  /** Captcha answers sent, and which solver gave the accepted one(s). */
  captchaAnswers: number;
  solvedBy: string[];
  lastEvidenceId: string | null;
}

/** Runs one search to the end; `ids` empty = the site honestly found nothing. */
export async function runFsspSearch(ctx: FsspFlowContext, input: FsspSearchInput): Promise<FsspSearchOutcome> {
  const base = ctx.router.urlFor(FSSP_SEARCH_HOST, fsspSearchPath(input));
  const out: FsspSearchOutcome = { ids: [...(ctx.resume?.ids ?? [])], total: 0, pages: 0, captchaAnswers: 0, solvedBy: [], lastEvidenceId: null };
  const seen = new Set(out.ids);
  let page = ctx.resume?.page ?? 1;
  let resume = ctx.resume ?? null;
  for (;;) {
    const result = await queryGated(ctx, base, page, out, resume);
    resume = null;
    out.pages++;
    if (page === 1 || out.total === 0) out.total = result.data.total;
    if (result.data.state === 'empty') break;
    for (const p of result.data.proceedings) {
      const saved = await ctx.proceedings.save(p, ctx.sourceOf(result.page));
      if (!seen.has(saved.id)) {
        seen.add(saved.id);
        out.ids.push(saved.id);
      }
    }
    const next = result.data.nextPage;
    if (next === null || next <= page) break;
    if (next > MAX_PAGES) throw new LayoutDriftError(`FSSP search has more than ${MAX_PAGES} pages`, { url: result.page.url, evidenceId: result.page.evidenceId });
    page = next;
  }
  ctx.log.info({ found: out.ids.length, total: out.total, pages: out.pages, captchaAnswers: out.captchaAnswers }, 'fssp search done');
  return out;
}

/** One page of the search, passing the captcha gate (wrong codes retried within the limit). */
async function queryGated(
  ctx: FsspFlowContext,
  base: string,
  page: number,
  out: FsspSearchOutcome,
  resume: FsspResume | null,
): Promise<{ page: FetchedPage; data: FsspSearchResult }> {
  const plain = withCodeAndPage(base, { page });
  const step = page === 1 ? 'search' : `search-page-${page}`;
  // An operator's answer (after a park) goes first, in the restored session.
  let pending: { solution: CaptchaSolution; taskId: string | null } | null = resume
    ? { solution: { answer: resume.answer, solver: 'operator', confidence: 1 }, taskId: resume.taskId }
    : null;
  let url = pending ? withCodeAndPage(base, { page, code: pending.solution.answer }) : plain;
  let stepName = pending ? `${step}-operator-code` : step;
  for (;;) {
    const fetched = await ctx.fetcher.open(url, stepName);
    out.lastEvidenceId = fetched.evidenceId;
    const state = classifyFsspPage(fetched.html);
    const data = parseWithEvidence(fetched, () => parseFsspSearch(fetched.html, { url: fetched.url, fetchedAt: fetched.fetchedAt.toISOString() }));
    if (state === 'captcha' || state === 'wrong_code') {
      if (pending) await verdict(ctx, pending, false);
      pending = null;
      if (out.captchaAnswers >= ctx.captchaMaxTries) {
        throw new CaptchaWrongError(`FSSP captcha not passed after ${out.captchaAnswers} answers`, { target: FSSP_SEARCH_HOST, url: fetched.url, details: { evidenceId: fetched.evidenceId } });
      }
      const image = Buffer.from(data.captcha!.imageBase64, 'base64');
      const handoff: CaptchaHandoff = {
        lookupId: ctx.lookupId,
        jobName: ctx.jobName,
        // The proxy and fingerprint go with the cookies: the resume must reach FSSP as the same client.
        session: async (): Promise<CaptchaTaskSession> => ({ cookies: await ctx.session.jar.serialize(), url: plain, state: { page, ids: out.ids }, egress: ctx.session.parkedEgress(FSSP_SEARCH_HOST) }),
      };
      const solution = await withCaptchaHandoff(handoff, () => ctx.captcha.solve({ image, kind: 'cyrillic5', target: FSSP_SEARCH_HOST }));
      if (!solution) {
        throw new NeedsHumanError(`no solver could read the FSSP captcha; waiting for an operator (captcha task ${handoff.parkedTaskId ?? 'none'})`, {
          target: FSSP_SEARCH_HOST,
          url: fetched.url,
          details: { captchaTaskId: handoff.parkedTaskId ?? null, evidenceId: fetched.evidenceId },
        });
      }
      out.captchaAnswers++;
      pending = { solution, taskId: null };
      url = withCodeAndPage(base, { page, code: solution.answer });
      stepName = `${step}-code-${out.captchaAnswers}`;
      continue;
    }
    if (pending) {
      await verdict(ctx, pending, true);
      out.solvedBy.push(pending.solution.solver);
    }
    return { page: fetched, data };
  }
}

/** Tells whoever answered whether the site took the code: the chain, or the parked task. */
async function verdict(ctx: FsspFlowContext, pending: { solution: CaptchaSolution; taskId: string | null }, correct: boolean): Promise<void> {
  if (pending.taskId) {
    await ctx.captchaTasks?.markConsumed(pending.taskId, correct);
    return;
  }
  await ctx.captcha.report?.(pending.solution, correct);
}

