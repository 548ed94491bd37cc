/**
 * Security (soak/scenarios/security.scenario.ts): the target allowlist against crafted URLs,
 * redirects and hand-queued jobs; no seeded debtor name, birth date or secret in a batch's logs.
 */
import { describe, expect, it } from 'vitest';
import { runSecurityScenario } from '../../soak/scenarios/security.scenario.ts';
import { serviceUrls } from '../helpers/services.ts';

describe('security of the robots and the logs', () => {
  it('refuses every non-target URL, reaches no internal address, and logs no personal data or secret', async () => {
    const f = await runSecurityScenario({ services: serviceUrls(), courtLookups: 30, fsspLookups: 3, timeoutMs: 150_000, log: (l) => console.log(l) });
    console.log(`security figures: ${JSON.stringify(f)}`);
    expect(f.urlsTried).toBeGreaterThan(15);
    expect(f.urlsNotRefused).toEqual([]);
    expect(f.internalHits).toBe(0);
    expect(f.craftedJobs).toBe(6);
    // Crafted hosts end failed with a clear code (refused), never succeeded and never left open.
    for (const end of Object.keys(f.craftedJobEnds)) expect(end).toMatch(/^failed:(forbidden_target|bad_input)$/);
    expect(f.logLines).toBeGreaterThan(30);
    expect(f.loggedLookups['court.case:succeeded']).toBe(30);
    expect(Object.keys(f.loggedLookups).some((k) => k.startsWith('fssp.search:'))).toBe(true);
    expect(f.leaks).toEqual([]);
  }, 200_000);
});
