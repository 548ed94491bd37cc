import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UiRealm, UiSessionStore } from '../storage/ui-sessions.repo.ts';
import type { ApiKeyDoc } from '../storage/api-keys.types.ts';

/** Cookie name and path of each UI: the browser sends an ops login only to /ops, an audit login only to /audit. */
export const UI_COOKIES: Readonly<Record<UiRealm, { name: string; path: string }>> = {
  ops: { name: 'konveyer_ops', path: '/ops' },
  audit: { name: 'konveyer_audit', path: '/audit' },
};

/** Name of the hidden form field (or `X-CSRF-Token` header) that carries the CSRF token. */
export const CSRF_FIELD = '_csrf';

/** A UI login in use on this request (set by the auth hook). */
export interface UiSessionContext {
  /** The raw session id (from the cookie); never logged, never rendered. */
  id: string;
  realm: UiRealm;
  /** The CSRF token every state-changing form of this session must carry. */
  csrf: string;
  key: ApiKeyDoc;
}

/** Reads one cookie from the header (no cookie plugin for one value); null when absent or malformed. */
export function cookieOf(req: FastifyRequest, name: string): string | null {
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/**
 * The CSRF token of a session: HMAC-SHA256 keyed by the session id. Tied to the session (a new login
 * gets a new token), needs no storage, and cannot be computed without the HttpOnly cookie.
 */
export const csrfTokenOf = (sessionId: string, realm: UiRealm): string =>
  createHmac('sha256', sessionId).update(`konveyer-csrf:${realm}`).digest('base64url');

/** Constant-time comparison of two tokens (false on any length mismatch or non-string). */
export function tokensEqual(a: unknown, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `Set-Cookie` for a login (or, with id null, a logout). HttpOnly, SameSite=Strict, the realm's own path; Secure over HTTPS. */
export function sessionCookieHeader(req: FastifyRequest, realm: UiRealm, id: string | null, maxAgeSecs: number): string {
  const { name, path } = UI_COOKIES[realm];
  const parts = [`${name}=${id ?? ''}`, `Path=${path}`, 'HttpOnly', 'SameSite=Strict', `Max-Age=${id ? Math.max(1, Math.floor(maxAgeSecs)) : 0}`];
  if (req.protocol === 'https') parts.push('Secure');
  return parts.join('; ');
}

/** Starts a server-side session for a key that just signed in and sets its cookie on the reply. */
export async function startUiSession(req: FastifyRequest, reply: FastifyReply, sessions: UiSessionStore, realm: UiRealm, key: ApiKeyDoc, maxAgeSecs: number): Promise<void> {
  const { id } = await sessions.create({ realm, keyId: key._id, ttlMs: maxAgeSecs * 1000 });
  void reply.header('set-cookie', sessionCookieHeader(req, realm, id, maxAgeSecs));
}

/** Ends the request's session (if any) in the store and clears the cookie. */
export async function endUiSession(req: FastifyRequest, reply: FastifyReply, sessions: UiSessionStore, realm: UiRealm): Promise<void> {
  const id = req.uiSession?.id ?? cookieOf(req, UI_COOKIES[realm].name);
  if (id) await sessions.end(id);
  void reply.header('set-cookie', sessionCookieHeader(req, realm, null, 0));
}

/** The origin this server is reached under for this request (`http://host:port`), or null on a malformed Host. */
function ownOrigin(req: FastifyRequest): string | null {
  try {
    return new URL(`${req.protocol}://${req.host}`).origin;
  } catch {
    return null;
  }
}

const normalizeOrigin = (origin: string): string | null => {
  try {
    const u = new URL(origin);
    return u.origin === 'null' ? null : u.origin;
  } catch {
    return null;
  }
};

/**
 * Whether a browser request comes from the server's own origin: `Origin` equal to one of
 * `allowed` (default: this request's own scheme + Host), else, without `Origin`,
 * `Sec-Fetch-Site: same-origin`. Other ports of the same host are other origins (SameSite would
 * let their cookies through; this does not). `strict`: with neither header, refuse (a cookie-borne
 * request); otherwise allow (a non-browser client, e.g. curl at the login form).
 */
export function isSameOrigin(req: FastifyRequest, allowed: readonly string[] | undefined, strict: boolean): boolean {
  const origin = req.headers.origin;
  if (typeof origin === 'string' && origin !== '') {
    const got = normalizeOrigin(origin);
    if (!got) return false;
    const own = allowed && allowed.length > 0 ? allowed.map(normalizeOrigin) : [ownOrigin(req)];
    return own.includes(got);
  }
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== '') return site === 'same-origin' || (!strict && site === 'none');
  return !strict;
}

const POST_FORM = /<form\b[^>]*\bmethod="post"[^>]*>/gi;

/**
 * Adds the session's CSRF token as a hidden field to every POST form of a page. Done once on the
 * way out (the UI plugins' `onSend`) so that no form, present or added later, goes without it.
 */
export function withCsrfFields(html: string, token: string): string {
  const field = `<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;
  return html.replace(POST_FORM, (tag) => `${tag}${field}`);
}
