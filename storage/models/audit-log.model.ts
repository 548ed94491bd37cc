import { Schema, type Connection, type Model } from 'mongoose';

/**
 * `audit_log`: who looked at or exported which evidence, when, from where. Append-only by use:
 * nothing in konveyer updates or deletes these documents.
 */
export interface AuditLogEntry {
  _id: string;
  at: Date;
  /** The API key id (or `cli:<os user>` for the command line). */
  actor: string;
  /** `view.search`, `view.job`, `view.blob`, `export.job`, `export.case`, `export.debtor`, `verify`, `login`, `denied`. */
  action: string;
  /** What was viewed or exported: a job id, case id, debtor name, search query. */
  target: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

export const auditLogSchema = new Schema<AuditLogEntry>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    action: { type: String, required: true },
    target: { type: String, default: null },
    ip: { type: String, default: null },
    details: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'audit_log', versionKey: false, minimize: false },
);
auditLogSchema.index({ at: -1 });
auditLogSchema.index({ actor: 1, at: -1 });

export const auditLogModel = (conn: Connection): Model<AuditLogEntry> => conn.model<AuditLogEntry>('AuditLog', auditLogSchema);
