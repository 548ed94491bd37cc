/**
 * CI part of the site-faults scenario (soak/scenarios/site-faults.scenario.ts): 60 lookups under
 * 5xx, hangs, 429, slow pages, cut bodies and a drifted court, then a captcha storm.
 */
import { describe, expect, it } from 'vitest';
import { runSiteFaultsScenario } from '../../soak/scenarios/site-faults.scenario.ts';
import { serviceUrls } from '../helpers/services.ts';

describe('faults of the sites', () => {
  it('ends every lookup succeeded or with a clear code; drift is drift with evidence; a storm is captcha_wrong', async () => {
    const f = await runSiteFaultsScenario({ services: serviceUrls(), lookups: 60, slowMs: 3000, stormLookups: 2, timeoutMs: 150_000, log: (l) => console.log(l) });
    console.log(`site-faults figures: ${JSON.stringify(f)}`);
    expect(f.open).toBe(0);
    expect(f.lostJobs).toBe(0);
    expect(f.unclearFailures).toBe(0);
    // The faults were really served: a good share of lookups needed retries.
    expect(f.retriedLookups).toBeGreaterThanOrEqual(2);
    expect(f.byStatus.not_found ?? 0).toBe(0);
    expect(f.driftLookups).toBeGreaterThan(0);
    expect(f.driftReportedAsDrift).toBe(f.driftLookups);
    expect(f.driftWithEvidence).toBe(f.driftLookups);
    // Off the drifted court, retries outlast 20–35 % faulty answers: nearly everything succeeds.
    expect(f.byStatus.succeeded ?? 0).toBeGreaterThanOrEqual(Math.floor((60 - f.driftLookups) * 0.9));
    expect(f.brokenChains).toBe(0);
    expect(f.stormClear).toBe(f.stormLookups);
    expect(f.afterStormSucceeded).toBe(2);
  }, 200_000);
});
