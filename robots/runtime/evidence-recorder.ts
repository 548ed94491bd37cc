import type { ChainHead, EvidenceItem, EvidenceItemInput, EvidenceStore } from '../../storage/evidence.types.ts';

/**
 * Captures a job's evidence in order. Every step a robot takes is recorded here: the raw HTTP
 * response in HTTP mode, a screenshot and the DOM in browser mode. The store chains the items.
 */
export class EvidenceRecorder {
  private count = 0;
  lastId: string | null = null;
  /** The chain's last link once this recorder appended one; unknown before (a retry continues a chain). */
  private head: ChainHead | undefined;

  constructor(
    private readonly store: EvidenceStore,
    private readonly job: { jobId: string; lookupId: string; robot: string },
  ) {}

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
    this.head = { seq: saved.seq, hash: saved.hash };
    this.count += 1;
    this.lastId = saved._id;
    return saved;
  }

  /** Ends the job's chain with a signed manifest (a later attempt that appends writes another). Call once the handler is done, whatever the outcome. */
  async seal(): Promise<void> {
    if (this.count > 0) await this.store.seal?.(this.job.jobId);
  }

  get recorded(): number {
    return this.count;
  }
}
