import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { MongoAuditLog } from '../../storage/audit-log.repo.ts';
import type { MongoEvidenceStore } from '../../storage/evidence.store.ts';
import { exportEvidenceBundle } from '../../storage/evidence/export.ts';
import { searchLookups, type AuditScopeSource, type LookupSearch } from '../../storage/evidence/scope.ts';
import { verifyJob } from '../../storage/evidence/verify.ts';
import type { CourtCaseDoc } from '../../storage/models/court-case.model.ts';
import type { ApiKeyStore, LookupDoc } from '../../storage/types.ts';
import { checkAuditor, refuse, sessionCookie, type Auditor } from './auditor.auth.ts';
import { auditLogPage, jobPage, loginPage, searchPage } from './auditor.views.ts';

/** What the auditor UI reads; the caller owns (and closes) all of it. */
export interface AuditorDeps {
  storage: AuditScopeSource & { evidence: MongoEvidenceStore; auditLog: MongoAuditLog; apiKeys: ApiKeyStore };
  /** Lifetime of the login cookie; default 8 hours. */
  sessionMaxAgeSecs?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    auditor?: Auditor;
  }
}

const HTML = 'text/html; charset=utf-8';

/** True when `storage` has what the auditor UI reads (the API server mounts the plugin only then). */
export function isAuditorStorage(storage: object): storage is AuditorDeps['storage'] {
  return ['evidence', 'auditLog', 'apiKeys', 'lookups', 'courtCases'].every((k) => k in storage);
}

/**
 * The auditor UI under `/audit`: server-rendered pages (no scripts), for API keys with the `audit`
 * scope — by header, or by the login form's HttpOnly cookie. Every view and export is written to
 * `audit_log` with the key, the target and the client's address.
 *
 * @example await app.register(auditorPlugin({ storage }))
 */
export function auditorPlugin(deps: AuditorDeps): FastifyPluginAsync {
  const { storage } = deps;
  const maxAge = deps.sessionMaxAgeSecs ?? 8 * 3600;
  return async (app: FastifyInstance) => {
    // The login form posts urlencoded; parsed here so the plugin needs no form plugin.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });

    const guard = async (req: FastifyRequest, reply: FastifyReply): Promise<Auditor | null> => {
      const out = await checkAuditor(req, storage.apiKeys, storage.auditLog);
      if (out.ok) return out.auditor;
      refuse(req, reply, out, loginPage);
      return null;
    };
    const audit = (who: Auditor, req: FastifyRequest, action: string, target: string | null, details: Record<string, unknown> = {}) =>
      storage.auditLog.record({ actor: who.actor, action, target, ip: req.ip, details });

    app.get('/audit/login', async (_req, reply) => reply.type(HTML).send(loginPage()));

    app.post<{ Body: { key?: string } }>('/audit/login', async (req, reply) => {
      const token = String(req.body?.key ?? '').trim();
      const out = token ? await checkAuditor(req, storage.apiKeys, storage.auditLog, token) : ({ ok: false, status: 401, reason: 'enter an API key' } as const);
      if (!out.ok) return reply.code(out.status).type(HTML).send(loginPage(out.reason));
      await audit(out.auditor, req, 'login', null);
      return reply.header('set-cookie', sessionCookie(req, token, maxAge)).redirect('/audit', 303);
    });

    app.post('/audit/logout', async (req, reply) => reply.header('set-cookie', sessionCookie(req, null, 0)).redirect('/audit/login', 303));

    app.get<{ Querystring: LookupSearch }>('/audit', async (req, reply) => {
      const who = await guard(req, reply);
      if (!who) return reply;
      const q: LookupSearch = { debtor: str(req.query.debtor), caseNumber: str(req.query.caseNumber), ipNumber: str(req.query.ipNumber), date: str(req.query.date) };
      const lookups = await searchLookups(storage, { ...q, limit: 200 });
      const caseIds = lookups.filter((l) => l.result?.collection === 'court_cases').map((l) => l.result!.id);
      const cases = await storage.courtCases.model.find({ _id: { $in: caseIds } }).lean<CourtCaseDoc[]>();
      await audit(who, req, 'view.search', JSON.stringify(q), { results: lookups.length });
      return reply.type(HTML).send(searchPage(q, lookups, new Map(cases.map((c) => [c._id, c])), who.actor));
    });

    app.get<{ Params: { id: string } }>('/audit/jobs/:id', async (req, reply) => {
      const who = await guard(req, reply);
      if (!who) return reply;
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

    app.get<{ Params: { sha: string }; Querystring: { job?: string } }>('/audit/blobs/:sha', async (req, reply) => {
      const who = await guard(req, reply);
      if (!who) return reply;
      const sha = req.params.sha;
      if (!/^[0-9a-f]{64}$/.test(sha)) return reply.code(400).send({ error: { code: 'bad_input', message: 'not a sha256' } });
      const item = await storage.evidence.items.findOne({ sha256: sha }).select({ contentType: 1, kind: 1 }).lean();
      const body = item ? await storage.evidence.readBody(sha) : null;
      if (!item || !body) return reply.code(404).send({ error: { code: 'not_found', message: 'no such evidence body' } });
      await audit(who, req, 'view.blob', sha, { job: str(req.query.job) ?? null, kind: item.kind });
      // Captured pages are shown as inert text: a robot's page must never run in the auditor's browser.
      const type = item.kind === 'screenshot' && /^image\/(png|jpeg)$/.test(item.contentType) ? item.contentType : 'text/plain';
      return reply
        .header('content-security-policy', "default-src 'none'; img-src 'self'; sandbox")
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, max-age=3600, immutable')
        .type(type)
        .send(body);
    });

    app.get<{ Params: { scope: string; id: string } }>('/audit/export/:scope/:id', async (req, reply) => {
      const who = await guard(req, reply);
      if (!who) return reply;
      const { scope, id } = req.params;
      if (scope !== 'job' && scope !== 'case' && scope !== 'debtor') return reply.code(400).send({ error: { code: 'bad_input', message: 'scope must be job, case or debtor' } });
      await audit(who, req, `export.${scope}`, id);
      const out = new PassThrough();
      exportEvidenceBundle(storage, { kind: scope, id }, out).catch((err: unknown) => out.destroy(err as Error));
      const name = `evidence-${scope}-${id.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 60)}.zip`;
      return reply.type('application/zip').header('content-disposition', `attachment; filename="${name}"`).send(out);
    });

    app.get('/audit/log', async (req, reply) => {
      const who = await guard(req, reply);
      if (!who) return reply;
      await audit(who, req, 'view.log', null);
      return reply.type(HTML).send(auditLogPage(await storage.auditLog.list({}, 300), who.actor));
    });
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
