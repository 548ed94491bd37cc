/** The figures table of a soak run (markdown), as printed and as written into RELIABILITY.md. */

/** One scenario's figures and whether every property it checks held. */
export interface ScenarioResult {
  name: string;
  figures: object;
  holds: boolean;
}

/** Figures shown per scenario, in order; other fields stay in the JSON details. */
const SHOWN: Record<string, string[]> = {
  crash: ['lookups', 'kills', 'runningAtKills', 'byStatus', 'open', 'lostJobs', 'duplicateCases', 'courtCases', 'chainsChecked', 'evidenceItems', 'brokenChains', 'drainMs'],
  restart: ['lookups', 'redisRestarts', 'mongoRestarts', 'mongoKind', 'robotDeaths', 'byStatus', 'failedByCode', 'open', 'lostJobs', 'duplicateCases', 'brokenChains', 'drainMs'],
  'kill:redis-supervised': ['lookups', 'doneAtKill', 'restarts', 'sameAddress', 'downMs', 'byStatus', 'failedByCode', 'lost', 'orphaned', 'lostJobs', 'duplicateCases', 'duplicatedLookups', 'brokenChains', 'burst', 'refused', 'refusedCodes', 'accepted', 'other5xx', 'slowestAnswerMs', 'storedWhileRefused', 'resubmitted', 'robotDeaths', 'drainMs'],
  'kill:redis-manual': ['lookups', 'doneAtKill', 'restarts', 'sameAddress', 'downMs', 'byStatus', 'failedByCode', 'lost', 'orphaned', 'lostJobs', 'duplicateCases', 'duplicatedLookups', 'brokenChains', 'burst', 'refused', 'refusedCodes', 'accepted', 'other5xx', 'slowestAnswerMs', 'storedWhileRefused', 'resubmitted', 'robotDeaths', 'drainMs'],
  'kill:mongo-supervised': ['lookups', 'doneAtKill', 'restarts', 'sameAddress', 'downMs', 'byStatus', 'failedByCode', 'lost', 'orphaned', 'lostJobs', 'duplicateCases', 'duplicatedLookups', 'brokenChains', 'burst', 'refused', 'refusedCodes', 'accepted', 'other5xx', 'slowestAnswerMs', 'storedWhileRefused', 'resubmitted', 'robotDeaths', 'drainMs'],
  faults: ['lookups', 'byStatus', 'failedByCode', 'retriedLookups', 'open', 'lostJobs', 'unclearFailures', 'driftLookups', 'driftReportedAsDrift', 'driftWithEvidence', 'driftReportedNotFound', 'stormLookups', 'stormClear', 'afterStormSucceeded', 'brokenChains', 'drainMs'],
  'bad-input': ['apiPayloads', 'api4xx', 'api5xx', 'api2xx', 'unclearAnswers', 'storedLookups', 'queuedJobs', 'filterLeaks', 'authChecks', 'authLetThrough', 'cliRuns', 'cliExitCodes', 'cliAccepted', 'cliStackTraces'],
  auth: ['routes', 'requests', 'letThrough', 'offenders', 'stateChanged', 'rightKeyWorks'],
  security: ['urlsTried', 'urlsNotRefused', 'craftedJobs', 'craftedJobEnds', 'internalHits', 'logLines', 'namesSearched', 'leaks', 'loggedLookups'],
};

const show = (v: unknown): string => {
  if (Array.isArray(v)) return v.length === 0 ? '0' : `${v.length}: ${v.join('; ').slice(0, 200)}`;
  if (v !== null && typeof v === 'object') return Object.entries(v).map(([k, n]) => `${k} ${String(n)}`).join(', ') || '—';
  return String(v);
};

/** A markdown section: the command, when, and one table per scenario. */
export function formatFigures(results: readonly ScenarioResult[], run: { command: string; at: Date; totalMs: number }): string {
  const out = [`Last run: \`${run.command}\` at ${run.at.toISOString().slice(0, 16)}Z, ${(run.totalMs / 60_000).toFixed(1)} min, on this machine (2 shared cores).`, ''];
  for (const r of results) {
    out.push(`**${r.name}** — ${r.holds ? 'holds' : '**DOES NOT HOLD**'}`, '', '| figure | value |', '|---|---|');
    const f = r.figures as Record<string, unknown>;
    for (const key of SHOWN[r.name] ?? Object.keys(f)) if (key in f) out.push(`| ${key} | ${show(f[key]).replace(/\|/g, '\\|')} |`);
    out.push('');
  }
  return out.join('\n');
}
