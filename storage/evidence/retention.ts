import type { MongoEvidenceStore } from '../evidence.store.ts';

/** What a retention run did. */
export interface RetentionResult {
  cutoff: Date;
  scanned: number;
  deleted: number;
  /** Kept though old: an item newer than the cutoff still points at them. */
  keptReferenced: number;
  itemsMarked: number;
}

/**
 * Deletes bodies older than `days` that no item newer than the cutoff references. Items and
 * manifests are kept: the chain still proves what was captured, and verify reports those bodies
 * as `purged` (items get `bodyPurgedAt`, a field outside the link hash) rather than missing.
 */
export async function applyRetention(store: MongoEvidenceStore, days: number, now = new Date()): Promise<RetentionResult> {
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const fresh = new Set((await store.items.distinct('sha256', { at: { $gte: cutoff } })) as string[]);
  const result: RetentionResult = { cutoff, scanned: 0, deleted: 0, keptReferenced: 0, itemsMarked: 0 };
  const doomed: string[] = [];
  for await (const blob of store.backend.list()) {
    result.scanned += 1;
    if (blob.createdAt >= cutoff) continue;
    if (fresh.has(blob.sha256)) {
      result.keptReferenced += 1;
      continue;
    }
    doomed.push(blob.sha256);
  }
  for (let i = 0; i < doomed.length; i += 500) {
    const batch = doomed.slice(i, i + 500);
    // Mark first: a crash between the two steps leaves a body marked purged but present, never missing unexplained.
    const marked = await store.items.updateMany({ sha256: { $in: batch } }, { $set: { bodyPurgedAt: now } }, { strict: false });
    result.itemsMarked += marked.modifiedCount;
    for (const sha of batch) await store.backend.delete(sha);
    result.deleted += batch.length;
  }
  return result;
}
