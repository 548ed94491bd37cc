/**
 * Re-checks of letters not yet final (postal_items): each pass takes the letters whose next check is
 * due and queues `post.tracking` lookups for them — one batch lookup (batch access) per 3 000 when
 * more than POST_TRACKING_BATCH_MIN are due, else one lookup per letter. The cadence itself is kept
 * by the store on every save: the base interval after a change, doubling up to a ceiling while
 * nothing moves, none once final (storage/postal-items.repo.ts). A letter whose last queued lookup
 * has not finished is left for a later pass, so nothing is queued twice.
 */
import type { Logger } from '../core/logger.ts';
import type { SubmitRequest, SubmitResult } from '../queues/submit.ts';
import { POST_TRACKING_MAX_BATCH } from '../queues/post-tracking.payload.ts';
import { FINAL_LOOKUP_STATUSES, type LookupStore } from '../storage/lookups.types.ts';
import type { PostalItemStore } from '../storage/postal-items.types.ts';

export interface PostTrackingRecheckDeps {
  items: PostalItemStore;
  lookups: LookupStore;
  submit: (requests: SubmitRequest[], batchId: string) => Promise<SubmitResult>;
  log: Logger;
}

export interface PostTrackingRecheckOptions {
  /** More due letters than this go as batch lookups (POST_TRACKING_BATCH_MIN). */
  batchMin: number;
  /** Letters looked at per pass. */
  maxPerPass?: number;
  now?: Date;
}

export interface PostTrackingPassReport {
  due: number;
  /** Due letters whose last lookup is still queued or running. */
  pending: number;
  batchLookups: number;
  singleLookups: number;
  letters: number;
}

/** One pass: queue the re-checks of the letters that are due. */
export async function runPostTrackingRecheckPass(deps: PostTrackingRecheckDeps, options: PostTrackingRecheckOptions): Promise<PostTrackingPassReport> {
  const now = options.now ?? new Date();
  const due = await deps.items.listDue(now, options.maxPerPass ?? 30_000);
  const report: PostTrackingPassReport = { due: due.length, pending: 0, batchLookups: 0, singleLookups: 0, letters: 0 };
  const ready: string[] = [];
  for (const d of due) {
    const last = d.check.queuedLookupId ? await deps.lookups.get(d.check.queuedLookupId) : null;
    if (last && !FINAL_LOOKUP_STATUSES.includes(last.status)) report.pending += 1;
    else ready.push(d._id);
  }
  if (ready.length === 0) return report;
  const slot = now.toISOString().slice(0, 16);
  const batchId = crypto.randomUUID();
  if (ready.length > options.batchMin) {
    for (let i = 0; i < ready.length; i += POST_TRACKING_MAX_BATCH) {
      const chunk = ready.slice(i, i + POST_TRACKING_MAX_BATCH);
      const res = await deps.submit([{ type: 'post.tracking', input: { items: chunk.map((barcode) => ({ barcode })) }, clientKey: `post-recheck:${chunk[0]}:${chunk.length}:${slot}` }], batchId);
      await deps.items.markQueued(chunk, res.lookups[0]!.id);
      report.batchLookups += 1;
      report.letters += chunk.length;
    }
  } else {
    const res = await deps.submit(ready.map((barcode) => ({ type: 'post.tracking', input: { barcode }, clientKey: `post-recheck:${barcode}:${slot}` })), batchId);
    for (const [i, barcode] of ready.entries()) await deps.items.markQueued([barcode], res.lookups[i]!.id);
    report.singleLookups += ready.length;
    report.letters += ready.length;
  }
  deps.log.info(report, 'post tracking re-checks queued');
  return report;
}
