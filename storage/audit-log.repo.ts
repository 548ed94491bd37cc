import { randomUUID } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { auditLogModel, type AuditLogEntry } from './models/audit-log.model.ts';

export type { AuditLogEntry } from './models/audit-log.model.ts';

/** What a caller records; id and time are filled in. */
export type AuditLogInput = Omit<AuditLogEntry, '_id' | 'at' | 'details' | 'target' | 'ip'> & Partial<Pick<AuditLogEntry, 'details' | 'target' | 'ip'>>;

/** The `audit_log` collection: append and read, never update. */
export class MongoAuditLog {
  readonly model: Model<AuditLogEntry>;
  constructor(conn: Connection) {
    this.model = auditLogModel(conn);
  }

  async record(entry: AuditLogInput): Promise<AuditLogEntry> {
    const doc: AuditLogEntry = { _id: randomUUID(), at: new Date(), target: null, ip: null, details: {}, ...entry };
    await this.model.collection.insertOne(doc as never);
    return doc;
  }

  /** Newest first. */
  async list(filter: { actor?: string; action?: string; target?: string } = {}, limit = 100): Promise<AuditLogEntry[]> {
    const q: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(filter)) if (v !== undefined) q[k] = v;
    return this.model.find(q).sort({ at: -1 }).limit(limit).lean<AuditLogEntry[]>();
  }
}
