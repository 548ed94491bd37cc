/**
 * Faults of the sites, switched on in the sandbox while a batch runs: 5xx, hangs (timeouts), 429
 * with Retry-After, slow pages, truncated bodies on every court, a changed layout on one court,
 * then a captcha storm on a captcha-gated court. Every lookup must end succeeded or failed with a
 * clear (typed) code; the drifted court's lookups end `layout_drift` with the evidence id of the
 * page, never `not_found`.
 */
import { createLogger } from '../../core/logger.ts';
import { auditFarm, type FarmAudit } from '../lib/audit.ts';
import { courtCaseBatch } from '../lib/batch.ts';
import { openReliabilityFarm, type FarmServices } from '../lib/farm.ts';

/** The typed error codes of core/errors.ts: a failed lookup must carry one of them. */
export const CLEAR_CODES: ReadonlySet<string> = new Set([
  'network', 'timeout', 'server_error', 'rate_limited', 'blocked', 'captcha_wrong', 'host_paused',
  'bad_input', 'layout_drift', 'forbidden_target', 'auth_required', 'needs_human',
]);

/** Options of {@link runSiteFaultsScenario}. */
export interface SiteFaultsOptions {
  services: FarmServices;
  lookups: number;
  /** Delay of the slow pages, ms; default 10 000. */
  slowMs?: number;
  /** Captcha-gated lookups submitted during the storm; default 4. */
  stormLookups?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** Figures of a site-faults run. */
export interface SiteFaultsFigures extends FarmAudit {
  drainMs: number;
  /** Sandbox answers per kind of fault, counted from the robots' side (lookups on the drifted court). */
  driftLookups: number;
  driftReportedAsDrift: number;
  driftWithEvidence: number;
  driftReportedNotFound: number;
  /** Lookups that needed more than one attempt (the faults did hit them). */
  retriedLookups: number;
  /** Failed lookups whose code is not a typed one. */
  unclearFailures: number;
  stormLookups: number;
  /** Storm lookups ended with captcha_wrong or needs_human (never not_found or succeeded on a wrong code). */
  stormClear: number;
  /** Lookups on the storm court after the storm ended that succeeded. */
  afterStormSucceeded: number;
}

/** Runs the site-faults scenario in one process (one robot pool) and returns its figures. */
export async function runSiteFaultsScenario(options: SiteFaultsOptions): Promise<SiteFaultsFigures> {
  const say = options.log ?? (() => undefined);
  // Timeout above the slow pages, so a 10-second page is slow, not lost; hangs end at the timeout.
  const slowMs = options.slowMs ?? 10_000;
  const farm = await openReliabilityFarm({
    services: options.services,
    name: 'faults',
    env: { HTTP_TIMEOUT_MS: String(slowMs + 5000), JOB_ATTEMPTS: '8', JOB_BACKOFF_MS: '100', ROBOT_CONCURRENCY: '12', CAPTCHA_MAX_TRIES: '2' },
  });
  const pool = await farm.startPool('faults-robot', createLogger({ level: 'silent' }));
  try {
    const world = farm.sandbox.world;
    const ungated = world.courts.filter((c) => !c.hasSearchCaptcha);
    const drifted = ungated[0]!.host;
    farm.sandbox.setFaults({ errorRate: 0.2, timeoutRate: 0.05, rate429: 0.05, retryAfterSecs: 1, slowMs, slowRate: 0.03, truncateRate: 0.05 });
    farm.sandbox.setFaults({ host: drifted, layoutDrift: true, errorRate: 0.2, timeoutRate: 0.05 });
    const started = Date.now();
    const requests = courtCaseBatch(world, options.lookups);
    const ids = await farm.submit(requests);
    say(`faults: ${ids.length} lookups under 20% 5xx, 5% hangs, 5% 429, 3% ${slowMs} ms pages, 5% cut bodies; layout drift on ${drifted}`);
    const wait = await farm.waitFinal(ids, options.timeoutMs ?? 10 * 60_000);
    const drainMs = Date.now() - started;
    say(`faults: drained in ${(drainMs / 1000).toFixed(1)} s, ${wait.open} open`);

    // Captcha storm on one gated court: every answer wrong while it lasts.
    const gated = world.courts.find((c) => c.hasSearchCaptcha)!.host;
    farm.sandbox.setFaults({});
    farm.sandbox.setFaults({ host: gated, captchaStorm: true });
    const stormCases = world.cases.filter((c) => c.host === gated).slice(0, options.stormLookups ?? 4);
    const stormIds = await farm.submit(stormCases.map((c) => ({ type: 'court.case', input: { court: c.host, number: c.caseNumber } })));
    await farm.waitFinal(stormIds, options.timeoutMs ?? 10 * 60_000);
    farm.sandbox.setFaults({ host: gated });
    const afterIds = await farm.submit(world.cases.filter((c) => c.host === gated).slice(10, 12).map((c) => ({ type: 'court.case', input: { court: c.host, number: c.caseNumber } })));
    await farm.waitFinal(afterIds, options.timeoutMs ?? 10 * 60_000);
    const stormDocs = await farm.lookups(stormIds);
    const afterDocs = await farm.lookups(afterIds);
    say(`faults: captcha storm on ${gated}: ${stormDocs.map((d) => d.error?.code ?? d.status).join(', ')}; after it: ${afterDocs.map((d) => d.status).join(', ')}`);

    const docs = await farm.lookups(ids);
    const audit = await auditFarm(farm.storage, farm.queueFor('court.case'), docs, ids);
    const onDrift = docs.filter((d) => (d.input as { court?: string }).court === drifted);
    return {
      ...audit,
      drainMs,
      driftLookups: onDrift.length,
      driftReportedAsDrift: onDrift.filter((d) => d.status === 'failed' && d.error?.code === 'layout_drift').length,
      driftWithEvidence: onDrift.filter((d) => typeof (d.error?.details as { evidenceId?: unknown } | undefined)?.evidenceId === 'string').length,
      driftReportedNotFound: onDrift.filter((d) => d.status === 'not_found').length,
      retriedLookups: docs.filter((d) => d.attempts > 1).length,
      unclearFailures: docs.filter((d) => d.status === 'failed' && !CLEAR_CODES.has(d.error?.code ?? '')).length,
      stormLookups: stormDocs.length,
      stormClear: stormDocs.filter((d) => d.status === 'needs_human' || (d.status === 'failed' && d.error?.code === 'captcha_wrong')).length,
      afterStormSucceeded: afterDocs.filter((d) => d.status === 'succeeded').length,
    };
  } finally {
    await pool.close();
    await farm.close();
  }
}
