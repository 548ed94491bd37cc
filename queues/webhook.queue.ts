import { createHmac } from 'node:crypto';
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { DEFAULT_CLIENT_ID } from '../storage/clients.types.ts';
import type { LookupDoc } from '../storage/lookups.types.ts';
import type { WebhookEvent } from '../storage/webhooks.types.ts';

/** The webhook queue: fan-out of finished lookups to webhooks, then one job per delivery. */
export const WEBHOOK_QUEUE = 'webhook.deliver';

/** `fanout`: a lookup finished, find its webhooks. `deliver`: POST one delivery. */
export type WebhookJobData = { kind: 'fanout'; lookupId: string; event: WebhookEvent } | { kind: 'deliver'; deliveryId: string };

/** The JSON body POSTed to a webhook. */
export interface WebhookPayload {
  event: `lookup.${WebhookEvent}`;
  deliveryId: string;
  lookup: {
    id: string;
    type: string;
    status: string;
    batchId: string | null;
    /** The client the lookup belongs to. */
    clientId: string;
    /** The client's own key, as it was sent (without the stored `<type>:` prefix). */
    clientKey: string | null;
    result: LookupDoc['result'];
    error: LookupDoc['error'];
    finishedAt: Date | null;
  };
}

/** Producer side of the webhook queue (the caller owns the connection). */
export function webhookQueue(connection: Redis, prefix: string): Queue<WebhookJobData> {
  return new Queue<WebhookJobData>(WEBHOOK_QUEUE, { connection, prefix });
}

/** Job options of a delivery: retried until the retry window closes (the worker decides), never lost. */
export function deliveryJobOptions(deliveryId: string): JobsOptions {
  return {
    jobId: deliveryId,
    // The worker gives up by time (WEBHOOK_RETRY_WINDOW_MS), not by count; this is a safety net.
    attempts: 10_000,
    backoff: { type: 'webhook' },
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

/**
 * The `onFinished` hook for robot workers: announces a finished lookup on the webhook queue.
 * Cheap when nobody listens — the fan-out job finds no webhook and ends.
 */
export function createWebhookNotifier(queue: Queue<WebhookJobData>): (lookup: LookupDoc) => Promise<void> {
  return async (lookup) => {
    if (lookup.status === 'queued' || lookup.status === 'running') return;
    const event = lookup.status as WebhookEvent;
    await queue.add('fanout', { kind: 'fanout', lookupId: lookup._id, event }, {
      jobId: `fanout.${lookup._id}.${event}`,
      attempts: 10,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  };
}

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` — the value of `X-Konveyer-Signature`. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** The body sent for a finished lookup. */
export function webhookPayload(deliveryId: string, lookup: LookupDoc): WebhookPayload {
  return {
    event: `lookup.${lookup.status as WebhookEvent}`,
    deliveryId,
    lookup: {
      id: lookup._id,
      type: lookup.type,
      status: lookup.status,
      batchId: lookup.batchId,
      clientId: lookup.clientId ?? DEFAULT_CLIENT_ID,
      clientKey: lookup.clientKey ? lookup.clientKey.slice(lookup.type.length + 1) : null,
      result: lookup.result,
      error: lookup.error,
      finishedAt: lookup.finishedAt,
    },
  };
}
