/**
 * Re-checks of letters against the real MongoDB-wire server and Redis: the cadence backs off while
 * nothing changes and resets on a change; final letters are never due; many due letters go as one
 * batch lookup, few as single ones; a letter whose lookup is still queued is not queued again.
 */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import type { PostalItemRecord } from '../../core/postal-records.ts';
import { withDomesticCheckDigit } from '../../core/postal-identifiers.ts';
import { createRedis } from '../../queues/redis.ts';
import { submitLookups, type SubmitRequest } from '../../queues/submit.ts';
import { runPostTrackingRecheckPass } from '../../scheduler/post-tracking-recheck.ts';
import type { Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage, serviceUrls, testPrefix } from '../helpers/services.ts';

const redis = createRedis(serviceUrls().redisUrl);
const prefix = testPrefix('post-recheck');
let queue: Queue;
let storage: Storage;
const CADENCE = { baseSecs: 3600, maxSecs: 4 * 3600 };

beforeAll(async () => {
  storage = await openTestStorage();
  queue = new Queue('post.tracking', { connection: redis, prefix });
});
afterAll(async () => {
  await queue.obliterate({ force: true }).then(() => queue.close());
  redis.disconnect();
  await dropStorage(storage);
});

const T0 = new Date('2026-03-02T09:00:00Z');
const hours = (n: number) => new Date(T0.getTime() + n * 3600_000);

function record(barcode: string, ops: Array<[number, number, string]>, state: PostalItemRecord['state']): PostalItemRecord {
  return {
    barcode, state, acceptedAt: ops[0]?.[2] ?? null, deliveredAt: state === 'delivered' ? ops.at(-1)![2] : null, returnedAt: null, returnReason: null,
    sender: null, recipient: null, mailType: null, mailCategory: null, error: null,
    operations: ops.map(([type, attr, date]) => ({ type: { id: type, name: null }, attr: { id: attr, name: null }, date, index: '101000', place: null })),
  };
}
const save = (r: PostalItemRecord, now: Date) =>
  storage.postalItems.save(r, { url: 'https://tracking.russianpost.ru/rtm34', fetchedAt: now, evidenceId: null, parserVersion: 'test' }, { links: [], deadlinesFor: () => [], cadence: CADENCE, now });
const deps = () => ({
  items: storage.postalItems,
  lookups: storage.lookups,
  log: createLogger({ level: 'silent' }),
  submit: (requests: SubmitRequest[], batchId: string) => submitLookups({ lookups: storage.lookups, queueFor: () => queue, jobOptions: { attempts: 1, backoffMs: 100 } }, requests, batchId as never),
});

describe('letter re-check cadence', () => {
  it('doubles while nothing changes (1 h, 2 h, 4 h, 4 h), back to 1 h on a new operation, none once final', async () => {
    const b = withDomesticCheckDigit('1010000000001');
    const accepted = record(b, [[1, 1, '2026-03-01T10:00:00+03:00']], 'accepted');
    const steps: Array<[number, number | null]> = [];
    for (const [i, at] of [0, 1, 3, 7, 11].entries()) {
      await save(accepted, hours(at));
      const doc = (await storage.postalItems.get(b))!;
      steps.push([doc.check.intervalSecs / 3600, doc.check.nextAt ? (doc.check.nextAt.getTime() - hours(at).getTime()) / 3600_000 : null]);
      if (i === 0) expect(doc.history.map((h) => h.event)).toEqual(['tracked']);
    }
    expect(steps).toEqual([[1, 1], [2, 2], [4, 4], [4, 4], [4, 4]]);
    await save(record(b, [[1, 1, '2026-03-01T10:00:00+03:00'], [8, 2, '2026-03-02T08:00:00+03:00']], 'arrived'), hours(15));
    expect((await storage.postalItems.get(b))!.check).toMatchObject({ intervalSecs: 3600, nextAt: hours(16) });
    await save(record(b, [[1, 1, '2026-03-01T10:00:00+03:00'], [8, 2, '2026-03-02T08:00:00+03:00'], [2, 1, '2026-03-03T11:00:00+03:00']], 'delivered'), hours(16));
    expect(await storage.postalItems.get(b)).toMatchObject({ final: true, check: { nextAt: null } });
  });
});

describe('re-check pass', () => {
  it('queues one batch lookup for many due letters, none for final or not-yet-due ones, and nothing twice', async () => {
    const due = Array.from({ length: 7 }, (_, i) => withDomesticCheckDigit(`20200000000${String(i).padStart(2, '0')}`));
    for (const b of due) await save(record(b, [[1, 1, '2026-03-01T10:00:00+03:00']], 'accepted'), hours(0));
    const later = withDomesticCheckDigit('2020000000099');
    await save(record(later, [[1, 1, '2026-03-01T10:00:00+03:00']], 'accepted'), hours(5));
    const final = withDomesticCheckDigit('2020000000098');
    await save(record(final, [[1, 1, '2026-03-01T10:00:00+03:00'], [2, 1, '2026-03-02T10:00:00+03:00']], 'delivered'), hours(0));

    const first = await runPostTrackingRecheckPass(deps(), { batchMin: 5, now: hours(2) });
    expect(first).toMatchObject({ due: 7, pending: 0, batchLookups: 1, singleLookups: 0, letters: 7 });
    const lookupId = (await storage.postalItems.get(due[0]!))!.check.queuedLookupId!;
    const lookup = (await storage.lookups.get(lookupId))!;
    expect(lookup.type).toBe('post.tracking');
    expect(lookup.input).toEqual({ items: due.map((barcode) => ({ barcode })) });
    expect(await queue.getJob(lookupId)).toBeTruthy();

    // The lookup has not run yet: a second pass queues nothing.
    const second = await runPostTrackingRecheckPass(deps(), { batchMin: 5, now: hours(3) });
    expect(second).toMatchObject({ due: 7, pending: 7, letters: 0 });
  });

  it('few due letters go as single lookups', async () => {
    const b = withDomesticCheckDigit('3030000000001');
    await save(record(b, [[1, 1, '2026-03-01T10:00:00+03:00']], 'accepted'), hours(100));
    // Due at 102 h: this one and the not-yet-due letter above (due at 6 h); the seven wait for their lookup.
    const report = await runPostTrackingRecheckPass(deps(), { batchMin: 5, now: hours(102) });
    expect(report).toMatchObject({ due: 9, pending: 7, singleLookups: 2, batchLookups: 0 });
    const doc = (await storage.postalItems.get(b))!;
    expect((await storage.lookups.get(doc.check.queuedLookupId!))!.input).toEqual({ barcode: b });
  });
});
