/**
 * CI part of the service-kill scenarios (soak/scenarios/service-kill.scenario.ts): Redis killed
 * with SIGKILL mid-batch under supervision and restarted by hand, the MongoDB-wire server killed
 * under supervision, each with `konveyer robots` children working the batch and a burst of submits
 * to the API during the outage. `make soak` runs them with 1 000 lookups and bigger bursts.
 */
import { describe, expect, it } from 'vitest';
import { runServiceKillScenario, type ServiceKillFigures, type ServiceKillMode } from '../../soak/scenarios/service-kill.scenario.ts';
import { serviceUrls } from '../helpers/services.ts';

function expectNothingLost(f: ServiceKillFigures): void {
  expect(f.restarts).toBeGreaterThanOrEqual(1);
  expect(f.sameAddress).toBe(true);
  expect(f.lost).toBe(0);
  expect(f.orphaned).toBe(0);
  expect(f.lostJobs).toBe(0);
  expect(f.duplicateCases).toBe(0);
  expect(f.duplicatedLookups).toBe(0);
  expect(f.brokenChains, `broken chains: ${f.examples.join('; ')}`).toBe(0);
  expect(f.other5xx).toBe(0);
  expect(f.storedWhileRefused).toBe(0);
  expect(f.refused + f.accepted).toBe(f.burst);
  expect(f.resubmitted).toBe(f.refused);
}

describe('a service killed with SIGKILL mid-batch', () => {
  for (const [mode, lookups, burst] of [['redis-supervised', 80, 20], ['redis-manual', 60, 10], ['mongo-supervised', 60, 5]] as Array<[ServiceKillMode, number, number]>) {
    it(`${mode}: nothing lost, duplicated or orphaned; the burst refused with 503 or accepted, never stored when refused`, { timeout: 240_000 }, async () => {
      const f = await runServiceKillScenario({ mode, services: serviceUrls(), lookups, burst, outageMs: 4000, timeoutMs: 150_000, log: (l) => console.log(l) });
      if (!f) return; // MONGODB_URI is an external server that cannot be killed here.
      console.log(`${mode} figures: ${JSON.stringify(f)}`);
      expectNothingLost(f);
      if (mode !== 'mongo-supervised') {
        // Redis down: a submit is refused at once with a clear code, or accepted once it is back.
        // Under supervision Redis is back within a few hundred ms, so the burst may miss the outage
        // altogether; restarted by hand it is down for seconds and part of the burst must be refused.
        if (mode === 'redis-manual') expect(f.refused).toBeGreaterThan(0);
        expect(Object.keys(f.refusedCodes).filter((c) => c !== 'queue_unavailable')).toEqual([]);
        // Bounded, never hanging until Redis is back for good: measured 146–2 614 ms on the shared
        // 2-core VM with the full suite running beside it (a quiet machine answers in under 600 ms).
        expect(f.slowestAnswerMs).toBeLessThan(4000);
      }
    });
  }
});
