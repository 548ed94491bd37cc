import type { FastifyContextConfig, FastifyRequest } from 'fastify';
import type { MongoAuditLog } from '../../storage/audit-log.repo.ts';
import type { ApiKeyDoc } from '../../storage/api-keys.types.ts';
import type { RefusalHandler } from '../auth.ts';

/** The auditor behind a request (the `audit` key the auth hook let in). */
export interface Auditor {
  key: ApiKeyDoc;
  /** `key:<id>:<name>`: what audit_log records as the actor. */
  actor: string;
}

export const actorOf = (key: ApiKeyDoc) => `key:${key._id}:${key.name}`;

/** The auditor of a request on an `audit` route (the auth hook has checked the key or session). */
export function auditorOf(req: FastifyRequest): Auditor {
  if (!req.apiKey) throw new Error('auditorOf: no API key on the request; is the route declared with scope "audit"?');
  return { key: req.apiKey, actor: actorOf(req.apiKey) };
}

/**
 * Route config of every auditor route: the `audit` scope, by key or by the auditor UI's login
 * session (cookie on Path=/audit). A refusal is written to audit_log (who, what, from where) and
 * answered with the login page for browsers, JSON for API clients.
 */
export function auditRouteConfig(log: MongoAuditLog, loginPage: (reason: string) => string): FastifyContextConfig {
  const refuse: RefusalHandler = async (req, reply, r) => {
    await log.record({
      actor: r.key ? actorOf(r.key) : 'anonymous',
      action: 'denied',
      target: req.url,
      ip: req.ip,
      details: r.key ? { reason: r.reason, scopes: r.key.scopes } : { reason: r.reason },
    });
    reply.code(r.status);
    if ((req.headers.accept ?? '').includes('text/html')) return reply.type('text/html; charset=utf-8').send(loginPage(r.reason));
    return reply.send({ error: { code: r.code, message: r.reason } });
  };
  return { scope: 'audit', session: 'audit', refuse };
}
