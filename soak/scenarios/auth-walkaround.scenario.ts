/**
 * Auth walk-around (issue 13): the API server with the ops dashboard, Bull Board, the auditor UI
 * and /metrics, listening on a port, gets real HTTP requests for every route of /docs/json, the
 * ops/audit/metrics paths and every route it declares, each in 15 spellings (encoded, double
 * slash, trailing slash, mixed case, …), with every wrong credential. Figures: routes, requests,
 * let through (must be 0), state changed (must be false), right key works (must be true).
 */
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { declaredRoutes } from '../../api/auth.ts';
import { createApiServer } from '../../api/server.ts';
import { HAND_TARGETS, attackBody, cookieFrom, documentedScope, farmStateDigest, isPublicPath, rawRequest, runAuthMatrix, type AuthTarget } from '../lib/auth-matrix.ts';
import { openReliabilityFarm, type FarmServices } from '../lib/farm.ts';

export interface AuthWalkaroundFigures {
  routes: number;
  requests: number;
  letThrough: number;
  offenders: string[];
  stateChanged: boolean;
  rightKeyWorks: boolean;
}

/** Runs the walk-around matrix against a fresh farm's API server and returns its figures. */
export async function runAuthWalkaroundScenario(options: { services: FarmServices; log?: (line: string) => void }): Promise<AuthWalkaroundFigures> {
  const say = options.log ?? (() => undefined);
  const farm = await openReliabilityFarm({ services: options.services, name: 'authwalk' });
  const app = await createApiServer({ storage: farm.storage, queueFor: farm.queueFor, config: farm.config, pingRedis: async () => 'PONG' }, { authCacheMs: 0 });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const keys: Record<string, string> = {};
    for (const scope of ['submit', 'read', 'audit', 'ops'] as const) keys[scope] = (await farm.storage.apiKeys.create({ name: `walk-${scope}`, scopes: [scope] })).token;
    keys.none = (await farm.storage.apiKeys.create({ name: 'walk-none', scopes: [] })).token;
    const host = farm.sandbox.world.cases[0]!.host;
    const [failedId] = await farm.submit([{ type: 'court.case', input: { court: host, number: '2-1/2025' } }]);
    await farm.storage.lookups.markFinished(failedId!, 'failed', { error: { code: 'layout_drift', kind: 'permanent', message: 'drift' } });
    const sessions = { ops: '', audit: '' };
    for (const realm of ['ops', 'audit'] as const) {
      const res = await rawRequest(base, 'POST', `/${realm}/login`, { headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base }, body: `key=${encodeURIComponent(keys[realm]!)}` });
      sessions[realm] = cookieFrom(res, `konveyer_${realm}`)?.pair ?? '';
    }

    const targets = new Map<string, AuthTarget>();
    const add = (t: AuthTarget) => targets.set(`${t.method} ${t.path}`, t);
    const spec = JSON.parse((await rawRequest(base, 'GET', '/docs/json')).body) as { paths: Record<string, Record<string, unknown>> };
    for (const [path, methods] of Object.entries(spec.paths)) if (!isPublicPath(path)) for (const m of Object.keys(methods)) add(documentedScope(m, path));
    for (const t of HAND_TARGETS) add(t);
    for (const r of declaredRoutes(app)) if (r.scope && r.scope !== 'public' && r.method !== 'HEAD') add({ ...documentedScope(r.method, r.url), scope: r.scope, session: r.session });

    const redis = farm.queueFor('court.case').opts.connection as unknown as Redis;
    const before = await farmStateDigest(redis, farm.config.queue.prefix, farm.storage.conn.db!);
    const run = await runAuthMatrix(base, targets.values(), { keys, sessions }, attackBody(host, failedId!));
    const stateChanged = (await farmStateDigest(redis, farm.config.queue.prefix, farm.storage.conn.db!)) !== before;
    const rightKeyWorks =
      (await rawRequest(base, 'GET', '/ops/api/state', { headers: { 'x-api-key': keys.ops! } })).status === 200 &&
      (await rawRequest(base, 'GET', '/audit/log', { headers: { 'x-api-key': keys.audit! } })).status === 200 &&
      (await rawRequest(base, 'GET', '/v1/lookups', { headers: { 'x-api-key': keys.read! } })).status === 200;
    say(`auth walk-around: ${run.routes} routes, ${run.sent} requests, ${run.letThrough.length} let through, state ${stateChanged ? 'CHANGED' : 'unchanged'}`);
    return { routes: run.routes, requests: run.sent, letThrough: run.letThrough.length, offenders: run.letThrough.slice(0, 20), stateChanged, rightKeyWorks };
  } finally {
    await app.close();
    await farm.close();
  }
}
