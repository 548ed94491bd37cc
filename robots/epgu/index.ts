/**
 * The EPGU robots. `epgu.request` (browser): one application of a party to enforcement
 * proceedings, never submitted twice; result `epgu_requests/<lookup id>`. `epgu.inbox` (HTTP with
 * the stored session; a browser login only when it is dead): statuses, then new ГЭПС answers →
 * `documents`, linked to their requests, queued for OCR.
 *
 * Sessions: the process's browser pool shares one browser context, so the EPGU cookies in it
 * belong to one account at a time — EPGU work in a process is serialized by {@link exclusive}
 * (several robot processes scale it; each account's session is stored sealed and reused by all).
 */
import { AuthRequiredError, BadInputError } from '../../core/errors.ts';
import type { EpguInboxInput } from '../../queues/epgu-inbox.payload.ts';
import type { EpguRequestInput } from '../../queues/epgu-request.payload.ts';
import type { HandlerContext, HandlerResult } from '../../queues/worker.ts';
import { EvidenceRecorder } from '../runtime/evidence-recorder.ts';
import { BrowserPageFetcher } from '../runtime/page-fetcher.ts';
import type { EpguRobotServices, RobotServices } from '../runtime/robot-services.ts';
import { ensureLoggedIn } from './esia-login.flow.ts';
import { TARGET } from './epgu-urls.ts';
import { readFeed, refreshStatuses } from './inbox.flow.ts';
import { submitOrReconcile } from './request.flow.ts';
import { loadCookies, putIntoJar } from './session-vault.ts';

export { epguTestHooks } from './request.flow.ts';

let chain: Promise<unknown> = Promise.resolve();
/** Runs `fn` after every EPGU job of this process started before it has finished. */
function exclusive<T>(fn: () => Promise<T>): Promise<T> {
  const run = chain.then(fn, fn);
  chain = run.catch(() => undefined);
  return run;
}

function epguOf(services: RobotServices): EpguRobotServices {
  if (!services.epgu) throw new AuthRequiredError('this robot process has no EPGU stores configured', { target: TARGET });
  return services.epgu;
}

function accountOf(epgu: EpguRobotServices, id: string) {
  const account = epgu.accounts.find((a) => a.id === id);
  // Permanent: a retry will not make the account appear. The message names the id, never a login.
  if (!account) throw new BadInputError(`unknown EPGU account "${id}": not in EPGU_ACCOUNTS`, { target: TARGET });
  return account;
}

/** Runs `fn` with a page of the pool, logged in as `account`, and its evidence recorder. */
async function withPortalPage<T>(services: RobotServices, ctx: HandlerContext, jobName: 'epgu.request' | 'epgu.inbox', evidence: EvidenceRecorder, accountId: string, fn: (page: import('playwright').Page, fetcher: BrowserPageFetcher) => Promise<T>): Promise<T> {
  const epgu = epguOf(services);
  const account = accountOf(epgu, accountId);
  return services.browsers().withPage(async (page) => {
    const fetcher = new BrowserPageFetcher(page, { router: services.router, politeness: services.politeness, evidence }, services.browserFetch);
    await ensureLoggedIn({ page, fetcher, router: services.router, epgu, captchaTasks: services.captchaTasks, account, lookupId: ctx.lookupId, jobName, log: ctx.log });
    return fn(page, fetcher);
  });
}

/** `epgu.request`: submit (or reconcile) one application. */
export async function runEpguRequest(services: RobotServices, ctx: HandlerContext<'epgu.request'>): Promise<HandlerResult> {
  const input = ctx.input as EpguRequestInput;
  const epgu = epguOf(services);
  accountOf(epgu, input.account);
  const clientRef = `KV-${ctx.lookupId}`;
  const req = await epgu.requests.ensure({
    id: ctx.lookupId,
    account: input.account,
    ipNumber: input.ipNumber,
    kind: input.kind,
    // The reference makes our application findable in «Мои заявления» (reconcile before retry).
    text: `${input.text ? `${input.text.trim()}\n` : ''}Референс заявителя: ${clientRef}`,
    clientRef,
  });
  const result = { collection: 'epgu_requests', id: req._id };
  if (req.applicationNumber) return { status: 'succeeded', result, evidenceCount: 0 };
  const evidence = new EvidenceRecorder(services.evidence, { jobId: ctx.lookupId, lookupId: ctx.lookupId, robot: services.robotId });
  try {
    await exclusive(() =>
      withPortalPage(services, ctx, 'epgu.request', evidence, input.account, async (page, fetcher) => {
        const out = await submitOrReconcile({ page, fetcher, router: services.router, epgu, account: input.account, lookupId: ctx.lookupId, log: ctx.log.child({ target: TARGET }) }, req);
        ctx.log.info({ applicationNumber: out.doc.applicationNumber, reconciled: out.reconciled, dueDate: out.doc.dueDate }, 'EPGU application recorded');
      }),
    );
  } finally {
    await evidence.seal();
  }
  return { status: 'succeeded', result, evidenceCount: evidence.recorded };
}

/** `epgu.inbox`: statuses and new answers of one account. */
export async function runEpguInbox(services: RobotServices, ctx: HandlerContext<'epgu.inbox'>): Promise<HandlerResult> {
  const input = ctx.input as EpguInboxInput;
  const epgu = epguOf(services);
  accountOf(epgu, input.account);
  const evidence = new EvidenceRecorder(services.evidence, { jobId: ctx.lookupId, lookupId: ctx.lookupId, robot: services.robotId });
  try {
    const out = await exclusive(async () => {
      const run = async () => {
        const session = services.http.session();
        await putIntoJar(session.jar, await loadCookies(epgu, input.account));
        const flow = { session, router: services.router, politeness: services.politeness, evidence, epgu, account: input.account, lookupId: ctx.lookupId, log: ctx.log.child({ target: TARGET }) };
        const statusUpdates = await refreshStatuses(flow);
        return { ...(await readFeed(flow)), statusUpdates };
      };
      try {
        return await run();
      } catch (error) {
        if (!(error instanceof AuthRequiredError)) throw error;
        // The stored session is dead: log in once in the browser (stores fresh cookies), then again over HTTP.
        ctx.log.info({ account: input.account }, 'EPGU session expired; logging in');
        await withPortalPage(services, ctx, 'epgu.inbox', evidence, input.account, async () => undefined);
        return run();
      }
    });
    ctx.log.info(out, 'EPGU inbox read');
    return { status: 'succeeded', result: { collection: 'documents', id: out.documents[0] ?? '', ids: out.documents, count: out.documents.length }, evidenceCount: evidence.recorded };
  } finally {
    await evidence.seal();
  }
}
