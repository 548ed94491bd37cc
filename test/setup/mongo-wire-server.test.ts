import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { repoRoot, startMongo, type EmbeddedMongo } from '../../storage/embedded/index.ts';
import { addClientToRecords } from '../../storage/read-models.repo.ts';

/**
 * The embedded MongoDB-wire server as the farm needs it. (1) Under the write shapes the farm sends: a many-statement update command
 * (a finished court.search naming its client on every record it found) and many concurrent
 * single-document updates and findAndModify. FerretDB 1.24 kept every statement's query, and the
 * SQLite connection under it, open until the command ended and while it waited for a second
 * connection to write: past 100 the pool was exhausted and the server hung (`make demo` stalled at
 * ~200 of 271 lookups). scripts/ferretdb/update-release-query.patch fixes it: the first case hangs
 * the unpatched server, the second (the findAndModify half of the patch) held there too in our runs
 * and guards that the patched path still answers under load. A server of its own, so that a hang
 * does not take the shared one down with it. (2) With planner statistics (FerretDB never ran ANALYZE;
 * scripts/ferretdb/sqlite-statistics.patch does at open and every minute), without which SQLite read
 * every lookup of a status to return a page of 50 of them.
 */
const runDir = join(repoRoot, '.run', `mongo-concurrency-test-${process.pid}`);
let mongo: EmbeddedMongo;
let conn: mongoose.Connection;

/** Rejects when `p` has not settled in `ms`: a hung server fails the test instead of the run. */
const within = <T>(ms: number, what: string, p: Promise<T>): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms (server hung?)`)), ms).unref())]);

const dbName = `t_concurrency_${process.pid}`;

/** The environment for a server of its own, unless the run is against an outside MongoDB (then that one is tested). */
function withoutUri(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (inject('mongoKind') !== 'external') delete env.MONGODB_URI;
  return env;
}

beforeAll(async () => {
  mongo = await startMongo({ runDir, env: withoutUri() });
  // More client connections than FerretDB's SQLite pool (100), so the server sees the concurrency.
  conn = await mongoose.createConnection(mongo.uri, { dbName, maxPoolSize: 160, serverSelectionTimeoutMS: 10_000 }).asPromise();
}, 60_000);

afterAll(async () => {
  await within(5_000, 'drop', conn.dropDatabase()).catch(() => undefined);
  await within(5_000, 'close', conn.close(true)).catch(() => undefined);
  await mongo?.stop();
  rmSync(runDir, { recursive: true, force: true });
});

describe('the embedded MongoDB-wire server', () => {
  it('one update command of 250 statements (a client named on every record of a big result) completes', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `case-${i}`);
    await conn.collection('court_cases').insertMany(ids.map((_id) => ({ _id, clientIds: [] })) as never[]);
    await within(20_000, 'addClientToRecords over 250 records', addClientToRecords(conn, 'client-a', { collection: 'court_cases', ids }));
    expect(await conn.collection('court_cases').countDocuments({ clientIds: 'client-a' })).toBe(250);
  }, 60_000);

  it('150 concurrent updateOne and 150 concurrent findOneAndUpdate upserts complete', async () => {
    const coll = conn.collection('lookups_probe');
    await coll.insertMany(Array.from({ length: 150 }, (_, i) => ({ _id: `l-${i}`, n: 0 })) as never[]);
    const updates = Array.from({ length: 150 }, (_, i) => coll.updateOne({ _id: `l-${i}` } as never, { $inc: { n: 1 } }));
    const upserts = Array.from({ length: 150 }, (_, i) =>
      coll.findOneAndUpdate({ _id: `u-${i}` } as never, { $set: { n: 1 } }, { upsert: true, returnDocument: 'after' }),
    );
    await within(30_000, '300 concurrent single-document writes', Promise.all([...updates, ...upserts]));
    expect(await coll.countDocuments({ n: 1 })).toBe(300);
  }, 60_000);

  it('FerretDB keeps planner statistics: after a restart every index of a collection has them (scripts/ferretdb/sqlite-statistics.patch)', async (ctx) => {
    if (mongo.kind !== 'ferretdb') ctx.skip(); // MongoDB keeps its own
    const coll = conn.collection('stats_probe');
    await coll.createIndex({ status: 1 });
    await coll.insertMany(Array.from({ length: 3000 }, (_, i) => ({ _id: `s-${i}`, status: ['succeeded', 'succeeded', 'failed'][i % 3] })) as never[]);
    await conn.close();
    await mongo.stop();
    mongo = await startMongo({ runDir, env: withoutUri() });
    conn = await mongoose.createConnection(mongo.uri, { dbName, maxPoolSize: 160 }).asPromise();
    expect(await conn.collection('stats_probe').countDocuments({ status: 'failed' })).toBe(1000);
    const file = join(runDir, 'ferretdb', readdirSync(join(runDir, 'ferretdb')).find((f) => f.startsWith(dbName) && f.endsWith('.sqlite'))!);
    // SQLite's own table of statistics, read with Python's sqlite3 (read-only; the server keeps running).
    const readStats = () =>
      execFileSync('python3', ['-c', 'import sqlite3,sys,json; c=sqlite3.connect("file:"+sys.argv[1]+"?mode=ro",uri=True); print(json.dumps(c.execute("select idx, stat from sqlite_stat1").fetchall()))', file], { encoding: 'utf8' });
    let stats: Array<[string, string]> = [];
    for (let i = 0; i < 50 && !stats.some(([idx]) => /status/.test(idx)); i++) {
      try {
        stats = JSON.parse(readStats()) as Array<[string, string]>;
      } catch {
        stats = []; // no sqlite_stat1 yet
      }
      if (!stats.some(([idx]) => /status/.test(idx))) await new Promise((r) => setTimeout(r, 200));
    }
    const status = stats.find(([idx]) => /status/.test(idx));
    // "<rows> <rows per status value>": 3000 rows, two values → 1500 each on average.
    expect(status?.[1]).toBe('3000 1500');
    expect(stats.find(([idx]) => /__id_/.test(idx))?.[1]).toBe('3000 1');
  }, 60_000);
});
