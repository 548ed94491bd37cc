import { Schema, type Connection, type Model } from 'mongoose';
import type { EnforcementProceeding } from '../../core/records.ts';
import type { SourceRef } from '../court-cases.types.ts';

/** What happened to a proceeding between two checks (TARGETS.md §3.3; issue 3 «history»). */
export type ProceedingEventKind = 'opened' | 'amount_changed' | 'ended' | 'reopened' | 'changed';

/** One entry of a proceeding's history. */
export interface ProceedingHistoryEntry {
  at: Date;
  event: ProceedingEventKind;
  lookupId: string | null;
  evidenceId: string | null;
  /** `opened`: the debt; `amount_changed`: debtRest from → to; `ended`: date and reason «ст. 46 ч. 1 п. 3». */
  details: Record<string, unknown>;
}

/** `enforcement_proceedings` document: the parsed proceeding plus identity, links, provenance, history. */
export interface EnforcementProceedingDoc extends EnforcementProceeding {
  /** Natural key: the ИП number as the site prints it («102021/20/02003-ИП»). */
  _id: string;
  schemaVersion: number;
  /** `court_cases._id` of the case whose number the executive document names, or null. */
  courtCaseId: string | null;
  source: SourceRef;
  history: ProceedingHistoryEntry[];
  rev: number;
  firstSeenAt: Date;
  checkedAt: Date;
}

export const ENFORCEMENT_PROCEEDING_SCHEMA_VERSION = 1;

const sourceSchema = new Schema(
  { url: String, fetchedAt: Date, evidenceId: String, parserVersion: String, lookupId: String },
  { _id: false },
);

export const enforcementProceedingSchema = new Schema<EnforcementProceedingDoc>(
  {
    _id: { type: String, required: true },
    schemaVersion: { type: Number, required: true },
    ipNumber: { type: String, required: true },
    ipDate: { type: String, default: null },
    sdNumber: { type: String, default: null },
    debtor: { type: Schema.Types.Mixed, required: true },
    executiveDocument: { type: Schema.Types.Mixed, required: true },
    ended: { type: Schema.Types.Mixed, default: null },
    subjects: { type: Schema.Types.Mixed, default: [] },
    debtRest: { type: Number, default: null },
    department: { type: Schema.Types.Mixed, default: null },
    bailiff: { type: Schema.Types.Mixed, default: null },
    region: { type: String, default: null },
    uin: { type: String, default: null },
    courtCaseId: { type: String, default: null },
    source: { type: sourceSchema, required: true },
    history: { type: Schema.Types.Mixed, default: [] },
    rev: { type: Number, required: true },
    firstSeenAt: { type: Date, required: true },
    checkedAt: { type: Date, required: true },
  },
  { collection: 'enforcement_proceedings', versionKey: false, minimize: false, strict: false },
);
// The ИП number is `_id` (unique by construction); these serve the downstream queries.
enforcementProceedingSchema.index({ 'debtor.name': 1, 'debtor.birthDate': 1 });
enforcementProceedingSchema.index({ 'executiveDocument.number': 1 });
enforcementProceedingSchema.index({ courtCaseId: 1 });
enforcementProceedingSchema.index({ sdNumber: 1 });
// A client's records in page order (storage/read-models.repo.ts: `clientIds` = clients whose lookups reached the record).
enforcementProceedingSchema.index({ clientIds: 1, _id: 1 });

export type EnforcementProceedingModel = Model<EnforcementProceedingDoc>;
export const enforcementProceedingModel = (conn: Connection): EnforcementProceedingModel =>
  conn.model<EnforcementProceedingDoc>('EnforcementProceeding', enforcementProceedingSchema);
