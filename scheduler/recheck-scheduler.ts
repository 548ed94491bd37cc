/**
 * The re-check scheduler: every tracked court case (not in a final state) gets a `court.case`
 * lookup on a cadence — faster near a legal deadline — until it reaches a final state; each pass
 * also stores the case's expected dates and overdue flag.
 *
 * Never twice: the client key of a re-check is `recheck:<case>:<slot>`, the slot being the stored
 * `nextCheckAt`. A scheduler that dies after submitting and before storing the new slot submits the
 * same key again on restart and gets the first lookup back (the sparse unique index on clientKey).
 */
import { createHash } from 'node:crypto';
import type { ProductionCalendar } from '../core/calendar/index.ts';
import type { Logger } from '../core/logger.ts';
import { courtCaseInputSchema } from '../queues/court-case.payload.ts';
import type { SubmitRequest, SubmitResult } from '../queues/submit.ts';
import type { CaseScheduleState, ScheduleStore, ScheduleWrite, TrackedCase } from '../storage/schedule.types.ts';
import { computeCaseDeadlines, FINAL_CASE_STATUSES, localDate, type CaseDeadlines } from './case-schedule.ts';

/** Cadence of re-checks. */
export interface RecheckCadence {
  /** Between checks of a case far from any deadline. Default 72 h. */
  intervalMs: number;
  /** Between checks when the expected date is near or past. Default 24 h. */
  nearDeadlineIntervalMs: number;
  /** "Near": the expected date is at most this many working days ahead. Default 2. */
  nearDeadlineWorkingDays: number;
}

export interface RecheckSchedulerOptions {
  cadence: RecheckCadence;
  /** Courts' local time zone for "today" (IANA). Default Europe/Moscow. */
  timeZone?: string;
  /** Re-checks submitted per pass at most (the rest wait for the next pass). */
  maxSubmitsPerPass?: number;
  /** Cases read per page. */
  pageSize?: number;
}

export interface RecheckSchedulerDeps {
  schedules: ScheduleStore;
  calendar: ProductionCalendar;
  /** Stores and queues lookups (queues/submit.ts `submitLookups` bound to the farm). */
  submit: (requests: SubmitRequest[], batchId: string) => Promise<SubmitResult>;
  log: Logger;
  now?: () => Date;
}

/** What one pass did. */
export interface PassReport {
  scanned: number;
  final: number;
  due: number;
  submitted: number;
  /** Due cases whose key had already been submitted (a restart): nothing queued twice. */
  alreadySubmitted: number;
  /** Cases no `court.case` input can be built for (no host, no id): left for an operator. */
  unaddressable: number;
  overdue: number;
  /** Cases whose derived entry into force a check on or after the date confirmed in this pass. */
  confirmed: number;
  written: number;
  ms: number;
}

const HOUR_MS = 3_600_000;
/** Defaults: every 3 days, daily near a deadline, "near" = within 2 working days. */
export const DEFAULT_CADENCE: RecheckCadence = { intervalMs: 72 * HOUR_MS, nearDeadlineIntervalMs: 24 * HOUR_MS, nearDeadlineWorkingDays: 2 };

/** The `court.case` input that re-checks a case: site ids, else UID, else number. Null when none validates. */
export function recheckInput(c: TrackedCase): Record<string, unknown> | null {
  if (!c.court.host) return null;
  const candidates: Array<Record<string, unknown>> = [];
  if (c.caseId && c.caseUid) candidates.push({ court: c.court.host, caseId: c.caseId, caseUid: c.caseUid });
  if (c.uid) candidates.push({ court: c.court.host, uid: c.uid });
  if (c.caseNumber) candidates.push({ court: c.court.host, number: c.caseNumber });
  for (const input of candidates) {
    const parsed = courtCaseInputSchema.safeParse(input);
    if (parsed.success) return parsed.data as Record<string, unknown>;
  }
  return null;
}

/** Client key of the re-check of `caseKey` in the slot starting at `slot`. */
export function recheckClientKey(caseKey: string, slot: Date): string {
  return `recheck:${createHash('sha256').update(caseKey).digest('hex').slice(0, 24)}:${slot.getTime()}`;
}

/** How long until the next check of a case with these deadlines. */
export function intervalFor(d: CaseDeadlines, cadence: RecheckCadence, calendar: ProductionCalendar, today: string): number {
  // An entry into force is not the court's to do: no daily checks near it, one check the day after (firstCheckAfter).
  if (!d.expected || d.expected.event === 'in_force') return cadence.intervalMs;
  const near = d.overdue || calendar.workingDaysBetween(today, d.expected.date) <= cadence.nearDeadlineWorkingDays;
  return near ? cadence.nearDeadlineIntervalMs : cadence.intervalMs;
}

/** One pass over every tracked case: refresh schedules, submit the re-checks that are due. */
export async function runSchedulerPass(deps: RecheckSchedulerDeps, options: RecheckSchedulerOptions): Promise<PassReport> {
  const started = Date.now();
  const now = (deps.now ?? (() => new Date()))();
  const today = localDate(now, options.timeZone ?? 'Europe/Moscow');
  const pageSize = options.pageSize ?? 500;
  let budget = options.maxSubmitsPerPass ?? 5000;
  const report: PassReport = { scanned: 0, final: 0, due: 0, submitted: 0, alreadySubmitted: 0, unaddressable: 0, overdue: 0, confirmed: 0, written: 0, ms: 0 };
  const batchId = `recheck-${now.toISOString()}`;

  for (let afterId: string | undefined; ; ) {
    const page = await deps.schedules.listTracked({ finalStatuses: FINAL_CASE_STATUSES, afterId, limit: pageSize });
    if (page.length === 0) break;
    afterId = page.at(-1)!._id;
    report.scanned += page.length;
    const writes: ScheduleWrite[] = [];
    const due: Array<{ c: TrackedCase; state: CaseScheduleState; interval: number; request: SubmitRequest }> = [];

    for (const c of page) {
      const checkedOn = localDate(new Date(c.checkedAt), options.timeZone ?? 'Europe/Moscow');
      const d = computeCaseDeadlines({ ...c, checkedOn }, deps.calendar, today);
      const interval = intervalFor(d, options.cadence, deps.calendar, today);
      const prev = c.schedule ?? null;
      const checkedAt = new Date(c.checkedAt);
      const rechecked = !prev || new Date(prev.basisCheckedAt).getTime() !== checkedAt.getTime();
      const state: CaseScheduleState = {
        basisCheckedAt: checkedAt,
        nextCheckAt: rechecked ? firstCheckAfter(checkedAt, interval, d) : new Date(prev.nextCheckAt),
        computedAt: now,
        final: d.final,
        finality: {
          state: d.finality.state, effectiveAt: d.finality.effectiveAt, source: d.finality.source, rule: d.finality.rule,
          legalSource: d.finality.legalSource, assumption: d.finality.assumption, steps: d.finality.steps, reason: d.finality.reason,
          confirmedAt: d.confirmed ? checkedAt : (prev?.finality?.confirmedAt ?? null),
        },
        expected: d.expected,
        dates: d.dates,
        overdue: d.overdue,
        daysLate: d.daysLate,
        pending: rechecked ? null : (prev.pending ?? null),
      };
      if (d.final) report.final += 1;
      if (d.overdue) report.overdue += 1;
      if (d.confirmed) report.confirmed += 1;
      if (!d.final && state.nextCheckAt.getTime() <= now.getTime()) {
        report.due += 1;
        const input = recheckInput(c);
        if (!input) report.unaddressable += 1;
        else if (budget > 0) {
          budget -= 1;
          due.push({ c, state, interval, request: { type: 'court.case', input, clientKey: recheckClientKey(c._id, state.nextCheckAt) } });
          continue;
        }
      }
      if (d.confirmed) writes.push({ id: c._id, schedule: state, effective: d.confirmed });
      else if (changed(prev, state)) writes.push({ id: c._id, schedule: state });
    }

    if (due.length > 0) {
      const res = await deps.submit(due.map((x) => x.request), batchId);
      res.lookups.forEach((l, i) => {
        const { c, state, interval } = due[i]!;
        if (l.existed) report.alreadySubmitted += 1;
        else report.submitted += 1;
        // The slot is used: if this check never lands (site down), the next one comes a cadence later.
        state.pending = { slot: state.nextCheckAt.toISOString(), lookupId: l.id, submittedAt: now };
        state.nextCheckAt = new Date(now.getTime() + interval);
        writes.push({ id: c._id, schedule: state });
      });
    }
    await deps.schedules.setSchedules(writes);
    report.written += writes.length;
  }
  report.ms = Date.now() - started;
  deps.log.info({ ...report }, 'scheduler pass');
  return report;
}

/**
 * Next check after a check at `checkedAt`: a cadence later, but not later than the morning after
 * the expected date (so an overdue court is noticed the day it becomes overdue).
 */
function firstCheckAfter(checkedAt: Date, interval: number, d: CaseDeadlines): Date {
  let next = checkedAt.getTime() + interval;
  if (d.expected) {
    const dayAfter = Date.parse(`${d.expected.date}T00:00:00Z`) + 24 * HOUR_MS;
    if (dayAfter > checkedAt.getTime()) next = Math.min(next, dayAfter);
  }
  return new Date(next);
}

/** Whether a write is worth it: anything but `computedAt` differs. */
function changed(prev: CaseScheduleState | null, next: CaseScheduleState): boolean {
  if (!prev) return true;
  const strip = (s: CaseScheduleState) => JSON.stringify({ ...s, computedAt: null });
  return strip({ ...prev, basisCheckedAt: new Date(prev.basisCheckedAt), nextCheckAt: new Date(prev.nextCheckAt) }) !== strip(next);
}
