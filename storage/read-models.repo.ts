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

export interface ReadPage {
  items: Array<Record<string, unknown>>;
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Paged, filtered reads of the normalized collections; `_id` order, cursor = last `_id` seen. */
export class MongoReadModelStore {
  constructor(private readonly conn: Connection) {}

  async page<C extends ReadCollection>(collection: C, filter: ReadFilter<C>, options: { limit: number; cursor?: string }): Promise<ReadPage> {
    const query = buildQuery(collection, filter);
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
  async get(collection: ReadCollection, id: string): Promise<Record<string, unknown> | null> {
    return (await this.conn.collection(collection).findOne({ _id: String(id) } as never)) as Record<string, unknown> | null;
  }

  /** Every matching document in `_id` order, read in batches (for exports). */
  async *stream<C extends ReadCollection>(collection: C, filter: ReadFilter<C>, batchSize = 1000): AsyncGenerator<Record<string, unknown>> {
    const cursor = this.conn
      .collection(collection)
      .find(buildQuery(collection, filter) as never)
      .sort({ _id: 1 })
      .batchSize(batchSize);
    try {
      for await (const doc of cursor) yield doc as Record<string, unknown>;
    } finally {
      await cursor.close();
    }
  }
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
