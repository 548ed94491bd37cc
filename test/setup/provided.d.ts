// What test/setup/global-setup.ts provides to every test file through `inject()`.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `redis://127.0.0.1:<port>` of the run's Redis (or REDIS_URL when set). */
    redisUrl: string;
    /** MongoDB URI of the run's server (or MONGODB_URI when set); pick your own dbName per file. */
    mongoUri: string;
    /** Which server answers: 'external' | 'mongod' | 'ferretdb' (FerretDB lacks transactions, $lookup…). */
    mongoKind: 'external' | 'mongod' | 'ferretdb';
  }
}
