import type { Connection } from 'mongoose';

/** Collections the API reads (paged GETs and exports). */
export const READ_COLLECTIONS = ['lookups', 'court_cases', 'enforcement_proceedings', 'epgu_requests', 'documents', 'postal_items'] as const;
export type ReadCollection = (typeof READ_COLLECTIONS)[number];

/**
 * The filters each collection accepts: public name → document path. The whitelist is the injection
 * guard: only these paths are queried, and only with a plain string (equality), so no `$` operator
 * ever reaches MongoDB from a client.
 */
export const READ_FILTERS = {
  lookups: { batch: 'batchId', status: 'status', type: 'type' },
  court_cases: { court: 'court.host', number: 'caseNumber', uid: 'uid', status: 'status' },
  enforcement_proceedings: { ipNumber: 'ipNumber', region: 'region', status: 'status' },
  epgu_requests: { ipNumber: 'ipNumber', status: 'status', applicationNumber: 'applicationNumber' },
  documents: { kind: 'kind', ipNumber: 'fields.ipNumber', requestId: 'requestId' },
  postal_items: { state: 'state', linkKind: 'links.kind', linkId: 'links.id' },
} as const satisfies Record<ReadCollection, Record<string, string>>;

export type ReadFilter<C extends ReadCollection> = Partial<Record<keyof (typeof READ_FILTERS)[C], string>>;

/**
 * Which documents a caller may see, added by the server (never from a client's query): a client's
 * own lookups (`clientId`), or the records reached through them (`ids`, and for documents the
 * answers to its EPGU requests, `requestIds`). Absent: everything (`all-clients`).
 */
export interface ReadRestriction {
  clientId?: string;
  /** Records whose `clientIds` hold this client: reached by one of its lookups (set when the lookup finished). */
  reachedBy?: string;
  ids?: string[];
  requestIds?: string[];
}

/** The collections a lookup's result points into; each record keeps `clientIds`, the clients whose lookups reached it. */
export type RecordCollection = Exclude<ReadCollection, 'lookups'>;
const RECORD_COLLECTIONS: ReadonlySet<string> = new Set(READ_COLLECTIONS.filter((c) => c !== 'lookups'));
export const isRecordCollection = (name: string): name is RecordCollection => RECORD_COLLECTIONS.has(name);

/**
 * Adds `clientId` to `clientIds` of the records a lookup's result names (`id` and `ids`), apart from
 * `carrying` (records known to hold the client already: saved with it). Idempotent; only records
 * without the client are written. Reads are then restricted by an indexed equality
 * (`{clientIds: c}`) instead of collecting the ids from every lookup of the client on each request.
 */
export async function addClientToRecords(
  conn: Connection,
  clientId: string,
  result: { collection: string; id?: string | null; ids?: readonly string[] | null },
  carrying?: ReadonlySet<string>,
): Promise<void> {
  if (!isRecordCollection(result.collection)) return;
  const ids = [...new Set([result.id, ...(result.ids ?? [])].filter((x): x is string => x !== undefined && x !== null).map(String))].filter((id) => !carrying?.has(id));
  if (ids.length === 0) return;
  // One update by `_id` equality per record, in one round trip: FerretDB finds each by its _id index
  // (an `_id: {$in}` filter scanned the collection there until scripts/ferretdb/sqlite-pushdown.patch
  // pushed `$in` down; either form is right on MongoDB).
  const client = String(clientId);
  await conn.collection(result.collection).bulkWrite(
    ids.map((id) => ({ updateOne: { filter: { _id: id, clientIds: { $ne: client } } as never, update: { $addToSet: { clientIds: client } } as never } })),
    { ordered: false },
  );
}

export interface ReadPage {
  items: Array<Record<string, unknown>>;
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Paged, filtered reads of the normalized collections; `_id` order, cursor = last `_id` seen. */
export class MongoReadModelStore {
  constructor(private readonly conn: Connection) {}

  async page<C extends ReadCollection>(collection: C, filter: ReadFilter<C>, options: { limit: number; cursor?: string }, restrict?: ReadRestriction): Promise<ReadPage> {
    const query = restricted(buildQuery(collection, filter), restrict);
    if (options.cursor !== undefined) query._id = { $gt: decodeCursor(options.cursor) };
    const items = await this.conn
      .collection(collection)
      .find(query as never)
      .sort({ _id: 1 })
      .limit(options.limit + 1)
      .toArray();
    const more = items.length > options.limit;
    const page = (more ? items.slice(0, options.limit) : items) as Array<Record<string, unknown>>;
    return { items: page, nextCursor: more ? encodeCursor(String(page[page.length - 1]!._id)) : null };
  }

  /** One document by `_id` (a string), or null. */
  async get(collection: ReadCollection, id: string, restrict?: ReadRestriction): Promise<Record<string, unknown> | null> {
    return (await this.conn.collection(collection).findOne(restricted({ _id: String(id) }, restrict) as never)) as Record<string, unknown> | null;
  }

  /**
   * The restriction to the records of `collection` one client's lookups reached (`clientIds`), and
   * for documents also the answers to the EPGU requests it reached (answers link by `requestId`).
   */
  async reachableBy(clientId: string, collection: RecordCollection): Promise<ReadRestriction> {
    if (collection !== 'documents') return { reachedBy: String(clientId) };
    const requests = await this.conn.collection('epgu_requests').find({ clientIds: String(clientId) } as never, { projection: { _id: 1 } }).toArray();
    return { reachedBy: String(clientId), requestIds: requests.map((r) => String(r._id)) };
  }

  /** Every matching document in `_id` order, read in batches (for exports). */
  async *stream<C extends ReadCollection>(collection: C, filter: ReadFilter<C>, restrict?: ReadRestriction, batchSize = 1000): AsyncGenerator<Record<string, unknown>> {
    const cursor = this.conn
      .collection(collection)
      .find(restricted(buildQuery(collection, filter), restrict) as never)
      .sort({ _id: 1 })
      .batchSize(batchSize);
    try {
      for await (const doc of cursor) yield doc as Record<string, unknown>;
    } finally {
      await cursor.close();
    }
  }
}

/** The query narrowed to what the restriction lets through (`$and`, so an `_id` cursor still applies). */
function restricted(query: Record<string, unknown>, restrict?: ReadRestriction): Record<string, unknown> {
  if (!restrict) return query;
  const parts: Array<Record<string, unknown>> = [];
  if (restrict.clientId !== undefined) parts.push({ clientId: String(restrict.clientId) });
  if (restrict.reachedBy !== undefined && restrict.requestIds !== undefined) {
    // Documents: reached themselves, or answers to an EPGU request the client reached.
    parts.push({ $or: [{ clientIds: String(restrict.reachedBy) }, { requestId: { $in: restrict.requestIds.map(String) } }] });
    return { ...query, $and: parts };
  }
  if (restrict.reachedBy !== undefined) parts.push({ clientIds: String(restrict.reachedBy) });
  if (restrict.ids !== undefined || restrict.requestIds !== undefined) {
    const or: Array<Record<string, unknown>> = [{ _id: { $in: (restrict.ids ?? []).map(String) } }];
    if (restrict.requestIds && restrict.requestIds.length > 0) or.push({ requestId: { $in: restrict.requestIds.map(String) } });
    parts.push(or.length === 1 ? or[0]! : { $or: or });
  }
  return parts.length === 0 ? query : { ...query, $and: parts };
}

/** Only whitelisted keys, only string values; anything else is a programming error upstream. */
function buildQuery<C extends ReadCollection>(collection: C, filter: ReadFilter<C>): Record<string, unknown> {
  const paths = READ_FILTERS[collection] as Record<string, string>;
  const query: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filter as Record<string, unknown>)) {
    if (value === undefined) continue;
    const path = paths[key];
    if (!path) throw new TypeError(`${collection}: unknown filter "${key}"`);
    if (typeof value !== 'string') throw new TypeError(`${collection}: filter "${key}" must be a string`);
    query[path] = value;
  }
  return query;
}

const encodeCursor = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('utf8');
}
