import type { Connection } from 'mongoose';
import type { EnforcementProceeding } from '../core/records.ts';
import { KeyLock, type Locker } from './key-lock.ts';
import { courtCaseModel, type CourtCaseDoc, type CourtCaseModel } from './models/court-case.model.ts';
import {
  ENFORCEMENT_PROCEEDING_SCHEMA_VERSION,
  enforcementProceedingModel,
  type EnforcementProceedingDoc,
  type EnforcementProceedingModel,
  type ProceedingHistoryEntry,
} from './models/enforcement-proceeding.model.ts';
import type { EnforcementProceedingStore, ProceedingSaveResult } from './enforcement-proceedings.types.ts';
import type { SourceRef } from './court-cases.types.ts';

const MAX_CONFLICT_RETRIES = 8;

/** Upper-case, ё→е, letters and digits only: «Судебный участок № 2 по г. Белорецк» ≈ «СУДЕБНЫЙ УЧАСТОК №2 ПО Г.БЕЛОРЕЦК». */
export function foldName(s: string | null | undefined): string {
  return (s ?? '').toUpperCase().replace(/Ё/g, 'Е').replace(/[^0-9A-ZА-Я]/g, '');
}

/** «ст. 46 ч. 1 п. 3» from the parsed ground, the way DESIGN.md writes an end ground. */
export function endReason(ended: EnforcementProceeding['ended']): string | null {
  if (!ended) return null;
  const parts = [ended.article && `ст. ${ended.article}`, ended.part && `ч. ${ended.part}`, ended.point && `п. ${ended.point}`].filter(Boolean);
  return parts.length ? parts.join(' ') : (ended.ground ?? null);
}

/** What a fresh parse says happened since the stored version (empty when nothing did). */
export function diffProceeding(before: EnforcementProceeding, after: EnforcementProceeding): Array<Omit<ProceedingHistoryEntry, 'at' | 'lookupId' | 'evidenceId'>> {
  const out: Array<Omit<ProceedingHistoryEntry, 'at' | 'lookupId' | 'evidenceId'>> = [];
  if (!before.ended && after.ended) {
    out.push({ event: 'ended', details: { date: after.ended.date, reason: endReason(after.ended), debtRestBefore: before.debtRest } });
  } else if (before.ended && !after.ended) {
    out.push({ event: 'reopened', details: { endedBefore: before.ended } });
  } else if ((before.debtRest ?? null) !== (after.debtRest ?? null) && after.debtRest !== null) {
    // A finished proceeding loses its pay button (debtRest null): that is the end, not a payment.
    out.push({ event: 'amount_changed', details: { from: before.debtRest ?? null, to: after.debtRest } });
  }
  const changed: Array<{ field: string; from: unknown; to: unknown }> = [];
  for (const field of ['sdNumber', 'bailiff', 'department', 'subjects', 'executiveDocument'] as const) {
    const a = JSON.stringify(before[field] ?? null);
    const b = JSON.stringify(after[field] ?? null);
    if (a !== b) changed.push({ field, from: before[field] ?? null, to: after[field] ?? null });
  }
  if (changed.length) out.push({ event: 'changed', details: { changes: changed } });
  return out;
}

/**
 * MongoDB implementation of EnforcementProceedingStore: upsert by ИП number (`_id`), a history of
 * what changed (opened, amount changed, ended with its reason), and the link to the court case whose
 * number the executive document names. Saves of one proceeding are serialized by a KeyLock (atomic
 * on FerretDB 1.x and MongoDB 7 alike), and an update still applies only to the `rev` it read.
 */
export class MongoEnforcementProceedingStore implements EnforcementProceedingStore {
  readonly model: EnforcementProceedingModel;
  private readonly cases: CourtCaseModel;
  private readonly lock: Locker;
  constructor(conn: Connection, lock?: Locker) {
    this.model = enforcementProceedingModel(conn);
    this.cases = conn.models.CourtCase ? (conn.models.CourtCase as CourtCaseModel) : courtCaseModel(conn);
    this.lock = lock ?? new KeyLock(conn);
  }

  async save(record: EnforcementProceeding, source: SourceRef): Promise<ProceedingSaveResult> {
    const id = record.ipNumber;
    if (!id) throw new Error('enforcement proceeding without an ИП number');
    return this.lock.withLock(`enforcement_proceedings:${id}`, () => this.saveLocked(id, record, source));
  }

  async get(id: string): Promise<EnforcementProceedingDoc | null> {
    return this.model.findById(id).lean<EnforcementProceedingDoc>();
  }

  /**
   * The court case an executive document names: same case number, and a court whose name (or host)
   * matches the issuer. Without an issuer, only an unambiguous number links. Null when none or many.
   */
  async findCourtCase(doc: EnforcementProceeding['executiveDocument']): Promise<string | null> {
    const number = doc.number?.replace(/^№\s*/, '').trim();
    if (!number) return null;
    const candidates = await this.cases.find({ caseNumber: number }, { _id: 1, court: 1 }).limit(50).lean<Array<Pick<CourtCaseDoc, '_id' | 'court'>>>();
    if (candidates.length === 0) return null;
    const issuer = foldName(doc.issuer);
    if (!issuer) return candidates.length === 1 ? candidates[0]!._id : null;
    const matching = candidates.filter((c) => {
      const name = foldName(c.court?.name);
      const host = (c.court?.host ?? '').toLowerCase();
      return (name !== '' && (name === issuer || issuer.includes(name) || name.includes(issuer))) || (host !== '' && doc.issuer!.toLowerCase().includes(host));
    });
    return matching.length === 1 ? matching[0]!._id : null;
  }

  private async saveLocked(id: string, record: EnforcementProceeding, source: SourceRef): Promise<ProceedingSaveResult> {
    const now = new Date();
    const fields = pickRecord(record);
    const stamp = { at: now, lookupId: source.lookupId ?? null, evidenceId: source.evidenceId };
    for (let i = 0; i < MAX_CONFLICT_RETRIES; i++) {
      const existing = await this.model.findById(id).lean<EnforcementProceedingDoc>();
      // Re-resolve the link while it is missing: the court case may be stored after the proceeding.
      const courtCaseId = existing?.courtCaseId ?? (await this.findCourtCase(record.executiveDocument));
      if (!existing) {
        const history: ProceedingHistoryEntry[] = [
          { ...stamp, event: 'opened', details: { ipDate: record.ipDate, debtRest: record.debtRest, subjects: record.subjects } },
        ];
        if (record.ended) history.push({ ...stamp, event: 'ended', details: { date: record.ended.date, reason: endReason(record.ended) } });
        try {
          await this.model.collection.insertOne({
            _id: id,
            ...fields,
            schemaVersion: ENFORCEMENT_PROCEEDING_SCHEMA_VERSION,
            courtCaseId,
            source,
            history,
            rev: 1,
            firstSeenAt: now,
            checkedAt: now,
          } as never);
          return { id, created: true, events: history.map((h) => h.event), courtCaseId };
        } catch (error) {
          if ((error as { code?: number }).code === 11000) continue;
          throw error;
        }
      }
      const entries = diffProceeding(existing, record).map((e) => ({ ...stamp, ...e }));
      const update: Record<string, unknown> = {
        $set: { ...fields, courtCaseId, source, checkedAt: now, schemaVersion: ENFORCEMENT_PROCEEDING_SCHEMA_VERSION },
        $inc: { rev: 1 },
      };
      if (entries.length > 0) update.$push = { history: { $each: entries } };
      const res = await this.model.collection.updateOne({ _id: id, rev: existing.rev } as never, update);
      if (res.matchedCount === 1) return { id, created: false, events: entries.map((e) => e.event), courtCaseId };
    }
    throw new Error(`enforcement proceeding ${id}: gave up after ${MAX_CONFLICT_RETRIES} concurrent updates`);
  }
}

function pickRecord(r: EnforcementProceeding): EnforcementProceeding {
  return {
    ipNumber: r.ipNumber,
    ipDate: r.ipDate,
    sdNumber: r.sdNumber,
    debtor: r.debtor,
    executiveDocument: r.executiveDocument,
    extraDocuments: r.extraDocuments ?? [],
    ended: r.ended,
    subjects: r.subjects,
    debtRest: r.debtRest,
    department: r.department,
    bailiff: r.bailiff,
    region: r.region,
    uin: r.uin,
  };
}
