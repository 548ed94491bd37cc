import type { FastifyReply, FastifyRequest } from 'fastify';
import { hashApiToken } from '../storage/api-keys.repo.ts';
import type { ApiKeyDoc, ApiKeyStore, ApiScope } from '../storage/types.ts';
import { ApiError } from './errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Scope a route requires; routes without one are public (health, docs). */
    scope?: ApiScope;
  }
  interface FastifyRequest {
    apiKey?: ApiKeyDoc;
  }
}

export interface AuthOptions {
  keys: ApiKeyStore;
  /** How long a verified key is trusted without asking MongoDB (revocation takes this long). Default 5000 ms. */
  cacheMs?: number;
}

/** The token of a request: `Authorization: Bearer <token>` or `X-Api-Key: <token>`. */
export function tokenOf(req: FastifyRequest): string | null {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1]!;
  }
  const key = req.headers['x-api-key'];
  return typeof key === 'string' && key.trim() !== '' ? key.trim() : null;
}

/**
 * An `onRequest` hook: a route with `config.scope` needs a valid key (401) holding that scope (403).
 * Runs before the body is read, so an unauthenticated client cannot make the server parse 64 MB.
 */
export function createAuthHook(options: AuthOptions) {
  const cacheMs = options.cacheMs ?? 5000;
  const cache = new Map<string, { key: ApiKeyDoc; until: number }>();
  return async function authenticate(req: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const scope = req.routeOptions.config?.scope;
    if (!scope) return;
    const token = tokenOf(req);
    if (!token) throw new ApiError(401, 'unauthorized', 'an API key is required: header "Authorization: Bearer <token>" or "X-Api-Key: <token>"');
    const hash = hashApiToken(token);
    let key = cache.get(hash);
    if (!key || key.until < Date.now()) {
      const found = await options.keys.findByToken(token);
      if (!found) {
        cache.delete(hash);
        throw new ApiError(401, 'unauthorized', 'the API key is unknown or revoked');
      }
      key = { key: found, until: Date.now() + cacheMs };
      if (cacheMs > 0) {
        if (cache.size > 10_000) cache.clear();
        cache.set(hash, key);
      }
    }
    if (!key.key.scopes.includes(scope)) {
      throw new ApiError(403, 'forbidden', `this API key lacks the "${scope}" scope (it has: ${key.key.scopes.join(', ') || 'none'})`);
    }
    req.apiKey = key.key;
  };
}
