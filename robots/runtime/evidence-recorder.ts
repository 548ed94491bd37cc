import type { ChainHead, EvidenceItem, EvidenceItemInput, EvidenceStore } from '../../storage/evidence.types.ts';

/** Options of {@link EvidenceRecorder}. */
export interface EvidenceRecorderOptions {
  /**
   * The job's chain is expected to be empty (its first attempt): the first item goes in as seq 1
   * without reading the chain first. Wrong (a stalled attempt left items) costs one refused insert
   * on the unique (jobId, seq) index, then the chain is read. Default false: read first.
   */
  isNewChain?: boolean;
}

/**
 * Captures a job's evidence in order. Every step a robot takes is recorded here: the raw HTTP
 * response in HTTP mode, a screenshot and the DOM in browser mode. The store chains the items.
 */
export class EvidenceRecorder {
  private count = 0;
  lastId: string | null = null;
  /** The chain's last link once this recorder appended one; before: null when expected empty, else unknown (a retry continues a chain). */
  private head: ChainHead | null | undefined;
  /** Every link of the chain from seq 1, while this recorder wrote them all in a row; null once it did not (a retry, or a racing writer). */
  private chain: string[] | null = [];

  constructor(
    private readonly store: EvidenceStore,
    private readonly job: { jobId: string; lookupId: string; robot: string },
    options: EvidenceRecorderOptions = {},
  ) {
    this.head = options.isNewChain ? null : undefined;
  }

  async record(
    step: string,
    kind: EvidenceItemInput['kind'],
    item: { url: string; contentType: string; body: Buffer; meta?: Record<string, unknown> },
  ): Promise<EvidenceItem> {
    const saved = await this.store.append(
      { ...this.job, step, kind, url: item.url, contentType: item.contentType, at: new Date(), meta: item.meta },
      item.body,
      this.head,
    );
    if (this.chain && saved.seq === this.chain.length + 1) this.chain.push(saved.hash);
    else this.chain = null;
    this.head = { seq: saved.seq, hash: saved.hash };
    this.count += 1;
    this.lastId = saved._id;
    return saved;
  }

  /** Ends the job's chain with a signed manifest (a later attempt that appends writes another). Call once the handler is done, whatever the outcome. */
  async seal(): Promise<void> {
    // The seal log's record is written with other jobs' a moment later: the job does not wait for it.
    if (this.count > 0) await this.store.seal?.(this.job.jobId, { known: this.chain ? { lookupId: this.job.lookupId, hashes: this.chain } : undefined, skipLogWait: true });
  }

  get recorded(): number {
    return this.count;
  }
}
