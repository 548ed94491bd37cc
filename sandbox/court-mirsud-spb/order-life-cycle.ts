/**
 * The life of a court-order application at a magistrate (TARGETS.md §2, DOMAIN.md): registration →
 * accepted or returned → order issued (≤ 5 working days) → debtor notified → in force ten working
 * days after receipt, or cancelled on objections → archive. A plan is drawn for a chosen outcome and
 * cut at the world's `asOf`; the expected normalized status follows from what is left visible.
 * Shared by the mirsud.spb.ru and mos-sud.ru replicas, which word the steps differently.
 */
import type { CaseStatus } from '../../core/records.ts';
import { addDays, addWorkingDays, toWorkingDay } from '../data/dates.ts';
import type { Prng } from '../data/prng.ts';

/** One step of the life cycle; each portal maps it to its own wording. */
export type OrderStep = 'registered' | 'accepted' | 'returned' | 'issued' | 'notified' | 'objections' | 'cancelled' | 'in_force' | 'archived';

export interface OrderStepAt {
  step: OrderStep;
  date: string;
  /** `HH:MM`. */
  time: string;
}

/** Which way the application goes. */
export type OrderOutcome = 'in_force' | 'cancelled' | 'returned';

/** The visible part of one application's life. */
export interface OrderLifeCycle {
  outcome: OrderOutcome;
  registeredAt: string;
  steps: OrderStepAt[];
  /** Date of acceptance, when visible. */
  acceptedAt: string | null;
  /** Date the order was issued, when visible. */
  issuedAt: string | null;
  /** Entry into force, when visible. */
  effectiveAt: string | null;
  /** What a correct parser concludes (DESIGN.md §Contracts `status`). */
  status: CaseStatus;
}

function hhmm(rng: Prng): string {
  return `${String(rng.int(9, 17)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}`;
}

/** Draws an outcome and a registration date within `maxAgeDays` before `asOf`, then cuts at `asOf`. */
export function planOrderLifeCycle(rng: Prng, asOf: string, maxAgeDays = 160): OrderLifeCycle {
  const x = rng.next();
  const outcome: OrderOutcome = x < 0.65 ? 'in_force' : x < 0.82 ? 'cancelled' : 'returned';
  const registeredAt = toWorkingDay(addDays(asOf, -rng.int(1, maxAgeDays)));
  const plan: OrderStepAt[] = [{ step: 'registered', date: registeredAt, time: hhmm(rng) }];
  const add = (step: OrderStep, date: string): string => {
    plan.push({ step, date, time: hhmm(rng) });
    return date;
  };
  let last: string;
  if (outcome === 'returned') {
    last = add('returned', addWorkingDays(registeredAt, rng.int(2, 5)));
  } else {
    const accepted = add('accepted', addWorkingDays(registeredAt, rng.int(1, 3)));
    const issued = add('issued', addWorkingDays(accepted, rng.int(0, 5)));
    const notified = add('notified', addWorkingDays(issued, rng.int(1, 3)));
    // The debtor receives the copy a week or two after it is sent.
    const received = addDays(notified, rng.int(5, 15));
    if (outcome === 'cancelled') {
      const objections = add('objections', toWorkingDay(addDays(received, rng.int(1, 9))));
      last = add('cancelled', addWorkingDays(objections, rng.int(1, 5)));
    } else {
      last = add('in_force', addWorkingDays(received, 10));
    }
  }
  add('archived', addWorkingDays(last, rng.int(10, 30)));
  const steps = plan.filter((s) => s.date <= asOf);
  const at = (step: OrderStep) => steps.find((s) => s.step === step)?.date ?? null;
  return {
    outcome,
    registeredAt,
    steps,
    acceptedAt: at('accepted'),
    issuedAt: at('issued'),
    effectiveAt: at('in_force'),
    status: statusOf(steps.map((s) => s.step)),
  };
}

/** The status the visible steps imply, most final first. */
export function statusOf(steps: readonly OrderStep[]): CaseStatus {
  if (steps.includes('cancelled')) return 'cancelled';
  if (steps.includes('returned')) return 'returned';
  if (steps.includes('in_force')) return 'in_force';
  if (steps.includes('issued')) return 'order_issued';
  if (steps.includes('accepted')) return 'accepted';
  return 'received';
}
