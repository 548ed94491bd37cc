/**
 * Expected dates of a court case from its status and events, by the rules of deadline-rules.ts:
 * `filed → (+5 wd) expectedIssue → issued → (+5 wd) copyToDebtorDue → debtor receives (or the copy
 * lies 7 days at the post office) → (+10 wd) objectionDeadline → expectedInForce` (DOMAIN.md §1.1).
 * Pure: the caller gives "today" as a court-local date.
 */
import type { ProductionCalendar } from '../core/calendar/index.ts';
import type { CaseEvent, CaseStatus, ExecutionDocument } from '../core/records.ts';
import { caseFinality, type CaseAppealInput, type CaseFinality, type EffectiveAtSource, type FinalityRuleId } from './case-finality.ts';
import { addCalendarDays, DEADLINE_RULES, deadlineOf, type DeadlineRuleId } from './deadline-rules.ts';

/** Statuses after which a case is never re-checked. */
export const FINAL_CASE_STATUSES: readonly CaseStatus[] = ['in_force', 'refused', 'returned', 'cancelled'];

/** What the schedule reads of a case. */
export interface ScheduleCaseInput {
  status: CaseStatus;
  registeredAt: string | null;
  decision: { date: string | null; result: string | null };
  effectiveAt: string | null;
  /** How the stored `effectiveAt` was obtained (absent on records saved before it was kept: shown). */
  effectiveAtSource?: EffectiveAtSource | null;
  effectiveAtRule?: string | null;
  caseNumber?: string | null;
  instance?: string | null;
  category?: string | null;
  events: ReadonlyArray<Pick<CaseEvent, 'name' | 'date' | 'result'>>;
  executionDocuments?: ReadonlyArray<Pick<ExecutionDocument, 'issuedAt' | 'status'>>;
  appeals?: ReadonlyArray<CaseAppealInput>;
  /** Court-local date of the last check: a check on or after a derived date confirms it. */
  checkedOn?: string | null;
}

/** The next thing the court should do, by when, by which rule, counted from which date. */
export interface ExpectedEvent {
  event: 'order_issued' | 'copy_sent' | 'in_force';
  date: string;
  /** A deadline rule of the court, or (for `in_force`) the finality rule the date was derived by. */
  rule: DeadlineRuleId | FinalityRuleId;
  from: string;
  source: string;
}

export interface CaseDeadlines {
  /** No more re-checks: ended, in force as shown, or a derived date confirmed by a check on or after it. */
  final: boolean;
  /** The entry into force, shown or derived (scheduler/case-finality.ts). */
  finality: CaseFinality;
  /** A derived date a check on or after it has confirmed: written to the case as its `effectiveAt`. */
  confirmed: { effectiveAt: string; effectiveAtSource: 'derived'; effectiveAtRule: string } | null;
  expected: ExpectedEvent | null;
  dates: {
    expectedIssue: string | null;
    copyToDebtorDue: string | null;
    debtorReceivedBy: string | null;
    objectionDeadline: string | null;
    expectedInForce: string | null;
  };
  /**
   * The court is late with something it has to do (issue, send the copy). An entry into force is
   * never overdue: it comes by law, and a card that does not show it is not a late court.
   */
  overdue: boolean;
  /** Calendar days past `expected.date` (0 when not overdue). */
  daysLate: number;
}

// Event wording of the sudrf/msudrf cartotekas (TARGETS.md §2; sandbox/data/life-cycle.ts).
const ORDER_ISSUED = /вынесен\S*\s+судебн\S*\s+приказ|^\s*судебный\s+приказ\s*$|принято\s+решение:\s*судебный\s+приказ/i;
const COPY_SENT = /(направлен|высылк|выслан)\S*\s+(?:\S+\s+){0,3}копи\S*\s+(?:\S+\s+){0,3}должник|извещение\s+должника/i;
const DEBTOR_RECEIVED = /(получ|вручен)\S*\s+(?:\S+\s+){0,4}должник|должник\S*\s+(?:\S+\s+){0,3}(получ|вручен)/i;
// Signs of an ordinary suit (hearings), where the 5-day order rule does not apply.
const LAWSUIT = /подготовк\S*\s+дела|назначении\s+дела|судебное\s+заседание|беседа/i;

const firstDate = (events: ScheduleCaseInput['events'], re: RegExp): string | null =>
  events
    .filter((e) => e.date && (re.test(e.name) || re.test(e.result ?? '')))
    .map((e) => e.date!)
    .sort()[0] ?? null;

/** Whether a case needs no more checks by status or a shown entry into force (a derived one needs its confirming check). */
export function isFinalCase(c: Pick<ScheduleCaseInput, 'status' | 'effectiveAt'> & { effectiveAtSource?: EffectiveAtSource | null }): boolean {
  return FINAL_CASE_STATUSES.includes(c.status) || (c.effectiveAt !== null && c.effectiveAtSource !== 'derived');
}

/** Expected dates and the overdue flag of one case on `today` (court-local `YYYY-MM-DD`). */
export function computeCaseDeadlines(c: ScheduleCaseInput, calendar: ProductionCalendar, today: string): CaseDeadlines {
  const dates: CaseDeadlines['dates'] = { expectedIssue: null, copyToDebtorDue: null, debtorReceivedBy: null, objectionDeadline: null, expectedInForce: null };
  const finality = caseFinality(c, calendar);
  // A stored derived date is already confirmed (the scheduler writes it only then).
  const storedDerived = c.effectiveAt !== null && c.effectiveAtSource === 'derived';
  const confirmedNow = finality.state === 'derived' && !!c.checkedOn && c.checkedOn >= finality.effectiveAt!;
  const final = isFinalCase(c) || finality.final || storedDerived || confirmedNow;
  const confirmed = confirmedNow && !storedDerived
    ? { effectiveAt: finality.effectiveAt!, effectiveAtSource: 'derived' as const, effectiveAtRule: finality.rule! }
    : null;
  const expect = (event: ExpectedEvent['event'], rule: DeadlineRuleId | FinalityRuleId, from: string, date: string): ExpectedEvent =>
    ({ event, date, rule, from, source: rule in DEADLINE_RULES ? DEADLINE_RULES[rule as DeadlineRuleId].source : (finality.legalSource ?? '') });
  let expected: ExpectedEvent | null = null;

  const filed = c.registeredAt ?? firstDate(c.events, /регистрац|поступлен/i);
  const issued = firstDate(c.events, ORDER_ISSUED) ?? (c.status === 'order_issued' ? c.decision.date : null);
  const isLawsuit = c.events.some((e) => LAWSUIT.test(e.name)) && !issued;

  if (filed && !isLawsuit) dates.expectedIssue = deadlineOf(calendar, DEADLINE_RULES.issue_order, filed);
  if (issued) {
    dates.copyToDebtorDue = deadlineOf(calendar, DEADLINE_RULES.copy_to_debtor, issued);
    const sent = firstDate(c.events, COPY_SENT);
    const received = firstDate(c.events, DEBTOR_RECEIVED);
    // Unknown receipt: the copy counts as received when the post office returns it after storage.
    const receivedBy = received ?? (sent ? addCalendarDays(sent, DEADLINE_RULES.postal_storage.days) : null);
    dates.debtorReceivedBy = receivedBy;
    if (receivedBy) {
      dates.objectionDeadline = deadlineOf(calendar, DEADLINE_RULES.objections, receivedBy);
      // In force the day after the objection period (case-finality.ts; the same count with its assumptions).
      dates.expectedInForce = finality.state === 'derived' ? finality.effectiveAt : addCalendarDays(dates.objectionDeadline, 1);
    }
    if (!final && c.status !== 'decided') {
      expected = sent
        ? expect('in_force', finality.state === 'derived' ? finality.rule! : 'objections', receivedBy!, dates.expectedInForce!)
        : expect('copy_sent', 'copy_to_debtor', issued, dates.copyToDebtorDue);
    }
  } else if (!final && filed && !isLawsuit && (c.status === 'received' || c.status === 'accepted' || c.status === 'unknown')) {
    expected = expect('order_issued', 'issue_order', filed, dates.expectedIssue!);
  } else if (!final && finality.state === 'derived') {
    dates.expectedInForce = finality.effectiveAt;
    const from = finality.steps.find((s) => s.what === 'decision in final form')?.date ?? c.decision.date ?? finality.effectiveAt!;
    expected = { event: 'in_force', date: finality.effectiveAt!, rule: finality.rule!, from, source: finality.legalSource ?? DEADLINE_RULES.decision_appeal.source };
  }
  if (final && dates.expectedInForce === null && finality.effectiveAt) dates.expectedInForce = finality.effectiveAt;
  const overdue = expected !== null && expected.event !== 'in_force' && today > expected.date;
  const daysLate = overdue ? Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${expected!.date}T00:00:00Z`)) / 86_400_000) : 0;
  return { final, finality, confirmed, expected, dates, overdue, daysLate };
}

/** Today's date in `timeZone` (IANA), as `YYYY-MM-DD`. */
export function localDate(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
