/**
 * Auth walk-around (soak/scenarios/auth-walkaround.scenario.ts), the CI part of `make soak`: every
 * route in 15 spellings with every wrong credential over real HTTP; nothing let through, nothing changed.
 */
import { describe, expect, it } from 'vitest';
import { runAuthWalkaroundScenario } from '../../soak/scenarios/auth-walkaround.scenario.ts';
import { serviceUrls } from '../helpers/services.ts';

describe('auth walk-around', () => {
  it('lets no request through on any route in any spelling without the right key, and changes nothing', async () => {
    const f = await runAuthWalkaroundScenario({ services: serviceUrls(), log: (l) => console.log(l) });
    console.log(`auth-walkaround figures: ${JSON.stringify({ ...f, offenders: f.offenders.length })}`);
    expect(f.offenders).toEqual([]);
    expect(f.letThrough).toBe(0);
    expect(f.stateChanged).toBe(false);
    expect(f.rightKeyWorks).toBe(true);
    expect(f.routes).toBeGreaterThan(60);
    expect(f.requests).toBeGreaterThan(5000);
  }, 300_000);
});
