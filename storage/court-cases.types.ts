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
}

/** The court_cases collection as robots use it. */
export interface CourtCaseStore {
  /** Upserts by natural key (court code + case id/uid); keeps a history of what changed. */
  save(record: CourtCaseRecord, source: SourceRef): Promise<CaseSaveResult>;
}
