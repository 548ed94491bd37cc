/**
 * The embedded MongoDB-wire server: `MONGODB_URI` when set, else a `mongod` on PATH, else FerretDB
 * 1.24 on SQLite (built by `scripts/setup.sh`). DESIGN.md §Embedded default and production.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { findFreePort } from './free-port.ts';
import { locateBinary, locateFerretDb } from './locate.ts';
import { EmbeddedServiceError, logTail, spawnService } from './service-process.ts';

/** Which server answers: one we were given, a real mongod, or FerretDB. */
export type MongoKind = 'external' | 'mongod' | 'ferretdb';

/** Options of {@link startMongo}. */
export interface MongoOptions {
  /** Run directory; data goes to `<runDir>/mongo` or `<runDir>/ferretdb`, the log to `<runDir>/<kind>.log`. */
  runDir: string;
  /** TCP port; default a free one. Ignored for `external`. */
  port?: number;
  /** Where MONGODB_URI and PATH are read; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the server to answer `ping`; default 30 000 ms. */
  readyTimeoutMs?: number;
}

/** A MongoDB-wire server ready to use. */
export interface EmbeddedMongo {
  /** `mongodb://127.0.0.1:<port>/konveyer` for embedded ones; MONGODB_URI as given for `external`. */
  uri: string;
  kind: MongoKind;
  /** The child's pid; null for `external`. */
  pid: number | null;
  /** Resolves with the child's exit code once it has exited; never for `external`. */
  exited: Promise<number | null>;
  /** Stops the child and waits for its exit; a no-op for `external`. */
  stop(): Promise<void>;
}

/** The message when no server can be had: it names the three ways to get one. */
export const NO_MONGO_MESSAGE =
  'No MongoDB-compatible server is available. Do one of: ' +
  '(1) set MONGODB_URI to a running MongoDB; ' +
  '(2) put a mongod binary (MongoDB 6 or 7) on PATH; ' +
  '(3) install Go >= 1.24 and run `make setup`, which builds FerretDB v1.24.2 into ~/.cache/konveyer/bin.';

/** Default database of embedded servers, the same as in docker-compose.yml. */
const DEFAULT_DB = 'konveyer';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves true when the server at `uri` answers `ping` within `timeoutMs`. */
export async function pingMongo(uri: string, timeoutMs = 1000): Promise<boolean> {
  const client = new mongoose.mongo.MongoClient(uri, {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    directConnection: true,
  });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

function mongodArgs(runDir: string, port: number): string[] {
  const dbPath = join(runDir, 'mongo');
  mkdirSync(dbPath, { recursive: true });
  return ['--dbpath', dbPath, '--port', String(port), '--bind_ip', '127.0.0.1'];
}

function ferretdbArgs(runDir: string, port: number): string[] {
  const dataDir = join(runDir, 'ferretdb');
  const stateDir = join(runDir, 'ferretdb-state');
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(stateDir, { recursive: true });
  return [
    `--listen-addr=127.0.0.1:${port}`,
    '--handler=sqlite',
    `--sqlite-url=file:${dataDir}/`,
    `--state-dir=${stateDir}`,
    // Its default 127.0.0.1:8088 would collide between two instances; '-' turns it off.
    '--debug-addr=-',
    '--telemetry=disable',
    '--log-level=warn',
  ];
}

/**
 * Gives a MongoDB-wire server: MONGODB_URI when set (no process), else a mongod child, else a
 * FerretDB child on SQLite; waits until it answers `ping`.
 * @throws EmbeddedServiceError naming the three ways to get a server when none can be had, or
 *   with the tail of the server's log when it does not come up.
 */
export async function startMongo(options: MongoOptions): Promise<EmbeddedMongo> {
  const env = options.env ?? process.env;
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const external = env.MONGODB_URI;
  if (external) {
    if (!(await pingMongo(external, Math.min(readyTimeoutMs, 10_000)))) {
      throw new EmbeddedServiceError(`MONGODB_URI is set but the server does not answer ping: ${redactUri(external)}`);
    }
    return { uri: external, kind: 'external', pid: null, exited: new Promise<number | null>(() => undefined), stop: async () => undefined };
  }

  const mongod = locateBinary('mongod', env);
  const ferretdb = mongod === null ? locateFerretDb(env) : null;
  const kind: MongoKind | null = mongod ? 'mongod' : ferretdb ? 'ferretdb' : null;
  const binary = mongod ?? ferretdb;
  if (kind === null || binary === null) throw new EmbeddedServiceError(NO_MONGO_MESSAGE);

  const attempts = options.port === undefined ? 3 : 1;
  let lastError: Error | null = null;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = options.port ?? (await findFreePort());
    const args = kind === 'mongod' ? mongodArgs(options.runDir, port) : ferretdbArgs(options.runDir, port);
    const service = await spawnService({ name: kind, command: binary, args, runDir: options.runDir });
    let exitedEarly = false;
    void service.exited.then(() => {
      exitedEarly = true;
    });
    const uri = `mongodb://127.0.0.1:${port}/${DEFAULT_DB}`;
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline && !exitedEarly) {
      if (await pingMongo(uri, 500)) {
        return { uri, kind, pid: service.pid, exited: service.exited, stop: () => service.stop() };
      }
      await sleep(100);
    }
    await service.stop(2000);
    lastError = new EmbeddedServiceError(
      `${kind} on port ${port} ${exitedEarly ? 'exited at start' : `did not answer ping within ${readyTimeoutMs} ms`}: ` +
        logTail(service.logFile, 600),
    );
  }
  throw lastError ?? new EmbeddedServiceError(`${kind} did not start`);
}

/** The URI without its password, for messages. */
function redactUri(uri: string): string {
  return uri.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
