/**
 * `make soak` (`npx tsx soak/run.ts [--only crash,restart,kill,faults,bad-input,auth,security,clients] [--quick]`):
 * the long reliability runs at full size — 1 000 lookups with ten kill -9 of robot processes,
 * Redis and MongoDB restarted mid-batch and killed with SIGKILL (a submit burst during each outage), site faults, 1 000 bad payloads, the security checks —
 * prints the figures and writes them into RELIABILITY.md (between its FIGURES markers).
 * Services: REDIS_URL + MONGODB_URI when set, else embedded ones under .run/soak-<pid>.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRunArgs } from '../bench/support/run-args.ts';
import { repoRoot, startServices } from '../storage/embedded/index.ts';
import { runAuthWalkaroundScenario } from './scenarios/auth-walkaround.scenario.ts';
import { runBadInputScenario } from './scenarios/bad-input.scenario.ts';
import { runClientsScenario } from './scenarios/clients.scenario.ts';
import { runCrashScenario } from './scenarios/crash.scenario.ts';
import { runSecurityScenario } from './scenarios/security.scenario.ts';
import { runServiceKillScenario, type ServiceKillMode } from './scenarios/service-kill.scenario.ts';
import { runServiceRestartScenario } from './scenarios/service-restart.scenario.ts';
import { runSiteFaultsScenario } from './scenarios/site-faults.scenario.ts';
import { formatFigures, type ScenarioResult } from './lib/report.ts';

const SCENARIOS = ['crash', 'restart', 'kill', 'faults', 'bad-input', 'auth', 'security', 'clients'] as const;
const args = process.argv.slice(2);
const { quick, only } = parseRunArgs(args, 'npx tsx soak/run.ts', SCENARIOS, 'all, 10–20 minutes');
const wants = (name: (typeof SCENARIOS)[number]): boolean => !only || only.has(name);
const say = (line: string): void => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

const fromEnv = process.env.REDIS_URL && process.env.MONGODB_URI ? { redisUrl: process.env.REDIS_URL, mongoUri: process.env.MONGODB_URI } : null;
const embedded = fromEnv ? null : await startServices({ runDir: join(repoRoot, '.run', `soak-${process.pid}`) });
const services = fromEnv ?? { redisUrl: embedded!.redisUrl, mongoUri: embedded!.mongoUri };
const results: ScenarioResult[] = [];
const command = `npx tsx soak/run.ts${args.length ? ` ${args.join(' ')}` : ''}`;
const started = Date.now();
try {
  if (wants('crash')) {
    const f = await runCrashScenario({ services, lookups: quick ? 150 : 1000, kills: quick ? 2 : 10, robots: 2, concurrency: 8, log: say });
    results.push({ name: 'crash', figures: f, holds: f.open === 0 && f.lostJobs === 0 && f.duplicateCases === 0 && f.brokenChains === 0 && f.kills === (quick ? 2 : 10) });
  }
  if (wants('restart')) {
    const f = await runServiceRestartScenario({ lookups: quick ? 150 : 1000, log: say });
    if (f) results.push({ name: 'restart', figures: f, holds: f.open === 0 && f.lostJobs === 0 && f.duplicateCases === 0 && f.brokenChains === 0 });
    else say('restart: skipped (MONGODB_URI is an external server that cannot be restarted)');
  }
  if (wants('kill')) {
    // kill -9 of Redis (supervised, then by hand) and of the MongoDB-wire server, a submit burst each time.
    for (const mode of ['redis-supervised', 'redis-manual', 'mongo-supervised'] as ServiceKillMode[]) {
      const f = await runServiceKillScenario({ mode, services, lookups: quick ? 150 : 1000, burst: quick ? 50 : 200, outageMs: 8000, log: say });
      if (!f) {
        say(`kill ${mode}: skipped (MONGODB_URI is an external server that cannot be killed)`);
        continue;
      }
      results.push({ name: `kill:${mode}`, figures: f, holds: f.lost === 0 && f.orphaned === 0 && f.lostJobs === 0 && f.duplicateCases === 0 && f.duplicatedLookups === 0 && f.brokenChains === 0 && f.other5xx === 0 && f.storedWhileRefused === 0 && f.resubmitted === f.refused && f.sameAddress });
    }
  }
  if (wants('faults')) {
    const f = await runSiteFaultsScenario({ services, lookups: quick ? 60 : 400, slowMs: 10_000, stormLookups: 4, log: say });
    results.push({ name: 'faults', figures: f, holds: f.open === 0 && f.lostJobs === 0 && f.unclearFailures === 0 && f.driftReportedAsDrift === f.driftLookups && f.driftWithEvidence === f.driftLookups && f.stormClear === f.stormLookups });
  }
  if (wants('bad-input')) {
    const f = await runBadInputScenario({ services, apiPayloads: quick ? 1000 : 3000, log: say });
    results.push({ name: 'bad-input', figures: f, holds: f.api5xx === 0 && f.offenders.length === 0 && f.unclearAnswers === 0 && f.storedLookups === 0 && f.queuedJobs === 0 && f.filterLeaks === 0 && f.authLetThrough === 0 && f.cliAccepted === 0 && f.cliStackTraces === 0 });
  }
  if (wants('auth')) {
    const f = await runAuthWalkaroundScenario({ services, log: say });
    results.push({ name: 'auth', figures: f, holds: f.letThrough === 0 && !f.stateChanged && f.rightKeyWorks });
  }
  if (wants('security')) {
    const f = await runSecurityScenario({ services, courtLookups: quick ? 30 : 200, fsspLookups: quick ? 3 : 8, log: say });
    results.push({ name: 'security', figures: f, holds: f.urlsNotRefused.length === 0 && f.internalHits === 0 && f.leaks.length === 0 && Object.keys(f.craftedJobEnds).every((k) => k.startsWith('failed:')) });
  }
  if (wants('clients')) {
    const f = await runClientsScenario({ services, lookupsPerClient: quick ? 30 : 200, log: say });
    results.push({ name: 'clients', figures: f, holds: f.ssrfAccepted.length === 0 && f.ssrfHits === 0 && f.crossClientLeaks === 0 && f.foreignIdempotencyHits === 0 && f.piiLeaks === 0 && f.csvFormulasLive === 0 && f.xlsxFormulas === 0 && f.api5xx === 0 });
  }
} finally {
  await embedded?.stop();
}

const table = formatFigures(results, { command, at: new Date(), totalMs: Date.now() - started });
console.log(`\n${table}`);
const docPath = join(repoRoot, 'RELIABILITY.md');
if (existsSync(docPath)) {
  const doc = readFileSync(docPath, 'utf8');
  const begin = '<!-- FIGURES:BEGIN -->';
  const end = '<!-- FIGURES:END -->';
  const a = doc.indexOf(begin);
  const b = doc.indexOf(end);
  if (a >= 0 && b > a) {
    writeFileSync(docPath, `${doc.slice(0, a + begin.length)}\n${table}\n${doc.slice(b)}`);
    console.log('figures written into RELIABILITY.md');
  }
}
process.exitCode = results.every((r) => r.holds) ? 0 : 1;
