/** The re-check schedule kept on `court_cases` (`schedule`), as the scheduler and `konveyer cases` use it. */
import type { CourtCaseRecord } from '../core/records.ts';

/** The re-check schedule of one court case (`court_cases.schedule`), kept by `konveyer scheduler`. */
export interface CaseScheduleState {
  /** The case's `checkedAt` this state was computed from; a newer check resets `nextCheckAt`. */
  basisCheckedAt: Date;
  nextCheckAt: Date;
  computedAt: Date;
  /** The case reached a final state: no more re-checks. */
  final: boolean;
  /**
   * The entry into force, shown or derived by law (scheduler/case-finality.ts), with the rule, the
   * assumptions and the dated steps; `confirmedAt` is the check that confirmed a derived date.
   * Absent on schedules written before it was kept.
   */
  finality?: {
    state: string;
    effectiveAt: string | null;
    source: 'shown' | 'derived' | null;
    rule: string | null;
    legalSource: string | null;
    assumption: string | null;
    steps: Array<{ what: string; date: string; assumed: boolean }>;
    reason: string | null;
    confirmedAt: Date | null;
  };
  /** The next thing the court should do, by law, and by when (court-local date). */
  expected: { event: string; date: string; rule: string; from: string; source: string } | null;
  /** Derived dates: expectedIssue, copyToDebtorDue, debtorReceivedBy, objectionDeadline, expectedInForce. */
  dates: Record<string, string | null>;
  /** No movement past the expected date. */
  overdue: boolean;
  /** Calendar days past the expected date (0 when not overdue). */
  daysLate: number;
  /** The re-check submitted for the current slot (client key slot = nextCheckAt), if any. */
  pending: { slot: string; lookupId: string; submittedAt: Date } | null;
}

/** One schedule write; `effective` also sets the case's `effectiveAt` (derived and confirmed) when it has none. */
export interface ScheduleWrite {
  id: string;
  schedule: CaseScheduleState;
  effective?: { effectiveAt: string; effectiveAtSource: 'derived'; effectiveAtRule: string };
}

/** What the scheduler reads of a case. */
export interface TrackedCase {
  _id: string;
  court: { name: string | null; host: string | null; code: string | null };
  caseNumber: string | null;
  caseId: string | null;
  caseUid: string | null;
  uid: string | null;
  status: CourtCaseRecord['status'];
  registeredAt: string | null;
  decision: CourtCaseRecord['decision'];
  effectiveAt: string | null;
  effectiveAtSource?: 'shown' | 'derived' | null;
  effectiveAtRule?: string | null;
  instance?: string | null;
  category?: string | null;
  events: CourtCaseRecord['events'];
  executionDocuments?: CourtCaseRecord['executionDocuments'];
  appeals?: CourtCaseRecord['appeals'];
  checkedAt: Date;
  schedule?: CaseScheduleState | null;
}

/** The schedule fields of `court_cases`, as the scheduler and `konveyer cases` use them. */
export interface ScheduleStore {
  /** Cases not in a final status and not marked final, by `_id` after `afterId`. */
  listTracked(options: { finalStatuses: readonly string[]; afterId?: string; limit: number }): Promise<TrackedCase[]>;
  /** Writes the schedule of each case (the case's other fields are left alone). */
  setSchedules(updates: ScheduleWrite[]): Promise<void>;
  /** Overdue cases, most days late first. */
  listOverdue(filter?: { courtHost?: string; limit?: number }): Promise<TrackedCase[]>;
}
