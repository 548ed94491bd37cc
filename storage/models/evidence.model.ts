import { Schema, type Connection, type Model } from 'mongoose';
import type { EvidenceItem } from '../evidence.types.ts';

/** `evidence`: one document per captured item; `(jobId, seq)` is unique, so a chain cannot fork. */
export const evidenceSchema = new Schema<EvidenceItem>(
  {
    _id: { type: String, required: true },
    jobId: { type: String, required: true },
    lookupId: { type: String, required: true },
    robot: { type: String, required: true },
    seq: { type: Number, required: true },
    step: { type: String, required: true },
    kind: { type: String, required: true, enum: ['http_response', 'screenshot', 'html', 'picture'] },
    url: { type: String, required: true },
    contentType: { type: String, required: true },
    at: { type: Date, required: true },
    meta: { type: Schema.Types.Mixed, default: {} },
    sha256: { type: String, required: true },
    size: { type: Number, required: true },
    prevHash: { type: String, default: null },
    hash: { type: String, required: true },
  },
  { collection: 'evidence', versionKey: false, minimize: false },
);
evidenceSchema.index({ jobId: 1, seq: 1 }, { unique: true });
evidenceSchema.index({ lookupId: 1 });
evidenceSchema.index({ sha256: 1 });

/** `evidence_blobs`: content-addressed bodies, `_id` = SHA-256 of the bytes; identical pages are stored once. */
export interface EvidenceBlob {
  _id: string;
  data: Buffer;
  size: number;
  contentType: string;
  createdAt: Date;
}

export const evidenceBlobSchema = new Schema<EvidenceBlob>(
  {
    _id: { type: String, required: true },
    data: { type: Buffer, required: true },
    size: { type: Number, required: true },
    contentType: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'evidence_blobs', versionKey: false },
);

export const evidenceModel = (conn: Connection): Model<EvidenceItem> => conn.model<EvidenceItem>('Evidence', evidenceSchema);
export const evidenceBlobModel = (conn: Connection): Model<EvidenceBlob> => conn.model<EvidenceBlob>('EvidenceBlob', evidenceBlobSchema);
