/** The `postal_items` collection: tracked letters, their history and re-check state (Russian Post, issue 17). */
import type { SourceRef } from './court-cases.types.ts';

/** What happened to a letter between two checks. */
export type PostalEventKind = 'tracked' | 'operations' | 'state_changed' | 'delivered' | 'returned' | 'linked';

/** One entry of a letter's history. */
export interface PostalHistoryEntry {
  at: Date;
  event: PostalEventKind;
  lookupId: string | null;
  evidenceId: string | null;
  /** `operations`: the new ones; `state_changed`: from → to; `delivered`: date; `returned`: date, reason; `linked`: the link. */
  details: Record<string, unknown>;
}

/** The scheduler's re-check state of a letter (scheduler/post-tracking-recheck.ts). */
export interface PostalCheckState {
  /** When it is due again; null when final. */
  nextAt: Date | null;
  /** Current interval; doubles while nothing changes, back to the base on a change. */
  intervalSecs: number;
  /** The lookup last queued for it, so a pass does not queue it twice. */
  queuedLookupId: string | null;
}

/** `postal_items` document. */
export interface PostalItemDoc extends Omit<import('../core/postal-records.ts').PostalItemRecord, 'error'> {
  /** Natural key: the identifier (ШПИ) normalized. */
  _id: string;
  schemaVersion: number;
  /** What the letter is for; a letter may serve several records. */
  links: import('../core/postal-deadlines.ts').LetterLink[];
  /** Terms its delivery started for its links (core/postal-deadlines.ts). */
  deadlines: import('../core/postal-deadlines.ts').LetterDeadline[];
  final: boolean;
  source: SourceRef;
  history: PostalHistoryEntry[];
  check: PostalCheckState;
  rev: number;
  firstSeenAt: Date;
  checkedAt: Date;
}


/** How one save of a letter is done: links to merge, the terms its delivery starts, the re-check cadence. */
export interface PostalItemSaveOptions {
  links: ReadonlyArray<import('../core/postal-deadlines.ts').LetterLink>;
  /** The terms a delivery at `deliveredAt` starts for `links` (core/postal-deadlines.ts letterDeadlines). */
  deadlinesFor(links: ReadonlyArray<import('../core/postal-deadlines.ts').LetterLink>, deliveredAt: string): import('../core/postal-deadlines.ts').LetterDeadline[];
  /** Re-check interval after a change, and its ceiling while nothing changes (doubling), seconds. */
  cadence: { baseSecs: number; maxSecs: number };
  now?: Date;
}

/** What saving one letter did. */
export interface PostalItemSaveResult {
  id: string;
  created: boolean;
  events: string[];
  state: string;
  final: boolean;
  deadlines: import('../core/postal-deadlines.ts').LetterDeadline[];
}

/** The postal_items collection as robots, the scheduler and the CLI use it. */
export interface PostalItemStore {
  save(record: import('../core/postal-records.ts').PostalItemRecord, source: SourceRef, options: PostalItemSaveOptions): Promise<PostalItemSaveResult>;
  get(id: string): Promise<PostalItemDoc | null>;
  /** Letters not final whose next check is due, oldest due first. */
  listDue(now: Date, limit: number): Promise<Array<PostalItemDoc>>;
  /** Notes the lookup that will re-check these letters (cleared by their next save). */
  markQueued(ids: readonly string[], lookupId: string): Promise<void>;
  /** Letters linked to a record of `kind` (court-case, ip, epgu). */
  listLinked(kind: import('../core/postal-deadlines.ts').LetterLink['kind']): Promise<Array<PostalItemDoc>>;
}
