/**
 * `verifyEvidence` over 100 000 items streams: the heap it keeps stays a small fraction of what
 * holding every item would take (measured in this test, after forced collections), and a manifest
 * deleted among them is still found. Heavy (FerretDB writes 100 000 documents): run it under
 * `flock /tmp/konveyer-heavy.lock`.
 */
import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { evidenceLinkHash, sha256Hex, type EvidenceItem, type Storage } from '../../storage/index.ts';
import { verifyEvidence } from '../../storage/evidence/verify.ts';
import { dropStorage, openTestStorage } from '../helpers/services.ts';

const JOBS = 100;
const ITEMS_PER_JOB = 1000;
const BODIES = 200;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const retained = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

let storage: Storage;
const jobIds: string[] = [];

beforeAll(async () => {
  storage = await openTestStorage();
  const store = storage.evidence;
  const bodies = Array.from({ length: BODIES }, (_, i) => Buffer.from(`<html><body>court page ${i}</body></html>`));
  const shas = bodies.map((b) => sha256Hex(b));
  for (const [i, body] of bodies.entries()) await store.backend.put(shas[i]!, body, 'text/html');
  const at = new Date('2026-11-30T10:00:00Z');
  for (let j = 0; j < JOBS; j++) {
    const jobId = `scale-${String(j).padStart(4, '0')}-${randomUUID().slice(0, 8)}`;
    jobIds.push(jobId);
    const docs: EvidenceItem[] = [];
    let prevHash: string | null = null;
    for (let seq = 1; seq <= ITEMS_PER_JOB; seq++) {
      const b = (j * ITEMS_PER_JOB + seq) % BODIES;
      const base = { jobId, lookupId: jobId, robot: 'scale', seq, step: `page-${seq}`, kind: 'http_response' as const, url: `http://x--spb.sudrf.ru/modules.php?page=${seq}`, contentType: 'text/html', at, size: bodies[b]!.length, sha256: shas[b]!, prevHash, meta: {} };
      const item: EvidenceItem = { _id: randomUUID(), ...base, hash: evidenceLinkHash(base) };
      docs.push(item);
      prevHash = item.hash;
    }
    await store.items.collection.insertMany(docs as never[], { ordered: false });
    await store.seal(jobId);
  }
}, 600_000);

afterAll(async () => {
  await dropStorage(storage);
});

it('verifies 100 000 items in bounded memory and still finds a deleted manifest', async () => {
  const store = storage.evidence;
  const deleted = jobIds[57]!;
  await store.manifests.deleteMany({ jobId: deleted });

  // What holding items costs: 10 000 of them read and kept.
  const before = retained();
  const sample = await store.items.find({}).limit(10_000).lean<EvidenceItem[]>();
  const perItem = (retained() - before) / sample.length;
  expect(sample).toHaveLength(10_000);
  sample.length = 0;
  const allItemsBytes = perItem * JOBS * ITEMS_PER_JOB;

  const base = retained();
  let peak = 0;
  const seen: number[] = [];
  const report = await verifyEvidence(store, {}, {
    onProgress: (p) => seen.push(p.items),
    onJob: () => {
      peak = Math.max(peak, retained() - base);
    },
  });
  console.log(JSON.stringify({ items: report.items, ms: Math.round(report.ms), perItemBytes: Math.round(perItem), allItemsMb: +(allItemsBytes / 2 ** 20).toFixed(1), peakRetainedMb: +(peak / 2 ** 20).toFixed(1) }));

  expect(report).toMatchObject({ items: 100_000, jobsChecked: JOBS, processes: 1, ok: false });
  expect(report.findings.map((f) => [f.kind, f.jobId])).toEqual([['manifest_deleted', deleted]]);
  expect(report.jobs.map((j) => j.jobId)).toEqual([deleted]);
  expect(seen).toEqual([10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000, 80_000, 90_000, 100_000, 100_000]);
  // Never more than a tenth of what the items themselves take (one job of 1 000 is 1 %).
  expect(peak).toBeLessThan(allItemsBytes / 10);
}, 300_000);
