/** The `webhooks` and `webhook_deliveries` collections: subscriptions to final lookup statuses and their deliveries. */

/** Final lookup statuses a webhook can subscribe to. */
export type WebhookEvent = 'succeeded' | 'not_found' | 'failed' | 'needs_human';
export const WEBHOOK_EVENTS: readonly WebhookEvent[] = ['succeeded', 'not_found', 'failed', 'needs_human'];

/** `webhooks` document. The secret is kept (it signs every delivery); it is never returned by the API. */
export interface WebhookDoc {
  _id: string;
  url: string;
  secret: string;
  events: WebhookEvent[];
  /** The API key that registered it. */
  ownerKeyId: string | null;
  /** Its client: it receives only this client's lookups (`default` for older webhooks). */
  clientId: string;
  createdAt: Date;
  deletedAt: Date | null;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'undelivered';

/** `webhook_deliveries` document: one per (webhook, lookup, event). */
export interface WebhookDeliveryDoc {
  /** `<webhookId>.<lookupId>.<event>` (no `:`: it is also the BullMQ job id): one announcement per webhook. */
  _id: string;
  webhookId: string;
  lookupId: string;
  event: WebhookEvent;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  deliveredAt: Date | null;
}

export interface WebhookStore {
  create(input: { url: string; secret: string; events: WebhookEvent[]; ownerKeyId: string | null; clientId?: string }): Promise<WebhookDoc>;
  get(id: string): Promise<WebhookDoc | null>;
  /** Active webhooks, optionally only those of one client. */
  list(clientId?: string): Promise<WebhookDoc[]>;
  /** Soft delete: deliveries stay visible. False when there was no active webhook. */
  remove(id: string): Promise<boolean>;
  /** Active webhooks of one client subscribed to an event. */
  subscribedTo(event: WebhookEvent, clientId: string): Promise<WebhookDoc[]>;
  /** Inserts deliveries; ones that exist already (same id) are skipped. Returns those inserted. */
  addDeliveries(docs: Array<Pick<WebhookDeliveryDoc, '_id' | 'webhookId' | 'lookupId' | 'event'>>): Promise<WebhookDeliveryDoc[]>;
  getDelivery(id: string): Promise<WebhookDeliveryDoc | null>;
  /** Records one attempt: delivered on success, else stays pending with the error. */
  recordAttempt(id: string, outcome: { delivered: boolean; statusCode: number | null; error: string | null }): Promise<void>;
  markUndelivered(id: string): Promise<void>;
  listDeliveries(webhookId: string, filter: { status?: WebhookDeliveryStatus }, limit?: number): Promise<WebhookDeliveryDoc[]>;
}
