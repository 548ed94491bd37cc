import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { READ_FILTERS } from '../../storage/read-models.repo.ts';
import { clientViewOf, restrictionFor } from '../client-scope.ts';
import type { ApiServerDeps } from '../context.ts';
import { maskRecord } from '../pii-mask.ts';
import { ApiError } from '../errors.ts';
import { csvExport, jsonlExport, xlsxExport } from '../export-writers.ts';
import { exportQuerySchema } from '../schemas.ts';

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** GET /v1/exports?collection=&format=csv|xlsx|jsonl&<filters of the collection> — streamed. */
export function registerExportRoutes(app: FastifyInstance, deps: ApiServerDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/exports',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'exportCollection',
        summary: 'Export a collection (streamed)',
        description: 'Filters are those of the collection\'s paged GET (e.g. court_cases: court, number, uid, status).',
        tags: ['exports'],
        querystring: exportQuerySchema,
      },
    },
    async (req, reply) => {
      const { collection, format, ...rawFilter } = req.query as { collection: keyof typeof READ_FILTERS; format: keyof typeof CONTENT_TYPES } & Record<string, string | undefined>;
      const allowed = Object.keys(READ_FILTERS[collection]);
      const wrong = Object.keys(rawFilter).filter((k) => rawFilter[k] !== undefined && !allowed.includes(k));
      if (wrong.length > 0) {
        const issues = wrong.map((k) => `${k}: not a filter of ${collection}; expected one of ${allowed.join(', ')}`);
        throw new ApiError(400, 'bad_input', issues.join('; '), { issues });
      }
      const view = clientViewOf(req);
      const stored = deps.storage.readModels.stream(collection, rawFilter, await restrictionFor(deps, view, collection));
      const docs = view.pii ? withoutClientIds(stored) : maskAll(collection, stored);
      const stream = format === 'csv' ? csvExport(collection, docs) : format === 'jsonl' ? jsonlExport(docs) : xlsxExport(collection, docs);
      const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
      return reply
        .type(CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="${collection}-${stamp}.${format}"`)
        .send(stream);
    },
  );
}

/** The stream with every document's personal data masked (keys without `pii`). */
async function* maskAll(collection: keyof typeof READ_FILTERS, docs: AsyncIterable<Record<string, unknown>>): AsyncGenerator<Record<string, unknown>> {
  for await (const doc of docs) {
    const { idempotencyKey: _k, clientIds: _c, ...rest } = maskRecord(collection, doc);
    yield rest;
  }
}

/** The stream without `clientIds` (which clients reached a record: bookkeeping that names other clients). */
async function* withoutClientIds(docs: AsyncIterable<Record<string, unknown>>): AsyncGenerator<Record<string, unknown>> {
  for await (const doc of docs) {
    const { clientIds: _c, ...rest } = doc;
    yield rest;
  }
}
