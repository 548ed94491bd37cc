/**
 * Reads and writes by `_id` or by an indexed string field use the index, and the answers stay
 * MongoDB's: every other field of the filter still applies, arrays holding the value match, odd
 * strings are found. The same for `$in` lists of strings (ObjectIDs for `_id`): a keyed submit's
 * idempotency check, reads of lookups by ids, deletes and updates of a batch by ids. On the embedded FerretDB this guards konveyer's patch to its SQLite backend
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

describe('lookups by a $in list of _ids or of an indexed field\'s strings', () => {
  it('use the index', async () => {
    const plans = [await planOf({ _id: { $in: ['lk_3', 'lk_5'] } }), await planOf({ jobId: { $in: ['job_5', 'job_6'] } }, 'pushdown_items')];
    if (ferretdb) {
      expect(plans[0]).toMatch(/USING INDEX \S+__id_/);
      expect(plans[1]).toMatch(/USING INDEX \S+jobId/);
    } else {
      for (const plan of plans) expect(plan).toMatch(/IXSCAN|EXPRESS|IDHACK/);
    }
  });

  it('find, count, update and delete what MongoDB does: arrays holding a value, other fields and operators, odd strings, mixed and empty lists', async () => {
    const ids = async (filter: Record<string, unknown>) => (await items().find(filter).toArray()).map((d) => d._id).sort();
    const job = (k: number) => Array.from({ length: 10 }, (_, i) => `it_${k + 40 * i}`);
    expect(await ids({ jobId: { $in: ['job_5', 'job_6'] } })).toEqual([...job(5), ...job(6), 'arr'].sort());
    expect(await ids({ jobId: { $in: ['other', 'job_none'] } })).toEqual(['arr']);
    expect(await ids({ jobId: { $in: ['job_5'] }, seq: { $gte: 200 } })).toEqual(job(5).filter((id) => Number(id.slice(3)) >= 200).sort());
    expect(await ids({ jobId: { $in: ['job_5', 'job_6'], $nin: ['other'] } })).toEqual([...job(5), ...job(6)].sort());
    expect(await ids({ jobId: { $in: ['a"b<c>', 'дело_№5'] } })).toEqual(['cyr', 'quote']);
    expect(await ids({ jobId: { $in: ['job_1', 7, null] }, seq: { $lt: 41 } })).toEqual(['it_1']);
    expect(await ids({ jobId: { $in: [] } })).toEqual([]);
    expect(await ids({ _id: { $in: ['it_3', 'arr', 'cyr', 'nope'] } })).toEqual(['arr', 'cyr', 'it_3']);
    expect(await ids({ _id: { $in: ['it_3', 'it_4'] }, seq: 4 })).toEqual(['it_4']);
    expect(await ids({ _id: { $in: [] } })).toEqual([]);
    expect(await items().countDocuments({ jobId: { $in: ['job_9', 'job_10'] } })).toBe(20);
    expect((await items().updateMany({ _id: { $in: ['it_11', 'it_12', 'nope'] } }, { $set: { name: 'y' } })).modifiedCount).toBe(2);
    expect(await ids({ name: 'y' })).toEqual(['it_11', 'it_12']);
    expect((await items().deleteMany({ _id: { $in: ['it_11', 'it_12', 'it_13'] }, name: 'y' })).deletedCount).toBe(2);
    expect(await ids({ _id: { $in: ['it_11', 'it_12', 'it_13'] } })).toEqual(['it_13']);
  });

  it('long lists: a submit chunk\'s (2 000 keys × 7 job types) uses the index; one past SQLite\'s variable limit still answers', async () => {
    const list = (n: number) => [...Array.from({ length: n - 1 }, (_, i) => `none_${i}`), 'job_5'];
    const plan = await planOf({ jobId: { $in: list(14_000) } }, 'pushdown_items');
    if (ferretdb) expect(plan).toMatch(/USING INDEX \S+jobId/);
    else expect(plan).toMatch(/IXSCAN/);
    const ids = async (filter: Record<string, unknown>) => (await items().find(filter).toArray()).map((d) => d._id).sort();
    const job5 = [...Array.from({ length: 10 }, (_, i) => `it_${5 + 40 * i}`), 'arr'].sort();
    expect(await ids({ jobId: { $in: list(14_000) } })).toEqual(job5);
    expect(await ids({ jobId: { $in: list(40_000) } })).toEqual(job5);
    expect(await ids({ jobId: { $in: list(20_000) }, _id: { $in: list(20_000).map((x) => x.replace('job_5', 'it_5')) } })).toEqual(['it_5']);
  });

  it('inside a top-level $and (how API reads add a client\'s restriction): the index, and MongoDB\'s answers', async () => {
    const plan = await planOf({ $and: [{ jobId: { $in: ['job_5', 'job_6'] } }] }, 'pushdown_items');
    if (ferretdb) expect(plan).toMatch(/USING INDEX \S+jobId/);
    else expect(plan).toMatch(/IXSCAN/);
    const ids = async (filter: Record<string, unknown>) => (await items().find(filter).toArray()).map((d) => d._id).sort();
    expect(await ids({ seq: { $lt: 100 }, $and: [{ jobId: 'job_5' }, { jobId: { $in: ['job_5', 'other'] } }] })).toEqual(['arr', 'it_45', 'it_5', 'it_85']);
    expect(await ids({ $and: [{ jobId: 'job_5' }, { jobId: 'job_6' }] })).toEqual([]);
    expect(await ids({ $and: [{ $or: [{ jobId: 'job_5' }, { _id: 'cyr' }] }, { seq: { $lt: 10 } }] })).toEqual(['arr', 'cyr', 'it_5']);
  });

  it('find ObjectID _ids in a $in list', async () => {
    const objects = conn.db!.collection('pushdown_oids');
    const a = new mongoose.Types.ObjectId();
    const b = new mongoose.Types.ObjectId();
    await objects.insertMany([{ _id: a, n: 1 }, { _id: b, n: 2 }, { _id: new mongoose.Types.ObjectId(), n: 3 }]);
    const found = await objects.find({ _id: { $in: [a, b, new mongoose.Types.ObjectId()] } }).toArray();
    expect(found.map((d) => d.n).sort()).toEqual([1, 2]);
  });
});
