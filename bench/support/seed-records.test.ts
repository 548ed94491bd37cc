/**
 * The generated records of the growth and API-reads benchmarks are shaped as the farm writes them:
 * the same fields as a lookup, court case, evidence item and manifest written through the farm's own
 * stores, and consistent with each other (every result names a stored case, whose `clientIds` are
 * the clients of the lookups that reached it), also when the seed stops at its deadline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CourtCaseRecord } from '../../core/records.ts';
import type { Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage } from '../../test/helpers/services.ts';
import { defaultClientOf, seedRecords } from './seed-records.ts';

let storage: Storage;
beforeAll(async () => {
  storage = await openTestStorage();
});
afterAll(async () => {
  await dropStorage(storage);
});

const keysOf = (doc: unknown): string[] => Object.keys(doc as object).sort();

/** One court.case lookup through the farm's stores, as a robot finishes it. */
async function farmWritten(): Promise<{ lookup: unknown; courtCase: unknown; item: unknown; manifest: unknown }> {
  const id = 'farm-lookup-1';
  await storage.lookups.insertMany([{ _id: id, type: 'court.case', input: { court: 'a--spb.sudrf.ru', caseId: '7' }, batchId: 'b1', clientId: 'acme' }]);
  await storage.lookups.markRunning(id, 1, 'court.case');
  const item = await storage.evidence.append({ jobId: id, lookupId: id, robot: 'court.case', step: 'card', kind: 'http_response', url: 'http://a--spb.sudrf.ru/modules.php', contentType: 'text/html', at: new Date(), meta: { status: 200 } }, Buffer.from('<html>card</html>'), null);
  const record: CourtCaseRecord = {
    court: { host: 'a--spb.sudrf.ru', name: 'Районный суд', code: null }, caseNumber: '2-7/2026', materialNumber: null, previousNumbers: [], uid: '78RS0001-01-2026-000007-00', caseId: '7', caseUid: 'u-7',
    instance: 'first', category: 'Иски', judge: 'Иванова И. И.', registeredAt: '2026-01-10', decision: { date: null, result: null }, effectiveAt: null, status: 'accepted',
    parties: [{ role: 'истец', roleNorm: 'plaintiff', name: 'ООО «УК»' } as never], events: [], executionDocuments: [], template: 'sudrf-v1',
  };
  const saved = await storage.courtCases.save(record, { url: 'http://a--spb.sudrf.ru/modules.php', fetchedAt: new Date(), evidenceId: item._id, parserVersion: 'test', lookupId: id });
  await storage.evidence.seal(id);
  await storage.lookups.markFinished(id, 'succeeded', { result: { collection: 'court_cases', id: saved.id, changed: true }, evidenceCount: 1 });
  const db = storage.conn;
  return {
    lookup: await db.collection('lookups').findOne({ _id: id as never }),
    courtCase: await db.collection('court_cases').findOne({ _id: saved.id as never }),
    item: await db.collection('evidence').findOne({ _id: item._id as never }),
    manifest: await db.collection('evidence_manifests').findOne({ _id: `${id}:1` as never }),
  };
}

describe('seedRecords', () => {
  it('writes lookups, court cases, evidence items and manifests with the fields the farm writes', async () => {
    const farm = await farmWritten();
    const lookupIds: string[] = [];
    const seed = await seedRecords(storage.conn, { lookups: 10, evidence: true, batchSize: 4, onLookup: (id) => lookupIds.push(id) });
    expect(seed.written).toEqual({ court_cases: 5, lookups: 10, evidence: 6, evidence_manifests: 6 });
    const db = storage.conn;
    const lookup = await db.collection('lookups').findOne({ _id: lookupIds[0] as never });
    expect(keysOf(lookup)).toEqual(keysOf(farm.lookup));
    const courtCase = await db.collection('court_cases').findOne({ _id: (lookup!.result as { id: string }).id as never });
    // `appeals` and `schedule` appear only when a parser or the scheduler writes them.
    expect(keysOf(courtCase)).toEqual(keysOf(farm.courtCase));
    const item = await db.collection('evidence').findOne({ jobId: lookupIds[0] });
    expect(keysOf(item)).toEqual(keysOf(farm.item));
    const manifest = await db.collection('evidence_manifests').findOne({ _id: `${lookupIds[0]}:1` as never });
    expect(keysOf(manifest)).toEqual(keysOf(farm.manifest));
    // The farm's own read of a generated lookup.
    expect(await storage.lookups.get(lookupIds[0]!)).toMatchObject({ status: 'succeeded', clientId: 'acme', type: 'court.case' });
  });

  it('points every result at a stored case whose clientIds are the clients that reached it, also when cut short', async () => {
    const fresh = await openTestStorage();
    try {
      // 30 lookups asked, a deadline that passes after the first round of 8.
      let rounds = 0;
      const seed = await seedRecords(fresh.conn, { lookups: 30, batchSize: 8, clientOf: (j) => (j % 4 === 1 ? 'other' : defaultClientOf(j)), deadlineMs: Number.POSITIVE_INFINITY, onProgress: () => { rounds++; } });
      expect(rounds).toBe(4);
      expect(seed.lookups).toBe(30);
      const cut = await seedRecords(fresh.conn, { lookups: 30, batchSize: 8, deadlineMs: performance.now() - 1 });
      expect(cut.lookups).toBe(0);
      expect(cut.written.lookups).toBe(0);
      const lookups = await fresh.conn.collection('lookups').find({}).toArray();
      const cases = new Map((await fresh.conn.collection('court_cases').find({}).toArray()).map((c) => [String(c._id), c]));
      expect(cases.size).toBe(15);
      const reached = new Map<string, Set<string>>();
      for (const l of lookups) {
        if (l.status !== 'succeeded') continue;
        const id = (l.result as { id: string }).id;
        expect(cases.has(id)).toBe(true);
        (reached.get(id) ?? reached.set(id, new Set()).get(id)!).add(String(l.clientId));
      }
      for (const [id, c] of cases) expect([...(c.clientIds as string[])].sort()).toEqual([...(reached.get(id) ?? [])].sort());
    } finally {
      await dropStorage(fresh);
    }
  });
});
