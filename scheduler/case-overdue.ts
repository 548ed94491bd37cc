/**
 * Court cases whose court is late (`konveyer cases overdue`): the scheduler's last reading of each
 * tracked case (`schedule.daysLate`), merged with the terms that delivered letters start (issue 17).
 * Reads the stores it is given; the CLI only prints the rows.
 */
import type { Storage } from '../storage/index.ts';
import { idsTimedByLetters, orderNoLongerAwaited, overdueFromLetters } from './letter-overdue.ts';

/** One row of `konveyer cases overdue`. */
export interface CaseOverdueRow {
  caseNumber: string | null;
  court: string | null;
  expectedEvent: string;
  expectedDate: string;
  daysLate: number;
  rule: string;
  caseKey: string;
  /** The delivered letter whose receipt date started this term (issue 17), when one is linked. */
  letter?: string;
}

/** Cases with no movement past their expected date as of the last scheduler pass, with the letters' terms; most days late first. */
export async function listOverdueCases(storage: Pick<Storage, 'schedules' | 'postalItems' | 'courtCases'>, options: { today: string; courtHost?: string }): Promise<CaseOverdueRow[]> {
  const docs = await storage.schedules.listOverdue({ courtHost: options.courtHost });
  const rows: CaseOverdueRow[] = docs.map((d) => ({
    caseNumber: d.caseNumber,
    court: d.court.host,
    expectedEvent: d.schedule?.expected?.event ?? '',
    expectedDate: d.schedule?.expected?.date ?? '',
    daysLate: d.schedule?.daysLate ?? 0,
    rule: d.schedule?.expected?.rule ?? '',
    caseKey: d._id,
  }));
  return withCaseLetterTerms(rows, storage, options.today, options.courtHost);
}

/**
 * Cases with a delivered letter linked (issue 17): the court's five working days run from the
 * letter's receipt. Their «order_issued» rows from the filing-date guess give way to the letter's
 * term; a letter's term past `today` with no order yet is a row of its own.
 */
export async function withCaseLetterTerms(rows: CaseOverdueRow[], storage: Pick<Storage, 'postalItems' | 'courtCases'>, today: string, courtHost?: string): Promise<CaseOverdueRow[]> {
  const letters = await storage.postalItems.listLinked('court-case');
  const timed = idsTimedByLetters(letters, 'court-case');
  const caseOf = (id: string) => storage.courtCases.model.findById(id, { status: 1, caseNumber: 1, court: 1 }).lean<{ _id: string; status: string; caseNumber: string | null; court: { host: string | null } }>();
  const late = await overdueFromLetters(letters, 'court-case', today, async (d) => orderNoLongerAwaited((await caseOf(d.id))?.status));
  const out = rows.filter((r) => !(r.expectedEvent === 'order_issued' && timed.has(r.caseKey)));
  for (const l of late) {
    const c = await caseOf(l.deadline.id);
    if (courtHost && c?.court?.host !== courtHost) continue;
    out.push({ caseNumber: c?.caseNumber ?? null, court: c?.court?.host ?? null, expectedEvent: 'order_issued', expectedDate: l.deadline.due, daysLate: l.daysLate, rule: l.deadline.rule, caseKey: l.deadline.id, letter: l.barcode });
  }
  return out.sort((a, b) => b.daysLate - a.daysLate || a.caseKey.localeCompare(b.caseKey));
}
