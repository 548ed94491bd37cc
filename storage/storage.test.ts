import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CourtCaseRecord } from '../core/records.ts';
import { dropStorage, openTestStorage } from '../test/helpers/services.ts';
import { evidenceLinkHash, sha256Hex, type Storage } from './index.ts';

let storage: Storage;
beforeAll(async () => {
  storage = await openTestStorage();
});
afterAll(async () => dropStorage(storage));

const record = (over: Partial<CourtCaseRecord> = {}): CourtCaseRecord => ({
  court: { name: 'Тестовый районный суд', host: 'test--spb.sudrf.ru', code: '78RS0001' },
  caseNumber: '2-100/2026',
  previousNumbers: [],
  uid: '78RS0001-01-2026-000100-11',
  caseId: '555',
  caseUid: '0d0a5f43-0000-4000-8000-000000000001',
  category: 'Иски о взыскании платы за жилую площадь',
  judge: 'Петрова А.А.',
  registeredAt: '2026-01-12',
  decision: { date: null, result: null },
  effectiveAt: null,
  status: 'received',
  parties: [{ role: 'ИСТЕЦ', roleNorm: 'claimant', name: 'ООО "УК Тест"' }],
  events: [{ name: 'Регистрация иска (заявления, жалобы) в суде', date: '2026-01-12', time: '10:00', result: null, basis: null }],
  executionDocuments: [],
  template: 'sudrf-old',
  ...over,
});
const source = (lookupId: string) => ({ url: 'http://test--spb.sudrf.ru/x', fetchedAt: new Date(), evidenceId: null, parserVersion: 't', lookupId });

describe('lookups', () => {
  it('inserts, refuses a second lookup with the same client key, and counts by status', async () => {
    const batchId = randomUUID();
    const first = await storage.lookups.insertMany([{ _id: randomUUID(), type: 'court.case', input: { court: 'a' }, clientKey: 'k-1', batchId }]);
    expect(first.inserted).toHaveLength(1);
    const again = await storage.lookups.insertMany([
      { _id: randomUUID(), type: 'court.case', input: { court: 'a' }, clientKey: 'k-1', batchId },
      { _id: randomUUID(), type: 'court.case', input: { court: 'b' }, batchId },
      { _id: randomUUID(), type: 'court.case', input: { court: 'c' }, batchId },
    ]);
    expect(again.inserted).toHaveLength(2);
    expect(again.existing.map((d) => d._id)).toEqual([first.inserted[0]!._id]);
    await storage.lookups.markRunning(again.inserted[0]!._id, 1, 'r1');
    await storage.lookups.markFinished(again.inserted[1]!._id, 'failed', { error: { code: 'layout_drift', kind: 'permanent', message: 'x' } });
    expect(await storage.lookups.countByStatus({ batchId })).toMatchObject({ queued: 1, running: 1, failed: 1 });
    expect(await storage.lookups.errorsByCode({ batchId })).toEqual({ layout_drift: 1 });
  });

  it('markRunning answers the client; markFinished given it adds the client to the record and answers the stored lookup', async () => {
    const id = randomUUID();
    await storage.lookups.insertMany([{ _id: id, type: 'court.case', input: { court: 'a' }, clientId: 'client-7' }]);
    expect(await storage.lookups.markRunning(id, 2, 'r1')).toEqual({ clientId: 'client-7' });
    expect(await storage.lookups.markRunning(randomUUID(), 1, 'r1')).toBeNull();
    const saved = await storage.courtCases.save(record({ caseId: '4242' }), source(id));
    const stored = await storage.lookups.markFinished(id, 'succeeded', { result: { collection: 'court_cases', id: saved.id }, evidenceCount: 1, clientId: 'client-7' });
    expect(stored).toMatchObject({ _id: id, status: 'succeeded', attempts: 2, robot: 'r1', evidenceCount: 1, result: { collection: 'court_cases', id: saved.id } });
    expect(stored?.finishedAt).toBeInstanceOf(Date);
    const doc = await storage.courtCases.model.findById(saved.id).lean<{ clientIds?: string[] }>();
    expect(doc?.clientIds).toContain('client-7');
  });

  it('a lookup\'s start and end raise no process warning (each one is written to stderr and costs a stack trace)', async () => {
    const id = randomUUID();
    await storage.lookups.insertMany([{ _id: id, type: 'court.case', input: { court: 'a' } }]);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      await storage.lookups.markRunning(id, 1, 'r1');
      await storage.lookups.markFinished(id, 'not_found', { evidenceCount: 0 });
      // 'warning' is emitted on the next tick after emitWarning.
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });
});

describe('court cases', () => {
  it('upserts by natural key and keeps a history of what changed', async () => {
    const created = await storage.courtCases.save(record(), source('l1'));
    expect(created).toMatchObject({ id: '78RS0001:id:555', created: true });
    const same = await storage.courtCases.save(record(), source('l2'));
    expect(same).toMatchObject({ created: false, changes: [] });
    const moved = record({
      status: 'order_issued',
      decision: { date: '2026-01-16', result: 'Вынесен судебный приказ' },
      events: [...record().events, { name: 'Вынесен судебный приказ', date: '2026-01-16', time: null, result: null, basis: null }],
    });
    const changed = await storage.courtCases.save(moved, source('l3'));
    expect(changed.changes.map((c) => c.field).sort()).toEqual(['decision', 'events', 'status']);
    const doc = await storage.courtCases.get(created.id);
    expect(doc?.status).toBe('order_issued');
    expect(doc?.history.map((h) => h.lookupId)).toEqual(['l1', 'l3']);
    expect(doc?.rev).toBe(3);
  });

  it('does not lose an update when two robots save the same case at once', async () => {
    const base = record({ caseId: '777' });
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        storage.courtCases.save({ ...base, events: [...base.events, { name: `Событие ${i}`, date: '2026-02-01', time: null, result: null, basis: null }] }, source(`c${i}`)),
      ),
    );
    const doc = await storage.courtCases.get('78RS0001:id:777');
    expect(doc?.rev).toBe(6);
    expect(doc?.history).toHaveLength(6);
  });
});

describe('evidence', () => {
  it('chains the items of a job and stores identical bodies once', async () => {
    const jobId = randomUUID();
    const body = Buffer.from('<html>тот же ответ</html>');
    const items = [];
    for (const step of ['search', 'case-card', 'again']) {
      items.push(
        await storage.evidence.append(
          { jobId, lookupId: jobId, robot: 'r', step, kind: 'http_response', url: `http://x.sudrf.ru/${step}`, contentType: 'text/html', at: new Date() },
          step === 'case-card' ? Buffer.from('другое') : body,
        ),
      );
    }
    expect(items.map((i) => i.seq)).toEqual([1, 2, 3]);
    expect(items[0]!.prevHash).toBeNull();
    expect(items[1]!.prevHash).toBe(items[0]!.hash);
    expect(items[2]!.prevHash).toBe(items[1]!.hash);
    const listed = await storage.evidence.listByJob(jobId);
    for (const item of listed) {
      const stored = await storage.evidence.readBody(item.sha256);
      expect(sha256Hex(stored!)).toBe(item.sha256);
      expect(evidenceLinkHash(item)).toBe(item.hash);
    }
    // Bodies are content-addressed in the GridFS bucket `evidence` (filename = sha256): stored once.
    expect(await storage.conn.db!.collection('evidence.files').countDocuments({ filename: sha256Hex(body) })).toBe(1);
  });
});
