import { Schema, type Connection, type Model } from 'mongoose';
import type { PostalItemDoc } from '../postal-items.types.ts';

export type { PostalCheckState, PostalEventKind, PostalHistoryEntry, PostalItemDoc } from '../postal-items.types.ts';

export const POSTAL_ITEM_SCHEMA_VERSION = 1;

const sourceSchema = new Schema({ url: String, fetchedAt: Date, evidenceId: String, parserVersion: String, lookupId: String }, { _id: false });

export const postalItemSchema = new Schema<PostalItemDoc>(
  {
    _id: { type: String, required: true },
    schemaVersion: { type: Number, required: true },
    barcode: { type: String, required: true },
    operations: { type: Schema.Types.Mixed, default: [] },
    state: { type: String, required: true },
    acceptedAt: { type: String, default: null },
    deliveredAt: { type: String, default: null },
    returnedAt: { type: String, default: null },
    returnReason: { type: String, default: null },
    sender: { type: String, default: null },
    recipient: { type: String, default: null },
    mailType: { type: String, default: null },
    mailCategory: { type: String, default: null },
    links: { type: Schema.Types.Mixed, default: [] },
    deadlines: { type: Schema.Types.Mixed, default: [] },
    final: { type: Boolean, required: true },
    source: { type: sourceSchema, required: true },
    history: { type: Schema.Types.Mixed, default: [] },
    check: { type: Schema.Types.Mixed, required: true },
    rev: { type: Number, required: true },
    firstSeenAt: { type: Date, required: true },
    checkedAt: { type: Date, required: true },
  },
  { collection: 'postal_items', versionKey: false, minimize: false, strict: false },
);
postalItemSchema.index({ final: 1, 'check.nextAt': 1 });
postalItemSchema.index({ 'links.kind': 1, 'links.id': 1 });
postalItemSchema.index({ state: 1 });
// A client's records in page order (storage/read-models.repo.ts: `clientIds` = clients whose lookups reached the record).
postalItemSchema.index({ clientIds: 1, _id: 1 });

export type PostalItemModel = Model<PostalItemDoc>;
export const postalItemModel = (conn: Connection): PostalItemModel => (conn.models.PostalItem as PostalItemModel | undefined) ?? conn.model<PostalItemDoc>('PostalItem', postalItemSchema);
