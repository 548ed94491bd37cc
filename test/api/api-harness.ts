/** Shared set-up of the API tests: real FerretDB/MongoDB + Redis, a server, keys of each scope set. */
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { createApiServer } from '../../api/server.ts';
import { loadConfig, type Config } from '../../config/index.ts';
import type { JobName } from '../../queues/names.ts';
import type { Storage } from '../../storage/index.ts';
import type { ApiScope } from '../../storage/api-keys.types.ts';
import { dropStorage, openTestStorage, serviceUrls, testPrefix, testRedis } from '../helpers/services.ts';

export interface ApiHarness {
  app: FastifyInstance;
  storage: Storage;
  config: Config;
  queueFor(name: JobName): Queue;
  /** Tokens: all scopes (all-clients and pii included); submit only; read only (both of the default client). */
  tokens: { all: string; submit: string; read: string };
  close(): Promise<void>;
}

export async function openApiHarness(env: Record<string, string> = {}): Promise<ApiHarness> {
  const storage = await openTestStorage();
  const redis = testRedis();
  const config = loadConfig({
    REDIS_URL: serviceUrls().redisUrl,
    MONGODB_URI: serviceUrls().mongoUri,
    QUEUE_PREFIX: testPrefix('api'),
    LOG_LEVEL: 'silent',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    ...env,
  });
  const queues = new Map<JobName, Queue>();
  const queueFor = (name: JobName) => {
    let q = queues.get(name);
    if (!q) queues.set(name, (q = new Queue(name, { connection: redis, prefix: config.queue.prefix })));
    return q;
  };
  const app = await createApiServer({ storage, queueFor, config, pingRedis: () => redis.ping() }, { authCacheMs: 0 });
  const mk = async (name: string, scopes: ApiScope[]) => (await storage.apiKeys.create({ name, scopes })).token;
  const tokens = { all: await mk('all', ['submit', 'read', 'audit', 'ops', 'all-clients', 'pii']), submit: await mk('submit', ['submit']), read: await mk('read', ['read']) };
  return {
    app,
    storage,
    config,
    queueFor,
    tokens,
    async close() {
      await app.close();
      for (const q of queues.values()) await q.close();
      redis.disconnect();
      await dropStorage(storage);
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
