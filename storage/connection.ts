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
