import { Schema, type Connection, type Model } from 'mongoose';
import type { DocumentDoc } from '../documents.types.ts';

export type { DocumentDoc, DocumentFields, DocumentStatus } from '../documents.types.ts';

export const DOCUMENT_SCHEMA_VERSION = 1;

const sourceSchema = new Schema({ url: String, fetchedAt: Date, evidenceId: String, parserVersion: String, lookupId: String }, { _id: false });

/** `documents`: files that came back (EPGU answers), linked to their request, read by OCR. */
export const documentSchema = new Schema<DocumentDoc>(
  {
    _id: { type: String, required: true },
    schemaVersion: { type: Number, required: true },
    origin: { type: String, required: true },
    account: { type: String, default: null },
    feedId: { type: String, default: null },
    attachmentId: { type: String, default: null },
    fileName: { type: String, required: true },
    contentType: { type: String, required: true },
    size: { type: Number, required: true },
    sha256: { type: String, required: true },
    evidenceId: { type: String, default: null },
    requestId: { type: String, default: null },
    applicationNumber: { type: String, default: null },
    ipNumber: { type: String, default: null },
    title: { type: String, default: null },
    subTitle: { type: String, default: null },
    receivedAt: { type: Date, required: true },
    status: { type: String, required: true },
    kind: { type: String, default: null },
    text: { type: String, default: null },
    confidence: { type: Number, default: null },
    ocr: { type: Boolean, default: null },
    fields: { type: Schema.Types.Mixed, default: null },
    error: { type: Schema.Types.Mixed, default: null },
    source: { type: sourceSchema, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'documents', versionKey: false, minimize: false },
);
documentSchema.index({ receivedAt: 1 });
documentSchema.index({ requestId: 1 });
documentSchema.index({ status: 1 });
documentSchema.index({ 'fields.ipNumber': 1 });
// A client's records in page order (storage/read-models.repo.ts: `clientIds` = clients whose lookups reached the record).
documentSchema.index({ clientIds: 1, _id: 1 });

export type DocumentModel = Model<DocumentDoc>;
export const documentModel = (conn: Connection): DocumentModel => conn.model<DocumentDoc>('Document', documentSchema);
