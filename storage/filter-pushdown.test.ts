/**
 * Reads and writes by `_id` or by an indexed string field use the index, and the answers stay
 * MongoDB's: every other field of the filter still applies, arrays holding the value match, odd
 * strings are found. On the embedded FerretDB this guards konveyer's patch to its SQLite backend
 * (scripts/ferretdb/sqlite-pushdown.patch: unpatched, every find/update/delete scanned and decoded
 * the whole table — the farm's throughput limit); on MongoDB it holds as is.
 */
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceUrls } from '../test/helpers/services.ts';

let conn: mongoose.Connection;
let ferretdb = false;
const coll = () => conn.db!.collection<{ _id: string; status: string; n: number }>('id_lookups');
const items = () => conn.db!.collection<{ _id: string; jobId: string | string[]; seq: number; name?: string }>('pushdown_items');

beforeAll(async () => {
  conn = await mongoose.createConnection(serviceUrls().mongoUri, { dbName: `t_idlookups_${randomUUID().slice(0, 8)}` }).asPromise();
  await coll().insertMany(Array.from({ length: 300 }, (_, n) => ({ _id: `lk_${n}`, status: n % 2 ? 'queued' : 'running', n })));
  const info = await conn.db!.admin().command({ buildInfo: 1 });
  ferretdb = typeof info.ferretdbVersion === 'string';
  await items().createIndex({ jobId: 1, seq: 1 });
  await items().insertMany([
    ...Array.from({ length: 400 }, (_, n) => ({ _id: `it_${n}`, jobId: `job_${n % 40}`, seq: n })),
    { _id: 'arr', jobId: ['job_5', 'other'], seq: 1 },
    { _id: 'quote', jobId: 'a"b<c>', seq: 2 },
    { _id: 'cyr', jobId: 'дело_№5', seq: 3, name: 'Иванов И. И.' },
  ]);
});
afterAll(async () => {
  await conn.db?.dropDatabase();
  await conn.close();
});

/** The server's query plan for a find, as text. */
async function planOf(filter: Record<string, unknown>, collection = 'id_lookups'): Promise<string> {
  return JSON.stringify(await conn.db!.command({ explain: { find: collection, filter } }));
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

describe('lookups by an indexed string field', () => {
  it('use its index', async () => {
    const plan = await planOf({ jobId: 'job_5' }, 'pushdown_items');
    if (ferretdb) expect(plan).toMatch(/USING INDEX \S+jobId/);
    else expect(plan).toMatch(/IXSCAN/);
  });

  it('find what MongoDB finds: arrays holding the value, the other fields, escaped and Cyrillic strings', async () => {
    const ids = async (filter: Record<string, unknown>) => (await items().find(filter).toArray()).map((d) => d._id).sort();
    const job5 = Array.from({ length: 10 }, (_, i) => `it_${5 + 40 * i}`);
    expect(await ids({ jobId: 'job_5' })).toEqual([...job5, 'arr'].sort());
    expect(await ids({ jobId: 'job_5', seq: 45 })).toEqual(['it_45']);
    expect(await ids({ jobId: 'other' })).toEqual(['arr']);
    expect(await ids({ jobId: 'a"b<c>' })).toEqual(['quote']);
    expect(await ids({ jobId: 'дело_№5', name: 'Иванов И. И.' })).toEqual(['cyr']);
    expect(await ids({ jobId: 'job_none' })).toEqual([]);
    expect(await items().countDocuments({ jobId: 'job_7' })).toBe(10);
    expect((await items().updateMany({ jobId: 'job_7', seq: { $gte: 200 } }, { $set: { name: 'x' } })).modifiedCount).toBe(5);
    expect((await items().deleteMany({ jobId: 'job_8', name: 'x' })).deletedCount).toBe(0);
  });
});
