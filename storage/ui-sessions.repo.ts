import { createHash, randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { apiKeyModel, type ApiKeyModel } from './models/api-key.model.ts';
import { uiSessionModel, type UiRealm, type UiSessionDoc, type UiSessionModel } from './models/ui-session.model.ts';
import type { ApiKeyDoc } from './api-keys.types.ts';

export type { UiRealm, UiSessionDoc } from './models/ui-session.model.ts';

/** Hex SHA-256 of a session id: what `ui_sessions` stores and looks up. */
const hashSessionId = (id: string): string => createHash('sha256').update(id, 'utf8').digest('hex');

/** A live session with the key behind it (scopes read fresh from `api_keys` on every request). */
export interface LiveUiSession {
  session: UiSessionDoc;
  key: ApiKeyDoc;
}

/** Server-side UI logins (ops dashboard, auditor UI). The cookie carries a random id, never the API key. */
export interface UiSessionStore {
  /** Starts a session for a key; returns the raw id (for the cookie, shown nowhere else) and its end. */
  create(input: { realm: UiRealm; keyId: string; ttlMs: number }): Promise<{ id: string; expiresAt: Date }>;
  /**
   * The session behind a cookie value, or null when unknown, of another realm, expired, ended, or
   * when its key is revoked (the session is then ended for good).
   */
  resolve(id: string, realm: UiRealm): Promise<LiveUiSession | null>;
  /** Ends one session (logout); false when it was not live. */
  end(id: string): Promise<boolean>;
  /** Ends every live session of a key (called when the key is revoked); returns how many. */
  endForKey(keyId: string, reason?: UiSessionDoc['endReason']): Promise<number>;
}

/**
 * MongoDB implementation of UiSessionStore (`ui_sessions`). A session id is 32 random bytes
 * (base64url); only its SHA-256 is stored, so a copy of the database opens no session.
 */
export class MongoUiSessionStore implements UiSessionStore {
  readonly model: UiSessionModel;
  private readonly keys: ApiKeyModel;
  constructor(conn: Connection) {
    this.model = uiSessionModel(conn);
    this.keys = apiKeyModel(conn);
  }

  async create(input: { realm: UiRealm; keyId: string; ttlMs: number }): Promise<{ id: string; expiresAt: Date }> {
    if (!(input.ttlMs > 0)) throw new TypeError('MongoUiSessionStore.create: ttlMs must be a positive number of milliseconds');
    const id = randomBytes(32).toString('base64url');
    const now = new Date();
    const expiresAt = new Date(now.getTime() + input.ttlMs);
    const doc: UiSessionDoc = { _id: hashSessionId(id), realm: input.realm, keyId: input.keyId, createdAt: now, expiresAt, endedAt: null, endReason: null };
    await this.model.collection.insertOne(doc as never);
    // Housekeeping instead of a TTL index (which FerretDB 1.24 lacks): sessions a day past their end go.
    await this.model.deleteMany({ expiresAt: { $lt: new Date(now.getTime() - 24 * 3600_000) } });
    return { id, expiresAt };
  }

  async resolve(id: string, realm: UiRealm): Promise<LiveUiSession | null> {
    if (typeof id !== 'string' || id.length < 16 || id.length > 128) return null;
    const session = await this.model.findOne({ _id: hashSessionId(id), realm, endedAt: null, expiresAt: { $gt: new Date() } }).lean<UiSessionDoc>();
    if (!session) return null;
    const key = await this.keys.findOne({ _id: session.keyId }).lean<ApiKeyDoc>();
    if (!key || key.revokedAt) {
      await this.endForKey(session.keyId, 'key_revoked');
      return null;
    }
    return { session, key };
  }

  async end(id: string): Promise<boolean> {
    const res = await this.model.updateOne({ _id: hashSessionId(String(id)), endedAt: null }, { $set: { endedAt: new Date(), endReason: 'logout' } });
    return res.modifiedCount > 0;
  }

  async endForKey(keyId: string, reason: UiSessionDoc['endReason'] = 'key_revoked'): Promise<number> {
    const res = await this.model.updateMany({ keyId: String(keyId), endedAt: null }, { $set: { endedAt: new Date(), endReason: reason } });
    return res.modifiedCount;
  }
}
