import { BadInputError } from '../../core/errors.ts';
import { parserTag } from '../../parsers/common/parser-ref.ts';
import type { RobotJobName } from '../../queues/names.ts';
import type { JobInput } from '../../queues/payloads.ts';
import type { HandlerContext, HandlerResult, LookupHandler } from '../../queues/worker.ts';
import type { ParkedEgress } from '../../storage/captcha-tasks.types.ts';
import { EvidenceRecorder } from './evidence-recorder.ts';
import { BrowserPageFetcher, HttpPageFetcher } from './page-fetcher.ts';
import type { AnyRobotDefinition, FetchMode, RobotContext, RobotDefinition } from './robot-definition.ts';
import type { RobotServices } from './robot-services.ts';
import type { CourtCaseStore } from '../../storage/court-cases.types.ts';

/** The mode of a job: the lookup's `mode`, else the configured mode of the target, when the robot runs in it; else its first. */
export function modeOf(definition: Pick<RobotDefinition, 'target' | 'modes'>, services: Pick<RobotServices, 'modes'>, input: unknown): FetchMode {
  const asked = (input as { mode?: FetchMode } | null)?.mode ?? (services.modes as Record<string, FetchMode | undefined>)[definition.target];
  return asked && definition.modes.includes(asked) ? asked : definition.modes[0];
}

/**
 * Runs one attempt of a job by its robot: builds the job's evidence recorder and its fetchers for
 * the mode, lends them (and `sourceOf`) to `run`, shapes the result, and seals the evidence chain
 * in `finally` — every robot, every attempt, also on failure. A failure to seal is logged and
 * never hides the attempt's outcome.
 */
export async function runRobotJob<N extends RobotJobName>(definition: RobotDefinition<N>, services: RobotServices, job: HandlerContext<N>): Promise<HandlerResult> {
  const input = job.input as JobInput<N>;
  const mode = modeOf(definition, services, input);
  const log = job.log.child({ target: definition.target, mode });
  const evidence = new EvidenceRecorder(services.evidence, { jobId: job.lookupId, lookupId: job.lookupId, robot: services.robotId }, { isNewChain: job.attempt === 1 });
  const deps = { router: services.router, politeness: services.politeness, evidence };
  // The target host of the job (a court's host) picks the browser's proxy pool; robots of one host may name it.
  const inputHost = typeof (input as { court?: unknown }).court === 'string' ? (input as { court: string }).court : definition.host;
  // The job's court cases are saved with its client in `clientIds` (one write); the lookup's end then skips them.
  const recordsWithClient = new Set<string>();
  const jobServices: RobotServices = job.clientId === undefined ? services : { ...services, courtCases: withClientOf(services.courtCases, job.clientId, recordsWithClient) };
  // A lookup an operator's answer resumed goes out on the proxy and fingerprint it parked with
  // (asked once, and only where proxies are configured: direct, there is no egress to keep).
  let parked: Promise<ParkedEgress | null> | undefined;
  const parkedEgress = () => (parked ??= services.captchaTasks && services.http.options.egress?.enabled
    ? services.captchaTasks.findResumable(job.lookupId).then((task) => task?.session?.egress ?? null)
    : Promise.resolve(null));
  const withBrowser: RobotContext<N>['withBrowser'] = async (fn, host = inputHost) =>
    services.browsers().withPage((page) => fn(new BrowserPageFetcher(page, deps, services.browserFetch), page), host, { resume: await parkedEgress() });
  const ctx: RobotContext<N> = {
    lookupId: job.lookupId,
    input,
    attempt: job.attempt,
    mode,
    log,
    services: jobServices,
    evidence,
    withBrowser,
    withFetcher: async (fn, options = {}) =>
      mode === 'browser'
        ? withBrowser((fetcher, page) => fn(fetcher, page))
        : fn(new HttpPageFetcher(options.session ?? services.http.session({ resume: await parkedEgress() }), deps), null),
    sourceOf(page, url) {
      if (!definition.parser) throw new Error(`robot ${definition.target} (${definition.job}) has no parser: it stores no parsed records`);
      return { url: url ?? page.url, fetchedAt: page.fetchedAt, evidenceId: page.evidenceId, parserVersion: parserTag(definition.parser), lookupId: job.lookupId };
    },
  };
  try {
    const result = await definition.run(ctx);
    const carrying = result ? [result.id, ...(result.ids ?? [])].filter((id) => recordsWithClient.has(id)) : [];
    return { status: result ? 'succeeded' : 'not_found', result, evidenceCount: evidence.recorded, ...(carrying.length > 0 ? { recordsWithClient: carrying } : {}) };
  } finally {
    await evidence.seal().catch((err: unknown) => log.warn({ err }, 'evidence manifest not written'));
  }
}

/** `store` saving every case with `clientId` (CaseSaveOptions), noting in `saved` the cases whose save added it. */
function withClientOf(store: CourtCaseStore, clientId: string, saved: Set<string>): CourtCaseStore {
  return {
    async save(record, source, options) {
      const out = await store.save(record, source, { clientId, ...options });
      if (out.clientId === clientId) saved.add(out.id);
      return out;
    },
  };
}

/** The robot of `definitions` (all of one job name, in list order) that takes `input`; BadInputError when none does. */
export function robotFor<N extends RobotJobName>(job: N, definitions: readonly RobotDefinition<N>[], input: JobInput<N>): RobotDefinition<N> {
  const found = definitions.find((d) => !d.handles || d.handles(input));
  if (found) return found;
  const court = (input as { court?: unknown }).court;
  throw new BadInputError(`no ${job} robot for ${court === undefined ? 'this input' : `court host ${String(court)}`} (robots: ${definitions.map((d) => d.target).join(', ')})`);
}

/**
 * The handler of every job name in `robots`, bound to a robot process's services: each picks its
 * robot by `handles` and runs it through {@link runRobotJob}.
 */
export function handlersFor(robots: readonly AnyRobotDefinition[], services: RobotServices): Partial<{ [N in RobotJobName]: LookupHandler<N> }> {
  const byJob = new Map<RobotJobName, RobotDefinition[]>();
  for (const robot of robots) byJob.set(robot.job, [...(byJob.get(robot.job) ?? []), robot as unknown as RobotDefinition]);
  const handlers: Partial<Record<RobotJobName, LookupHandler>> = {};
  for (const [job, definitions] of byJob) {
    handlers[job] = (ctx) => runRobotJob(robotFor(job, definitions, ctx.input as JobInput<RobotJobName>), services, ctx);
  }
  return handlers as Partial<{ [N in RobotJobName]: LookupHandler<N> }>;
}
