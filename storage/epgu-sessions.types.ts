/** The `epgu_sessions` collection: an EPGU account's sealed portal cookies and feed cursor (issue 5). */

/** `epgu_sessions` document: an account's portal cookies sealed with AES-256-GCM, and its feed cursor. */
export interface EpguSessionDoc {
  /** The account id (config EPGU_ACCOUNTS). */
  _id: string;
  /** core/crypto.ts `seal` of the cookie JSON, bound to the account id; null = logged out. */
  sealedCookies: string | null;
  savedAt: Date | null;
  /** Date of the newest ГЭПС feed item already read (the portal's string, e.g. «2025-03-04T12:00:00.000+0300»). */
  lastFeedDate: string | null;
  /** Feed item ids already read at `lastFeedDate` (items sharing a date are not lost). */
  seenFeedIds: string[];
}

export interface EpguSessionStore {
  get(account: string): Promise<EpguSessionDoc | null>;
  saveCookies(account: string, sealedCookies: string | null): Promise<void>;
  saveFeedCursor(account: string, lastFeedDate: string, seenFeedIds: string[]): Promise<void>;
}
