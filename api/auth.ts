import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { hashApiToken } from '../storage/api-keys.repo.ts';
import type { UiRealm, UiSessionStore } from '../storage/ui-sessions.repo.ts';
import type { ApiKeyDoc, ApiKeyStore, ApiScope } from '../storage/api-keys.types.ts';
import { CSRF_FIELD, UI_COOKIES, cookieOf, csrfTokenOf, isSameOrigin, tokensEqual, type UiSessionContext } from './ui-session.ts';

/** What a route requires: an API scope, or `public` (health, docs, login forms). */
export type RouteScope = ApiScope | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Scope the route requires, declared where the route is defined. Required on every route:
     * the server refuses to start with a route that has none, and the auth hook refuses it too.
     */
    scope?: RouteScope;
    /** The login cookie of this UI may stand in for an API key on this route (pages, forms). */
    session?: UiRealm;
    /**
     * How a cookie-borne state-changing request proves it is no forgery: `token` (default): a CSRF
     * token in the form/header and a same-origin `Origin`; `origin-json`: same-origin `Origin` and a
     * JSON body, for clients we do not write (Bull Board's own UI), which a cross-origin page cannot
     * send without a CORS preflight that this server never grants.
     */
    csrf?: 'token' | 'origin-json';
    /** Hex SHA-256 of an extra bearer token this route accepts instead of a key (METRICS_TOKEN). */
    tokenSha256?: string;
    /** How a refusal is answered on this route (a login page for browsers); default JSON `{ error }`. */
    refuse?: RefusalHandler;
  }
  interface FastifyRequest {
    apiKey?: ApiKeyDoc;
    /** The UI login behind this request, when it came with a session cookie instead of a key. */
    uiSession?: UiSessionContext;
  }
}

/** Why a request was refused. */
export interface Refusal {
  status: 401 | 403;
  code: 'unauthorized' | 'forbidden';
  reason: string;
  /** The key that asked, when it was valid but lacked the scope. */
  key?: ApiKeyDoc;
}

/** Answers a refusal; must send the reply. */
export type RefusalHandler = (req: FastifyRequest, reply: FastifyReply, refusal: Refusal) => FastifyReply | Promise<FastifyReply>;

export interface AuthOptions {
  keys: ApiKeyStore;
  /** Server-side UI logins; without it no session cookie is accepted. */
  sessions?: UiSessionStore;
  /** How long a verified key is trusted without asking MongoDB on API routes (UI routes always ask). Default 5000 ms. */
  cacheMs?: number;
  /** Origins the UI is reached under (API_PUBLIC_ORIGINS); default: each request's own scheme and Host. */
  origins?: readonly string[];
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

/** Hex SHA-256 of a static token, for `config.tokenSha256`. */
export const sha256Hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const ROUTES = new WeakMap<FastifyInstance, RouteOptions[]>();

/**
 * Every route registered on `app` (and its plugins) after `installAuth`, with the scope it declares:
 * the list the walk-around tests send requests to, and what `onReady` checks.
 */
export function declaredRoutes(app: FastifyInstance): Array<{ method: string; url: string; scope: RouteScope | undefined; session: UiRealm | undefined }> {
  return (ROUTES.get(app) ?? []).flatMap((r) => [r.method].flat().map((method) => ({ method: String(method), url: r.url, scope: r.config?.scope, session: r.config?.session })));
}
const CHECKED = Symbol('konveyer.authChecked');
const DEFAULT_REFUSE: RefusalHandler = (_req, reply, r) => reply.code(r.status).send({ error: { code: r.code, message: r.reason } });
const unauthorized = (reason: string): Refusal => ({ status: 401, code: 'unauthorized', reason });
const forbidden = (reason: string, key?: ApiKeyDoc): Refusal => ({ status: 403, code: 'forbidden', reason, key });

/**
 * Authorization on the route fastify matched (`req.routeOptions.config`), never on the URL string:
 * whatever spelling of a path reaches a route (`/%6fps`, a trailing slash) gets that route's check,
 * and a path that reaches no route gets the 404 handler and nothing else.
 *
 * Adds to `app` (and so to every route registered in it afterwards): an `onRoute` record and an
 * `onReady` check that each route declares `config.scope` (else the server does not start); an
 * `onRequest` hook that needs a valid key (401) holding the scope (403), by header or, where the
 * route allows, by a live UI session cookie, checked for a same-origin `Origin` on state changes;
 * a `preHandler` that checks the CSRF token of cookie-borne state changes once the body is read.
 * Runs before the body is read, so an unauthenticated client cannot make the server parse 64 MB.
 * Installing it again in a child context (a UI plugin mounted alone) is harmless: each request is
 * checked once.
 */
export function installAuth(app: FastifyInstance, options: AuthOptions): void {
  const cacheMs = options.cacheMs ?? 5000;
  const cache = new Map<string, { key: ApiKeyDoc; until: number }>();
  const routes: RouteOptions[] = ROUTES.get(app) ?? [];
  ROUTES.set(app, routes);

  app.addHook('onRoute', (route) => void routes.push(route));
  app.addHook('onReady', async () => {
    const bare = routes.filter((r) => !r.config?.scope).map((r) => `${[r.method].flat().join(',')} ${r.url}`);
    if (bare.length) throw new Error(`every route must declare config.scope (a scope or 'public'); none on: ${bare.join('; ')}`);
  });

  const keyOf = async (token: string, useCache: boolean): Promise<ApiKeyDoc | null> => {
    const hash = hashApiToken(token);
    const hit = useCache ? cache.get(hash) : undefined;
    if (hit && hit.until >= Date.now()) return hit.key;
    const found = await options.keys.findByToken(token);
    if (!found) {
      cache.delete(hash);
      return null;
    }
    if (useCache && cacheMs > 0) {
      if (cache.size > 10_000) cache.clear();
      cache.set(hash, { key: found, until: Date.now() + cacheMs });
    }
    return found;
  };

  /** null when the request may go on; else why not. */
  const check = async (req: FastifyRequest): Promise<Refusal | null> => {
    const cfg = req.routeOptions.config;
    const scope = cfg?.scope;
    if (!scope) {
      req.log.error({ route: req.routeOptions.url }, 'route without a declared scope refused');
      return forbidden('this route declares no scope');
    }
    if (scope === 'public') return null;
    const token = tokenOf(req);
    if (token) {
      if (cfg.tokenSha256 && tokensEqual(sha256Hex(token), cfg.tokenSha256)) return null;
      const key = await keyOf(token, !cfg.session);
      if (!key) return unauthorized('the API key is unknown or revoked');
      if (!key.scopes.includes(scope)) return forbidden(`this API key lacks the "${scope}" scope (it has: ${key.scopes.join(', ') || 'none'})`, key);
      req.apiKey = key;
      return null;
    }
    const realm = cfg.session;
    const cookie = realm && options.sessions ? cookieOf(req, UI_COOKIES[realm].name) : null;
    if (!realm || !cookie) return unauthorized(`an API key with the "${scope}" scope is required: header "Authorization: Bearer <token>" or "X-Api-Key: <token>"${realm ? ', or sign in' : ''}`);
    const live = await options.sessions!.resolve(cookie, realm);
    if (!live) return unauthorized('the session has expired or ended; sign in again');
    if (!live.key.scopes.includes(scope)) return forbidden(`this API key lacks the "${scope}" scope (it has: ${live.key.scopes.join(', ') || 'none'})`, live.key);
    // A cookie travels with any request the browser makes, forged ones too: state changes must come from our own pages.
    if (!SAFE_METHODS.has(req.method) && !isSameOrigin(req, options.origins, true)) return forbidden('a cross-origin request cannot change anything here', live.key);
    req.apiKey = live.key;
    req.uiSession = { id: cookie, realm, csrf: csrfTokenOf(cookie, realm), key: live.key };
    return null;
  };

  app.addHook('onRequest', async (req, reply) => {
    const r = req as FastifyRequest & { [CHECKED]?: boolean };
    if (r[CHECKED]) return;
    r[CHECKED] = true;
    // No route matched: the 404 handler answers, and it knows nothing about any route.
    if (req.is404) return;
    const refusal = await check(req);
    if (refusal) return (req.routeOptions.config?.refuse ?? DEFAULT_REFUSE)(req, reply, refusal);
  });

  app.addHook('preHandler', async (req, reply) => {
    const session = req.uiSession;
    if (!session || SAFE_METHODS.has(req.method)) return;
    const cfg = req.routeOptions.config;
    const mode = cfg?.csrf ?? 'token';
    const ok =
      mode === 'origin-json'
        ? /^application\/json\b/i.test(String(req.headers['content-type'] ?? ''))
        : tokensEqual((req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD] ?? req.headers['x-csrf-token'], session.csrf);
    if (!ok) {
      const reason = mode === 'origin-json' ? 'this action takes a JSON body' : 'the form is missing its CSRF token or it belongs to another session; reload the page';
      return (cfg?.refuse ?? DEFAULT_REFUSE)(req, reply, forbidden(reason, session.key));
    }
  });
}
