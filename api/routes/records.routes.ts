import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ReadCollection } from '../../storage/read-models.repo.ts';
import { clientViewOf, restrictionFor } from '../client-scope.ts';
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

/** Singular and plural of each collection in operationIds (getCourtCase, listCourtCases). */
const OPERATION_NOUNS: Record<Exclude<ReadCollection, 'lookups'>, [string, string]> = {
  court_cases: ['CourtCase', 'CourtCases'],
  enforcement_proceedings: ['EnforcementProceeding', 'EnforcementProceedings'],
  epgu_requests: ['EpguRequest', 'EpguRequests'],
  documents: ['Document', 'Documents'],
  postal_items: ['PostalItem', 'PostalItems'],
};

/** Paged, filterable GETs of the normalized collections, and one record by id. */
export function registerRecordRoutes(app: FastifyInstance, deps: ApiServerDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  for (const [collection, path] of Object.entries(RECORD_PATHS) as Array<[Exclude<ReadCollection, 'lookups'>, string]>) {
    r.get(
      path,
      {
        config: { scope: 'read' },
        schema: { operationId: `list${OPERATION_NOUNS[collection][1]}`, summary: `${collection} (paged, filtered by exact values)`, tags: ['records'], querystring: pageQuerySchema(collection) },
      },
      async (req) => {
        const { limit, cursor, ...filter } = req.query as { limit: number; cursor?: string } & Record<string, string | undefined>;
        const view = clientViewOf(req);
        const page = await deps.storage.readModels.page(collection, filter, { limit, cursor }, await restrictionFor(deps, view, collection));
        return { items: page.items.map((d) => recordView(collection, d, view)), nextCursor: page.nextCursor };
      },
    );
    r.get(
      `${path}/:id`,
      { config: { scope: 'read' }, schema: { operationId: `get${OPERATION_NOUNS[collection][0]}`, summary: `One of ${collection}`, tags: ['records'], params: idParamsSchema } },
      async (req) => {
        const view = clientViewOf(req);
        // A record not reached through the caller's lookups answers like an unknown id.
        const doc = await deps.storage.readModels.get(collection, req.params.id, await restrictionFor(deps, view, collection));
        if (!doc) throw new ApiError(404, 'not_found', `no ${collection} record ${req.params.id}`);
        return recordView(collection, doc, view);
      },
    );
  }
}
