import type { Collection, Connection } from 'mongoose';

interface LockDoc {
  _id: string;
  owner: string;
  expiresAt: Date;
}

/**
 * A per-key mutex in MongoDB, built on the one primitive that is atomic on MongoDB 7 and on
 * FerretDB 1.x alike: an insert into a unique `_id`. (FerretDB 1.24's conditional `updateOne` is
 * not atomic under concurrency — two writers can both match `{ _id, rev }` — so optimistic
 * concurrency alone loses updates there; measured in storage/storage.test.ts.)
 * A holder that dies leaves a lock that expires after `ttlMs`.
 */
/** Serializes work per key across processes. KeyLock (MongoDB) is the default; a Redis lock is faster. */
export interface Locker {
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

export class KeyLock implements Locker {
  private readonly locks: Collection<LockDoc>;
  constructor(conn: Connection, private readonly options: { ttlMs?: number; pollMs?: number; waitMs?: number } = {}) {
    this.locks = conn.collection<LockDoc>('locks');
  }

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const owner = `${process.pid}:${Math.random().toString(36).slice(2)}`;
    const ttlMs = this.options.ttlMs ?? 30_000;
    const deadline = Date.now() + (this.options.waitMs ?? 60_000);
    for (;;) {
      try {
        await this.locks.insertOne({ _id: key, owner, expiresAt: new Date(Date.now() + ttlMs) });
        break;
      } catch (error) {
        if ((error as { code?: number }).code !== 11000) throw error;
        await this.locks.deleteOne({ _id: key, expiresAt: { $lt: new Date() } });
        if (Date.now() > deadline) throw new Error(`lock ${key}: still held after ${this.options.waitMs ?? 60_000} ms`);
        await new Promise((r) => setTimeout(r, (this.options.pollMs ?? 15) + Math.random() * 10));
      }
    }
    try {
      return await fn();
    } finally {
      await this.locks.deleteOne({ _id: key, owner });
    }
  }
}
