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

/**
 * This process's seal log: appends are serialized (one chain per process), the head is rewritten
 * after each. A failed write leaves the sequence where it was; the next seal retries it.
 */
export class SealLog {
  private seq = 0;
  private prevHash: string | null = null;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly records: Model<SealRecord>,
    readonly heads: Model<ProcessHead>,
    private readonly keyring: EvidenceKeyring,
    readonly processId: string = newProcessId(),
  ) {}

  /** Appends the record of a sealed manifest; resolves once the record and the head are stored. */
  append(entry: { jobId: string; manifestId: string; itemCount: number; manifestHash: string }): Promise<SealRecord> {
    const run = this.tail.then(() => this.write(entry));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async write(entry: { jobId: string; manifestId: string; itemCount: number; manifestHash: string }): Promise<SealRecord> {
    for (let tries = 0; ; tries++) {
      const seq = this.seq + 1;
      const base = { processId: this.processId, seq, prevHash: this.prevHash, ...entry, at: new Date(), keyId: this.keyring.signer?.keyId ?? null };
      const message = sealRecordMessage(base);
      let record: SealRecord = { _id: `${this.processId}#${seq}`, ...base, hash: sha256OfBytes(message), signature: signMessage(this.keyring, message).signature };
      try {
        await this.records.collection.insertOne(record as never);
      } catch (error) {
        // A write that landed although its answer was lost (a connection cut): catch up with the stored log.
        if ((error as { code?: number }).code !== 11000 || tries >= 3) throw error;
        const last = await this.records.findOne({ processId: this.processId }).sort({ seq: -1 }).lean<SealRecord>();
        if (!last) throw error;
        this.seq = last.seq;
        this.prevHash = last.hash;
        if (last.manifestId !== entry.manifestId) continue;
        record = last;
      }
      this.seq = record.seq;
      this.prevHash = record.hash;
      const head = { _id: this.processId, seq: record.seq, hash: record.hash, at: record.at, keyId: record.keyId };
      await this.heads.collection.replaceOne({ _id: this.processId } as never, { ...head, signature: signMessage(this.keyring, processHeadMessage(head)).signature } as never, { upsert: true });
      return record;
    }
  }
}
