import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { BadInputError, KonveyerError } from '../core/errors.ts';
import { DEFAULT_CLIENT_ID } from '../storage/clients.types.ts';
import type { LookupDoc, LookupStore } from '../storage/lookups.types.ts';
import { lookupJobOptions, type JobOptionsConfig } from './job-options.ts';
import { isJobName, JOB_NAMES, type JobName } from './names.ts';
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
  /** The submitting client (its API key's): client keys are unique per client. Default `default`. */
  clientId?: string;
  /**
   * False while the queue's Redis connection is down: the submit is refused at once
   * ({@link QueueUnavailableError}) before anything is stored. Default: always ready.
   */
  queueReady?: () => boolean;
}

/**
 * The queue (Redis) cannot take jobs now: the lookups of this request were not stored (or were
 * rolled back). The API answers 503 with Retry-After; the client submits again later (with its
 * client keys, a retry never doubles a lookup).
 */
export class QueueUnavailableError extends KonveyerError {
  override readonly code = 'queue_unavailable';
}

/** A client key already used by this client for a lookup with another payload. */
export interface IdempotencyConflict {
  /** 1-based row of the request. */
  row: number;
  clientKey: string;
  /** The lookup the key was first used for. */
  lookupId: string;
}

/**
 * Thrown when a request reuses one of its client's keys with a different type or input: the key
 * names the first lookup, which is not replaced. Nothing of the refused requests was stored.
 */
export class IdempotencyConflictError extends KonveyerError {
  override readonly code = 'idempotency_conflict';
  override readonly kind = 'permanent';
  constructor(readonly conflicts: IdempotencyConflict[]) {
    super(
      conflicts
        .slice(0, 5)
        .map((c) => `${conflicts.length > 1 ? `row ${c.row}: ` : ''}client key "${c.clientKey}" was already used for lookup ${c.lookupId} with a different payload`)
        .join('; ') + (conflicts.length > 5 ? ' …' : ''),
      { details: { conflicts } },
    );
  }
}

/** The same payload? Inputs are compared as JSON with sorted keys (both are schema outputs). */
function samePayload(doc: LookupDoc, req: { type: string; input: Record<string, unknown> }): boolean {
  return doc.type === req.type && canonicalJson(doc.input) === canonicalJson(req.input);
}

function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

/** Thrown when any row is invalid: nothing was stored or queued; `rows` lists every bad row. */
export class SubmitRejectedError extends BadInputError {
  constructor(readonly rows: RowError[]) {
    super(`${rows.length} invalid lookup(s): ${rows.slice(0, 5).map((r) => `row ${r.row}: ${r.errors.join('; ')}`).join(' | ')}${rows.length > 5 ? ' …' : ''}`, {
      details: { rows },
    });
  }
}

/** A request that passed validation: its input is the schema's output. */
export interface ValidRequest {
  type: JobName;
  input: Record<string, unknown>;
  clientKey?: string;
}

/**
 * Validates every request against INPUT_SCHEMAS without storing anything; `rowErrors` names each
 * bad row (1-based) with one sentence per problem.
 */
export function validateSubmitRequests(requests: SubmitRequest[]): { valid: ValidRequest[]; rowErrors: RowError[] } {
  const rowErrors: RowError[] = [];
  const valid: ValidRequest[] = [];
  requests.forEach((req, i) => {
    if (typeof req.type !== 'string' || !isJobName(req.type)) {
      rowErrors.push({ row: i + 1, errors: [`type: unknown lookup type "${String(req.type)}"; expected one of ${Object.keys(INPUT_SCHEMAS).join(', ')}`] });
      return;
    }
    const parsed = INPUT_SCHEMAS[req.type].safeParse(req.input);
    if (!parsed.success) {
      rowErrors.push({ row: i + 1, errors: describeIssues(parsed.error) });
      return;
    }
    if (req.clientKey !== undefined && (typeof req.clientKey !== 'string' || !/^[\w.:-]{1,128}$/.test(req.clientKey))) {
      rowErrors.push({ row: i + 1, errors: ['clientKey: expected 1–128 letters, digits, or . _ : -'] });
      return;
    }
    valid.push({ type: req.type, input: parsed.data as Record<string, unknown>, clientKey: req.clientKey });
  });
  return { valid, rowErrors };
}

/**
 * Validates every request, then stores the lookups (`queued`) and adds their jobs.
 * All or nothing at validation: one bad row refuses the batch, and nothing enters the queue.
 * Rows whose client key was seen before return the earlier lookup and add no job.
 */
export async function submitLookups(deps: SubmitDeps, requests: SubmitRequest[], batchId = randomUUID()): Promise<SubmitResult> {
  const { valid, rowErrors } = validateSubmitRequests(requests);
  if (rowErrors.length > 0) throw new SubmitRejectedError(rowErrors);
  return submitValidated(deps, valid, batchId);
}

/** Client keys looked up per query: × every job type × ≤ 128 characters stays ~2 MB, far below 16 MB. */
const KEY_LOOKUP_CHUNK = 2000;

/** Rows stored and queued per round trip: bounds memory and lets the queue start on big batches. */
const STORE_CHUNK = 5000;

/**
 * Stores already-validated requests and adds their jobs, in chunks of 5 000. Idempotency rests on
 * the sparse unique index on `clientKey` (an insert is atomic on MongoDB and FerretDB alike): of
 * concurrent requests with one key exactly one inserts, the others get its lookup, `existed: true`.
 */
export async function submitValidated(deps: SubmitDeps, valid: ValidRequest[], batchId = randomUUID()): Promise<SubmitResult> {
  await refuseConflicts(deps, valid);
  const lookups: SubmitResult['lookups'] = [];
  for (let start = 0; start < valid.length; start += STORE_CHUNK) {
    lookups.push(...(await storeChunk(deps, valid.slice(start, start + STORE_CHUNK), batchId)));
  }
  return { batchId, lookups };
}

/**
 * Same client key, different payload → IdempotencyConflictError before anything is stored (a key
 * used twice within one batch with two payloads too). Same key, same payload → the first lookup.
 */
async function refuseConflicts(deps: SubmitDeps, valid: ValidRequest[]): Promise<void> {
  const clientId = deps.clientId ?? DEFAULT_CLIENT_ID;
  const keyed = valid.map((v, i) => ({ v, row: i + 1 })).filter((x) => x.v.clientKey);
  if (keyed.length === 0) return;
  const conflicts: IdempotencyConflict[] = [];
  const firstInBatch = new Map<string, { v: ValidRequest; row: number }>();
  for (const x of keyed) {
    const typed = `${x.v.type}:${x.v.clientKey}`;
    const first = firstInBatch.get(typed);
    if (!first) firstInBatch.set(typed, x);
    else if (canonicalJson(first.v.input) !== canonicalJson(x.v.input)) conflicts.push({ row: x.row, clientKey: x.v.clientKey!, lookupId: `row ${first.row} of this batch` });
  }
  // A key names one request of its client whatever the type: look it up under every type.
  const rawKeys = [...new Set(keyed.map((x) => x.v.clientKey!))];
  const stored: LookupDoc[] = [];
  // In chunks: one `$in` over every key × every type of a 100 000-row batch is a filter of 20+ MB,
  // past the 16 MB a MongoDB command may be (the driver refuses it, the batch got a 500).
  for (let start = 0; deps.lookups.findByClientKeys && start < rawKeys.length; start += KEY_LOOKUP_CHUNK) {
    const typed = rawKeys.slice(start, start + KEY_LOOKUP_CHUNK).flatMap((k) => JOB_NAMES.map((t) => `${t}:${k}`));
    stored.push(...(await deps.lookups.findByClientKeys(clientId, typed)));
  }
  const byKey = new Map<string, LookupDoc>();
  for (const d of stored) if (d.clientKey) byKey.set(d.clientKey.slice(d.type.length + 1), d);
  for (const x of keyed) {
    const prior = byKey.get(x.v.clientKey!);
    if (prior && !samePayload(prior, x.v)) conflicts.push({ row: x.row, clientKey: x.v.clientKey!, lookupId: prior._id });
  }
  if (conflicts.length > 0) throw new IdempotencyConflictError(conflicts.sort((a, b) => a.row - b.row));
}

async function storeChunk(deps: SubmitDeps, valid: ValidRequest[], batchId: string): Promise<SubmitResult['lookups']> {
  const clientId = deps.clientId ?? DEFAULT_CLIENT_ID;
  if (deps.queueReady && !deps.queueReady()) {
    throw new QueueUnavailableError('the job queue (Redis) is unreachable; nothing was recorded, submit again later');
  }
  const fresh = valid.map((v) => ({ _id: randomUUID(), type: v.type, input: v.input, clientKey: v.clientKey ?? null, batchId, clientId }));
  const { inserted, existing } = await deps.lookups.insertMany(fresh);
  // A lookup seen before (same client key) that is still `queued` may have lost its job (a crash or
  // a Redis outage between store and enqueue): add it again. jobId = lookup id, so where the job
  // exists BullMQ adds nothing, and a resubmission never doubles a lookup.
  const requeue = existing.filter((d) => d.status === 'queued');
  const queued = new Set<string>();
  try {
    await enqueue(deps, inserted, queued);
    await enqueue(deps, requeue, new Set());
  } catch (error) {
    // Store-then-enqueue failed half-way: what has no job goes (the rest is queued and stays).
    const unqueued = inserted.filter((d) => !queued.has(d._id)).map((d) => d._id);
    const rolledBack = await deps.lookups.removeNeverQueued(unqueued).catch(() => null);
    throw new QueueUnavailableError(
      `the job queue (Redis) did not take the jobs: ${(error as Error).message}; ` +
        (rolledBack === null
          ? `${unqueued.length} lookup(s) could not be rolled back and will be queued by the stuck-lookup sweeper`
          : `nothing of this part was recorded${queued.size > 0 ? ` (${queued.size} earlier lookup(s) of the batch are queued)` : ''}`) +
        '; submit again later',
      { cause: error, details: { queued: queued.size, rolledBack, unqueued: unqueued.length } },
    );
  }
  const insertedIds = new Set(inserted.map((d) => d._id));
  const existingByKey = new Map(existing.map((d) => [d.clientKey, d]));
  // A concurrent request with the same key and another payload won the insert: refuse this one.
  const raced = fresh.flatMap((f, i) => {
    const prior = insertedIds.has(f._id) ? undefined : existingByKey.get(f.clientKey ? `${f.type}:${f.clientKey}` : null);
    return prior && !samePayload(prior, f) ? [{ row: i + 1, clientKey: f.clientKey!, lookupId: prior._id }] : [];
  });
  if (raced.length > 0) throw new IdempotencyConflictError(raced);
  return fresh.map((f) => {
    if (insertedIds.has(f._id)) return { id: f._id, type: f.type, existed: false };
    const prior = existingByKey.get(f.clientKey ? `${f.type}:${f.clientKey}` : null);
    return { id: prior?._id ?? f._id, type: f.type, existed: true };
  });
}

/** Adds one job per lookup (jobId = lookup id) in `addBulk`s of 1 000; `done` collects the ids queued. */
async function enqueue(deps: SubmitDeps, docs: LookupDoc[], done: Set<string>): Promise<void> {
  const byType = new Map<JobName, LookupDoc[]>();
  for (const doc of docs) {
    const list = byType.get(doc.type as JobName) ?? [];
    list.push(doc);
    byType.set(doc.type as JobName, list);
  }
  for (const [type, list] of byType) {
    const queue = deps.queueFor(type);
    for (let i = 0; i < list.length; i += 1000) {
      const part = list.slice(i, i + 1000);
      await queue.addBulk(
        part.map((d) => ({
          name: type,
          data: { lookupId: d._id, input: d.input } as unknown as JobData,
          opts: lookupJobOptions(d._id, deps.jobOptions),
        })),
      );
      for (const d of part) done.add(d._id);
    }
  }
}
