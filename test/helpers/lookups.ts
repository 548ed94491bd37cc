import type { Redis } from 'ioredis';
import { createQueueCache } from '../../queues/queue-cache.ts';
import type { LookupDoc, LookupStore } from '../../storage/lookups.types.ts';

const FINAL = ['succeeded', 'not_found', 'failed', 'needs_human'];

/** One BullMQ producer per job name on `redis`, created on first use; `close()` closes them all. */
export const queueCache = (redis: Redis, prefix: () => string) => createQueueCache({ connection: redis, prefix });

/** Polls until every lookup is final (or needs a human); throws with their statuses at the deadline. */
export async function waitForFinal(lookups: LookupStore, ids: string[], timeoutMs: number, pollMs = 200): Promise<LookupDoc[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const docs = await Promise.all(ids.map((id) => lookups.get(id)));
    if (docs.every((d) => d && FINAL.includes(d.status))) return docs as LookupDoc[];
    if (Date.now() > deadline) throw new Error(`lookups not final: ${JSON.stringify(docs.map((d) => d?.status))}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
