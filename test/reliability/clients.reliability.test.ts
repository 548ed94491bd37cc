/**
 * Clients (soak/scenarios/clients.scenario.ts), CI part: the SSRF list at the API's own port and
 * drain path, cross-client reads with shared idempotency keys, personal data without `pii`, and
 * exported formula cells.
 */
import { describe, expect, it } from 'vitest';
import { runClientsScenario } from '../../soak/scenarios/clients.scenario.ts';
import { serviceUrls } from '../helpers/services.ts';

describe('clients, webhooks and exports under attack', () => {
  it('refuses every internal webhook, leaks nothing across clients or without pii, exports no live formula', async () => {
    const f = await runClientsScenario({ services: serviceUrls(), lookupsPerClient: 30, log: (l) => console.log(l) });
    console.log(`clients figures: ${JSON.stringify(f)}`);
    expect(f.ssrfTried).toBeGreaterThanOrEqual(28);
    expect(f.ssrfAccepted).toEqual([]);
    expect(f.ssrfHits).toBe(0);
    expect(f.ssrfRefusedAtDelivery).toBe(6);
    expect(f.crossClientReads).toBeGreaterThanOrEqual(33);
    expect(f.crossClientLeaks).toBe(0);
    expect(f.foreignIdempotencyHits).toBe(0);
    expect(f.conflicts409).toBe(30);
    expect(f.piiLeaks).toBe(0);
    expect(f.formulaCells).toBeGreaterThanOrEqual(12);
    expect(f.csvFormulasLive).toBe(0);
    expect(f.xlsxFormulas).toBe(0);
    expect(f.api5xx).toBe(0);
  }, 120_000);
});
