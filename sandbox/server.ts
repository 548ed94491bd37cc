/**
 * The sandbox HTTP server: one node:http server for every replica, routed by the Host header
 * (`<court>.sudrf.ru[:port]` → that court's sudrf site; unknown host → 404). Robots connect to
 * 127.0.0.1:<port> and send `Host: <court host>:<port>`.
 *
 * Admin routes on any host: `GET /__sandbox/world`, `GET /__sandbox/stats`, `GET /__sandbox/clients`,
 * `POST /__sandbox/faults` (JSON {@link FaultSpec}; `{}` clears), `GET /__sandbox/captcha/<id>`;
 * `/__sandbox/rucaptcha/…` a replica of the captcha-solving service (sandbox/rucaptcha/).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPrng, deriveSeed } from './data/prng.ts';
import { generateWorld } from './data/world.generator.ts';
import type { SandboxWorld } from './data/world.types.ts';
import { pickTransportFault, rateLimitedResponse, slowDelayMs, spoilCaptchaAnswers } from './faults/site-faults.ts';
import { CaptchaLedger } from './captcha-ledger.ts';
import { FaultBoard, StatsRecorder, type FaultSpec, type HostStats, type SeenClient } from './sandbox-state.ts';
import { jsonResponse as json, type SandboxSite, type SiteRequest, type SiteResponse } from './site.ts';
import { SITE_FACTORIES } from './sites.ts';

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
  /** Who sent each recent request (source address, user agent, client hints, Accept-Language), oldest first. */
  clients(): SeenClient[];
  /** Set faults, as `POST /__sandbox/faults` does. */
  setFaults(spec: FaultSpec): void;
  /** The answer of an issued captcha (tests only). */
  captchaAnswer(captchaId: string): string | undefined;
  /** The answer of a captcha picture this sandbox drew (found by its pixels), or null. */
  readCaptcha(image: Buffer): Promise<string | null>;
}

/** Start the sandbox. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const { port = 0, host = '127.0.0.1', seed = 42 } = options;
  const world = options.world ?? generateWorld({ seed });
  const now = options.now ?? Date.now;
  const faults = new FaultBoard();
  const stats = new StatsRecorder();
  const faultRng = createPrng(deriveSeed(world.seed, 'faults'));
  const captchaLedger = new CaptchaLedger();
  const sites: SandboxSite[] = SITE_FACTORIES.map((make) => make({ world, faults, now, captchaLedger }));

  const server = http.createServer((req, res) => {
    const [path = '/', rawQuery = ''] = (req.url ?? '/').split(/\?(.*)/s, 2);
    const vhost = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const send = (r: SiteResponse): void => {
      if (res.headersSent) return;
      res.writeHead(r.status, { ...r.headers, 'content-length': String(r.body.length) });
      res.end(req.method === 'HEAD' ? undefined : r.body);
    };
    void (async () => {
      const body = await readBody(req);
      const request: SiteRequest = { method: req.method ?? 'GET', vhost, path, rawQuery, headers: req.headers, body };
      if (path.startsWith('/__sandbox/')) return send(await admin(request));
      const end = stats.begin(vhost || '(none)', Date.now());
      res.on('close', end);
      const site = sites.find((s) => s.matches(vhost));
      if (!site) return send({ status: 404, headers: { 'content-type': 'text/html; charset=utf-8' }, body: Buffer.from(`<html><body><h1>404 Not Found</h1><p>Unknown host ${escapeHtml(vhost)}</p></body></html>`) });
      const fault = faults.get(vhost);
      const source = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
      const header = (name: string) => String(req.headers[name] ?? '');
      stats.client({ host: vhost, path, source, userAgent: header('user-agent'), acceptLanguage: header('accept-language'), secChUa: header('sec-ch-ua'), secChUaPlatform: header('sec-ch-ua-platform') });
      if (fault.geoBlockAddresses.includes(source)) {
        return send({ status: 403, headers: { 'content-type': 'text/html; charset=utf-8' }, body: Buffer.from('<html><body><h1>403 Forbidden</h1><p>Доступ к ресурсу ограничен для вашего региона.</p></body></html>') });
      }
      if (fault.latencyMs > 0) await new Promise((r) => setTimeout(r, fault.latencyMs));
      if (fault.errorRate > 0 && faultRng.next() < fault.errorRate) {
        return send({ status: 503, headers: { 'content-type': 'text/html; charset=utf-8', 'retry-after': '5' }, body: Buffer.from('<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>') });
      }
      // Transport faults (sandbox/faults/site-faults.ts): slow pages, hangs, 429, storms, cut bodies.
      const slow = slowDelayMs(fault, faultRng);
      if (slow > 0) await new Promise((r) => setTimeout(r, slow));
      const transport = pickTransportFault(fault, faultRng);
      if (transport.kind === 'hang') return; // never answered: the client's timeout ends it
      if (transport.kind === 'rate429') return send(rateLimitedResponse(transport.retryAfterSecs));
      if (fault.captchaStorm) {
        request.rawQuery = spoilCaptchaAnswers(request.rawQuery);
        if (/urlencoded/i.test(String(req.headers['content-type'] ?? ''))) request.body = Buffer.from(spoilCaptchaAnswers(request.body.toString('latin1')), 'latin1');
      }
      const answer = await site.handle(request);
      if (transport.kind === 'truncate' && answer.body.length > 1) {
        // Headers promise the whole body; half of it arrives, then the connection drops.
        res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
        return void res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)), () => res.destroy());
      }
      send(answer);
    })().catch((err: unknown) => send({ status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from(String(err)) }));
  });

  async function admin(req: SiteRequest): Promise<SiteResponse> {
    const { method, path } = req;
    if (method === 'GET' && path === '/__sandbox/world') return json(200, worldSummary(world));
    if (method === 'GET' && path === '/__sandbox/stats') return json(200, stats.snapshot());
    if (method === 'GET' && path === '/__sandbox/clients') return json(200, stats.clients());
    if (method === 'GET' && path === '/__sandbox/faults') return json(200, faults.list());
    if (method === 'POST' && path === '/__sandbox/faults') {
      const text = req.body.toString('utf8').trim();
      try {
        faults.set(text ? (JSON.parse(text) as FaultSpec) : {});
      } catch (err) {
        // A bad spec (rate out of range, unknown layout variant, bad JSON) is the caller's error.
        return json(400, { error: String((err as Error).message ?? err) });
      }
      return json(200, faults.list());
    }
    // Site admin routes: /__sandbox/<rest> asked of each site in turn (e.g. /__sandbox/captcha/<id>).
    for (const site of sites) {
      const answer = await site.admin?.(path.slice('/__sandbox'.length), req);
      if (answer) return answer;
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
    clients: () => stats.clients(),
    setFaults: (spec) => faults.set(spec),
    readCaptcha: (image) => captchaLedger.read(image),
    captchaAnswer: (id) => sites.map((site) => (site as { captchas?: { answer(id: string): string | undefined } }).captchas?.answer(id)).find(Boolean),
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

/** The request body, at most 5 MB (a sandbox never needs more). */
function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 5 * 1024 * 1024) req.destroy(new Error('request body over 5 MB'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
