import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ReadCollection } from '../../storage/read-models.repo.ts';
import type { ApiServerDeps } from '../context.ts';
import { ApiError } from '../errors.ts';
import { idParamsSchema, pageQuerySchema, recordView } from '../schemas.ts';

/** URL path of each normalized collection. */
export const RECORD_PATHS: Record<Exclude<ReadCollection, 'lookups'>, string> = {
  court_cases: '/v1/court-cases',
  enforcement_proceedings: '/v1/enforcement-proceedings',
  epgu_requests: '/v1/epgu-requests',
  documents: '/v1/documents',
  postal_items: '/v1/postal-items',
};

/** Paged, filterable GETs of the normalized collections, and one record by id. */
export function registerRecordRoutes(app: FastifyInstance, deps: ApiServerDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  for (const [collection, path] of Object.entries(RECORD_PATHS) as Array<[Exclude<ReadCollection, 'lookups'>, string]>) {
    r.get(
      path,
      {
        config: { scope: 'read' },
        schema: { summary: `${collection} (paged, filtered by exact values)`, tags: ['records'], querystring: pageQuerySchema(collection) },
      },
      async (req) => {
        const { limit, cursor, ...filter } = req.query as { limit: number; cursor?: string } & Record<string, string | undefined>;
        const page = await deps.storage.readModels.page(collection, filter, { limit, cursor });
        return { items: page.items.map(recordView), nextCursor: page.nextCursor };
      },
    );
    r.get(
      `${path}/:id`,
      { config: { scope: 'read' }, schema: { summary: `one of ${collection}`, tags: ['records'], params: idParamsSchema } },
      async (req) => {
        const doc = await deps.storage.readModels.get(collection, req.params.id);
        if (!doc) throw new ApiError(404, 'not_found', `no ${collection} record ${req.params.id}`);
        return recordView(doc);
      },
    );
  }
}
