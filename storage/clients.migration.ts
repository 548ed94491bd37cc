import type { Connection } from 'mongoose';
import { idempotencyKeyOf } from './lookups.repo.ts';
import { addClientToRecords, isRecordCollection } from './read-models.repo.ts';
import { DEFAULT_CLIENT_ID } from './clients.types.ts';

/** What one run of the clients migration changed (all zeros on a database already migrated). */
export interface ClientsMigrationReport {
  apiKeys: number;
  webhooks: number;
  lookups: number;
  idempotencyKeys: number;
  droppedGlobalKeyIndex: boolean;
  /** Lookups whose records got their client in `clientIds` (once per database; 0 afterwards). */
  recordClients: number;
}

/** Marker of the one-time `clientIds` backfill in the `migrations` collection. */
const RECORD_CLIENTS_MIGRATION = 'record-client-ids';
/** Marker of the one-time lookups part (clientId, idempotencyKey), written when it is done. */
const LOOKUP_CLIENTS_MIGRATION = 'lookup-client-ids';

/** Writes a migration's marker; another process that finished it at the same time already did. */
async function insertMarker(migrations: ReturnType<Connection['collection']>, marker: Record<string, unknown>): Promise<void> {
  await migrations.insertOne(marker as never).catch((error: { code?: number }) => {
    if (error.code !== 11000) throw error;
  });
}

/**
 * Start-up migration to clients (issue 13): API keys, webhooks and lookups stored before clients
 * existed move to the `default` client; lookups with a client key get their per-client
 * `idempotencyKey`; the old global unique index on `clientKey` is dropped (it would keep two
 * clients from using the same key). Idempotent, and uses only what FerretDB 1.24 supports too
 * (no pipeline updates): plain `$set` by `_id`, in batches of 1 000. Safe to run on every start:
 * the parts that scan every lookup run once per database (markers in `migrations`).
 */
export async function migrateToClients(conn: Connection): Promise<ClientsMigrationReport> {
  const missing = { clientId: { $exists: false } };
  const apiKeys = (await conn.collection('api_keys').updateMany(missing, { $set: { clientId: DEFAULT_CLIENT_ID } })).modifiedCount;
  const webhooks = (await conn.collection('webhooks').updateMany(missing, { $set: { clientId: DEFAULT_CLIENT_ID } })).modifiedCount;
  const lookupsColl = conn.collection('lookups');

  let droppedGlobalKeyIndex = false;
  const indexes = await lookupsColl.indexes().catch(() => [] as Array<{ name?: string }>);
  if (indexes.some((i) => i.name === 'clientKey_1')) {
    await lookupsColl.dropIndex('clientKey_1');
    droppedGlobalKeyIndex = true;
  }

  // The lookups part filters on fields no index serves (`$exists`, `$type`): a scan of every lookup,
  // on MongoDB as on FerretDB, which took minutes at 1 000 000 lookups and ran on every start of
  // every process (bench/growth.bench.ts). Lookups written since clients exist carry both fields,
  // so it runs once per database, like the records' backfill below.
  const migrations = conn.collection('migrations');
  let lookups = 0;
  let idempotencyKeys = 0;
  if (!(await migrations.findOne({ _id: LOOKUP_CLIENTS_MIGRATION as never }))) {
    lookups = (await lookupsColl.updateMany(missing, { $set: { clientId: DEFAULT_CLIENT_ID } })).modifiedCount;
    const cursor = lookupsColl.find({ clientKey: { $type: 'string' }, idempotencyKey: { $exists: false } }, { projection: { _id: 1, clientKey: 1, clientId: 1 } }).batchSize(1000);
    let batch: Array<{ updateOne: { filter: Record<string, unknown>; update: Record<string, unknown> } }> = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await lookupsColl.bulkWrite(batch as never, { ordered: false });
      idempotencyKeys += batch.length;
      batch = [];
    };
    for await (const doc of cursor) {
      const key = idempotencyKeyOf(String(doc.clientId ?? DEFAULT_CLIENT_ID), String(doc.clientKey));
      batch.push({ updateOne: { filter: { _id: doc._id, idempotencyKey: { $exists: false } }, update: { $set: { idempotencyKey: key } } } });
      if (batch.length >= 1000) await flush();
    }
    await flush();
    await insertMarker(migrations, { _id: LOOKUP_CLIENTS_MIGRATION, doneAt: new Date(), lookups, idempotencyKeys });
  }
  const recordClients = await backfillRecordClients(conn);
  return { apiKeys, webhooks, lookups, idempotencyKeys, droppedGlobalKeyIndex, recordClients };
}

/**
 * Records stored before `clientIds` existed get the clients whose lookups reached them (every
 * lookup with a result), once per database: lookups finished afterwards set it themselves
 * (storage/lookups.repo.ts markFinished). The marker is written last, so an interrupted run
 * starts over (the updates are idempotent).
 */
async function backfillRecordClients(conn: Connection): Promise<number> {
  const migrations = conn.collection('migrations');
  if (await migrations.findOne({ _id: RECORD_CLIENTS_MIGRATION as never })) return 0;
  let n = 0;
  const cursor = conn.collection('lookups').find({ result: { $type: 'object' } }, { projection: { clientId: 1, result: 1 } }).batchSize(1000);
  for await (const doc of cursor) {
    const result = doc.result as { collection?: unknown; id?: string | null; ids?: string[] | null };
    if (typeof result.collection !== 'string' || !isRecordCollection(result.collection)) continue;
    await addClientToRecords(conn, String(doc.clientId ?? DEFAULT_CLIENT_ID), { collection: result.collection, id: result.id, ids: result.ids });
    n++;
  }
  await insertMarker(migrations, { _id: RECORD_CLIENTS_MIGRATION, doneAt: new Date(), lookups: n });
  return n;
}
