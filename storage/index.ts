import type { Connection } from 'mongoose';
import { connectMongo, type MongoOptions } from './connection.ts';
import { MongoCourtCaseStore } from './court-cases.repo.ts';
import { MongoEvidenceStore } from './evidence.store.ts';
import { MongoLookupStore } from './lookups.repo.ts';

export * from './types.ts';
export { connectMongo } from './connection.ts';
export { courtCaseKey, diffCase, MongoCourtCaseStore } from './court-cases.repo.ts';
export { MongoEvidenceStore, sha256Hex, evidenceLinkHash } from './evidence.store.ts';
export { MongoLookupStore } from './lookups.repo.ts';
export type { CourtCaseDoc } from './models/court-case.model.ts';

/** Everything a process role needs from MongoDB, opened together and closed together. */
export interface Storage {
  conn: Connection;
  lookups: MongoLookupStore;
  courtCases: MongoCourtCaseStore;
  evidence: MongoEvidenceStore;
  close(): Promise<void>;
}

/** Connects, creates the indexes every repository relies on (idempotent), returns the stores. */
export async function openStorage(options: MongoOptions): Promise<Storage> {
  const conn = await connectMongo(options);
  const lookups = new MongoLookupStore(conn);
  const courtCases = new MongoCourtCaseStore(conn);
  const evidence = new MongoEvidenceStore(conn);
  for (const model of [lookups.model, courtCases.model, evidence.items, evidence.blobs]) {
    await model.createCollection().catch(() => undefined);
    await model.createIndexes();
  }
  return { conn, lookups, courtCases, evidence, close: () => conn.close() };
}
