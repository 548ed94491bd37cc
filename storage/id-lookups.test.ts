/**
 * Reads and writes by `_id` use the `_id` index, and a filter with `_id` plus other fields still
 * honours every field. On the embedded FerretDB this guards konveyer's patch to its SQLite backend
 * (scripts/ferretdb/sqlite-id-index.patch: unpatched, every find/update/delete by _id scanned the
 * table — the farm's throughput limit); on MongoDB it holds as is.
 */
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceUrls } from '../test/helpers/services.ts';

let conn: mongoose.Connection;
let ferretdb = false;
const coll = () => conn.db!.collection<{ _id: string; status: string; n: number }>('id_lookups');

beforeAll(async () => {
  conn = await mongoose.createConnection(serviceUrls().mongoUri, { dbName: `t_idlookups_${randomUUID().slice(0, 8)}` }).asPromise();
  await coll().insertMany(Array.from({ length: 300 }, (_, n) => ({ _id: `lk_${n}`, status: n % 2 ? 'queued' : 'running', n })));
  const info = await conn.db!.admin().command({ buildInfo: 1 });
  ferretdb = typeof info.ferretdbVersion === 'string';
});
afterAll(async () => {
  await conn.db?.dropDatabase();
  await conn.close();
});

/** The server's query plan for a find, as text. */
async function planOf(filter: Record<string, unknown>): Promise<string> {
  return JSON.stringify(await conn.db!.command({ explain: { find: 'id_lookups', filter } }));
}

describe('lookups by _id', () => {
  it('use the _id index for {_id} and for {_id, other fields}', async () => {
    for (const filter of [{ _id: 'lk_7' }, { _id: 'lk_7', status: 'queued' }]) {
      const plan = await planOf(filter);
      if (ferretdb) expect(plan, JSON.stringify(filter)).toMatch(/USING INDEX \S+__id_/);
      else expect(plan, JSON.stringify(filter)).toMatch(/IDHACK|IXSCAN|EXPRESS/);
    }
  });

  it('still apply every other field of the filter', async () => {
    expect(await coll().findOne({ _id: 'lk_7', status: 'running' })).toBeNull();
    expect((await coll().findOne({ _id: 'lk_7', status: 'queued' }))?.n).toBe(7);
    expect((await coll().updateOne({ _id: 'lk_8', status: 'queued' }, { $set: { n: -1 } })).matchedCount).toBe(0);
    expect((await coll().updateOne({ _id: 'lk_8', status: 'running' }, { $set: { n: -1 } })).modifiedCount).toBe(1);
    expect((await coll().findOne({ _id: 'lk_8' }))?.n).toBe(-1);
    expect((await coll().deleteOne({ _id: 'lk_9', n: 10 })).deletedCount).toBe(0);
    expect((await coll().deleteOne({ _id: 'lk_9', n: 9 })).deletedCount).toBe(1);
    expect(await coll().countDocuments()).toBe(299);
  });
});
