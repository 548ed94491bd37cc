/** The embedded Redis: Debian's `redis-server` as a child process on a free loopback port. */
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { findFreePort } from './free-port.ts';
import { locateBinary } from './locate.ts';
import { EmbeddedServiceError, logTail, spawnService } from './service-process.ts';

/** Options of {@link startRedis}. */
export interface RedisOptions {
  /** Run directory; data goes to `<runDir>/redis`, the log to `<runDir>/redis.log`. */
  runDir: string;
  /** TCP port; default a free one. */
  port?: number;
  /** Append-only file persistence (AOF); default false (tests and demo need no durability). */
  appendOnly?: boolean;
  /** How long to wait for PING to answer; default 15 000 ms. */
  readyTimeoutMs?: number;
  /** More redis-server arguments (e.g. `['--replicaof', '127.0.0.1', '6379']` for a replica). */
  extraArgs?: string[];
  /** Name of its pid and log files; default `redis` (two servers in one run dir need two names). */
  name?: string;
}

/** A running embedded Redis. */
export interface EmbeddedRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  pid: number;
  /** Resolves with the exit code (null when killed by a signal) once the server has exited. */
  exited: Promise<number | null>;
  /** Stops the server and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Sends one inline PING and resolves true on `+PONG` (false on anything else: refused, LOADING…).
 * A raw socket, so that this works before any Redis client is configured.
 */
export function pingRedis(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolvePing) => {
    const socket = connect({ port, host });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolvePing(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `redis-server --port <free> --bind 127.0.0.1 --save "" --appendonly no|yes
 * --dir <runDir>/redis --maxmemory-policy noeviction --daemonize no` and waits until PING answers.
 * With no fixed port, a lost race for the port is retried on another one.
 * @throws EmbeddedServiceError when redis-server is missing or does not come up.
 */
export async function startRedis(options: RedisOptions): Promise<EmbeddedRedis> {
  const binary = locateBinary('redis-server');
  if (binary === null) {
    throw new EmbeddedServiceError('redis-server not found on PATH; run `make setup` (installs Debian redis-server)');
  }
  const dataDir = join(options.runDir, 'redis');
  mkdirSync(dataDir, { recursive: true });
  const readyTimeoutMs = options.readyTimeoutMs ?? 15_000;
  const attempts = options.port === undefined ? 3 : 1;
  let lastError: Error | null = null;

  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = options.port ?? (await findFreePort());
    const service = await spawnService({
      name: options.name ?? 'redis',
      command: binary,
      runDir: options.runDir,
      args: [
        '--port', String(port),
        '--bind', '127.0.0.1',
        '--save', '',
        '--appendonly', options.appendOnly ? 'yes' : 'no',
        '--dir', dataDir,
        // BullMQ requires noeviction: an evicted job key is a silently lost job.
        '--maxmemory-policy', 'noeviction',
        '--daemonize', 'no',
        ...(options.extraArgs ?? []),
      ],
    });
    let exitedEarly = false;
    void service.exited.then(() => {
      exitedEarly = true;
    });
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline && !exitedEarly) {
      if (await pingRedis(port)) {
        return { url: `redis://127.0.0.1:${port}`, port, pid: service.pid, exited: service.exited, stop: () => service.stop() };
      }
      await sleep(50);
    }
    await service.stop(2000);
    lastError = new EmbeddedServiceError(
      `redis-server on port ${port} ${exitedEarly ? 'exited at start' : `did not answer PING within ${readyTimeoutMs} ms`}: ` +
        logTail(service.logFile, 600),
    );
  }
  throw lastError ?? new EmbeddedServiceError('redis-server did not start');
}
