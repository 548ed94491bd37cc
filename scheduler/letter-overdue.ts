/**
 * Overdue terms counted from the delivery of the farm's letters (issue 17): where a delivered letter
 * is linked to a court case, an ИП or an EPGU request, its receipt date — not the guess from the
 * filing date — starts the term (core/postal-deadlines.ts). `konveyer cases overdue` and
 * `konveyer epgu overdue` merge these rows into theirs. Pure apart from the lookups it is given.
 */
import type { LetterDeadline } from '../core/postal-deadlines.ts';
import type { PostalItemDoc } from '../storage/postal-items.types.ts';

/** Court case statuses after which an order is no longer awaited. */
const ORDER_DONE = new Set(['order_issued', 'in_force', 'refused', 'returned', 'cancelled', 'decided']);

/** Calendar days from `a` to `b` (ISO dates). */
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/** A term from a letter, with what is known of the linked record. */
export interface LetterOverdue {
  deadline: LetterDeadline;
  barcode: string;
  deliveredAt: string;
  daysLate: number;
}

/** Every term of `letters` of `kind` that is past `today`, unless `isDone` says the record did it. */
export async function overdueFromLetters(
  letters: readonly PostalItemDoc[],
  kind: LetterDeadline['kind'],
  today: string,
  isDone: (d: LetterDeadline) => Promise<boolean>,
): Promise<LetterOverdue[]> {
  const out: LetterOverdue[] = [];
  for (const l of letters) {
    for (const d of l.deadlines ?? []) {
      if (d.kind !== kind || d.due >= today) continue;
      if (await isDone(d)) continue;
      out.push({ deadline: d, barcode: l._id, deliveredAt: l.deliveredAt!, daysLate: daysBetween(d.due, today) });
    }
  }
  return out.sort((a, b) => b.daysLate - a.daysLate || a.barcode.localeCompare(b.barcode));
}

/** Whether a court case of this status no longer awaits its order. */
export const orderNoLongerAwaited = (status: string | null | undefined): boolean => ORDER_DONE.has(status ?? '');

/** Record ids with a delivered linked letter: their term is the letter's, whatever the filing-date guess says. */
export function idsTimedByLetters(letters: readonly PostalItemDoc[], kind: LetterDeadline['kind']): Set<string> {
  return new Set(letters.flatMap((l) => (l.deadlines ?? []).filter((d) => d.kind === kind).map((d) => d.id)));
}
