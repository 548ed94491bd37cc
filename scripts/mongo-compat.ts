/**
 * Which MongoDB features the storage layer may rely on: runs each against the server at
 * MONGODB_URI, or an embedded one (mongod or FerretDB) when unset, and prints a table.
 *   npx tsx scripts/mongo-compat.ts [--json]
 * Exit code 0 whatever the outcome: this is a report, not a test.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { repoRoot, startMongo } from '../storage/embedded/index.ts';

type Db = mongoose.mongo.Db;
type Check = [name: string, run: (db: Db) => Promise<unknown>];

const ok = (cond: boolean, what: string): void => {
  if (!cond) throw new Error(`wrong result: ${what}`);
};

let serverUri = '';

const checks: Check[] = [
  ['unique compound index rejects a duplicate (E11000)', async (db) => {
    const c = db.collection('uniq');
    await c.createIndex({ host: 1, caseNumber: 1 }, { unique: true });
    await c.insertOne({ host: 'a', caseNumber: '2-1/2025' });
    await c.insertOne({ host: 'b', caseNumber: '2-1/2025' });
    try {
      await c.insertOne({ host: 'a', caseNumber: '2-1/2025' });
    } catch (e) {
      ok((e as { code?: number }).code === 11000, `code ${(e as { code?: number }).code}`);
      return;
    }
    throw new Error('duplicate accepted');
  }],
  ['updateOne upsert with $set/$push/$setOnInsert', async (db) => {
    const c = db.collection<{ key: string; n?: number; history?: Array<{ n: number }>; createdAt?: number }>('ups');
    for (const n of [1, 2]) {
      await c.updateOne({ key: 'k' }, { $set: { n }, $push: { history: { n } }, $setOnInsert: { createdAt: n } }, { upsert: true });
    }
    const d = await c.findOne({ key: 'k' });
    ok(d?.n === 2 && d.createdAt === 1 && Array.isArray(d.history) && d.history.length === 2, JSON.stringify(d));
  }],
  ['findOneAndUpdate upsert returnDocument after', async (db) => {
    const c = db.collection('fau');
    const r = await c.findOneAndUpdate({ key: 'x' }, { $inc: { seq: 1 }, $setOnInsert: { a: 1 } }, { upsert: true, returnDocument: 'after' });
    const r2 = await c.findOneAndUpdate({ key: 'x' }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' });
    ok(r?.seq === 1 && r2?.seq === 2 && r2.a === 1, JSON.stringify([r, r2]));
  }],
  ['GridFS upload/download 200 KB', async (db) => {
    const bucket = new mongoose.mongo.GridFSBucket(db, { bucketName: 'evidence' });
    const data = randomBytes(200 * 1024);
    const id = await new Promise<unknown>((resolve, reject) => {
      const up = bucket.openUploadStream('shot.png', { metadata: { sha256: 'x' } });
      up.once('finish', () => resolve(up.id)).once('error', reject);
      up.end(data);
    });
    const chunks: Buffer[] = [];
    for await (const chunk of bucket.openDownloadStream(id as mongoose.mongo.ObjectId)) chunks.push(chunk as Buffer);
    ok(Buffer.concat(chunks).equals(data), 'bytes differ');
  }],
  ['bulkWrite of upserts', async (db) => {
    const r = await db.collection('bulk').bulkWrite(
      [1, 2, 3].map((i) => ({ updateOne: { filter: { i }, update: { $set: { v: i } }, upsert: true } })),
    );
    ok(r.upsertedCount === 3, `upserted ${r.upsertedCount}`);
  }],
  ['$addToSet', async (db) => {
    const c = db.collection('ats');
    await c.insertOne({ k: 1, tags: ['a'] });
    await c.updateOne({ k: 1 }, { $addToSet: { tags: { $each: ['a', 'b'] } } });
    const d = await c.findOne({ k: 1 });
    ok(JSON.stringify(d?.tags) === '["a","b"]', JSON.stringify(d));
  }],
  ['$push with $each', async (db) => {
    const c = db.collection<{ k: number; last: number[] }>('pe');
    await c.insertOne({ k: 1, last: [0] });
    await c.updateOne({ k: 1 }, { $push: { last: { $each: [1, 2] } } });
    const d = await c.findOne({ k: 1 });
    ok(JSON.stringify(d?.last) === '[0,1,2]', JSON.stringify(d));
  }],
  ['$push with $each/$slice (capped history)', async (db) => {
    const c = db.collection<{ k: number; last: number[] }>('ps');
    await c.insertOne({ k: 1, last: [] });
    await c.updateOne({ k: 1 }, { $push: { last: { $each: [1, 2, 3], $slice: -2 } } });
    const d = await c.findOne({ k: 1 });
    ok(JSON.stringify(d?.last) === '[2,3]', JSON.stringify(d?.last));
  }],
  ['20 concurrent upserts of one key leave one document', async (db) => {
    const c = db.collection('race');
    await c.createIndex({ key: 1 }, { unique: true });
    const settled = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => c.updateOne({ key: 'k' }, { $set: { i } }, { upsert: true })),
    );
    const dup = settled.filter((s) => s.status === 'rejected').length;
    ok((await c.countDocuments({ key: 'k' })) === 1, 'count');
    if (dup > 0) throw new Error(`one document, but ${dup}/20 upserts failed with E11000 (callers must retry)`);
  }],
  ['$elemMatch with two fields (index on parties.name)', async (db) => {
    const c = db.collection('em');
    await c.createIndex({ 'parties.name': 1 });
    await c.insertOne({ parties: [{ role: 'debtor', name: 'x' }, { role: 'claimant', name: 'y' }] });
    ok((await c.countDocuments({ parties: { $elemMatch: { role: 'debtor', name: 'x' } } })) === 1, 'elemMatch');
  }],
  ['dotted query into an array of subdocuments (parties.name)', async (db) => {
    const c = db.collection('dot');
    await c.insertOne({ parties: [{ role: 'debtor', name: 'x' }, { role: 'claimant', name: 'y' }] });
    ok((await c.countDocuments({ 'parties.name': 'y' })) === 1, 'dotted array');
  }],
  ['aggregate $match/$group/$sort', async (db) => {
    const c = db.collection('agg');
    await c.insertMany([{ s: 'a' }, { s: 'a' }, { s: 'b' }]);
    const r = await c.aggregate([{ $match: {} }, { $group: { _id: '$s', n: { $sum: 1 } } }, { $sort: { n: -1 } }]).toArray();
    ok(r[0]?._id === 'a' && r[0]?.n === 2, JSON.stringify(r));
  }],
  ['query on a nested field + sort + countDocuments', async (db) => {
    const c = db.collection('nested');
    await c.insertMany([{ source: { host: 'h', at: 2 } }, { source: { host: 'h', at: 1 } }]);
    const r = await c.find({ 'source.host': 'h' }).sort({ 'source.at': 1 }).toArray();
    ok(r[0]?.source.at === 1 && (await c.countDocuments({ 'source.host': 'h' })) === 2, 'order');
  }],
  ['$lookup', async (db) => {
    await db.collection('la').insertOne({ k: 1 });
    await db.collection('lb').insertOne({ k: 1, v: 'x' });
    const r = await db.collection('la').aggregate([{ $lookup: { from: 'lb', localField: 'k', foreignField: 'k', as: 'b' } }]).toArray();
    ok(r[0]?.b?.length === 1, JSON.stringify(r));
  }],
  ['$facet', async (db) => {
    await db.collection('fa').insertOne({ k: 1 });
    const r = await db.collection('fa').aggregate([{ $facet: { all: [{ $match: {} }] } }]).toArray();
    ok(r[0]?.all?.length === 1, JSON.stringify(r));
  }],
  ['partial unique index', async (db) => {
    await db.collection('pu').createIndex({ k: 1 }, { unique: true, partialFilterExpression: { k: { $exists: true } } });
  }],
  ['TTL index', async (db) => {
    await db.collection('ttl').createIndex({ at: 1 }, { expireAfterSeconds: 60 });
  }],
  ['transaction (session.withTransaction)', async (db) => {
    const session = db.client.startSession();
    try {
      await session.withTransaction(async () => {
        await db.collection('tx').insertOne({ k: 1 }, { session });
      });
    } finally {
      await session.endSession();
    }
  }],
  ['change stream', async (db) => {
    const stream = db.collection('cs').watch();
    try {
      await Promise.race([stream.tryNext(), new Promise((_, rej) => setTimeout(() => rej(new Error('no answer in 3 s')), 3000))]);
    } finally {
      await stream.close();
    }
  }],
  ['mongoose model: unique index, timestamps, findOneAndUpdate upsert', async (db) => {
    const conn = await mongoose.createConnection(serverUri, { dbName: db.databaseName }).asPromise();
    try {
      const schema = new mongoose.Schema({ host: String, num: String, status: String }, { timestamps: true });
      schema.index({ host: 1, num: 1 }, { unique: true });
      const M = conn.model('CaseCompat', schema, 'case_compat');
      await M.init();
      await M.findOneAndUpdate({ host: 'h', num: '1' }, { $set: { status: 'a' } }, { upsert: true, returnDocument: 'after' });
      const d = await M.findOneAndUpdate({ host: 'h', num: '1' }, { $set: { status: 'b' } }, { upsert: true, returnDocument: 'after' }).lean();
      ok(d?.status === 'b' && d.createdAt instanceof Date && (await M.countDocuments()) === 1, JSON.stringify(d));
    } finally {
      await conn.close();
    }
  }],
];

const runDir = join(repoRoot, '.run', `compat-${process.pid}`);
const server = await startMongo({ runDir });
serverUri = server.uri;
const client = new mongoose.mongo.MongoClient(server.uri, { directConnection: true });
const results: Array<{ feature: string; works: boolean; error?: string }> = [];
try {
  await client.connect();
  const db = client.db(`compat_${process.pid}`);
  for (const [feature, run] of checks) {
    try {
      await run(db);
      results.push({ feature, works: true });
    } catch (error) {
      results.push({ feature, works: false, error: String((error as Error).message ?? error).split('\n')[0]?.slice(0, 160) });
    }
  }
  await db.dropDatabase().catch(() => undefined);
} finally {
  await client.close();
  await server.stop();
  rmSync(runDir, { recursive: true, force: true });
}

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ kind: server.kind, results }, null, 2));
} else {
  console.log(`server: ${server.kind}`);
  for (const r of results) console.log(`${r.works ? 'yes' : 'NO '}  ${r.feature}${r.error ? `  — ${r.error}` : ''}`);
}
