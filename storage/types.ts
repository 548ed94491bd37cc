/**
 * Storage interfaces that robots and queues depend on. Implementations live beside this file and
 * are the only code that imports mongoose; robots receive them by injection.
 */
import type { CourtCaseRecord } from '../core/records.ts';

export type LookupStatus = 'queued' | 'running' | 'succeeded' | 'not_found' | 'failed' | 'needs_human';
export const FINAL_LOOKUP_STATUSES: readonly LookupStatus[] = ['succeeded', 'not_found', 'failed'];

export interface LookupError {
  code: string;
  kind: string;
  message: string;
  details?: Record<string, unknown>;
}

export interface LookupDoc {
  _id: string;
  /** Job name, e.g. `court.case`. */
  type: string;
  status: LookupStatus;
  input: Record<string, unknown>;
  clientKey: string | null;
  batchId: string | null;
  attempts: number;
  error: LookupError | null;
  result: { collection: string; id: string; changed?: boolean } | null;
  evidenceCount: number;
  robot: string | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface NewLookup {
  _id: string;
  type: string;
  input: Record<string, unknown>;
  clientKey?: string | null;
  batchId?: string | null;
}

/** The lookups collection as queues and the CLI use it. */
export interface LookupStore {
  /** Inserts new lookups; returns the ids that already existed (same id or client key) with their docs. */
  insertMany(lookups: NewLookup[]): Promise<{ inserted: LookupDoc[]; existing: LookupDoc[] }>;
  get(id: string): Promise<LookupDoc | null>;
  markRunning(id: string, attempt: number, robot: string): Promise<void>;
  markFinished(
    id: string,
    status: Exclude<LookupStatus, 'queued' | 'running'>,
    outcome: { result?: LookupDoc['result']; error?: LookupError | null; evidenceCount?: number },
  ): Promise<void>;
  /** Puts a lookup back to `queued` (a retry is scheduled) keeping the last error. */
  markRetrying(id: string, error: LookupError): Promise<void>;
  countByStatus(filter?: { batchId?: string; type?: string }): Promise<Record<LookupStatus, number>>;
  errorsByCode(filter?: { batchId?: string }): Promise<Record<string, number>>;
  list(filter: { batchId?: string; status?: LookupStatus; type?: string }, limit?: number): Promise<LookupDoc[]>;
}

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

export interface EvidenceItemInput {
  jobId: string;
  lookupId: string;
  robot: string;
  step: string;
  /** `http_response` (raw bytes as received), `screenshot`, `html` (page DOM). */
  kind: 'http_response' | 'screenshot' | 'html';
  url: string;
  contentType: string;
  at: Date;
  /** HTTP status, headers etc. (no cookies). */
  meta?: Record<string, unknown>;
}

export interface EvidenceItem extends EvidenceItemInput {
  _id: string;
  seq: number;
  sha256: string;
  size: number;
  prevHash: string | null;
  /** SHA-256 over this item's metadata, content hash and prevHash: the chain link. */
  hash: string;
}

/** Evidence as robots append it: one hash chain per job. */
export interface EvidenceStore {
  append(input: EvidenceItemInput, body: Buffer): Promise<EvidenceItem>;
  listByJob(jobId: string): Promise<EvidenceItem[]>;
  readBody(sha256: string): Promise<Buffer | null>;
}
