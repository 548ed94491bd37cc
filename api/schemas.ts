import type { FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import { JOB_NAMES } from '../queues/names.ts';
import { INPUT_SCHEMAS } from '../queues/payloads.ts';
import { READ_COLLECTIONS, READ_FILTERS, type ReadCollection } from '../storage/read-models.repo.ts';
import { DEFAULT_CLIENT_ID } from '../storage/clients.types.ts';
import { WEBHOOK_EVENTS } from '../storage/webhooks.types.ts';
import type { LookupDoc, LookupStatus } from '../storage/lookups.types.ts';
import { maskLookupInput, maskRecord } from './pii-mask.ts';
import { issueSentences, RequestValidationError } from './errors.ts';

/** Same rule as queues/submit.ts: 1–128 letters, digits, or `. _ : -`. */
export const clientKeySchema = z.string().regex(/^[\w.:-]{1,128}$/, 'expected 1–128 letters, digits, or . _ : -');

/**
 * One lookup to submit: `{ type, input, clientKey? }`, where `input` is the job's own schema from
 * queues/payloads.ts INPUT_SCHEMAS (the very schemas the queue validates with, so the OpenAPI
 * document cannot drift from what is accepted).
 */
export const lookupRequestSchema = z.discriminatedUnion(
  'type',
  JOB_NAMES.map((name) =>
    z.strictObject({
      type: z.literal(name),
      input: INPUT_SCHEMAS[name],
      clientKey: clientKeySchema.optional().describe('idempotency key; the same key twice returns the first lookup'),
    }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
);

/** Envelope of a batch row, checked before the input is (unknown fields, non-string clientKey). */
export const batchRowEnvelopeSchema = z.strictObject({ type: z.string(), input: z.unknown(), clientKey: clientKeySchema.optional() });

const STATUSES = ['queued', 'running', 'succeeded', 'not_found', 'failed', 'needs_human'] as const satisfies readonly LookupStatus[];

const limitSchema = z.coerce.number().int().min(1).max(500).default(100).describe('page size, at most 500');
const cursorSchema = z.string().max(512).optional().describe('nextCursor of the previous page');
const filterValue = z.string().min(1).max(200);

/** Query of a paged collection: its whitelisted filters (plain strings), limit, cursor; nothing else. */
export function pageQuerySchema(collection: ReadCollection) {
  const filters = Object.fromEntries(Object.keys(READ_FILTERS[collection]).map((k) => [k, filterValue.optional()]));
  return z.strictObject({ ...filters, limit: limitSchema, cursor: cursorSchema });
}

export const lookupsQuerySchema = z.strictObject({
  batch: z.string().uuid().optional(),
  status: z.enum(STATUSES).optional(),
  type: z.enum(JOB_NAMES).optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});

const ALL_FILTER_NAMES = [...new Set(Object.values(READ_FILTERS).flatMap((f) => Object.keys(f)))];

export const exportQuerySchema = z.strictObject({
  collection: z.enum(READ_COLLECTIONS),
  format: z.enum(['csv', 'xlsx', 'jsonl']),
  ...Object.fromEntries(ALL_FILTER_NAMES.map((k) => [k, filterValue.optional()])),
});

export const webhookCreateSchema = z.strictObject({
  url: z.string().url().max(2048),
  secret: z.string().min(16, 'expected at least 16 characters').max(256),
  events: z.array(z.enum(WEBHOOK_EVENTS as [string, ...string[]])).min(1).optional().describe('default: every final status'),
});

export const deliveriesQuerySchema = z.strictObject({
  status: z.enum(['pending', 'delivered', 'undelivered']).optional(),
  limit: limitSchema,
});

export const idParamsSchema = z.strictObject({ id: z.string().min(1).max(200) });

/** A lookup as the API shows it; personal fields of its input masked unless `pii`. */
export function lookupView(doc: LookupDoc, options: { pii: boolean }) {
  return {
    id: doc._id,
    type: doc.type,
    status: doc.status,
    input: options.pii ? doc.input : maskLookupInput(doc.type, doc.input ?? {}),
    clientId: doc.clientId ?? DEFAULT_CLIENT_ID,
    // Stored as `<type>:<key>` for the unique index; the client sees its own key.
    clientKey: doc.clientKey ? doc.clientKey.slice(doc.type.length + 1) : null,
    batchId: doc.batchId,
    attempts: doc.attempts,
    error: doc.error,
    result: doc.result,
    evidenceCount: doc.evidenceCount,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    startedAt: doc.startedAt,
    finishedAt: doc.finishedAt,
  };
}

/** A stored document with `_id` shown as `id`; the debtor's personal data masked unless `pii`. */
export function recordView(collection: ReadCollection, doc: Record<string, unknown>, options: { pii: boolean }): Record<string, unknown> {
  // clientIds (which clients reached a record) is storage bookkeeping: never shown, it names other clients.
  const { _id, idempotencyKey: _k, clientIds: _c, ...rest } = options.pii ? doc : maskRecord(collection, doc);
  return { id: _id, ...rest };
}

const docOnly = new WeakSet<object>();

/** Marks a schema as documentation only: the route validates its body itself (batch rows). */
export function documentationOnly<T extends z.ZodType>(schema: T): T {
  docOnly.add(schema);
  return schema;
}

/**
 * Fastify validator over zod: the parsed value replaces the raw one; a failure becomes a 400 whose
 * body names every field and what was expected.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  if (docOnly.has(schema)) return (data) => ({ value: data });
  return (data) => {
    const parsed = schema.safeParse(data);
    if (parsed.success) return { value: parsed.data };
    const part = httpPart === 'querystring' ? 'query' : (httpPart ?? 'request');
    return { error: new RequestValidationError(part, issueSentences(parsed.error)) };
  };
};
