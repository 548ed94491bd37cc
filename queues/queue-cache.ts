/**
 * One BullMQ producer (`Queue`) per job name on one Redis connection, made on first use: what every
 * process role that adds or inspects jobs keeps (the farm connection of runtime/farm.ts, the
 * stuck-lookup sweeper, the tests' farms). The cache owns the queues it made and `close()` closes
 * them; the connection stays its owner's.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobName } from './names.ts';

/** Options of `createQueueCache`. */
export interface QueueCacheOptions {
  connection: Redis;
  /** BullMQ key prefix (QUEUE_PREFIX); a function is read when each queue is made. */
  prefix: string | (() => string);
  /** Listener for each queue's `error` events; absent = none (the connection's watcher reports Redis state). */
  onError?: (err: Error, queue: string) => void;
}

/** A lazily filled map of queues by job name. */
export interface QueueCache<N extends string = JobName> {
  queueFor(name: N): Queue;
  /** Closes every queue made so far (not the connection). */
  close(): Promise<void>;
}

export function createQueueCache<N extends string = JobName>(options: QueueCacheOptions): QueueCache<N> {
  const queues = new Map<N, Queue>();
  return {
    queueFor(name) {
      let queue = queues.get(name);
      if (!queue) {
        queue = new Queue(name, { connection: options.connection, prefix: typeof options.prefix === 'function' ? options.prefix() : options.prefix });
        const onError = options.onError;
        if (onError) queue.on('error', (err) => onError(err, name));
        queues.set(name, queue);
      }
      return queue;
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
