import type { Connection } from 'mongoose';
import type { CaseEvent, CourtCaseRecord } from '../core/records.ts';
import { COURT_CASE_SCHEMA_VERSION, courtCaseModel, type CourtCaseDoc, type CourtCaseModel } from './models/court-case.model.ts';
import { KeyLock, type Locker } from './key-lock.ts';
import type { CaseSaveOptions, CaseSaveResult, CourtCaseStore, HistoryChange, SourceRef } from './court-cases.types.ts';

/** Natural key of a court case: the court (code, else host) plus the most stable id the card gives. */
export function courtCaseKey(record: Pick<CourtCaseRecord, 'court' | 'caseId' | 'uid' | 'caseNumber'>): string {
  const court = record.court.code ?? record.court.host;
  if (!court) throw new Error('court case has neither a court code nor a host');
  if (record.caseId) return `${court}:id:${record.caseId}`;
  if (record.uid) return `${court}:uid:${record.uid}`;
  if (record.caseNumber) return `${court}:no:${record.caseNumber}`;
  throw new Error('court case has no case id, UID or number');
}

const MAX_CONFLICT_RETRIES = 8;

/**
 * MongoDB implementation of CourtCaseStore. Works on MongoDB 7 and FerretDB 1.x alike, without
 * transactions: saves of one case are serialized by a KeyLock (insert-based, atomic on both), an
 * update still applies only to the `rev` it read (on MongoDB that alone would suffice), and a
 * concurrent first insert loses on the unique `_id` and retries as an update.
 */
export class MongoCourtCaseStore implements CourtCaseStore {
  readonly model: CourtCaseModel;
  private readonly lock: Locker;
  constructor(conn: Connection, lock?: Locker) {
    this.model = courtCaseModel(conn);
    this.lock = lock ?? new KeyLock(conn);
  }

  async save(record: CourtCaseRecord, source: SourceRef, options: CaseSaveOptions = {}): Promise<CaseSaveResult> {
    const id = courtCaseKey(record);
    return this.lock.withLock(`court_cases:${id}`, () => this.saveLocked(id, record, source, options.clientId));
  }

  /**
   * Two round trips: the read the history's diff needs, then the insert or the update at the `rev`
   * read. The client rides in the same write (`clientIds`). (An upsert answering the stored case
   * would spare the read of a new case, but FerretDB 1.24's `$setOnInsert` drops null and empty-array
   * fields, which every case has; and re-checks of stored cases are the common save.)
   */
  private async saveLocked(id: string, record: CourtCaseRecord, source: SourceRef, clientId: string | undefined): Promise<CaseSaveResult> {
    const now = new Date();
    const client = clientId === undefined ? undefined : String(clientId);
    const saved = client === undefined ? {} : { clientId: client };
    for (let i = 0; i < MAX_CONFLICT_RETRIES; i++) {
      const existing = await this.model.findById(id).lean<CourtCaseDoc>();
      const fields = pickRecord(record, existing);
      if (!existing) {
        try {
          await this.model.collection.insertOne({
            _id: id,
            ...fields,
            schemaVersion: COURT_CASE_SCHEMA_VERSION,
            source,
            history: [{ at: now, lookupId: source.lookupId ?? null, evidenceId: source.evidenceId, changes: [{ field: 'created', from: null, to: record.status }] }],
            rev: 1,
            firstSeenAt: now,
            checkedAt: now,
            ...(client === undefined ? {} : { clientIds: [client] }),
          } as never);
          return { id, created: true, changes: [], ...saved };
        } catch (error) {
          if ((error as { code?: number }).code === 11000) continue;
          throw error;
        }
      }
      const changes = diffCase(existing, fields);
      const update: Record<string, unknown> = {
        $set: { ...fields, source, checkedAt: now, schemaVersion: COURT_CASE_SCHEMA_VERSION },
        $inc: { rev: 1 },
      };
      if (changes.length > 0) {
        update.$push = { history: { at: now, lookupId: source.lookupId ?? null, evidenceId: source.evidenceId, changes } };
      }
      if (client !== undefined) update.$addToSet = { clientIds: client };
      const res = await this.model.collection.updateOne({ _id: id, rev: existing.rev } as never, update);
      if (res.matchedCount === 1) return { id, created: false, changes, ...saved };
    }
    throw new Error(`court case ${id}: gave up after ${MAX_CONFLICT_RETRIES} concurrent updates`);
  }

  async get(id: string): Promise<CourtCaseDoc | null> {
    return this.model.findById(id).lean<CourtCaseDoc>();
  }
}

/**
 * The stored fields of a fresh parse. `effectiveAt` keeps how it was obtained: a date on the page is
 * `shown`; when the page shows none, a derived date the scheduler confirmed stays (a re-check of a
 * card without the row must not erase it), a shown one does not outlive the page.
 */
function pickRecord(r: CourtCaseRecord, existing: CourtCaseDoc | null): CourtCaseRecord {
  const effective = r.effectiveAt
    ? { effectiveAt: r.effectiveAt, effectiveAtSource: r.effectiveAtSource ?? 'shown', effectiveAtRule: r.effectiveAtRule ?? 'shown_card' }
    : existing?.effectiveAtSource === 'derived' && existing.effectiveAt
      ? { effectiveAt: existing.effectiveAt, effectiveAtSource: 'derived' as const, effectiveAtRule: existing.effectiveAtRule ?? null }
      : { effectiveAt: null, effectiveAtSource: null, effectiveAtRule: null };
  return {
    court: r.court,
    caseNumber: r.caseNumber,
    materialNumber: r.materialNumber ?? null,
    previousNumbers: r.previousNumbers,
    uid: r.uid,
    caseId: r.caseId ?? null,
    caseUid: r.caseUid ?? null,
    instance: r.instance ?? null,
    category: r.category,
    judge: r.judge,
    registeredAt: r.registeredAt,
    decision: r.decision,
    ...effective,
    status: r.status,
    parties: r.parties,
    events: r.events,
    executionDocuments: r.executionDocuments,
    ...(r.appeals ? { appeals: r.appeals } : {}),
    template: r.template,
  };
}

const eventKey = (e: CaseEvent): string => [e.name, e.date, e.time, e.result].join('|');

/** What changed between the stored case and a fresh parse; new events are listed one by one. */
export function diffCase(before: CourtCaseRecord, after: CourtCaseRecord): HistoryChange[] {
  const changes: HistoryChange[] = [];
  const scalar = (field: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a ?? null) !== JSON.stringify(b ?? null)) changes.push({ field, from: a ?? null, to: b ?? null });
  };
  scalar('status', before.status, after.status);
  scalar('caseNumber', before.caseNumber, after.caseNumber);
  scalar('uid', before.uid, after.uid);
  scalar('judge', before.judge, after.judge);
  scalar('decision', before.decision, after.decision);
  scalar('effectiveAt', before.effectiveAt, after.effectiveAt);
  const seen = new Set(before.events.map(eventKey));
  for (const e of after.events) if (!seen.has(eventKey(e))) changes.push({ field: 'events', from: null, to: e });
  const docs = new Set(before.executionDocuments.map((d) => JSON.stringify(d)));
  for (const d of after.executionDocuments) if (!docs.has(JSON.stringify(d))) changes.push({ field: 'executionDocuments', from: null, to: d });
  const parties = (r: CourtCaseRecord) => r.parties.map((p) => `${p.roleNorm}|${p.name}`).sort().join('\n');
  if (parties(before) !== parties(after)) changes.push({ field: 'parties', from: before.parties.length, to: after.parties.length });
  return changes;
}
