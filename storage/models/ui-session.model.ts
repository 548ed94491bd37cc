import { Schema, type Connection, type Model } from 'mongoose';

/** Which UI a login belongs to: the ops dashboard (`/ops`) or the auditor UI (`/audit`). */
export type UiRealm = 'ops' | 'audit';

/** `ui_sessions` document: one UI login. The session id itself is never stored, only its SHA-256. */
export interface UiSessionDoc {
  /** Hex SHA-256 of the session id the cookie holds. */
  _id: string;
  realm: UiRealm;
  /** The API key that signed in (`api_keys._id`); the session dies with it. */
  keyId: string;
  createdAt: Date;
  /** Hard end of the session; expired documents are deleted by later logins (no TTL index: FerretDB 1.24 has none). */
  expiresAt: Date;
  /** Set at logout or when the key was found revoked; an ended session never comes back. */
  endedAt: Date | null;
  endReason: 'logout' | 'key_revoked' | null;
}

export const uiSessionSchema = new Schema<UiSessionDoc>(
  {
    _id: { type: String, required: true },
    realm: { type: String, required: true },
    keyId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    endedAt: { type: Date, default: null },
    endReason: { type: String, default: null },
  },
  { collection: 'ui_sessions', versionKey: false },
);
// Expired sessions are refused by the query itself; `create` deletes those a day past their end.
uiSessionSchema.index({ expiresAt: 1 });
uiSessionSchema.index({ keyId: 1 });

export type UiSessionModel = Model<UiSessionDoc>;
export const uiSessionModel = (conn: Connection): UiSessionModel => conn.model<UiSessionDoc>('UiSession', uiSessionSchema);
