import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { Schema, type Connection, type Model } from 'mongoose';
import { signedText, signMessage, type EvidenceKeyring } from './signing.ts';

/**
 * The seal log of a robot process (`evidence_seal_log`): one signed record per manifest the process
 * sealed, chained by `prevHash` and numbered 1, 2, 3… per process; its signed head
 * (`evidence_process_heads`) says how far the log went. A manifest deleted with its record leaves a
 * gap; the last records deleted leave the log short of its head; a record without its manifest says
 * the manifest was deleted. Records are insert-only.
 */
export interface SealRecord {
  /** `<processId>#<seq>`. */
  _id: string;
  processId: string;
  seq: number;
  /** `hash` of the record before it in this process's log; null for seq 1. */
  prevHash: string | null;
  jobId: string;
  manifestId: string;
  itemCount: number;
  manifestHash: string;
  at: Date;
  keyId: string | null;
  /** SHA-256 (hex) of the record's signed bytes (`sealRecordMessage`). */
  hash: string;
  /** Ed25519 over the signed bytes, base64; null when the process had no key. */
  signature: string | null;
}

/** The last record of a process's log, signed; replaced as the log grows. */
export interface ProcessHead {
  /** = processId. */
  _id: string;
  seq: number;
  hash: string;
  at: Date;
  keyId: string | null;
  signature: string | null;
}

export const sealRecordSchema = new Schema<SealRecord>(
  {
    _id: { type: String, required: true },
    processId: { type: String, required: true },
    seq: { type: Number, required: true },
    prevHash: { type: String, default: null },
    jobId: { type: String, required: true },
    manifestId: { type: String, required: true },
    itemCount: { type: Number, required: true },
    manifestHash: { type: String, required: true },
    at: { type: Date, required: true },
    keyId: { type: String, default: null },
    hash: { type: String, required: true },
    signature: { type: String, default: null },
  },
  { collection: 'evidence_seal_log', versionKey: false },
);
sealRecordSchema.index({ processId: 1, seq: 1 }, { unique: true });
sealRecordSchema.index({ jobId: 1 });

export const processHeadSchema = new Schema<ProcessHead>(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true },
    hash: { type: String, required: true },
    at: { type: Date, required: true },
    keyId: { type: String, default: null },
    signature: { type: String, default: null },
  },
  { collection: 'evidence_process_heads', versionKey: false },
);

export const sealRecordModel = (conn: Connection): Model<SealRecord> => conn.model<SealRecord>('EvidenceSealRecord', sealRecordSchema);
export const processHeadModel = (conn: Connection): Model<ProcessHead> => conn.model<ProcessHead>('EvidenceProcessHead', processHeadSchema);

/** The signed bytes of a seal record (storage/evidence/signing.ts describes the format). */
export function sealRecordMessage(r: Omit<SealRecord, '_id' | 'hash' | 'signature'>): Buffer {
  return signedText('konveyer-evidence-seal/1', [
    ['processId', r.processId],
    ['seq', r.seq],
    ['prevHash', r.prevHash],
    ['jobId', r.jobId],
    ['manifestId', r.manifestId],
    ['itemCount', r.itemCount],
    ['manifestHash', r.manifestHash],
    ['at', r.at.toISOString()],
    ['keyId', r.keyId],
  ]);
}

/** The signed bytes of a process head. */
export function processHeadMessage(h: Omit<ProcessHead, 'signature'>): Buffer {
  return signedText('konveyer-evidence-process-head/1', [
    ['processId', h._id],
    ['seq', h.seq],
    ['hash', h.hash],
    ['at', h.at.toISOString()],
    ['keyId', h.keyId],
  ]);
}

export const sha256OfBytes = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** A process id no other process had: host, pid, start time. */
export const newProcessId = (): string => `${hostname()}:${process.pid}:${Date.now().toString(36)}`;

/** Options of {@link SealLog}. */
export interface SealLogOptions {
  /** How long a record waits for the records of other jobs to share its write, ms (default 100; the job does not wait for it). */
  flushWindowMs?: number;
  /** Records in one write at most (default 200); a full batch is written at once. */
  maxBatch?: number;
  /** Records waiting at most before `isBacklogged` says callers should wait for them (default 5 000). */
  maxPending?: number;
  /** Pause before a failed write is tried again, ms (default 500; doubles up to 30 s). */
  retryMs?: number;
}

type SealEntry = { jobId: string; manifestId: string; itemCount: number; manifestHash: string };
type Waiting = { entry: SealEntry; resolve: (r: SealRecord) => void; reject: (e: unknown) => void };

/**
 * This process's seal log: one chain per process, written in batches — the records that arrived
 * within `flushWindowMs` go in one `insertMany` (seq order), then the head is replaced once for the
 * batch. A failed write keeps its records queued and is tried again after `retryMs`; a write that
 * landed although its answer was lost is caught up with by reading the stored log. `close()` writes
 * what is queued (the process's shutdown).
 */
export class SealLog {
  private seq = 0;
  private prevHash: string | null = null;
  private queued: Waiting[] = [];
  /** Stored records whose head is not written yet (resolved once it is). */
  private unheaded: Array<{ waiting: Waiting | null; record: SealRecord }> = [];
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private failures = 0;
  private readonly windowMs: number;
  private readonly maxBatch: number;
  private readonly maxPending: number;
  private readonly retryMs: number;

  constructor(
    readonly records: Model<SealRecord>,
    readonly heads: Model<ProcessHead>,
    private readonly keyring: EvidenceKeyring,
    readonly processId: string = newProcessId(),
    options: SealLogOptions = {},
  ) {
    this.windowMs = options.flushWindowMs ?? 100;
    this.maxBatch = options.maxBatch ?? 200;
    this.maxPending = options.maxPending ?? 5000;
    this.retryMs = options.retryMs ?? 500;
  }

  /** Appends the record of a sealed manifest; resolves once the record and a head covering it are stored. */
  append(entry: SealEntry): Promise<SealRecord> {
    return new Promise((resolve, reject) => {
      this.queued.push({ entry, resolve, reject });
      this.schedule(this.queued.length >= this.maxBatch ? 0 : this.windowMs);
    });
  }

  /** More records wait than `maxPending` (MongoDB slow or away): a caller that does not wait for its record should. */
  get isBacklogged(): boolean {
    return this.queued.length >= this.maxPending;
  }

  /** Records not stored yet (with their head). */
  get pending(): number {
    return this.queued.length + this.unheaded.length;
  }

  /** Writes everything queued now; rejects when a write failed (its records stay queued and are tried again). */
  async flush(): Promise<void> {
    this.clearTimer();
    while (this.pending > 0 || this.draining) await (this.draining ?? this.drain());
  }

  /** The process is ending: writes what is queued (three tries), then refuses what is left. */
  async close(): Promise<void> {
    for (let tries = 0; ; tries++) {
      try {
        await this.flush();
        return;
      } catch (error) {
        if (tries >= 2) {
          this.clearTimer();
          for (const w of [...this.queued, ...this.unheaded.flatMap((u) => (u.waiting ? [u.waiting] : []))]) w.reject(error);
          this.queued = [];
          this.unheaded = [];
          throw error;
        }
        await new Promise((r) => setTimeout(r, this.retryMs));
      }
    }
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms: number): void {
    if (this.draining) return; // the running write picks up what is queued
    if (this.timer && ms > 0) return;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.drain().catch(() => undefined);
    }, ms);
  }

  private drain(): Promise<void> {
    this.draining ??= (async () => {
      try {
        while (this.pending > 0) {
          if (this.queued.length > 0) await this.writeBatch(this.queued.slice(0, this.maxBatch));
          if (this.queued.length === 0 || this.unheaded.length >= this.maxBatch) await this.writeHead();
        }
        this.failures = 0;
      } catch (error) {
        // Tried again later; `flush()` callers see the error.
        this.failures += 1;
        const delay = Math.min(30_000, this.retryMs * 2 ** Math.min(this.failures - 1, 6));
        this.clearTimer();
        this.timer = setTimeout(() => {
          this.timer = null;
          this.drain().catch(() => undefined);
        }, delay);
        // A process that ends without close() is not held up by the retry (its records stay unwritten, as on a crash).
        this.timer.unref();
        throw error;
      } finally {
        this.draining = null;
      }
    })();
    return this.draining;
  }

  private build(entry: SealEntry, seq: number, prevHash: string | null): SealRecord {
    const base = { processId: this.processId, seq, prevHash, ...entry, at: new Date(), keyId: this.keyring.signer?.keyId ?? null };
    const message = sealRecordMessage(base);
    return { _id: `${this.processId}#${seq}`, ...base, hash: sha256OfBytes(message), signature: signMessage(this.keyring, message).signature };
  }

  private async writeBatch(batch: Waiting[]): Promise<void> {
    const from = this.seq;
    const records: SealRecord[] = [];
    let prev = this.prevHash;
    for (const [i, w] of batch.entries()) {
      const record = this.build(w.entry, from + 1 + i, prev);
      records.push(record);
      prev = record.hash;
    }
    try {
      await this.records.collection.insertMany(records as never[], { ordered: true });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      await this.catchUp(from, batch, error);
      return;
    }
    this.stored(batch.map((w, i) => ({ waiting: w, record: records[i]! })));
  }

  /**
   * Part of the batch, or records of this process id written by another (an answer lost on a cut
   * connection), are stored already: take the stored log's end as this process's and count the
   * batch's records found there as written.
   */
  private async catchUp(from: number, batch: Waiting[], error: unknown): Promise<void> {
    const after = await this.records.find({ processId: this.processId, seq: { $gt: from } }).sort({ seq: 1 }).lean<SealRecord[]>();
    if (after.length === 0) throw error;
    const byManifest = new Map(after.map((r) => [r.manifestId, r]));
    const landed = batch.filter((w) => byManifest.has(w.entry.manifestId));
    this.queued = this.queued.filter((w) => !landed.includes(w));
    const last = after.at(-1)!;
    this.seq = last.seq;
    this.prevHash = last.hash;
    this.unheaded.push(...landed.map((w) => ({ waiting: w, record: byManifest.get(w.entry.manifestId)! })));
    // The stored end may be another writer's record: the head must name it either way.
    if (!landed.some((w) => w.entry.manifestId === last.manifestId)) this.unheaded.push({ waiting: null, record: last });
  }

  private stored(written: Array<{ waiting: Waiting; record: SealRecord }>): void {
    const done = new Set(written.map((w) => w.waiting));
    this.queued = this.queued.filter((w) => !done.has(w));
    const last = written.at(-1)!.record;
    this.seq = last.seq;
    this.prevHash = last.hash;
    this.unheaded.push(...written);
  }

  private async writeHead(): Promise<void> {
    if (this.unheaded.length === 0) return;
    const covered = [...this.unheaded];
    const top = covered.reduce((a, b) => (b.record.seq > a.record.seq ? b : a)).record;
    const head = { _id: this.processId, seq: top.seq, hash: top.hash, at: top.at, keyId: top.keyId };
    await this.heads.collection.replaceOne({ _id: this.processId } as never, { ...head, signature: signMessage(this.keyring, processHeadMessage(head)).signature } as never, { upsert: true });
    this.unheaded = this.unheaded.slice(covered.length);
    for (const u of covered) u.waiting?.resolve(u.record);
  }
}

const isDuplicateKey = (error: unknown): boolean => {
  const e = error as { code?: number; writeErrors?: Array<{ code?: number }> | { code?: number } };
  if (e.code === 11000) return true;
  const list = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
  return list.length > 0 && list.every((w) => w.code === 11000);
};
