/**
 * The sandbox HTTP server: one node:http server for every replica, routed by the Host header
 * (`<court>.sudrf.ru[:port]` → that court's sudrf site; unknown host → 404). Robots connect to
 * 127.0.0.1:<port> and send `Host: <court host>:<port>`.
 *
 * Admin routes on any host: `GET /__sandbox/world`, `GET /__sandbox/stats`,
 * `POST /__sandbox/faults` (JSON {@link FaultSpec}; `{}` clears), `GET /__sandbox/captcha/<id>`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPrng, deriveSeed } from './data/prng.ts';
import { generateWorld } from './data/world.generator.ts';
import type { SandboxWorld } from './data/world.types.ts';
import { FaultBoard, StatsRecorder, type FaultSpec, type HostStats } from './sandbox-state.ts';
import { CaptchaStore } from './sudrf/captcha.store.ts';
import { handleSudrf, type SiteResponse } from './sudrf/sudrf.site.ts';

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** World seed when `world` is not given; default 42. */
  seed?: number;
  /** A pre-generated world (e.g. a smaller one for tests). */
  world?: SandboxWorld;
  /** Clock for captcha expiry, ms; default Date.now. */
  now?: () => number;
}

/** A running sandbox. */
export interface RunningSandbox {
  /** `http://<host>:<port>`. */
  url: string;
  port: number;
  world: SandboxWorld;
  /** Stop listening and drop open connections. */
  close(): Promise<void>;
  /** Requests per host, max per second, max concurrent. */
  stats(): Record<string, HostStats>;
  /** Set faults, as `POST /__sandbox/faults` does. */
  setFaults(spec: FaultSpec): void;
  /** The answer of an issued captcha (tests only). */
  captchaAnswer(captchaId: string): string | undefined;
}

/** Start the sandbox. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const { port = 0, host = '127.0.0.1', seed = 42 } = options;
  const world = options.world ?? generateWorld({ seed });
  const captchas = new CaptchaStore({ seed: deriveSeed(world.seed, 'captcha'), now: options.now });
  const faults = new FaultBoard();
  const stats = new StatsRecorder();
  const faultRng = createPrng(deriveSeed(world.seed, 'faults'));
  const courts = new Map(world.courts.map((c) => [c.host, c]));
  const ctx = { world, captchas, isLayoutDrift: (h: string) => faults.get(h).layoutDrift };

  const server = http.createServer((req, res) => {
    const [path = '/', rawQuery = ''] = (req.url ?? '/').split(/\?(.*)/s, 2);
    const vhost = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const send = (r: SiteResponse): void => {
      res.writeHead(r.status, { ...r.headers, 'content-length': String(r.body.length) });
      res.end(req.method === 'HEAD' ? undefined : r.body);
    };
    if (path.startsWith('/__sandbox/')) {
      admin(req, path).then(send, (err: unknown) => send(json(400, { error: String(err) })));
      return;
    }
    const end = stats.begin(vhost || '(none)', Date.now());
    res.on('close', end);
    void (async () => {
      const court = courts.get(vhost);
      if (!court) return send({ status: 404, headers: { 'content-type': 'text/html; charset=utf-8' }, body: Buffer.from(`<html><body><h1>404 Not Found</h1><p>Unknown host ${escapeHtml(vhost)}</p></body></html>`) });
      if (req.method !== 'GET' && req.method !== 'HEAD') return send({ status: 405, headers: { allow: 'GET, HEAD' }, body: Buffer.alloc(0) });
      const fault = faults.get(vhost);
      if (fault.latencyMs > 0) await new Promise((r) => setTimeout(r, fault.latencyMs));
      if (fault.errorRate > 0 && faultRng.next() < fault.errorRate) {
        return send({ status: 503, headers: { 'content-type': 'text/html; charset=utf-8', 'retry-after': '5' }, body: Buffer.from('<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>') });
      }
      send(await handleSudrf(ctx, court, path, rawQuery));
    })().catch((err: unknown) => send({ status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from(String(err)) }));
  });

  async function admin(req: http.IncomingMessage, path: string): Promise<SiteResponse> {
    if (req.method === 'GET' && path === '/__sandbox/world') return json(200, worldSummary(world));
    if (req.method === 'GET' && path === '/__sandbox/stats') return json(200, stats.snapshot());
    if (req.method === 'GET' && path === '/__sandbox/faults') return json(200, faults.list());
    if (req.method === 'POST' && path === '/__sandbox/faults') {
      const body = await readBody(req);
      faults.set(body.trim() ? (JSON.parse(body) as FaultSpec) : {});
      return json(200, faults.list());
    }
    const m = /^\/__sandbox\/captcha\/([a-z0-9]+)$/.exec(path);
    if (req.method === 'GET' && m) {
      const answer = captchas.answer(m[1] as string);
      return answer ? json(200, { id: m[1], answer }) : json(404, { error: 'unknown captcha id' });
    }
    return json(404, { error: 'unknown admin route' });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${bound}`,
    port: bound,
    world,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
    stats: () => stats.snapshot(),
    setFaults: (spec) => faults.set(spec),
    captchaAnswer: (id) => captchas.answer(id),
  };
}

/** The JSON of `GET /__sandbox/world`: courts and, per court, the identifiers of its cases. */
export function worldSummary(world: SandboxWorld): unknown {
  return {
    seed: world.seed,
    asOf: world.asOf,
    courts: world.courts.map((c) => ({
      host: c.host, code: c.code, name: c.name, template: c.template, hasSearchCaptcha: c.hasSearchCaptcha, srvNum: c.srvNum,
      cases: world.cases.filter((k) => k.host === c.host)
        .map((k) => ({ caseNumber: k.caseNumber, uid: k.uid, caseId: k.caseId, caseUid: k.caseUid, srvNum: k.srvNum, status: k.status })),
    })),
  };
}

function json(status: number, value: unknown): SiteResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: Buffer.from(JSON.stringify(value)) };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
