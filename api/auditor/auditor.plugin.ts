import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { MongoAuditLog } from '../../storage/audit-log.repo.ts';
import type { MongoEvidenceStore } from '../../storage/evidence.store.ts';
import { exportEvidenceBundle } from '../../storage/evidence/export.ts';
import { searchLookups, type AuditScopeSource, type LookupSearch } from '../../storage/evidence/scope.ts';
import { verifyJob } from '../../storage/evidence/verify.ts';
import type { CourtCaseDoc } from '../../storage/models/court-case.model.ts';
import type { UiSessionStore } from '../../storage/ui-sessions.repo.ts';
import type { ApiKeyStore } from '../../storage/api-keys.types.ts';
import type { LookupDoc } from '../../storage/lookups.types.ts';
import { installAuth, type AuthOptions } from '../auth.ts';
import { endUiSession, isSameOrigin, startUiSession, withCsrfFields } from '../ui-session.ts';
import { actorOf, auditorOf, auditRouteConfig, type Auditor } from './auditor.auth.ts';
import { auditLogPage, jobPage, loginPage, searchPage } from './auditor.views.ts';

/** What the auditor UI reads; the caller owns (and closes) all of it. */
export interface AuditorDeps {
  storage: AuditScopeSource & { evidence: MongoEvidenceStore; auditLog: MongoAuditLog; apiKeys: ApiKeyStore; uiSessions?: UiSessionStore };
  /** The API server's auth (keys, sessions, cache, origins); default built from `storage` (no key cache). */
  auth?: AuthOptions;
  /** Lifetime of the login session; default 8 hours. */
  sessionMaxAgeSecs?: number;
}

const HTML = 'text/html; charset=utf-8';

/** True when `storage` has what the auditor UI reads (the API server mounts the plugin only then). */
export function isAuditorStorage(storage: object): storage is AuditorDeps['storage'] {
  return ['evidence', 'auditLog', 'apiKeys', 'lookups', 'courtCases'].every((k) => k in storage);
}

/**
 * The auditor UI under `/audit`: server-rendered pages (no scripts), for API keys with the `audit`
 * scope — by header, or by the login form's server-side session (an HttpOnly cookie on Path=/audit
 * holding a random id; forms carry its CSRF token). Every view, export and refusal is written to
 * `audit_log` with the key, the target and the client's address.
 *
 * @example await app.register(auditorPlugin({ storage }))
 */
export function auditorPlugin(deps: AuditorDeps): FastifyPluginAsync {
  const { storage } = deps;
  const maxAge = deps.sessionMaxAgeSecs ?? 8 * 3600;
  const auth: AuthOptions = deps.auth ?? { keys: storage.apiKeys, sessions: storage.uiSessions, cacheMs: 0 };
  const AUDIT = auditRouteConfig(storage.auditLog, loginPage);
  return async (app: FastifyInstance) => {
    // Mounted alone (tests) the UI still checks every route; on the API server this is a no-op.
    installAuth(app, auth);
    // The login form posts urlencoded; parsed here so the plugin needs no form plugin.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    // Every POST form of every page carries this session's CSRF token.
    app.addHook('onSend', async (req, reply, payload) => {
      const token = req.uiSession?.csrf;
      if (!token || typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
      return withCsrfFields(payload, token);
    });

    const audit = (who: Auditor, req: FastifyRequest, action: string, target: string | null, details: Record<string, unknown> = {}) =>
      storage.auditLog.record({ actor: who.actor, action, target, ip: req.ip, details });
    const deny = (req: FastifyRequest, actor: string, reason: string, details: Record<string, unknown> = {}) =>
      storage.auditLog.record({ actor, action: 'denied', target: req.url, ip: req.ip, details: { reason, ...details } });

    app.get('/audit/login', { config: { scope: 'public' } }, async (_req, reply) => reply.type(HTML).send(loginPage()));

    app.post<{ Body: { key?: string } }>('/audit/login', { config: { scope: 'public' } }, async (req, reply) => {
      // A login forged from another origin would sign the victim's browser in as someone else.
      if (!isSameOrigin(req, auth.origins, false)) return reply.code(403).type(HTML).send(loginPage("sign in from the auditor UI's own page"));
      const token = String(req.body?.key ?? '').trim();
      if (!token) return reply.code(401).type(HTML).send(loginPage('enter an API key'));
      const key = await auth.keys.findByToken(token);
      if (!key) {
        await deny(req, 'anonymous', 'unknown or revoked key');
        return reply.code(401).type(HTML).send(loginPage('the API key is unknown or revoked'));
      }
      if (!key.scopes.includes('audit')) {
        await deny(req, actorOf(key), 'no audit scope', { scopes: key.scopes });
        return reply.code(403).type(HTML).send(loginPage(`this API key lacks the "audit" scope (it has: ${key.scopes.join(', ') || 'none'})`));
      }
      if (!auth.sessions) return reply.code(503).type(HTML).send(loginPage('sign-in is not available on this server; use an API key header'));
      await startUiSession(req, reply, auth.sessions, 'audit', key, maxAge);
      await audit({ key, actor: actorOf(key) }, req, 'login', null);
      return reply.redirect('/audit', 303);
    });

    app.post('/audit/logout', { config: AUDIT }, async (req, reply) => {
      if (auth.sessions) await endUiSession(req, reply, auth.sessions, 'audit');
      await audit(auditorOf(req), req, 'logout', null);
      return reply.redirect('/audit/login', 303);
    });

    app.get<{ Querystring: LookupSearch }>('/audit', { config: AUDIT }, async (req, reply) => {
      const who = auditorOf(req);
      const q: LookupSearch = { debtor: str(req.query.debtor), caseNumber: str(req.query.caseNumber), ipNumber: str(req.query.ipNumber), date: str(req.query.date) };
      const lookups = await searchLookups(storage, { ...q, limit: 200 });
      const caseIds = lookups.filter((l) => l.result?.collection === 'court_cases').map((l) => l.result!.id);
      const cases = await storage.courtCases.model.find({ _id: { $in: caseIds } }).lean<CourtCaseDoc[]>();
      await audit(who, req, 'view.search', JSON.stringify(q), { results: lookups.length });
      return reply.type(HTML).send(searchPage(q, lookups, new Map(cases.map((c) => [c._id, c])), who.actor));
    });

    app.get<{ Params: { id: string } }>('/audit/jobs/:id', { config: AUDIT }, async (req, reply) => {
      const who = auditorOf(req);
      const jobId = req.params.id;
      const items = await storage.evidence.listByJob(jobId);
      const lookup = await storage.lookups.model.findById(jobId).lean<LookupDoc>();
      if (!lookup && items.length === 0) return reply.code(404).type(HTML).send(searchPage({}, [], new Map(), who.actor).replace('<h1>Lookups</h1>', `<h1>No job ${jobId.replace(/[<&>"']/g, '')}</h1>`));
      // Verified live on every view: the page never shows a status it did not just compute.
      const verification = await verifyJob(storage.evidence, jobId, items);
      const manifest = await storage.evidence.getManifest(jobId);
      const record = lookup?.result?.collection === 'court_cases' ? await storage.courtCases.model.findById(lookup.result.id).lean<CourtCaseDoc>() : null;
      await audit(who, req, 'view.job', jobId, { chainOk: verification.ok, findings: verification.findings.length });
      return reply.type(HTML).send(jobPage(lookup, jobId, items, verification, manifest, record, who.actor));
    });

    app.get<{ Params: { sha: string }; Querystring: { job?: string } }>('/audit/blobs/:sha', { config: AUDIT }, async (req, reply) => {
      const who = auditorOf(req);
      const sha = req.params.sha;
      if (!/^[0-9a-f]{64}$/.test(sha)) return reply.code(400).send({ error: { code: 'bad_input', message: 'not a sha256' } });
      const item = await storage.evidence.items.findOne({ sha256: sha }).select({ contentType: 1, kind: 1 }).lean();
      const body = item ? await storage.evidence.readBody(sha) : null;
      if (!item || !body) return reply.code(404).send({ error: { code: 'not_found', message: 'no such evidence body' } });
      await audit(who, req, 'view.blob', sha, { job: str(req.query.job) ?? null, kind: item.kind });
      // Captured pages are shown as inert text: a robot's page must never run in the auditor's browser.
      const type = (item.kind === 'screenshot' || item.kind === 'picture') && /^image\/(png|jpeg|webp)$/.test(item.contentType) ? item.contentType : 'text/plain';
      return reply
        .header('content-security-policy', "default-src 'none'; img-src 'self'; sandbox")
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, max-age=3600, immutable')
        .type(type)
        .send(body);
    });

    app.get<{ Params: { scope: string; id: string } }>('/audit/export/:scope/:id', { config: AUDIT }, async (req, reply) => {
      const who = auditorOf(req);
      const { scope, id } = req.params;
      if (scope !== 'job' && scope !== 'case' && scope !== 'debtor') return reply.code(400).send({ error: { code: 'bad_input', message: 'scope must be job, case or debtor' } });
      await audit(who, req, `export.${scope}`, id);
      const out = new PassThrough();
      exportEvidenceBundle(storage, { kind: scope, id }, out).catch((err: unknown) => out.destroy(err as Error));
      const name = `evidence-${scope}-${id.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 60)}.zip`;
      return reply.type('application/zip').header('content-disposition', `attachment; filename="${name}"`).send(out);
    });

    app.get('/audit/log', { config: AUDIT }, async (req, reply) => {
      const who = auditorOf(req);
      await audit(who, req, 'view.log', null);
      return reply.type(HTML).send(auditLogPage(await storage.auditLog.list({}, 300), who.actor));
    });
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
