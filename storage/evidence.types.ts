/** The `evidence` collection: one hash-chained item per robot step; bodies in the evidence store. */

export interface EvidenceItemInput {
  jobId: string;
  lookupId: string;
  robot: string;
  step: string;
  /**
   * `http_response` (raw bytes as received), `screenshot`, `html` (page DOM), `picture` (an
   * HTTP capture drawn offline, derived from the body named in `meta.derivedFrom`: robots/capture-picture/).
   */
  kind: 'http_response' | 'screenshot' | 'html' | 'picture';
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

/** The last link of a job's chain, as its appender remembers it. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** A chain as its one appender knows it: every link hash from seq 1 on, in order. */
export interface KnownChain {
  lookupId: string;
  hashes: readonly string[];
}

/** Options of `EvidenceStore.seal`. */
export interface SealOptions {
  /** The chain's link hashes from seq 1 on, as its appender wrote them: spares reading the items (a prefix of the stored chain is a valid seal). */
  known?: KnownChain;
  /**
   * Resolve once the manifest is stored, not also its record in the process's seal log, which is
   * written with other jobs' records a moment later (and at shutdown); default false = wait for both.
   */
  skipLogWait?: boolean;
}

/** Evidence as robots append it: one hash chain per job. */
export interface EvidenceStore {
  /** Appends to the job's chain; `head` (the job's last item, or null for a new chain) spares a query. */
  append(input: EvidenceItemInput, body: Buffer, head?: ChainHead | null): Promise<EvidenceItem>;
  listByJob(jobId: string): Promise<EvidenceItem[]>;
  readBody(sha256: string): Promise<Buffer | null>;
  /**
   * Seals the chain when a job attempt ends: a new signed manifest (its link hashes in order and their hash), never a replaced one.
   */
  seal?(jobId: string, options?: SealOptions): Promise<unknown>;
}
