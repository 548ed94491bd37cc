/** The `court_cases` collection as robots write it: upsert by natural key with a history of changes. */
import type { CourtCaseRecord } from '../core/records.ts';

/** Where a normalized record came from. */
export interface SourceRef {
  url: string;
  fetchedAt: Date;
  evidenceId: string | null;
  parserVersion: string;
  lookupId?: string;
}

export interface HistoryChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface CaseSaveResult {
  id: string;
  created: boolean;
  /** What changed since the stored version (empty when nothing did). */
  changes: HistoryChange[];
  /** The client this save added to the case's `clientIds` (the option given), absent when none was. */
  clientId?: string;
}

/** Options of `CourtCaseStore.save`. */
export interface CaseSaveOptions {
  /**
   * The client of the lookup that read the case: added to the case's `clientIds` in the same write
   * (what the API's client scope reads), so the lookup's end need not update the case again.
   */
  clientId?: string;
}

/** The court_cases collection as robots use it. */
export interface CourtCaseStore {
  /** Upserts by natural key (court code + case id/uid); keeps a history of what changed. */
  save(record: CourtCaseRecord, source: SourceRef, options?: CaseSaveOptions): Promise<CaseSaveResult>;
}
