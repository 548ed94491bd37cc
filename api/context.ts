import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/index.ts';
import type { JobName } from '../queues/names.ts';
import type { SubmitDeps } from '../queues/submit.ts';
import type { Storage } from '../storage/index.ts';

/** What the API server needs; `createApiServer` borrows these and closes none of them. */
export interface ApiServerDeps {
  storage: Pick<Storage, 'conn' | 'lookups' | 'apiKeys' | 'webhooks' | 'readModels'>;
  /** The producer queue of each job name. */
  queueFor: (name: JobName) => Queue;
  /** `metrics` (own port, scrape token) and `ui` (origins, login lifetime) take their defaults when absent. */
  config: Pick<Config, 'api' | 'webhooks' | 'queue'> & Partial<Pick<Config, 'metrics' | 'ui'>>;
  /** Pings Redis for /healthz. */
  pingRedis: () => Promise<unknown>;
  /** False while the producers' Redis connection is down: submits answer 503 at once, storing nothing. */
  queueReady?: () => boolean;
  /** Counts requests and batch rows per API key (api/rate-limit.ts); without it nothing is limited. */
  redis?: Redis;
}

/** Submit dependencies derived from the server's. */
export const submitDepsOf = (deps: ApiServerDeps): SubmitDeps => ({
  lookups: deps.storage.lookups,
  queueFor: deps.queueFor,
  jobOptions: { attempts: deps.config.queue.attempts, backoffMs: deps.config.queue.backoffMs },
  queueReady: deps.queueReady,
});
