import { Schema, type Connection, type Model } from 'mongoose';
import type { EpguRequestDoc } from '../epgu-requests.types.ts';

export type { EpguRequestDoc } from '../epgu-requests.types.ts';

export const EPGU_REQUEST_SCHEMA_VERSION = 1;

const historySchema = new Schema({ at: Date, status: String, portalStatus: String, source: String }, { _id: false });

/** `epgu_requests`: one application per `epgu.request` lookup (id = lookup id). */
export const epguRequestSchema = new Schema<EpguRequestDoc>(
  {
    _id: { type: String, required: true },
    schemaVersion: { type: Number, required: true },
    account: { type: String, required: true },
    ipNumber: { type: String, required: true },
    kind: { type: String, required: true },
    text: { type: String, default: '' },
    clientRef: { type: String, required: true },
    status: { type: String, required: true },
    applicationNumber: { type: String, default: null },
    portalStatus: { type: String, default: null },
    history: { type: [historySchema], default: [] },
    submitAttemptAt: { type: Date, default: null },
    submittedAt: { type: Date, default: null },
    registeredAt: { type: Date, default: null },
    dueDate: { type: String, default: null },
    closedAt: { type: Date, default: null },
    answerDocumentIds: { type: [String], default: [] },
    evidenceId: { type: String, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'epgu_requests', versionKey: false, minimize: false },
);
epguRequestSchema.index({ applicationNumber: 1 });
epguRequestSchema.index({ account: 1, closedAt: 1, createdAt: 1 });
epguRequestSchema.index({ ipNumber: 1 });
epguRequestSchema.index({ closedAt: 1, dueDate: 1 });
// A client's records in page order (storage/read-models.repo.ts: `clientIds` = clients whose lookups reached the record).
epguRequestSchema.index({ clientIds: 1, _id: 1 });

export type EpguRequestModel = Model<EpguRequestDoc>;
export const epguRequestModel = (conn: Connection): EpguRequestModel => conn.model<EpguRequestDoc>('EpguRequest', epguRequestSchema);
