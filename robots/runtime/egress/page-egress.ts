import type { Page } from 'playwright';
import type { ParkedEgress } from '../../../storage/captcha-tasks.types.ts';
import { parkEgress, type EgressSession } from './egress-pool.ts';

/** The egress session each leased browser page goes out on, and the host it was picked for (set by browser-pool.ts). */
const leased = new WeakMap<Page, { session: EgressSession; host: string }>();

/** Notes the egress `page` is leased on (`null` when the lease ends). */
export function notePageEgress(page: Page, egress: { session: EgressSession; host: string } | null): void {
  if (egress) leased.set(page, egress);
  else leased.delete(page);
}

/** What a parked lookup keeps of a leased page's egress (its proxy's id and fingerprint); null when direct. */
export function parkedEgressOf(page: Page): ParkedEgress | null {
  const egress = leased.get(page);
  return egress ? parkEgress(egress.session, egress.host) : null;
}
