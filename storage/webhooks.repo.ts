import { randomUUID } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { webhookDeliveryModel, webhookModel } from './models/webhook.model.ts';
import { DEFAULT_CLIENT_ID } from './clients.types.ts';
import type { WebhookDeliveryDoc, WebhookDeliveryStatus, WebhookDoc, WebhookEvent, WebhookStore } from './webhooks.types.ts';

/** MongoDB implementation of WebhookStore (`webhooks` + `webhook_deliveries`). */
export class MongoWebhookStore implements WebhookStore {
  readonly model: Model<WebhookDoc>;
  readonly deliveries: Model<WebhookDeliveryDoc>;
  constructor(conn: Connection) {
    this.model = webhookModel(conn);
    this.deliveries = webhookDeliveryModel(conn);
  }

  async create(input: { url: string; secret: string; events: WebhookEvent[]; ownerKeyId: string | null; clientId?: string }): Promise<WebhookDoc> {
    const doc: WebhookDoc = { _id: randomUUID(), ...input, clientId: input.clientId ?? DEFAULT_CLIENT_ID, events: [...new Set(input.events)], createdAt: new Date(), deletedAt: null };
    await this.model.collection.insertOne(doc as never);
    return doc;
  }

  async get(id: string): Promise<WebhookDoc | null> {
    const hook = await this.model.findOne({ _id: String(id), deletedAt: null }).lean<WebhookDoc>();
    return hook ? withClient(hook) : null;
  }

  async list(clientId?: string): Promise<WebhookDoc[]> {
    const filter: Record<string, unknown> = { deletedAt: null };
    if (clientId !== undefined) filter.clientId = String(clientId);
    return (await this.model.find(filter).sort({ createdAt: 1 }).lean<WebhookDoc[]>()).map(withClient);
  }

  async remove(id: string): Promise<boolean> {
    const res = await this.model.updateOne({ _id: String(id), deletedAt: null }, { $set: { deletedAt: new Date() } });
    return res.modifiedCount > 0;
  }

  async subscribedTo(event: WebhookEvent, clientId: string): Promise<WebhookDoc[]> {
    return (await this.model.find({ events: event, clientId: String(clientId), deletedAt: null }).lean<WebhookDoc[]>()).map(withClient);
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

/** Webhooks stored before clients existed belong to the default client (also set by the start-up migration). */
const withClient = (hook: WebhookDoc): WebhookDoc => (hook.clientId ? hook : { ...hook, clientId: DEFAULT_CLIENT_ID });
