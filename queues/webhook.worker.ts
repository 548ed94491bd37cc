import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../core/logger.ts';
import { DEFAULT_CLIENT_ID } from '../storage/clients.types.ts';
import type { LookupStore } from '../storage/lookups.types.ts';
import type { WebhookStore } from '../storage/webhooks.types.ts';
import { Agent, fetch as undiciFetch } from 'undici';
import { resolveWebhookTarget, type WebhookTarget } from './webhook-target.ts';
import { deliveryJobOptions, signWebhook, WEBHOOK_QUEUE, webhookPayload, webhookQueue, type WebhookJobData } from './webhook.queue.ts';

export interface WebhookWorkerOptions {
  connection: Redis;
  prefix: string;
  lookups: LookupStore;
  webhooks: WebhookStore;
  log: Logger;
  /** A delivery is retried until this long after it was created, then kept as undelivered. */
  retryWindowMs: number;
  /** First retry delay; doubles per attempt, capped at 1 h. */
  backoffMs: number;
  /** Per-POST timeout. */
  timeoutMs: number;
  /** Deliver to loopback/private addresses (tests, closed networks). */
  allowPrivate: boolean;
  concurrency?: number;
}

export interface WebhookWorker {
  worker: Worker<WebhookJobData>;
  close(): Promise<void>;
}

const MAX_BACKOFF_MS = 3_600_000;

/**
 * Consumes `webhook.deliver`: fans each finished lookup out to the webhooks subscribed to its
 * status, and POSTs each delivery signed with the webhook's secret. A failed POST (network error,
 * timeout, non-2xx) is retried with exponential backoff until `retryWindowMs` has passed since the
 * delivery was created; then the delivery is kept as `undelivered`.
 */
export function startWebhookWorker(options: WebhookWorkerOptions): WebhookWorker {
  const queue = webhookQueue(options.connection, options.prefix);
  const worker = new Worker<WebhookJobData>(
    WEBHOOK_QUEUE,
    async (job: Job<WebhookJobData>) => {
      const data = job.data;
      if (data.kind === 'fanout') {
        const lookup = await options.lookups.get(data.lookupId);
        if (!lookup) return { deliveries: 0 };
        // Only the webhooks of the lookup's own client hear of it.
        const hooks = await options.webhooks.subscribedTo(data.event, lookup.clientId ?? DEFAULT_CLIENT_ID);
        const fresh = await options.webhooks.addDeliveries(
          hooks.map((h) => ({ _id: `${h._id}.${lookup._id}.${data.event}`, webhookId: h._id, lookupId: lookup._id, event: data.event })),
        );
        if (fresh.length > 0) {
          await queue.addBulk(fresh.map((d) => ({ name: 'deliver', data: { kind: 'deliver' as const, deliveryId: d._id }, opts: deliveryJobOptions(d._id) })));
        }
        return { deliveries: fresh.length };
      }
      return deliver(options, data.deliveryId);
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 16,
      settings: {
        backoffStrategy: (attemptsMade: number) => Math.min(options.backoffMs * 2 ** Math.max(0, attemptsMade - 1), MAX_BACKOFF_MS),
      },
    },
  );
  worker.on('error', (err) => options.log.error({ err }, 'webhook worker error'));
  return {
    worker,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}

async function deliver(options: WebhookWorkerOptions, deliveryId: string): Promise<{ delivered: boolean }> {
  const { webhooks } = options;
  const delivery = await webhooks.getDelivery(deliveryId);
  if (!delivery || delivery.status !== 'pending') return { delivered: delivery?.status === 'delivered' };
  const [hook, lookup] = await Promise.all([webhooks.get(delivery.webhookId), options.lookups.get(delivery.lookupId)]);
  if (!hook || !lookup) {
    await webhooks.recordAttempt(deliveryId, { delivered: false, statusCode: null, error: hook ? 'lookup no longer exists' : 'webhook was deleted' });
    await webhooks.markUndelivered(deliveryId);
    return { delivered: false };
  }
  // Checked again at delivery: DNS may have changed since the webhook was registered. The host is
  // resolved once here and the connection goes to that very address (no second DNS answer).
  const resolved = await resolveWebhookTarget(hook.url, { allowPrivate: options.allowPrivate });
  if ('refused' in resolved) {
    const refused = resolved.refused;
    await webhooks.recordAttempt(deliveryId, { delivered: false, statusCode: null, error: refused });
    await webhooks.markUndelivered(deliveryId);
    throw new UnrecoverableError(refused);
  }
  const body = JSON.stringify(webhookPayload(deliveryId, lookup));
  const timestamp = String(Math.floor(Date.now() / 1000));
  let statusCode: number | null = null;
  let error: string | null = null;
  const dispatcher = pinnedAgent(resolved.target);
  try {
    const res = await undiciFetch(resolved.target.url, {
      dispatcher,
      method: 'POST',
      body,
      // Redirects are not followed: a redirect could lead to an address the check above refuses.
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'konveyer-webhooks/1',
        'x-konveyer-timestamp': timestamp,
        'x-konveyer-signature': signWebhook(hook.secret, timestamp, body),
        'x-konveyer-delivery': deliveryId,
      },
    });
    statusCode = res.status;
    await res.body?.cancel();
    if (res.status < 200 || res.status >= 300) error = `receiver answered HTTP ${res.status}`;
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    error = err instanceof Error ? `${err.name}: ${err.message}${cause instanceof Error ? ` (${cause.message})` : ''}` : String(err);
  } finally {
    await dispatcher.close().catch(() => undefined);
  }
  await webhooks.recordAttempt(deliveryId, { delivered: error === null, statusCode, error });
  if (error === null) return { delivered: true };
  if (Date.now() - new Date(delivery.createdAt).getTime() >= options.retryWindowMs) {
    await webhooks.markUndelivered(deliveryId);
    options.log.warn({ deliveryId, webhookId: hook._id, error }, 'webhook delivery given up: retry window closed');
    return { delivered: false };
  }
  throw new Error(error);
}

/**
 * An undici Agent whose every connection goes to the checked address: its `lookup` answers with
 * that address only, so the host is never resolved again (DNS rebinding cannot swap it). TLS still
 * checks the certificate against the host name (SNI = the URL's host).
 */
export function pinnedAgent(target: WebhookTarget): Agent {
  return new Agent({
    connections: 1,
    connect: {
      lookup: (_host: string, opts: { all?: boolean }, callback: (...args: unknown[]) => void) => {
        if (opts?.all) callback(null, [{ address: target.address, family: target.family }]);
        else callback(null, target.address, target.family);
      },
    } as never,
  });
}
