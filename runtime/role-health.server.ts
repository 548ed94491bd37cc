import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the health endpoint of a worker role pings. */
export interface RoleHealthOptions {
  /** Role name shown in the answers: robots, ocr, scheduler. */
  role: string;
  /** Port (0: any free one; the caller skips the server when the configured port is 0). */
  port: number;
  host?: string;
  /** Redis of the role (BullMQ's connection or the farm's). */
  redis: { ping(): Promise<unknown> };
  /** MongoDB connection of the role's storage. */
  mongo: { db?: { admin(): { ping(): Promise<unknown> } } | undefined };
  /** Longest wait for each ping; default 2000 ms. */
  timeoutMs?: number;
}

/** A running health endpoint. */
export interface RoleHealthServer {
  url: string;
  close(): Promise<void>;
}

const within = async (p: Promise<unknown>, ms: number): Promise<string> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([p, new Promise((_r, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)))]);
    return 'ok';
  } catch (error) {
    return (error as Error).message;
  } finally {
    clearTimeout(timer);
  }
};

/**
 * The probe endpoint of a worker role (robots, OCR, scheduler), for Kubernetes and Compose:
 * `GET /livez` 200 while the process's event loop answers (a hung process times out, and is
 * restarted); `GET /readyz` (and `/healthz`) 200 when Redis and MongoDB answer, 503 when either does
 * not or the process got SIGTERM and is draining. Liveness does not depend on Redis or MongoDB, so
 * an outage of theirs does not restart every pod. The server is unref'd: it never keeps a stopping
 * process alive.
 */
export async function startRoleHealthServer(options: RoleHealthOptions): Promise<RoleHealthServer> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const started = Date.now();
  let stopping = false;
  // Draining: not ready any more. When nobody else handles the signal, its default (exit) still applies.
  const onStop = (signal: NodeJS.Signals) => {
    stopping = true;
    if (process.listenerCount(signal) === 1) {
      process.off(signal, onStop);
      process.kill(process.pid, signal);
    }
  };
  process.on('SIGTERM', onStop);
  process.on('SIGINT', onStop);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: Record<string, unknown>) =>
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify({ role: options.role, ...body }));
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { ok: false, error: 'GET only' });
    if (path === '/livez') return send(200, { ok: true, uptimeSecs: Math.round((Date.now() - started) / 1000) });
    if (path !== '/readyz' && path !== '/healthz') return send(404, { ok: false, error: 'GET /livez or /readyz' });
    const mongoDb = options.mongo.db;
    void Promise.all([within(options.redis.ping(), timeoutMs), mongoDb ? within(mongoDb.admin().ping(), timeoutMs) : Promise.resolve('not connected')]).then(([redis, mongo]) => {
      const ok = !stopping && redis === 'ok' && mongo === 'ok';
      send(ok ? 200 : 503, { ok, redis, mongo, ...(stopping ? { stopping: true } : {}) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    async close() {
      process.off('SIGTERM', onStop);
      process.off('SIGINT', onStop);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** What `serveRoleHealth` takes from a role's farm (runtime/farm.ts openFarm). */
export interface RoleHealthFarm {
  config: { ops: { roleHealthPort: number } };
  redis: RoleHealthOptions['redis'];
  storage: { conn: RoleHealthOptions['mongo'] };
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

/**
 * Starts the role's health endpoint on ROLE_HEALTH_PORT (none when 0); a port already taken (two
 * roles on one machine) is logged, not fatal. Lives as long as the process.
 */
export function serveRoleHealth(role: string, farm: RoleHealthFarm): void {
  const port = farm.config.ops.roleHealthPort;
  if (port <= 0) return;
  startRoleHealthServer({ role, port, redis: farm.redis, mongo: farm.storage.conn }).then(
    (server) => farm.log.info({ role, url: server.url }, 'role health endpoint listening (/livez, /readyz)'),
    (err: unknown) => farm.log.warn({ err, role, port }, 'role health endpoint not started'),
  );
}
