import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MongoAuditLog } from '../../storage/audit-log.repo.ts';
import type { ApiKeyDoc, ApiKeyStore } from '../../storage/types.ts';

/** Cookie the login form sets: HttpOnly, SameSite=Strict, path /audit. Its value is the API key itself. */
export const SESSION_COOKIE = 'konveyer_audit';

/** The auditor behind a request (set by `requireAuditor`). */
export interface Auditor {
  key: ApiKeyDoc;
  /** `key:<id>:<name>`: what audit_log records as the actor. */
  actor: string;
}

/** Reads one cookie from the header (no cookie plugin for one value). */
export function cookieOf(req: FastifyRequest, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return null;
}

/** The token of a request: `Authorization: Bearer`, `X-Api-Key`, or the login cookie. */
export function auditTokenOf(req: FastifyRequest): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (m) return m[1]!;
  const header = req.headers['x-api-key'];
  if (typeof header === 'string' && header.trim()) return header.trim();
  return cookieOf(req, SESSION_COOKIE);
}

/** `Set-Cookie` for a login (or, with null, a logout). Secure when the request came over HTTPS. */
export function sessionCookie(req: FastifyRequest, token: string | null, maxAgeSecs: number): string {
  const parts = [`${SESSION_COOKIE}=${token ? encodeURIComponent(token) : ''}`, 'Path=/audit', 'HttpOnly', 'SameSite=Strict', `Max-Age=${token ? maxAgeSecs : 0}`];
  if (req.protocol === 'https') parts.push('Secure');
  return parts.join('; ');
}

export type AuthOutcome = { ok: true; auditor: Auditor } | { ok: false; status: 401 | 403; reason: string };

/**
 * Checks a request for a live API key with the `audit` scope. The key store is asked on every
 * request (no cache), so a revoked key stops working at once. Refusals are written to audit_log.
 */
export async function checkAuditor(req: FastifyRequest, keys: ApiKeyStore, log: MongoAuditLog, token = auditTokenOf(req)): Promise<AuthOutcome> {
  if (!token) return { ok: false, status: 401, reason: 'sign in with an API key that has the "audit" scope' };
  const key = await keys.findByToken(token);
  if (!key) {
    await log.record({ actor: 'anonymous', action: 'denied', target: req.url, ip: req.ip, details: { reason: 'unknown or revoked key' } });
    return { ok: false, status: 401, reason: 'the API key is unknown or revoked' };
  }
  if (!key.scopes.includes('audit')) {
    await log.record({ actor: actorOf(key), action: 'denied', target: req.url, ip: req.ip, details: { reason: 'no audit scope', scopes: key.scopes } });
    return { ok: false, status: 403, reason: `this API key lacks the "audit" scope (it has: ${key.scopes.join(', ') || 'none'})` };
  }
  return { ok: true, auditor: { key, actor: actorOf(key) } };
}

export const actorOf = (key: ApiKeyDoc) => `key:${key._id}:${key.name}`;

/** Replies with the refusal: a page with the login form for browsers, JSON for API clients. */
export function refuse(req: FastifyRequest, reply: FastifyReply, out: Extract<AuthOutcome, { ok: false }>, page: (reason: string) => string): FastifyReply {
  const wantsHtml = (req.headers.accept ?? '').includes('text/html');
  reply.code(out.status);
  if (wantsHtml) return reply.type('text/html; charset=utf-8').send(page(out.reason));
  return reply.send({ error: { code: out.status === 401 ? 'unauthorized' : 'forbidden', message: out.reason } });
}
