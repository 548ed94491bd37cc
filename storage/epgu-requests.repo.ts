import type { Connection } from 'mongoose';
import { EPGU_REQUEST_SCHEMA_VERSION, epguRequestModel, type EpguRequestModel } from './models/epgu-request.model.ts';
import type { EpguRequestDoc, EpguRequestStatus, EpguRequestStore } from './epgu-requests.types.ts';

/** Status order: a later portal report never moves a request back (a stale list page, a replay). */
const RANK: Record<EpguRequestStatus, number> = { prepared: 0, submitting: 1, sent: 2, registered: 3, decided: 4, answered: 5 };

/**
 * MongoDB implementation of EpguRequestStore (`epgu_requests`). One document per `epgu.request`
 * lookup; updates only move forward (see RANK) and each change appends to `history`.
 */
export class MongoEpguRequestStore implements EpguRequestStore {
  readonly model: EpguRequestModel;
  constructor(conn: Connection) {
    this.model = epguRequestModel(conn);
  }

  async get(id: string): Promise<EpguRequestDoc | null> {
    return this.model.findById(id).lean<EpguRequestDoc>();
  }

  async ensure(init: { id: string; account: string; ipNumber: string; kind: string; text: string; clientRef: string }): Promise<EpguRequestDoc> {
    const existing = await this.get(init.id);
    if (existing) return existing;
    const now = new Date();
    const doc: EpguRequestDoc = {
      _id: init.id,
      schemaVersion: EPGU_REQUEST_SCHEMA_VERSION,
      account: init.account,
      ipNumber: init.ipNumber,
      kind: init.kind,
      text: init.text,
      clientRef: init.clientRef,
      status: 'prepared',
      applicationNumber: null,
      portalStatus: null,
      history: [{ at: now, status: 'prepared', portalStatus: null, source: 'robot' }],
      submitAttemptAt: null,
      submittedAt: null,
      registeredAt: null,
      dueDate: null,
      closedAt: null,
      answerDocumentIds: [],
      evidenceId: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.model.collection.insertOne(doc as never);
      return doc;
    } catch (error) {
      // Two attempts racing on one lookup: the unique _id lets one insert win; both read it back.
      if ((error as { code?: number }).code === 11000) return (await this.get(init.id))!;
      throw error;
    }
  }

  async markSubmitting(id: string, at: Date): Promise<void> {
    await this.model.updateOne(
      { _id: id },
      { $set: { status: 'submitting', submitAttemptAt: at, updatedAt: at }, $push: { history: { at, status: 'submitting', portalStatus: null, source: 'robot' } } },
    );
  }

  async recordSubmitted(id: string, u: { applicationNumber: string; portalStatus: string | null; submittedAt: Date; dueDate: string | null; evidenceId: string | null }): Promise<EpguRequestDoc> {
    const now = new Date();
    await this.model.updateOne(
      { _id: id },
      {
        $set: { status: 'sent', applicationNumber: u.applicationNumber, portalStatus: u.portalStatus, submittedAt: u.submittedAt, dueDate: u.dueDate, evidenceId: u.evidenceId, updatedAt: now },
        $push: { history: { at: now, status: 'sent', portalStatus: u.portalStatus, source: 'robot' } },
      },
    );
    return (await this.get(id))!;
  }

  async recordPortalStatus(id: string, u: { status: EpguRequestStatus; portalStatus: string; registeredAt?: Date | null; dueDate?: string | null; source: 'portal' | 'inbox' }): Promise<void> {
    const cur = await this.get(id);
    if (!cur) return;
    const set: Record<string, unknown> = { updatedAt: new Date() };
    if (u.registeredAt && !cur.registeredAt) set.registeredAt = u.registeredAt;
    if (u.dueDate !== undefined && u.dueDate !== null && !cur.registeredAt) set.dueDate = u.dueDate;
    const forward = RANK[u.status] > RANK[cur.status];
    if (forward) Object.assign(set, { status: u.status, portalStatus: u.portalStatus });
    if (!forward && set.registeredAt === undefined) return;
    await this.model.updateOne(
      { _id: id },
      forward ? { $set: set, $push: { history: { at: new Date(), status: u.status, portalStatus: u.portalStatus, source: u.source } } } : { $set: set },
    );
  }

  async recordAnswer(id: string, documentId: string, at: Date): Promise<void> {
    const cur = await this.get(id);
    if (!cur) return;
    const set: Record<string, unknown> = { status: 'answered', updatedAt: new Date() };
    if (!cur.closedAt) set.closedAt = at;
    await this.model.updateOne(
      { _id: id },
      {
        $set: set,
        $addToSet: { answerDocumentIds: documentId },
        ...(cur.status === 'answered' ? {} : { $push: { history: { at, status: 'answered', portalStatus: null, source: 'inbox' } } }),
      },
    );
  }

  async findByApplicationNumber(applicationNumber: string): Promise<EpguRequestDoc | null> {
    return this.model.findOne({ applicationNumber }).lean<EpguRequestDoc>();
  }

  async listOpen(filter: { account?: string; ipNumber?: string } = {}): Promise<EpguRequestDoc[]> {
    const q: Record<string, unknown> = { closedAt: null };
    if (filter.account) q.account = filter.account;
    if (filter.ipNumber) q.ipNumber = filter.ipNumber;
    return this.model.find(q).sort({ createdAt: 1 }).lean<EpguRequestDoc[]>();
  }

  async listOverdue(today: string): Promise<EpguRequestDoc[]> {
    return this.model.find({ closedAt: null, dueDate: { $ne: null, $lt: today } }).sort({ dueDate: 1 }).lean<EpguRequestDoc[]>();
  }
}
