import type { Connection } from 'mongoose';
import { courtCaseModel, type CourtCaseModel } from './models/court-case.model.ts';
import type { ScheduleStore, ScheduleWrite, TrackedCase } from './schedule.types.ts';

/** Fields the scheduler reads: identity, state, events, and the schedule itself. */
const TRACKED_FIELDS = {
  court: 1, caseNumber: 1, caseId: 1, caseUid: 1, uid: 1, status: 1, registeredAt: 1, decision: 1, effectiveAt: 1, effectiveAtSource: 1, effectiveAtRule: 1, instance: 1, category: 1, events: 1, executionDocuments: 1, appeals: 1, checkedAt: 1, schedule: 1,
} as const;

const BULK_CHUNK = 50;

/**
 * MongoDB implementation of ScheduleStore over `court_cases`. Writes touch only `schedule`, so they
 * never conflict with a robot saving the case (that save `$set`s the record fields under its `rev`).
 */
export class MongoScheduleStore implements ScheduleStore {
  readonly model: CourtCaseModel;
  constructor(conn: Connection) {
    this.model = courtCaseModel(conn);
  }

  async listTracked(options: { finalStatuses: readonly string[]; afterId?: string; limit: number }): Promise<TrackedCase[]> {
    const filter: Record<string, unknown> = { status: { $nin: [...options.finalStatuses] }, 'schedule.final': { $ne: true } };
    if (options.afterId !== undefined) filter._id = { $gt: options.afterId };
    return this.model.find(filter, TRACKED_FIELDS).sort({ _id: 1 }).limit(options.limit).lean<TrackedCase[]>();
  }

  async setSchedules(updates: ScheduleWrite[]): Promise<void> {
    // Chunks of 50: FerretDB 1.24 never answers one bulk `update` of 300 statements (measured;
    // 50 take ~0.4 s), MongoDB does not care.
    for (let i = 0; i < updates.length; i += BULK_CHUNK) {
      await this.model.bulkWrite(
        updates.slice(i, i + BULK_CHUNK).flatMap((u) => [
          { updateOne: { filter: { _id: u.id }, update: { $set: { schedule: u.schedule } } } },
          // A confirmed derived date never replaces a shown one (a robot may have saved one meanwhile).
          ...(u.effective ? [{ updateOne: { filter: { _id: u.id, effectiveAt: null }, update: { $set: { ...u.effective } } } }] : []),
        ]),
        { ordered: false },
      );
    }
  }

  async listOverdue(filter: { courtHost?: string; limit?: number } = {}): Promise<TrackedCase[]> {
    const query: Record<string, unknown> = { 'schedule.overdue': true };
    if (filter.courtHost) query['court.host'] = filter.courtHost;
    return this.model.find(query, TRACKED_FIELDS).sort({ 'schedule.daysLate': -1, _id: 1 }).limit(filter.limit ?? 10_000).lean<TrackedCase[]>();
  }
}
