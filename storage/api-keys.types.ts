/** The `api_keys` collection: API keys by client and scope (HTTP API, issue 6). */

/**
 * What an API key may do: submit lookups, read results, read evidence/audit, operate the farm;
 * `all-clients` sees every client's lookups, records and webhooks (ops, auditors); `pii` sees
 * personal data (birth dates, names, addresses) unmasked.
 */
export type ApiScope = 'submit' | 'read' | 'audit' | 'ops' | 'all-clients' | 'pii';
export const API_SCOPES: readonly ApiScope[] = ['submit', 'read', 'audit', 'ops', 'all-clients', 'pii'];

/** `api_keys` document: the token itself is never stored, only its SHA-256. */
export interface ApiKeyDoc {
  _id: string;
  name: string;
  /** Hex SHA-256 of the token. */
  hash: string;
  scopes: ApiScope[];
  /** The client system the key belongs to (`default` for keys made before clients existed). */
  clientId: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface ApiKeyStore {
  /** Creates a key; the returned token is shown once and cannot be recovered. */
  create(input: { name: string; scopes: ApiScope[]; clientId?: string }): Promise<{ key: ApiKeyDoc; token: string }>;
  /** The active (not revoked) key whose hash matches the token, or null. */
  findByToken(token: string): Promise<ApiKeyDoc | null>;
  list(): Promise<ApiKeyDoc[]>;
  /** Revokes a key; false when no active key has this id. */
  revoke(id: string): Promise<boolean>;
}
