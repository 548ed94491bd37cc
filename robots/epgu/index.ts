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
import type { Page } from 'playwright';
import { epguInboxInputSchema } from '../../queues/epgu-inbox.payload.ts';
import { epguRequestInputSchema } from '../../queues/epgu-request.payload.ts';
import type { BrowserPageFetcher } from '../runtime/page-fetcher.ts';
import { defineRobot, type RobotContext, type RobotWiring } from '../runtime/robot-definition.ts';
import { buildEpguServices } from './epgu-services.ts';
import type { EpguRobotServices, RobotServices } from '../runtime/robot-services.ts';
import { ensureLoggedIn } from './esia-login.flow.ts';
import { PORTAL_HOST, TARGET } from './epgu-urls.ts';
import { EPGU_FEED_PARSER, readFeed, refreshStatuses } from './inbox.flow.ts';
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

/** Runs `fn` on a page of the pool, logged in as `account` (the job's recorder holds the evidence). */
async function withPortalPage<T>(ctx: RobotContext<'epgu.request'> | RobotContext<'epgu.inbox'>, jobName: 'epgu.request' | 'epgu.inbox', accountId: string, fn: (page: Page, fetcher: BrowserPageFetcher) => Promise<T>): Promise<T> {
  const { services } = ctx;
  const epgu = epguOf(services);
  const account = accountOf(epgu, accountId);
  return ctx.withBrowser(async (fetcher, page) => {
    await ensureLoggedIn({ page, fetcher, router: services.router, epgu, captchaTasks: services.captchaTasks, account, lookupId: ctx.lookupId, jobName, log: ctx.log });
    return fn(page, fetcher);
  });
}

/** The EPGU services of a robot process (accounts, sealing key, calendar, OCR enqueuer), shared by both EPGU robots. */
const wireEpgu: RobotWiring = ({ config, stores, redis }) => {
  const wiring = buildEpguServices(config, stores, redis);
  return { services: { epgu: wiring.epgu }, close: wiring.close };
};

/** `epgu.request`: submit (or reconcile) one application. */
export const epguRequestRobot = defineRobot({
  job: 'epgu.request',
  target: TARGET,
  // Its browser session goes through the gosuslugi proxy pool (PROXY_POOLS), when one is configured.
  host: PORTAL_HOST,
  input: epguRequestInputSchema,
  modes: ['browser'],
  stores: ['epgu_requests'],
  parser: null,
  wire: wireEpgu,
  async run(ctx) {
    const { input, services } = ctx;
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
    if (req.applicationNumber) return result;
    await exclusive(() =>
      withPortalPage(ctx, 'epgu.request', input.account, async (page, fetcher) => {
        const out = await submitOrReconcile({ page, fetcher, router: services.router, epgu, account: input.account, lookupId: ctx.lookupId, log: ctx.log }, req);
        ctx.log.info({ applicationNumber: out.doc.applicationNumber, reconciled: out.reconciled, dueDate: out.doc.dueDate }, 'EPGU application recorded');
      }),
    );
    return result;
  },
});

/** `epgu.inbox`: statuses and new answers of one account (HTTP with the stored session; a browser login only when it is dead). */
export const epguInboxRobot = defineRobot({
  job: 'epgu.inbox',
  target: TARGET,
  input: epguInboxInputSchema,
  modes: ['http'],
  stores: ['documents', 'epgu_requests'],
  parser: EPGU_FEED_PARSER,
  wire: wireEpgu,
  async run(ctx) {
    const { input, services } = ctx;
    const epgu = epguOf(services);
    accountOf(epgu, input.account);
    const out = await exclusive(async () => {
      const run = async () => {
        const session = services.http.session();
        await putIntoJar(session.jar, await loadCookies(epgu, input.account));
        const flow = { session, router: services.router, politeness: services.politeness, evidence: ctx.evidence, sourceOf: ctx.sourceOf, epgu, account: input.account, lookupId: ctx.lookupId, log: ctx.log };
        const statusUpdates = await refreshStatuses(flow);
        return { ...(await readFeed(flow)), statusUpdates };
      };
      try {
        return await run();
      } catch (error) {
        if (!(error instanceof AuthRequiredError)) throw error;
        // The stored session is dead: log in once in the browser (stores fresh cookies), then again over HTTP.
        ctx.log.info({ account: input.account }, 'EPGU session expired; logging in');
        await withPortalPage(ctx, 'epgu.inbox', input.account, async () => undefined);
        return run();
      }
    });
    ctx.log.info(out, 'EPGU inbox read');
    return { collection: 'documents', id: out.documents[0] ?? '', ids: out.documents, count: out.documents.length };
  },
});
