import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdempotencyConflictError, submitValidated, validateSubmitRequests, type SubmitResult, type ValidRequest } from '../../queues/submit.ts';
import type { LookupDoc } from '../../storage/lookups.types.ts';
import { readCsvBatch, readJsonBatch, type BatchIntake } from '../batch-intake.ts';
import { clientViewOf, isVisibleTo, restrictionFor } from '../client-scope.ts';
import { submitDepsOf, type ApiServerDeps } from '../context.ts';
import { ApiError } from '../errors.ts';
import { clientKeySchema, documentationOnly, idParamsSchema, lookupRequestSchema, lookupsQuerySchema, lookupView } from '../schemas.ts';

/** Batches up to this size answer with every lookup id; bigger ones are paged by `?batch=`. */
const LIST_IDS_UP_TO = 1000;

/** POST /v1/lookups, POST /v1/lookups/batch, GET /v1/lookups/:id, GET /v1/lookups. */
export function registerLookupRoutes(app: FastifyInstance, deps: ApiServerDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const submitDeps = submitDepsOf(deps);
  /** Stores for the caller's client; a reused key with another payload → 409 naming the first lookup. */
  const submitFor = async (req: FastifyRequest, valid: ValidRequest[]): Promise<SubmitResult> => {
    try {
      return await submitValidated({ ...submitDeps, clientId: clientViewOf(req).clientId }, valid);
    } catch (error) {
      if (!(error instanceof IdempotencyConflictError)) throw error;
      throw new ApiError(409, 'idempotency_conflict', `${error.message}; nothing was recorded. Use a new key for a new request.`, {
        issues: error.conflicts.map((c) => `row ${c.row}: clientKey ${c.clientKey}: first used for lookup ${c.lookupId} with a different payload`),
      });
    }
  };

  r.post(
    '/v1/lookups',
    {
      config: { scope: 'submit' },
      schema: {
        operationId: 'submitLookup',
        summary: 'Submit one lookup',
        description:
          'The same client key (field `clientKey` or header `Idempotency-Key`) twice with the same payload returns the first lookup (200, existed: true) and adds no job; ' +
          'with a different payload it answers 409 naming the first lookup. Keys are per client (the API key\'s client) and per lookup type.',
        tags: ['lookups'],
        body: lookupRequestSchema,
        headers: z.object({ 'idempotency-key': clientKeySchema.optional() }),
      },
    },
    async (req, reply) => {
      const body = req.body as { type: string; input: Record<string, unknown>; clientKey?: string };
      const headerKey = req.headers['idempotency-key'] as string | undefined;
      if (headerKey !== undefined && body.clientKey !== undefined && headerKey !== body.clientKey) {
        throw new ApiError(400, 'bad_input', 'clientKey: differs from the Idempotency-Key header; give one or make them equal', { issues: ['clientKey: differs from header Idempotency-Key'] });
      }
      // The body already passed the type's schema; validate again only to get the typed request.
      const { valid, rowErrors } = validateSubmitRequests([{ type: body.type, input: body.input, clientKey: body.clientKey ?? headerKey }]);
      if (rowErrors.length > 0) throw new ApiError(400, 'bad_input', rowErrors[0]!.errors.join('; '), { issues: rowErrors[0]!.errors });
      const res = await submitFor(req, valid);
      const { id, existed } = res.lookups[0]!;
      const doc = await deps.storage.lookups.get(id);
      if (!doc) throw new Error(`lookup ${id} vanished after submit`);
      return reply.code(existed ? 200 : 201).send({ existed, lookup: lookupView(doc, clientViewOf(req)) });
    },
  );

  r.post(
    '/v1/lookups/batch',
    {
      config: { scope: 'submit' },
      bodyLimit: deps.config.api.bodyLimitBytes,
      schema: {
        operationId: 'submitBatch',
        summary: 'Submit a batch of lookups (JSON array, or text/csv)',
        description:
          'All or nothing: when any row is invalid nothing is recorded and the answer (400) lists every invalid row with its errors. ' +
          `CSV: header court,number,uid,caseId,caseUid,mode,clientKey; ?type= sets the lookup type (default court.case). At most API_BATCH_MAX_ROWS rows (413 beyond). ` +
          `Lookup ids are listed for batches of up to ${LIST_IDS_UP_TO} rows; page bigger ones with GET /v1/lookups?batch=.`,
        tags: ['lookups'],
        consumes: ['application/json', 'text/csv'],
        querystring: z.strictObject({ type: z.string().default('court.case') }),
        body: documentationOnly(z.array(lookupRequestSchema)),
      },
    },
    async (req, reply) => {
      const { maxRows, maxBytes } = { maxRows: deps.config.api.batchMaxRows, maxBytes: deps.config.api.bodyLimitBytes };
      const contentType = String(req.headers['content-type'] ?? '');
      const intake: BatchIntake = contentType.startsWith('text/csv')
        ? await readCsvBatch(req.body as unknown as Readable, { type: req.query.type, maxRows, maxBytes })
        : readJsonBatch(req.body, maxRows);
      if (intake.rowErrors.length > 0) {
        throw new ApiError(400, 'bad_input', `${intake.rowErrors.length} of ${intake.rows} rows are invalid; nothing was recorded`, { rows: intake.rowErrors });
      }
      await req.chargeBatchRows?.(intake.rows);
      const res = await submitFor(req, intake.valid);
      const existed = res.lookups.filter((l) => l.existed).length;
      return reply.code(202).send({
        batchId: res.batchId,
        rows: intake.rows,
        created: res.lookups.length - existed,
        existed,
        lookups: res.lookups.length <= LIST_IDS_UP_TO ? res.lookups.map((l, i) => ({ row: i + 1, ...l })) : undefined,
      });
    },
  );

  r.get(
    '/v1/lookups/:id',
    { config: { scope: 'read' }, schema: { operationId: 'getLookup', summary: 'One lookup', tags: ['lookups'], params: idParamsSchema } },
    async (req) => {
      const doc = await deps.storage.lookups.get(req.params.id);
      const view = clientViewOf(req);
      // Another client's lookup is not confirmed to exist: the same 404 as an unknown id.
      if (!doc || !isVisibleTo(view, doc)) throw new ApiError(404, 'not_found', `no lookup ${req.params.id}`);
      return { lookup: lookupView(doc, view) };
    },
  );

  r.get(
    '/v1/lookups',
    { config: { scope: 'read' }, schema: { operationId: 'listLookups', summary: 'Lookups by batch, status, type (paged)', tags: ['lookups'], querystring: lookupsQuerySchema } },
    async (req) => {
      const { limit, cursor, batch, status, type } = req.query;
      const view = clientViewOf(req);
      const page = await deps.storage.readModels.page('lookups', { batch, status, type }, { limit, cursor }, await restrictionFor(deps, view, 'lookups'));
      return { items: page.items.map((d) => lookupView(d as unknown as LookupDoc, view)), nextCursor: page.nextCursor };
    },
  );
}
