import type { FastifyRequest } from 'fastify';
import type { ReadCollection, ReadRestriction } from '../storage/read-models.repo.ts';
import { DEFAULT_CLIENT_ID } from '../storage/clients.types.ts';
import type { ApiServerDeps } from './context.ts';

/** What the caller's API key may see: its client, every client (`all-clients`), personal data (`pii`). */
export interface ClientView {
  clientId: string;
  allClients: boolean;
  pii: boolean;
}

/** The view of the request's key (set by the auth hook); a request without one sees only the default client, masked. */
export function clientViewOf(req: FastifyRequest): ClientView {
  const key = req.apiKey;
  return {
    clientId: key?.clientId ?? DEFAULT_CLIENT_ID,
    allClients: key?.scopes.includes('all-clients') ?? false,
    pii: key?.scopes.includes('pii') ?? false,
  };
}

/** True when a stored lookup or webhook belongs to what the view may see (no clientId = default). */
export const isVisibleTo = (view: ClientView, doc: { clientId?: string | null }): boolean =>
  view.allClients || (doc.clientId ?? DEFAULT_CLIENT_ID) === view.clientId;

/**
 * The restriction of a read: none for `all-clients`; a client's own lookups; for records, those
 * reached through the client's lookups (their `clientIds`, set when each lookup finished).
 */
export async function restrictionFor(deps: ApiServerDeps, view: ClientView, collection: ReadCollection): Promise<ReadRestriction | undefined> {
  if (view.allClients) return undefined;
  if (collection === 'lookups') return { clientId: view.clientId };
  return deps.storage.readModels.reachableBy(view.clientId, collection);
}
