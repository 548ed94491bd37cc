import type { Connection } from 'mongoose';
import { lookupModel, type LookupModel } from './models/lookup.model.ts';
import { addClientToRecords, isRecordCollection } from './read-models.repo.ts';
import { DEFAULT_CLIENT_ID } from './clients.types.ts';
import type { LookupDoc, LookupError, LookupStatus, LookupStore, NewLookup } from './lookups.types.ts';

const ALL_STATUSES: LookupStatus[] = ['queued', 'running', 'succeeded', 'not_found', 'failed', 'needs_human'];

/** MongoDB implementation of LookupStore. */
export class MongoLookupStore implements LookupStore {
  readonly model: LookupModel;
  constructor(conn: Connection) {
    this.model = lookupModel(conn);
  }

  async insertMany(lookups: NewLookup[]): Promise<{ inserted: LookupDoc[]; existing: LookupDoc[] }> {
    if (lookups.length === 0) return { inserted: [], existing: [] };
    const now = new Date();
    const docs = lookups.map((l) => ({
      _id: l._id,
      type: l.type,
      status: 'queued' as const,
      input: l.input,
      clientId: l.clientId ?? DEFAULT_CLIENT_ID,
      // Only set when given: the sparse unique index ignores documents without it.
      ...(l.clientKey ? { clientKey: `${l.type}:${l.clientKey}`, idempotencyKey: idempotencyKeyOf(l.clientId ?? DEFAULT_CLIENT_ID, `${l.type}:${l.clientKey}`) } : {}),
      batchId: l.batchId ?? null,
      attempts: 0,
      error: null,
      result: null,
      evidenceCount: 0,
      robot: null,
      startedAt: null,
      finishedAt: null,
      createdAt: now,
      updatedAt: now,
    }));
    const duplicates = new Set<number>();
    try {
      await this.model.collection.insertMany(docs as never[], { ordered: false });
    } catch (error) {
      const writeErrors = (error as { writeErrors?: Array<{ index: number; code: number }> }).writeErrors;
      if (!writeErrors) throw error;
      for (const we of writeErrors) {
        if (we.code !== 11000) throw error;
        duplicates.add(we.index);
      }
    }
    const inserted = docs.filter((_, i) => !duplicates.has(i)) as unknown as LookupDoc[];
    const dupDocs = docs.filter((_, i) => duplicates.has(i));
    return { inserted, existing: dupDocs.length === 0 ? [] : await this.storedLike(dupDocs) };
  }

  /**
   * The stored lookups an insert collided with, by idempotency key or by _id. Two `$in` finds, not one
   * `$or` of them: each uses its index on FerretDB (which pushes no `$or` down and scanned the whole
   * collection for every resubmission) and on MongoDB alike.
   */
  private async storedLike(docs: Array<{ _id: string; idempotencyKey?: string }>): Promise<LookupDoc[]> {
    const keys = docs.flatMap((d) => (d.idempotencyKey ? [d.idempotencyKey] : []));
    const [byKey, byId] = await Promise.all([
      keys.length > 0 ? this.model.find({ idempotencyKey: { $in: keys } }).lean<LookupDoc[]>() : [],
      this.model.find({ _id: { $in: docs.map((d) => d._id) } }).lean<LookupDoc[]>(),
    ]);
    const found = new Map<string, LookupDoc>();
    for (const d of [...byKey, ...byId]) found.set(d._id, d);
    return [...found.values()];
  }

  async findByClientKeys(clientId: string, clientKeys: string[]): Promise<LookupDoc[]> {
    if (clientKeys.length === 0) return [];
    return this.model.find({ idempotencyKey: { $in: clientKeys.map((k) => idempotencyKeyOf(clientId, String(k))) } }).lean<LookupDoc[]>();
  }

  async get(id: string): Promise<LookupDoc | null> {
    return this.model.findById(id).lean<LookupDoc>();
  }

  async markRunning(id: string, attempt: number, robot: string): Promise<{ clientId: string } | null> {
    // findAndModify rather than update: the same round trip also answers the lookup's client
    // (the whole document: FerretDB 1.24 has no projection, `fields`, on findAndModify).
    const doc = await this.model
      .findOneAndUpdate({ _id: id }, { $set: { status: 'running', attempts: attempt, robot, startedAt: new Date(), updatedAt: new Date() } }, { returnDocument: 'after' })
      .lean<{ clientId?: string }>();
    return doc ? { clientId: doc.clientId ?? DEFAULT_CLIENT_ID } : null;
  }

  async markFinished(
    id: string,
    status: Exclude<LookupStatus, 'queued' | 'running'>,
    outcome: { result?: LookupDoc['result']; error?: LookupError | null; evidenceCount?: number; clientId?: string; recordsWithClient?: readonly string[] },
  ): Promise<LookupDoc | null> {
    const set: Record<string, unknown> = { status, finishedAt: new Date(), updatedAt: new Date(), error: outcome.error ?? null };
    if (outcome.result !== undefined) set.result = outcome.result;
    if (outcome.evidenceCount !== undefined) set.evidenceCount = outcome.evidenceCount;
    // The records the lookup reached carry its client before the lookup says it is done, so a client
    // that reads the record on the lookup's answer finds it (api/client-scope.ts reads `clientIds`).
    if (outcome.result && isRecordCollection(outcome.result.collection)) {
      let clientId = outcome.clientId;
      if (clientId === undefined) {
        const owner = await this.model.findById(id).select({ clientId: 1 }).lean<{ clientId?: string }>();
        if (owner) clientId = owner.clientId ?? DEFAULT_CLIENT_ID;
      }
      // Records the robot saved with this client in the same write (court cases) are not updated again.
      const carrying = outcome.recordsWithClient && clientId === outcome.clientId ? new Set(outcome.recordsWithClient) : undefined;
      if (clientId !== undefined) await addClientToRecords(this.model.db, clientId, outcome.result, carrying);
    }
    // One round trip for the update and the stored lookup (the webhook notifier reads it next).
    return this.model.findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after' }).lean<LookupDoc>();
  }

  async markRetrying(id: string, error: LookupError): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { status: 'queued', error, updatedAt: new Date() } });
  }

  async countByStatus(filter: { batchId?: string; type?: string } = {}): Promise<Record<LookupStatus, number>> {
    const rows = await this.model.aggregate<{ _id: LookupStatus; n: number }>([
      { $match: clean(filter) },
      { $group: { _id: '$status', n: { $sum: 1 } } },
    ]);
    const out = Object.fromEntries(ALL_STATUSES.map((s) => [s, 0])) as Record<LookupStatus, number>;
    for (const r of rows) out[r._id] = r.n;
    return out;
  }

  async errorsByCode(filter: { batchId?: string } = {}): Promise<Record<string, number>> {
    const rows = await this.model.aggregate<{ _id: string; n: number }>([
      { $match: { ...clean(filter), status: 'failed' } },
      { $group: { _id: '$error.code', n: { $sum: 1 } } },
    ]);
    return Object.fromEntries(rows.map((r) => [r._id ?? 'unknown', r.n]));
  }

  async list(filter: { batchId?: string; status?: LookupStatus; type?: string }, limit = 100): Promise<LookupDoc[]> {
    return this.model.find(clean(filter)).sort({ createdAt: 1 }).limit(limit).lean<LookupDoc[]>();
  }

  async listAfter(filter: { batchId?: string; status?: LookupStatus; type?: string }, afterId: string | null, limit: number): Promise<LookupDoc[]> {
    const query = afterId === null ? clean(filter) : { ...clean(filter), _id: { $gt: afterId } };
    return this.model.find(query).sort({ _id: 1 }).limit(limit).lean<LookupDoc[]>();
  }

  async removeNeverQueued(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const res = await this.model.deleteMany({ _id: { $in: [...ids] }, status: 'queued', attempts: 0 });
    return res.deletedCount;
  }
}

/** Drops undefined keys so a filter never matches `{ field: undefined }`. */
function clean<T extends object>(filter: T): Partial<T> {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The unique idempotency field: a client key is unique per client (`<clientId>|<type>:<key>`). */
export const idempotencyKeyOf = (clientId: string, typedKey: string): string => `${clientId}|${typedKey}`;
