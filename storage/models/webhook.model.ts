import { Schema, type Connection, type Model } from 'mongoose';
import type { WebhookDeliveryDoc, WebhookDoc } from '../webhooks.types.ts';

/** `webhooks`: a client's URL + secret + the lookup events it wants. Soft-deleted (`deletedAt`). */
export const webhookSchema = new Schema<WebhookDoc>(
  {
    _id: { type: String, required: true },
    url: { type: String, required: true },
    secret: { type: String, required: true },
    events: { type: [String], required: true },
    ownerKeyId: { type: String, default: null },
    clientId: { type: String, default: 'default' },
    createdAt: { type: Date, required: true },
    deletedAt: { type: Date, default: null },
  },
  { collection: 'webhooks', versionKey: false },
);
webhookSchema.index({ events: 1, deletedAt: 1 });
webhookSchema.index({ clientId: 1, events: 1 });

/** `webhook_deliveries`: one per (webhook, lookup, event), with the state of its delivery. */
export const webhookDeliverySchema = new Schema<WebhookDeliveryDoc>(
  {
    _id: { type: String, required: true },
    webhookId: { type: String, required: true },
    lookupId: { type: String, required: true },
    event: { type: String, required: true },
    status: { type: String, required: true, enum: ['pending', 'delivered', 'undelivered'] },
    attempts: { type: Number, default: 0 },
    lastStatusCode: { type: Number, default: null },
    lastError: { type: String, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    deliveredAt: { type: Date, default: null },
  },
  { collection: 'webhook_deliveries', versionKey: false },
);
webhookDeliverySchema.index({ webhookId: 1, status: 1, createdAt: 1 });

export const webhookModel = (conn: Connection): Model<WebhookDoc> => conn.model<WebhookDoc>('Webhook', webhookSchema);
export const webhookDeliveryModel = (conn: Connection): Model<WebhookDeliveryDoc> =>
  conn.model<WebhookDeliveryDoc>('WebhookDelivery', webhookDeliverySchema);
