import type { Connection } from 'mongoose';
import { epguSessionModel, type EpguSessionModel } from './models/epgu-session.model.ts';
import type { EpguSessionDoc, EpguSessionStore } from './epgu-sessions.types.ts';

/** MongoDB implementation of EpguSessionStore (`epgu_sessions`): stores only sealed cookies. */
export class MongoEpguSessionStore implements EpguSessionStore {
  readonly model: EpguSessionModel;
  constructor(conn: Connection) {
    this.model = epguSessionModel(conn);
  }

  async get(account: string): Promise<EpguSessionDoc | null> {
    return this.model.findById(account).lean<EpguSessionDoc>();
  }

  async saveCookies(account: string, sealedCookies: string | null): Promise<void> {
    if (sealedCookies !== null && !sealedCookies.startsWith('v1.')) throw new TypeError('epgu_sessions stores sealed cookies only');
    await this.model.updateOne({ _id: account }, { $set: { sealedCookies, savedAt: new Date() } }, { upsert: true });
  }

  async saveFeedCursor(account: string, lastFeedDate: string, seenFeedIds: string[]): Promise<void> {
    await this.model.updateOne({ _id: account }, { $set: { lastFeedDate, seenFeedIds } }, { upsert: true });
  }
}
