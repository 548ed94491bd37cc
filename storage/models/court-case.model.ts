import { Schema, type Connection, type Model } from 'mongoose';
import type { CourtCaseRecord } from '../../core/records.ts';
import type { CaseScheduleState } from '../schedule.types.ts';
import type { HistoryChange, SourceRef } from '../court-cases.types.ts';

/** One entry of a case's history: when a check saw something change, and what. */
export interface CaseHistoryEntry {
  at: Date;
  lookupId: string | null;
  evidenceId: string | null;
  changes: HistoryChange[];
}

/** `court_cases` document: the normalized record plus identity, provenance and history. */
export interface CourtCaseDoc extends CourtCaseRecord {
  /** Natural key: `<court code or host>:<id:case_id | uid:UID | no:case number>` (see courtCaseKey). */
  _id: string;
  schemaVersion: number;
  source: SourceRef;
  history: CaseHistoryEntry[];
  /** Optimistic-concurrency counter: an update applies only to the version it read. */
  rev: number;
  firstSeenAt: Date;
  checkedAt: Date;
  /** Re-check schedule and legal deadlines (scheduler/); absent until the scheduler first sees the case. */
  schedule?: CaseScheduleState | null;
}

export const COURT_CASE_SCHEMA_VERSION = 1;

const sourceSchema = new Schema(
  { url: String, fetchedAt: Date, evidenceId: String, parserVersion: String, lookupId: String },
  { _id: false },
);

export const courtCaseSchema = new Schema<CourtCaseDoc>(
  {
    _id: { type: String, required: true },
    schemaVersion: { type: Number, required: true },
    court: { type: Schema.Types.Mixed, required: true },
    caseNumber: { type: String, default: null },
    materialNumber: { type: String, default: null },
    previousNumbers: { type: [String], default: [] },
    uid: { type: String, default: null },
    caseId: { type: String, default: null },
    caseUid: { type: String, default: null },
    instance: { type: String, default: null },
    category: { type: String, default: null },
    judge: { type: String, default: null },
    registeredAt: { type: String, default: null },
    decision: { type: Schema.Types.Mixed, default: () => ({ date: null, result: null }) },
    effectiveAt: { type: String, default: null },
    // 'shown' | 'derived' and where shown / the rule derived by (core/records.ts CourtCaseRecord).
    effectiveAtSource: { type: String, default: null },
    effectiveAtRule: { type: String, default: null },
    appeals: { type: Schema.Types.Mixed, default: undefined },
    status: { type: String, required: true },
    parties: { type: Schema.Types.Mixed, default: [] },
    events: { type: Schema.Types.Mixed, default: [] },
    executionDocuments: { type: Schema.Types.Mixed, default: [] },
    template: { type: String, required: true },
    source: { type: sourceSchema, required: true },
    history: { type: Schema.Types.Mixed, default: [] },
    rev: { type: Number, required: true },
    firstSeenAt: { type: Date, required: true },
    checkedAt: { type: Date, required: true },
    schedule: { type: Schema.Types.Mixed, default: undefined },
  },
  { collection: 'court_cases', versionKey: false, minimize: false },
);
courtCaseSchema.index({ uid: 1 });
courtCaseSchema.index({ caseNumber: 1, 'court.host': 1 });
courtCaseSchema.index({ status: 1, checkedAt: 1 });
courtCaseSchema.index({ 'schedule.overdue': 1, 'schedule.daysLate': -1 });
// A client's records in page order (storage/read-models.repo.ts: `clientIds` = clients whose lookups reached the record).
courtCaseSchema.index({ clientIds: 1, _id: 1 });

export type CourtCaseModel = Model<CourtCaseDoc>;
export const courtCaseModel = (conn: Connection): CourtCaseModel => conn.model<CourtCaseDoc>('CourtCase', courtCaseSchema);
