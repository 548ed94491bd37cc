import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { apiKeyModel, type ApiKeyModel } from './models/api-key.model.ts';
import { CLIENT_ID_RE, DEFAULT_CLIENT_ID } from './clients.types.ts';
import type { ApiKeyDoc, ApiKeyStore, ApiScope } from './api-keys.types.ts';

/** Hex SHA-256 of an API token: what is stored and looked up. */
export const hashApiToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * MongoDB implementation of ApiKeyStore. A token is `kvk_` + 32 random bytes (base64url); only its
 * SHA-256 is stored (a fast hash is enough: the token has 256 bits of entropy, nothing to brute-force).
 */
export class MongoApiKeyStore implements ApiKeyStore {
  readonly model: ApiKeyModel;
  constructor(conn: Connection) {
    this.model = apiKeyModel(conn);
  }

  async create(input: { name: string; scopes: ApiScope[]; clientId?: string }): Promise<{ key: ApiKeyDoc; token: string }> {
    const clientId = input.clientId ?? DEFAULT_CLIENT_ID;
    if (!CLIENT_ID_RE.test(clientId)) throw new TypeError(`clientId "${clientId}": expected 1–64 lower-case letters, digits, _ or - (starting with a letter or digit)`);
    const token = `kvk_${randomBytes(32).toString('base64url')}`;
    const key: ApiKeyDoc = {
      _id: randomUUID().slice(0, 8),
      name: input.name,
      hash: hashApiToken(token),
      scopes: [...new Set(input.scopes)],
      clientId,
      createdAt: new Date(),
      revokedAt: null,
    };
    await this.model.collection.insertOne(key as never);
    return { key, token };
  }

  async findByToken(token: string): Promise<ApiKeyDoc | null> {
    const key = await this.model.findOne({ hash: hashApiToken(token), revokedAt: null }).lean<ApiKeyDoc>();
    return key ? withClient(key) : null;
  }

  async list(): Promise<ApiKeyDoc[]> {
    return (await this.model.find({}).sort({ createdAt: 1 }).lean<ApiKeyDoc[]>()).map(withClient);
  }

  async revoke(id: string): Promise<boolean> {
    const res = await this.model.updateOne({ _id: String(id), revokedAt: null }, { $set: { revokedAt: new Date() } });
    return res.modifiedCount > 0;
  }
}

/** Keys stored before clients existed belong to the default client (also set by the start-up migration). */
const withClient = (key: ApiKeyDoc): ApiKeyDoc => (key.clientId ? key : { ...key, clientId: DEFAULT_CLIENT_ID });
