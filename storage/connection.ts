import mongoose, { type Connection } from 'mongoose';

export interface MongoOptions {
  uri: string;
  /** Database name when the URI names none. */
  db: string;
  /** Fail fast when the server is not there. */
  serverSelectionTimeoutMs?: number;
  /** Emit the driver's command events (`commandStarted` …), e.g. for storage/command-stats.ts; default false. */
  monitorCommands?: boolean;
}

/**
 * Opens a dedicated mongoose connection (never the global one, so tests and roles can hold
 * several) and creates the indexes the repositories rely on. The caller owns and closes it.
 */
export async function connectMongo(options: MongoOptions): Promise<Connection> {
  const conn = mongoose.createConnection(options.uri, {
    dbName: dbNameFrom(options.uri) ?? options.db,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 15_000,
    // FerretDB 1.x and MongoDB both speak retryable writes over OP_MSG; keep the driver defaults.
    autoIndex: false,
    maxPoolSize: 20,
    monitorCommands: options.monitorCommands ?? false,
  });
  await conn.asPromise();
  return conn;
}

function dbNameFrom(uri: string): string | undefined {
  const path = uri.replace(/^mongodb(\+srv)?:\/\/[^/]*/, '').split('?')[0] ?? '';
  const name = path.replace(/^\//, '');
  return name === '' ? undefined : name;
}

/**
 * True when `error` means the MongoDB server could not be reached or dropped the connection: the
 * driver's network errors and their subclasses (a pool cleared or closed while a command waited for
 * a connection — `MongoPoolClearedError` when the server was killed — and network timeouts), server
 * selection and topology errors (mongoose's own server-selection error on connect too). Checked by
 * class, with the names as a fallback for mongoose's wrappers and another copy of the driver.
 */
export function isMongoUnreachable(error: unknown): boolean {
  const m = mongoose.mongo;
  if (error instanceof m.MongoNetworkError || error instanceof m.MongoServerSelectionError || error instanceof m.MongoNotConnectedError || error instanceof m.MongoTopologyClosedError) return true;
  const name = (error as { name?: unknown })?.name;
  return typeof name === 'string' && /^((Mongo|Mongoose)(Network|ServerSelection|NotConnected|Topology|PoolCleared|PoolClosed)|PoolClearedOnNetwork)/.test(name);
}
