import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { KeyLock, type Locker } from './key-lock.ts';
import { captchaTaskModel, type CaptchaTaskDoc, type CaptchaTaskModel, type CaptchaTaskStatus } from './models/captcha-task.model.ts';
import type { CaptchaTaskStore, NewCaptchaTask } from './captcha-tasks.types.ts';

/** Thrown by `answer` for a task that is not open (already answered, expired, or unknown). */
export class CaptchaTaskStateError extends Error {
  constructor(message: string, readonly status: CaptchaTaskStatus | null) {
    super(message);
    this.name = 'CaptchaTaskStateError';
  }
}

/**
 * MongoDB implementation of CaptchaTaskStore (`captcha_tasks`): the operator hand-off of the
 * captcha chain. Answering is serialized per task by a KeyLock, because FerretDB 1.x does not make
 * a conditional `updateOne` atomic — two operators answering at once must not both win.
 */
export class MongoCaptchaTaskStore implements CaptchaTaskStore {
  readonly model: CaptchaTaskModel;
  private readonly lock: Locker;
  constructor(conn: Connection, lock?: Locker) {
    this.model = captchaTaskModel(conn);
    this.lock = lock ?? new KeyLock(conn);
  }

  async create(task: NewCaptchaTask): Promise<CaptchaTaskDoc> {
    const now = new Date();
    const doc: CaptchaTaskDoc = {
      _id: randomUUID(),
      status: 'open',
      imageBase64: task.image.toString('base64'),
      contentType: task.contentType ?? sniffImageType(task.image),
      kind: task.kind,
      target: task.target ?? null,
      lookupId: task.lookupId ?? null,
      jobName: task.jobName ?? null,
      session: task.session ?? null,
      answer: null,
      answeredBy: null,
      answeredAt: null,
      consumedAt: null,
      accepted: null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + (task.ttlMs ?? 30 * 60_000)),
    };
    await this.model.collection.insertOne(doc as never);
    return doc;
  }

  async get(id: string): Promise<CaptchaTaskDoc | null> {
    return this.model.findById(id).lean<CaptchaTaskDoc>();
  }

  async list(filter: { status?: CaptchaTaskStatus; lookupId?: string } = {}, limit = 100): Promise<CaptchaTaskDoc[]> {
    const q: Record<string, unknown> = {};
    if (filter.status) q.status = filter.status;
    if (filter.lookupId) q.lookupId = filter.lookupId;
    return this.model.find(q).sort({ createdAt: 1 }).limit(limit).lean<CaptchaTaskDoc[]>();
  }

  async answer(id: string, answer: string, by: string): Promise<CaptchaTaskDoc> {
    return this.lock.withLock(`captcha_tasks:${id}`, async () => {
      const task = await this.get(id);
      if (!task) throw new CaptchaTaskStateError(`no captcha task ${id}`, null);
      if (task.status === 'open' && task.expiresAt < new Date()) {
        await this.model.updateOne({ _id: id }, { $set: { status: 'expired' } });
        throw new CaptchaTaskStateError(`captcha task ${id} expired at ${task.expiresAt.toISOString()}`, 'expired');
      }
      if (task.status !== 'open') throw new CaptchaTaskStateError(`captcha task ${id} is ${task.status}, not open`, task.status);
      const set = { status: 'answered' as const, answer, answeredBy: by, answeredAt: new Date() };
      await this.model.updateOne({ _id: id }, { $set: set });
      return { ...task, ...set };
    });
  }

  async waitForAnswer(id: string, timeoutMs: number, pollMs = 250): Promise<CaptchaTaskDoc | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const task = await this.get(id);
      if (task?.status === 'answered') return task;
      if (!task || task.status === 'expired' || Date.now() >= deadline) return null;
      await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(1, deadline - Date.now()))));
    }
  }

  async findResumable(lookupId: string): Promise<CaptchaTaskDoc | null> {
    return this.model
      .findOne({ lookupId, status: 'answered', consumedAt: null, session: { $ne: null } })
      .sort({ answeredAt: -1 })
      .lean<CaptchaTaskDoc>();
  }

  async markConsumed(id: string, accepted: boolean | null): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { consumedAt: new Date(), accepted } });
  }

  async expire(id: string): Promise<void> {
    await this.model.updateOne({ _id: id, status: 'open' }, { $set: { status: 'expired' } });
  }

  async expireOverdue(now = new Date()): Promise<number> {
    const res = await this.model.updateMany({ status: 'open', expiresAt: { $lt: now } }, { $set: { status: 'expired' } });
    return res.modifiedCount;
  }
}

/** JPEG / PNG / GIF by magic bytes; the dashboard needs it for a data URI. */
function sniffImageType(image: Buffer): string {
  if (image[0] === 0xff && image[1] === 0xd8) return 'image/jpeg';
  if (image[0] === 0x89 && image[1] === 0x50) return 'image/png';
  if (image[0] === 0x47 && image[1] === 0x49) return 'image/gif';
  return 'application/octet-stream';
}
