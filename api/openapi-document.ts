/**
 * The OpenAPI document without a running farm: an API server over inert storage and queues, asked
 * for its document and closed. The same routes and the same decoration (api/openapi.ts) as a
 * serving `konveyer api`, whose /docs/json answers the same document.
 */
import type { Config } from '../config/index.ts';
import type { ApiServerDeps } from './context.ts';
import { createApiServer } from './server.ts';

/** Storage and queues that refuse every use: building the document must not touch them. */
const inert = (what: string): never =>
  new Proxy({}, { get: (_t, prop) => (prop === 'then' ? undefined : () => { throw new Error(`openapi document: ${what}.${String(prop)} used`); }) }) as never;

/** The OpenAPI 3.1 document of the API as `config` would serve it. */
export async function generateOpenApiDocument(config: ApiServerDeps['config']): Promise<Record<string, unknown>> {
  const storage = { conn: inert('conn'), lookups: inert('lookups'), apiKeys: inert('apiKeys'), webhooks: inert('webhooks'), readModels: inert('readModels'), uiSessions: inert('uiSessions') };
  const app = await createApiServer({ storage, queueFor: () => inert('queue'), config: config as Config, pingRedis: async () => inert('redis') });
  try {
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
  }
}
