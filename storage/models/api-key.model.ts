import { Schema, type Connection, type Model } from 'mongoose';
import type { ApiKeyDoc } from '../api-keys.types.ts';

/** `api_keys`: one document per API key; the token is stored only as its SHA-256 (`hash`, unique). */
export const apiKeySchema = new Schema<ApiKeyDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    hash: { type: String, required: true },
    scopes: { type: [String], required: true },
    clientId: { type: String, default: 'default' },
    createdAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
  },
  { collection: 'api_keys', versionKey: false },
);
apiKeySchema.index({ hash: 1 }, { unique: true });

export type ApiKeyModel = Model<ApiKeyDoc>;
export const apiKeyModel = (conn: Connection): ApiKeyModel => conn.model<ApiKeyDoc>('ApiKey', apiKeySchema);
