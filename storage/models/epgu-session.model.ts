import { Schema, type Connection, type Model } from 'mongoose';
import type { EpguSessionDoc } from '../epgu-sessions.types.ts';

export type { EpguSessionDoc } from '../epgu-sessions.types.ts';

/** `epgu_sessions`: per account, the sealed cookies (never plain) and the ГЭПС feed cursor. */
export const epguSessionSchema = new Schema<EpguSessionDoc>(
  {
    _id: { type: String, required: true },
    sealedCookies: { type: String, default: null },
    savedAt: { type: Date, default: null },
    lastFeedDate: { type: String, default: null },
    seenFeedIds: { type: [String], default: [] },
  },
  { collection: 'epgu_sessions', versionKey: false, minimize: false },
);

export type EpguSessionModel = Model<EpguSessionDoc>;
export const epguSessionModel = (conn: Connection): EpguSessionModel => conn.model<EpguSessionDoc>('EpguSession', epguSessionSchema);
