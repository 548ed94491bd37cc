/**
 * CI part of the crash scenario (soak/scenarios/crash.scenario.ts): 150 court.case lookups over two
 * `konveyer robots` child processes, two of them killed with SIGKILL mid-batch and replaced.
 * `make soak` runs the same scenario with 1 000 lookups and ten kills.
 */
import { describe, expect, it } from 'vitest';
import { runCrashScenario } from '../../soak/scenarios/crash.scenario.ts';
import { serviceUrls } from '../helpers/services.ts';

describe('kill -9 of robot processes mid-batch', () => {
  it('ends every lookup final, with no duplicate, no lost job and no broken chain', async () => {
    const f = await runCrashScenario({ services: serviceUrls(), lookups: 150, kills: 2, robots: 2, concurrency: 6, timeoutMs: 150_000, log: (l) => console.log(l) });
    console.log(`crash figures: ${JSON.stringify(f)}`);
    expect(f.kills).toBe(2);
    expect(f.open).toBe(0);
    expect(f.lostJobs).toBe(0);
    expect(f.duplicateCases).toBe(0);
    expect(f.brokenChains).toBe(0);
    expect(f.chainsChecked).toBeGreaterThan(100);
    // The sandbox is healthy here: every lookup of an existing case must succeed.
    expect(f.byStatus.succeeded).toBe(150);
  }, 200_000);
});
