import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { BadInputError } from '../core/errors.ts';
import type { LookupDoc, LookupStore } from '../storage/types.ts';
import { lookupJobOptions, type JobOptionsConfig } from './job-options.ts';
import { isJobName, type JobName } from './names.ts';
import { describeIssues, INPUT_SCHEMAS, type JobData } from './payloads.ts';

export interface SubmitRequest {
  type: string;
  input: unknown;
  /** Client idempotency key: the same key twice returns the first lookup. */
  clientKey?: string;
}

export interface RowError {
  row: number;
  errors: string[];
}

export interface SubmitResult {
  batchId: string;
  lookups: Array<{ id: string; type: string; existed: boolean }>;
}

export interface SubmitDeps {
  lookups: LookupStore;
  /** The BullMQ queue of each job name. */
  queueFor: (name: JobName) => Queue;
  jobOptions: JobOptionsConfig;
}

/** Thrown when any row is invalid: nothing was stored or queued; `rows` lists every bad row. */
export class SubmitRejectedError extends BadInputError {
  constructor(readonly rows: RowError[]) {
    super(`${rows.length} invalid lookup(s): ${rows.slice(0, 5).map((r) => `row ${r.row}: ${r.errors.join('; ')}`).join(' | ')}${rows.length > 5 ? ' …' : ''}`, {
      details: { rows },
    });
  }
}

/**
 * Validates every request, then stores the lookups (`queued`) and adds their jobs.
 * All or nothing at validation: one bad row refuses the batch, and nothing enters the queue.
 * Rows whose client key was seen before return the earlier lookup and add no job.
 */
export async function submitLookups(deps: SubmitDeps, requests: SubmitRequest[], batchId = randomUUID()): Promise<SubmitResult> {
  const rowErrors: RowError[] = [];
  const valid: Array<{ type: JobName; input: Record<string, unknown>; clientKey?: string }> = [];
  requests.forEach((req, i) => {
    if (!isJobName(req.type)) {
      rowErrors.push({ row: i + 1, errors: [`type: unknown lookup type "${String(req.type)}"; expected one of ${Object.keys(INPUT_SCHEMAS).join(', ')}`] });
      return;
    }
    const parsed = INPUT_SCHEMAS[req.type].safeParse(req.input);
    if (!parsed.success) {
      rowErrors.push({ row: i + 1, errors: describeIssues(parsed.error) });
      return;
    }
    if (req.clientKey !== undefined && !/^[\w.:-]{1,128}$/.test(req.clientKey)) {
      rowErrors.push({ row: i + 1, errors: ['clientKey: expected 1–128 letters, digits, or . _ : -'] });
      return;
    }
    valid.push({ type: req.type, input: parsed.data as Record<string, unknown>, clientKey: req.clientKey });
  });
  if (rowErrors.length > 0) throw new SubmitRejectedError(rowErrors);

  const fresh = valid.map((v) => ({ _id: randomUUID(), type: v.type, input: v.input, clientKey: v.clientKey ?? null, batchId }));
  const { inserted, existing } = await deps.lookups.insertMany(fresh);

  const byType = new Map<JobName, LookupDoc[]>();
  for (const doc of inserted) {
    const list = byType.get(doc.type as JobName) ?? [];
    list.push(doc);
    byType.set(doc.type as JobName, list);
  }
  for (const [type, docs] of byType) {
    const queue = deps.queueFor(type);
    for (let i = 0; i < docs.length; i += 1000) {
      await queue.addBulk(
        docs.slice(i, i + 1000).map((d) => ({
          name: type,
          data: { lookupId: d._id, input: d.input } as unknown as JobData,
          opts: lookupJobOptions(d._id, deps.jobOptions),
        })),
      );
    }
  }
  const insertedIds = new Set(inserted.map((d) => d._id));
  const existingByKey = new Map(existing.map((d) => [d.clientKey, d]));
  return {
    batchId,
    lookups: fresh.map((f) => {
      if (insertedIds.has(f._id)) return { id: f._id, type: f.type, existed: false };
      const prior = existingByKey.get(f.clientKey ? `${f.type}:${f.clientKey}` : null);
      return { id: prior?._id ?? f._id, type: f.type, existed: true };
    }),
  };
}
