/**
 * Bad input (soak/scenarios/bad-input.scenario.ts): 1 000 generated bad payloads to the HTTP API,
 * API-key checks, operator filters, and bad `konveyer submit` invocations.
 */
import { describe, expect, it } from 'vitest';
import { runBadInputScenario } from '../../soak/scenarios/bad-input.scenario.ts';
import { serviceUrls } from '../helpers/services.ts';

describe('bad input to the API and the CLI', () => {
  it('answers only 4xx with clear messages, stores nothing, lets no key-less or out-of-scope call through', async () => {
    const f = await runBadInputScenario({ services: serviceUrls(), apiPayloads: 1000, log: (l) => console.log(l) });
    console.log(`bad-input figures: ${JSON.stringify(f)}`);
    expect(f.apiPayloads).toBe(1000);
    expect(f.offenders).toEqual([]);
    expect(f.api5xx).toBe(0);
    expect(f.unclearAnswers).toBe(0);
    expect(f.filterLeaks).toBe(0);
    expect(f.storedLookups).toBe(0);
    expect(f.queuedJobs).toBe(0);
    expect(f.authLetThrough).toBe(0);
    expect(f.cliAccepted).toBe(0);
    expect(f.cliStackTraces).toBe(0);
    // Every refusal is exit 2, except commander's own usage error for an unknown flag (exit 1).
    expect(f.cliExitCodes['2'] ?? 0).toBeGreaterThanOrEqual(f.cliRuns - 1);
  }, 180_000);
});
