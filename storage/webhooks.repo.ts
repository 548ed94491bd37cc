import { randomUUID } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { webhookDeliveryModel, webhookModel } from './models/webhook.model.ts';
import type { WebhookDeliveryDoc, WebhookDeliveryStatus, WebhookDoc, WebhookEvent, WebhookStore } from './types.ts';

/** MongoDB implementation of WebhookStore (`webhooks` + `webhook_deliveries`). */
export class MongoWebhookStore implements WebhookStore {
  readonly model: Model<WebhookDoc>;
  readonly deliveries: Model<WebhookDeliveryDoc>;
  constructor(conn: Connection) {
    this.model = webhookModel(conn);
    this.deliveries = webhookDeliveryModel(conn);
  }

  async create(input: { url: string; secret: string; events: WebhookEvent[]; ownerKeyId: string | null }): Promise<WebhookDoc> {
    const doc: WebhookDoc = { _id: randomUUID(), ...input, events: [...new Set(input.events)], createdAt: new Date(), deletedAt: null };
    await this.model.collection.insertOne(doc as never);
    return doc;
  }

  async get(id: string): Promise<WebhookDoc | null> {
    return this.model.findOne({ _id: String(id), deletedAt: null }).lean<WebhookDoc>();
  }

  async list(ownerKeyId?: string): Promise<WebhookDoc[]> {
    const filter: Record<string, unknown> = { deletedAt: null };
    if (ownerKeyId !== undefined) filter.ownerKeyId = String(ownerKeyId);
    return this.model.find(filter).sort({ createdAt: 1 }).lean<WebhookDoc[]>();
  }

  async remove(id: string): Promise<boolean> {
    const res = await this.model.updateOne({ _id: String(id), deletedAt: null }, { $set: { deletedAt: new Date() } });
    return res.modifiedCount > 0;
  }

  async subscribedTo(event: WebhookEvent): Promise<WebhookDoc[]> {
    return this.model.find({ events: event, deletedAt: null }).lean<WebhookDoc[]>();
  }

  async addDeliveries(docs: Array<Pick<WebhookDeliveryDoc, '_id' | 'webhookId' | 'lookupId' | 'event'>>): Promise<WebhookDeliveryDoc[]> {
    if (docs.length === 0) return [];
    const now = new Date();
    const full: WebhookDeliveryDoc[] = docs.map((d) => ({
      ...d,
      status: 'pending',
      attempts: 0,
      lastStatusCode: null,
      lastError: null,
      createdAt: now,
      updatedAt: now,
      deliveredAt: null,
    }));
    const dup = new Set<number>();
    try {
      await this.deliveries.collection.insertMany(full as never[], { ordered: false });
    } catch (error) {
      // A unique `_id` makes a re-announced lookup (a retried fan-out job) a no-op.
      const writeErrors = (error as { writeErrors?: Array<{ index: number; code: number }> }).writeErrors;
      if (!writeErrors || writeErrors.some((w) => w.code !== 11000)) throw error;
      for (const w of writeErrors) dup.add(w.index);
    }
    return full.filter((_, i) => !dup.has(i));
  }

  async getDelivery(id: string): Promise<WebhookDeliveryDoc | null> {
    return this.deliveries.findById(String(id)).lean<WebhookDeliveryDoc>();
  }

  async recordAttempt(id: string, outcome: { delivered: boolean; statusCode: number | null; error: string | null }): Promise<void> {
    const now = new Date();
    const set: Record<string, unknown> = { lastStatusCode: outcome.statusCode, lastError: outcome.error, updatedAt: now };
    if (outcome.delivered) Object.assign(set, { status: 'delivered', deliveredAt: now });
    await this.deliveries.updateOne({ _id: String(id) }, { $set: set, $inc: { attempts: 1 } });
  }

  async markUndelivered(id: string): Promise<void> {
    await this.deliveries.updateOne({ _id: String(id), status: 'pending' }, { $set: { status: 'undelivered', updatedAt: new Date() } });
  }

  async listDeliveries(webhookId: string, filter: { status?: WebhookDeliveryStatus }, limit = 100): Promise<WebhookDeliveryDoc[]> {
    const q: Record<string, unknown> = { webhookId: String(webhookId) };
    if (filter.status !== undefined) q.status = String(filter.status);
    return this.deliveries.find(q).sort({ createdAt: 1 }).limit(limit).lean<WebhookDeliveryDoc[]>();
  }
}
