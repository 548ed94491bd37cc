/**
 * The auth walk-around matrix (issue 13): which paths, in which spellings, with which wrong
 * credentials, and a snapshot of everything a request let through could change. Shared by
 * test/api/auth-walkaround.api.test.ts and soak/scenarios/auth-walkaround.scenario.ts.
 */
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import type { Redis } from 'ioredis';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends one request to `base` (http://host:port) with `path` byte for byte (no URL normalisation). */
export function rawRequest(base: string, method: string, path: string, options: { headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers: { ...(options.body !== undefined ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}), ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The `name=value` part and the attributes of a `Set-Cookie` answer for `name`, or null. */
export function cookieFrom(res: RawResponse, name: string): { pair: string; attributes: string } | null {
  for (const line of [res.headers['set-cookie'] ?? []].flat()) {
    const [pair, ...attrs] = line.split(';');
    if (pair!.trim().startsWith(`${name}=`) && pair!.trim() !== `${name}=`) return { pair: pair!.trim(), attributes: attrs.join(';') };
  }
  return null;
}

/** One route to attack: a concrete path, the scope it needs, and the UI whose session may open it. */
export interface AuthTarget {
  method: string;
  path: string;
  scope: string;
  session?: 'ops' | 'audit';
}

/** The ops, audit and metrics paths, written by hand so the matrix does not depend on the code under test. */
export const HAND_TARGETS: readonly AuthTarget[] = [
  ...['/ops', '/ops/robots', '/ops/hosts', '/ops/captcha', '/ops/failures', '/ops/api/state', '/ops/queues', '/ops/queues/api/queues', '/ops/queues/api/redis/stats'].map((path) => ({ method: 'GET', path, scope: 'ops', session: 'ops' as const })),
  ...['/ops/queues/api/queues/pause', '/ops/queues/api/queues/court.case/pause'].map((path) => ({ method: 'PUT', path, scope: 'ops', session: 'ops' as const })),
  ...['/ops/queues/api/queues/court.case/add', '/ops/actions/pause', '/ops/actions/resume', '/ops/actions/limit', '/ops/actions/circuit-reset', '/ops/actions/retry', '/ops/actions/discard', '/ops/actions/drain', '/ops/captcha/c1/answer', '/ops/logout'].map((path) => ({ method: 'POST', path, scope: 'ops', session: 'ops' as const })),
  { method: 'GET', path: '/metrics', scope: 'ops' },
  ...['/audit', '/audit/jobs/x1', `/audit/blobs/${'a'.repeat(64)}`, '/audit/export/job/x1', '/audit/export/debtor/x1', '/audit/log'].map((path) => ({ method: 'GET', path, scope: 'audit', session: 'audit' as const })),
  { method: 'POST', path: '/audit/logout', scope: 'audit', session: 'audit' },
];

/** Public by design: health, the docs, the two login forms. */
export const isPublicPath = (path: string): boolean => ['/healthz', '/ops/login', '/audit/login'].includes(path) || path === '/docs' || path.startsWith('/docs/');

const SAMPLE: Record<string, string> = { id: 'x1', queueName: 'court.case', jobId: 'x1', sha: 'a'.repeat(64), scope: 'job', collection: 'court_cases', schedulerId: 's1' };
/** A concrete path for a route pattern (`:param`, `{param}` and a trailing `*` filled with sample values). */
export const concretePath = (pattern: string): string =>
  pattern.replace(/:(\w+)|\{(\w+)\}/g, (_m, a: string | undefined, b: string | undefined) => SAMPLE[(a ?? b)!] ?? 'x').replace(/\*$/, 'index.html');

/** The scope an OpenAPI path of ours needs (as README documents it), for the paths of /docs/json. */
export function documentedScope(method: string, path: string): AuthTarget {
  const m = method.toUpperCase();
  if (path.startsWith('/ops') || path === '/metrics') return { method: m, path: concretePath(path), scope: 'ops', session: path === '/metrics' ? undefined : 'ops' };
  if (path.startsWith('/audit')) return { method: m, path: concretePath(path), scope: 'audit', session: 'audit' };
  const submit = (path.startsWith('/v1/lookups') && m !== 'GET') || path.startsWith('/v1/webhooks');
  return { method: m, path: concretePath(path), scope: submit ? 'submit' : 'read' };
}

/** Spellings of one path that a URL-string check would miss and a router might still match. */
export function pathVariants(path: string): string[] {
  const segs = path.split('/').slice(1);
  const enc = (s: string, upper = false) => (s ? `%${s.charCodeAt(0).toString(16)[upper ? 'toUpperCase' : 'toLowerCase']()}${s.slice(1)}` : s);
  return [
    ...new Set([
      path,
      `/${[enc(segs[0]!), ...segs.slice(1)].join('/')}`,
      `/${[enc(segs[0]!, true), ...segs.slice(1)].join('/')}`,
      `/${segs.map((s) => enc(s)).join('/')}`,
      `/${path}`,
      path.replace(/\//g, '//'),
      `${path}/`,
      `${path}//`,
      path.toUpperCase(),
      `/${segs.map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join('/')}`,
      `${path};x=1`,
      `/${segs.join('%2F')}`,
      `/${segs.join('/./')}`,
      `/x/..${path}`,
      `${path}?x=1`,
    ]),
  ];
}

/** Keys of each scope (tokens) and real UI session cookies (`name=value`) to attack with. */
export interface AttackKeys {
  keys: Record<string, string>;
  sessions: { ops: string; audit: string };
}

/** Every credential that must not open a route of `scope`: none, forged ones, keys without the scope, the other UI's session. */
export function wrongCredentials(target: AuthTarget, attack: AttackKeys, origin: string): Array<{ label: string; headers: Record<string, string> }> {
  const forgedId = 'A'.repeat(43);
  const creds = [
    { label: 'no key', headers: {} as Record<string, string> },
    { label: 'forged key', headers: { authorization: 'Bearer kvk_forged' } },
    { label: 'forged session', headers: { cookie: `konveyer_ops=${forgedId}; konveyer_audit=${forgedId}`, origin } },
  ];
  for (const [name, token] of Object.entries(attack.keys)) if (name !== target.scope) creds.push({ label: `${name} key`, headers: { 'x-api-key': token } });
  // The other UI's real session, under both cookie names: the server must check the realm, not only the name.
  for (const realm of ['ops', 'audit'] as const) {
    if (realm === target.session || realm === target.scope) continue;
    const value = attack.sessions[realm].split('=').slice(1).join('=');
    creds.push({ label: `${realm} session`, headers: { cookie: `konveyer_ops=${value}; konveyer_audit=${value}`, origin } });
  }
  return creds;
}

/** JSON a state-changing route would act on if it let the request through. */
export const attackBody = (host: string, lookupId: string): string =>
  JSON.stringify({ target: host, host, rps: '1', concurrency: '1', code: 'layout_drift', id: lookupId, answer: 'x', type: 'court.case', input: { court: host, number: '2-2/2025' }, url: 'http://127.0.0.1:9/hook', name: 'x', data: {}, queueName: 'court.case' });

/** Sends every target in every spelling with every wrong credential; returns how many were sent and those let through. */
export async function runAuthMatrix(base: string, targets: Iterable<AuthTarget>, attack: AttackKeys, body: string, parallel = 16): Promise<{ routes: number; sent: number; letThrough: string[] }> {
  const jobs: Array<() => Promise<void>> = [];
  const letThrough: string[] = [];
  let sent = 0;
  let routes = 0;
  for (const t of targets) {
    routes++;
    const hasBody = !['GET', 'HEAD', 'DELETE'].includes(t.method);
    for (const path of pathVariants(t.path)) {
      for (const cred of wrongCredentials(t, attack, base)) {
        jobs.push(async () => {
          const res = await rawRequest(base, t.method, path, { headers: { ...cred.headers, ...(hasBody ? { 'content-type': 'application/json' } : {}) }, body: hasBody ? body : undefined });
          sent++;
          if (![401, 403, 404].includes(res.status)) letThrough.push(`${t.method} ${path} with ${cred.label}: ${res.status} ${res.body.slice(0, 80)}`);
        });
      }
    }
  }
  for (let i = 0; i < jobs.length; i += parallel) await Promise.all(jobs.slice(i, i + parallel).map((j) => j()));
  return { routes, sent, letThrough };
}

/** The part of a MongoDB `Db` the digest reads. */
export interface DocumentSource {
  collection(name: string): { find(filter: object): { sort(spec: Record<string, 1 | -1>): { toArray(): Promise<unknown[]> } } };
}

/** Everything a request let through could change: Redis keys under the prefix with their values, and the MongoDB collections an action writes. */
export async function farmStateDigest(redis: Redis, prefix: string, db: DocumentSource): Promise<string> {
  const parts: string[] = [];
  for (const k of (await redis.keys(`${prefix}*`)).sort()) {
    const type = await redis.type(k);
    const value =
      type === 'string' ? await redis.get(k)
      : type === 'hash' ? JSON.stringify(Object.entries(await redis.hgetall(k)).sort())
      : type === 'set' ? JSON.stringify((await redis.smembers(k)).sort())
      : type === 'zset' ? JSON.stringify(await redis.call('ZRANGE', k, '0', '-1', 'WITHSCORES'))
      : type === 'list' ? JSON.stringify(await redis.lrange(k, 0, -1))
      : type;
    parts.push(`${k}=${value}`);
  }
  for (const c of ['lookups', 'webhooks', 'api_keys', 'captcha_tasks']) {
    const docs = await db.collection(c).find({}).sort({ _id: 1 }).toArray();
    parts.push(`${c}=${createHash('sha256').update(JSON.stringify(docs)).digest('hex')}:${docs.length}`);
  }
  return parts.join('\n');
}
