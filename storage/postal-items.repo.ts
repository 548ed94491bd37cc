import type { Connection } from 'mongoose';
import type { LetterDeadline, LetterLink } from '../core/postal-deadlines.ts';
import { isFinalPostalState, type PostalItemRecord } from '../core/postal-records.ts';
import { KeyLock, type Locker } from './key-lock.ts';
import { POSTAL_ITEM_SCHEMA_VERSION, postalItemModel, type PostalHistoryEntry, type PostalItemDoc, type PostalItemModel } from './models/postal-item.model.ts';
import type { PostalItemSaveOptions, PostalItemSaveResult, PostalItemStore } from './postal-items.types.ts';
import type { SourceRef } from './court-cases.types.ts';

const MAX_CONFLICT_RETRIES = 8;
const BULK_CHUNK = 50;

const linkKey = (l: LetterLink) => `${l.kind}:${l.id}`;
const opKey = (o: PostalItemRecord['operations'][number]) => `${o.type.id}.${o.attr.id ?? ''}@${o.date}@${o.index ?? ''}`;

/** What a fresh answer says happened since the stored version (empty when nothing did). */
export function diffPostalItem(before: Pick<PostalItemDoc, 'operations' | 'state' | 'deliveredAt' | 'returnedAt'> | null, after: PostalItemRecord): Array<Omit<PostalHistoryEntry, 'at' | 'lookupId' | 'evidenceId'>> {
  const out: Array<Omit<PostalHistoryEntry, 'at' | 'lookupId' | 'evidenceId'>> = [];
  const known = new Set((before?.operations ?? []).map(opKey));
  const added = after.operations.filter((o) => !known.has(opKey(o)));
  if (!before) out.push({ event: 'tracked', details: { state: after.state, operations: after.operations.length } });
  else if (added.length) out.push({ event: 'operations', details: { added } });
  if (before && before.state !== after.state) out.push({ event: 'state_changed', details: { from: before.state, to: after.state } });
  if (after.deliveredAt && after.deliveredAt !== (before?.deliveredAt ?? null)) out.push({ event: 'delivered', details: { date: after.deliveredAt } });
  if (after.returnedAt && after.returnedAt !== (before?.returnedAt ?? null)) out.push({ event: 'returned', details: { date: after.returnedAt, reason: after.returnReason } });
  return out;
}

/**
 * MongoDB implementation of PostalItemStore over `postal_items`: upsert by identifier, every new
 * operation and state change kept in `history`, links merged (a letter may serve several records),
 * the re-check cadence (base interval after a change, doubled up to a ceiling while nothing moves,
 * none once final). Saves of one letter are serialized by a KeyLock and apply to the `rev` read.
 */
export class MongoPostalItemStore implements PostalItemStore {
  readonly model: PostalItemModel;
  private readonly lock: Locker;
  constructor(conn: Connection, lock?: Locker) {
    this.model = postalItemModel(conn);
    this.lock = lock ?? new KeyLock(conn);
  }

  async save(record: PostalItemRecord, source: SourceRef, options: PostalItemSaveOptions): Promise<PostalItemSaveResult> {
    const id = record.barcode;
    return this.lock.withLock(`postal_items:${id}`, () => this.saveLocked(id, record, source, options));
  }

  async get(id: string): Promise<PostalItemDoc | null> {
    return this.model.findById(id).lean<PostalItemDoc>();
  }

  async listDue(now: Date, limit: number): Promise<PostalItemDoc[]> {
    return this.model
      .find({ final: false, 'check.nextAt': { $lte: now } }, { _id: 1, links: 1, state: 1, check: 1 })
      .sort({ 'check.nextAt': 1, _id: 1 })
      .limit(limit)
      .lean<PostalItemDoc[]>();
  }

  async markQueued(ids: readonly string[], lookupId: string): Promise<void> {
    for (let i = 0; i < ids.length; i += BULK_CHUNK) {
      await this.model.updateMany({ _id: { $in: ids.slice(i, i + BULK_CHUNK) } }, { $set: { 'check.queuedLookupId': lookupId } });
    }
  }

  async listLinked(kind: LetterLink['kind']): Promise<PostalItemDoc[]> {
    return this.model.find({ 'links.kind': kind }).sort({ _id: 1 }).limit(100_000).lean<PostalItemDoc[]>();
  }

  private async saveLocked(id: string, record: PostalItemRecord, source: SourceRef, options: PostalItemSaveOptions): Promise<PostalItemSaveResult> {
    const now = options.now ?? new Date();
    const stamp = { at: now, lookupId: source.lookupId ?? null, evidenceId: source.evidenceId };
    const final = isFinalPostalState(record.state);
    const { error: _itemError, ...fields } = record;
    for (let i = 0; i < MAX_CONFLICT_RETRIES; i++) {
      const existing = await this.model.findById(id).lean<PostalItemDoc>();
      const links = [...(existing?.links ?? [])];
      const newLinks = options.links.filter((l) => !links.some((k) => linkKey(k) === linkKey(l)));
      links.push(...newLinks);
      const entries = diffPostalItem(existing, record).map((e) => ({ ...stamp, ...e }));
      for (const l of newLinks) if (existing) entries.push({ ...stamp, event: 'linked', details: { link: l } });
      const deadlines: LetterDeadline[] = record.deliveredAt ? options.deadlinesFor(links, record.deliveredAt) : [];
      const moved = entries.length > 0;
      const prevInterval = existing?.check.intervalSecs ?? options.cadence.baseSecs;
      const intervalSecs = moved || !existing ? options.cadence.baseSecs : Math.min(prevInterval * 2, options.cadence.maxSecs);
      const check = { nextAt: final ? null : new Date(now.getTime() + intervalSecs * 1000), intervalSecs, queuedLookupId: null };
      const events = entries.map((e) => e.event);
      if (!existing) {
        try {
          await this.model.collection.insertOne({
            _id: id, ...fields, schemaVersion: POSTAL_ITEM_SCHEMA_VERSION, links, deadlines, final, source, history: entries, check, rev: 1, firstSeenAt: now, checkedAt: now,
          } as never);
          return { id, created: true, events, state: record.state, final, deadlines };
        } catch (error) {
          if ((error as { code?: number }).code === 11000) continue;
          throw error;
        }
      }
      const update: Record<string, unknown> = {
        $set: { ...fields, links, deadlines, final, source, check, checkedAt: now, schemaVersion: POSTAL_ITEM_SCHEMA_VERSION },
        $inc: { rev: 1 },
      };
      if (entries.length) update.$push = { history: { $each: entries } };
      const res = await this.model.collection.updateOne({ _id: id, rev: existing.rev } as never, update);
      if (res.matchedCount === 1) return { id, created: false, events, state: record.state, final, deadlines };
    }
    throw new Error(`postal item ${id}: gave up after ${MAX_CONFLICT_RETRIES} concurrent updates`);
  }
}
