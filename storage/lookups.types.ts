/** The `lookups` collection: one document per submitted job, its status, attempts, result and typed error. */

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
  /** The client system that submitted it (its API key's client); `default` for older lookups. */
  clientId?: string;
  /** `<type>:<key>` as the client gave it (shown without the type), null without one. */
  clientKey: string | null;
  /** `<clientId>|<type>:<key>`, set only with a client key: the unique idempotency index. */
  idempotencyKey?: string;
  batchId: string | null;
  attempts: number;
  error: LookupError | null;
  /** `ids`/`count`: searches that yield many records (fssp.search: the ИП numbers found). */
  result: { collection: string; id: string; changed?: boolean; ids?: string[]; count?: number } | null;
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
  /** Owner client; default `default`. The client key is unique per client. */
  clientId?: string;
}

/** The lookups collection as queues and the CLI use it. */
export interface LookupStore {
  /** Inserts new lookups; returns the ids that already existed (same id, or client key of the same client) with their docs. */
  insertMany(lookups: NewLookup[]): Promise<{ inserted: LookupDoc[]; existing: LookupDoc[] }>;
  /** The lookups of one client carrying these client keys (`<type>:<key>` as stored). */
  findByClientKeys?(clientId: string, clientKeys: string[]): Promise<LookupDoc[]>;
  get(id: string): Promise<LookupDoc | null>;
  /** Marks an attempt running; answers the lookup's client (what markFinished needs), null when there is no such lookup. One round trip. */
  markRunning(id: string, attempt: number, robot: string): Promise<{ clientId: string } | null>;
  /**
   * Records the final status and answers the lookup as stored after it (null when there is none).
   * A result in a record collection first adds the lookup's client to the records it names; pass
   * `clientId` (from markRunning) to spare reading it, and `recordsWithClient`, the records of the
   * result whose save already added that client, to spare updating them.
   */
  markFinished(
    id: string,
    status: Exclude<LookupStatus, 'queued' | 'running'>,
    outcome: { result?: LookupDoc['result']; error?: LookupError | null; evidenceCount?: number; clientId?: string; recordsWithClient?: readonly string[] },
  ): Promise<LookupDoc | null>;
  /** Puts a lookup back to `queued` (a retry is scheduled) keeping the last error. */
  markRetrying(id: string, error: LookupError): Promise<void>;
  countByStatus(filter?: { batchId?: string; type?: string }): Promise<Record<LookupStatus, number>>;
  errorsByCode(filter?: { batchId?: string }): Promise<Record<string, number>>;
  list(filter: { batchId?: string; status?: LookupStatus; type?: string }, limit?: number): Promise<LookupDoc[]>;
  /** A page of lookups in `_id` order after `afterId` (null = from the start): sweeps walk every row this way. */
  listAfter(filter: { batchId?: string; status?: LookupStatus; type?: string }, afterId: string | null, limit: number): Promise<LookupDoc[]>;
  /**
   * Deletes lookups that are still `queued` and never ran (attempts 0): the roll-back of a submit
   * whose jobs could not be queued. Returns how many went.
   */
  removeNeverQueued(ids: readonly string[]): Promise<number>;
}
