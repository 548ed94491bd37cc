import { Schema, type Connection, type Model } from 'mongoose';
import type { LookupDoc } from '../lookups.types.ts';

/** `lookups`: one document per submitted lookup; `_id` is the lookup id and the BullMQ job id. */
export const lookupSchema = new Schema<LookupDoc>(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    status: { type: String, required: true, enum: ['queued', 'running', 'succeeded', 'not_found', 'failed', 'needs_human'] },
    input: { type: Schema.Types.Mixed, required: true },
    clientKey: { type: String, default: null },
    clientId: { type: String, default: 'default' },
    idempotencyKey: { type: String },
    batchId: { type: String, default: null },
    attempts: { type: Number, default: 0 },
    error: { type: Schema.Types.Mixed, default: null },
    result: { type: Schema.Types.Mixed, default: null },
    evidenceCount: { type: Number, default: 0 },
    robot: { type: String, default: null },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
  },
  { collection: 'lookups', timestamps: true, versionKey: false, minimize: false },
);
lookupSchema.index({ batchId: 1, status: 1 });
lookupSchema.index({ status: 1, type: 1 });
// Idempotency key: unique per (clientId, clientKey) among lookups that carry one. A partial unique
// index would say that directly, but FerretDB 1.x has none, and a sparse compound index still
// indexes documents that lack only one of its fields (every lookup has a clientId). So the pair is
// one field, `idempotencyKey` = `<clientId>|<type>:<key>`, set only when a key is given, under a
// sparse unique index (supported on both MongoDB 7 and FerretDB). storage/clients.migration.ts
// fills it for older lookups and drops the old global `clientKey_1` index.
lookupSchema.index({ idempotencyKey: 1 }, { unique: true, sparse: true });
lookupSchema.index({ clientId: 1, batchId: 1 });

export type LookupModel = Model<LookupDoc>;
export const lookupModel = (conn: Connection): LookupModel => conn.model<LookupDoc>('Lookup', lookupSchema);
