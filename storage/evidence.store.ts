import { createHash, randomUUID } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import type { BlobBackend } from './evidence/blob-backend.ts';
import { GridFsBlobBackend } from './evidence/gridfs.backend.ts';
import { evidenceManifestModel, type EvidenceManifest } from './evidence/manifest.model.ts';
import { processHeadModel, sealRecordModel, SealLog, type ProcessHead, type SealRecord } from './evidence/seal-log.ts';
import { manifestMessage, signMessage, type EvidenceKeyring } from './evidence/signing.ts';
import { evidenceBlobModel, evidenceModel, type EvidenceBlob } from './models/evidence.model.ts';
import type { ChainHead, EvidenceItem, EvidenceItemInput, EvidenceStore, SealOptions } from './evidence.types.ts';

export const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/**
 * The chain link of an item: SHA-256 over its identity, place in the chain, content hash and the
 * previous link. Changing any byte of a body, any field listed here, or the order breaks it.
 */
export function evidenceLinkHash(item: Omit<EvidenceItem, '_id' | 'hash' | 'meta' | 'robot' | 'lookupId' | 'contentType'> & { contentType?: string }): string {
  return sha256Hex(JSON.stringify([item.jobId, item.seq, item.step, item.kind, item.url, item.at.toISOString(), item.size, item.sha256, item.prevHash]));
}

/** The manifest hash of a chain: SHA-256 over the link hashes, one per line (`printf '%s\n' … | sha256sum`). */
export function manifestHashOf(itemHashes: readonly string[]): string {
  return sha256Hex(itemHashes.map((h) => `${h}\n`).join(''));
}

/**
 * Evidence in MongoDB: items in `evidence` (one chain per job, `(jobId, seq)` unique), bodies in a
 * content-addressed blob backend (GridFS bucket `evidence` unless configured otherwise), and a
 * manifest per job attempt in `evidence_manifests` (insert-only, signed with the keyring's key), and
 * this process's signed seal log (`evidence_seal_log`, `evidence_process_heads`). Bodies written
 * before GridFS (`evidence_blobs`) are still read: the legacy collection is the fallback of every read.
 */
export class MongoEvidenceStore implements EvidenceStore {
  readonly items: Model<EvidenceItem>;
  /** Legacy bodies (before the blob backends); read-only fallback. */
  readonly blobs: Model<EvidenceBlob>;
  readonly manifests: Model<EvidenceManifest>;
  readonly backend: BlobBackend;
  readonly sealRecords: Model<SealRecord>;
  readonly processHeads: Model<ProcessHead>;
  /** Signs manifests and seal records; verify checks against its public keys. No signer = unsigned manifests. */
  readonly keyring: EvidenceKeyring;
  readonly sealLog: SealLog;

  constructor(conn: Connection, backend?: BlobBackend, options: MongoEvidenceStoreOptions = {}) {
    this.items = evidenceModel(conn);
    this.blobs = evidenceBlobModel(conn);
    this.manifests = evidenceManifestModel(conn);
    this.sealRecords = sealRecordModel(conn);
    this.processHeads = processHeadModel(conn);
    this.backend = backend ?? new GridFsBlobBackend(conn);
    this.keyring = options.keyring ?? { signer: null, publicKeys: new Map() };
    this.sealLog = new SealLog(this.sealRecords, this.processHeads, this.keyring, options.processId);
  }

  async append(input: EvidenceItemInput, body: Buffer, head?: ChainHead | null): Promise<EvidenceItem> {
    const sha256 = sha256Hex(body);
    await this.backend.put(sha256, body, input.contentType);
    // The caller may know the chain's head (the item it appended last): then no query is needed —
    // FerretDB answers "last item of the job" by scanning. A wrong head loses on the unique
    // (jobId, seq) index and the chain is re-read.
    let known = head;
    for (let tries = 0; tries < 5; tries++) {
      const last = known !== undefined ? known : await this.items.findOne({ jobId: input.jobId }).sort({ seq: -1 }).select({ seq: 1, hash: 1 }).lean();
      known = undefined;
      const seq = (last?.seq ?? 0) + 1;
      const prevHash = last?.hash ?? null;
      const base = { ...input, seq, sha256, size: body.length, prevHash };
      const item: EvidenceItem = { _id: randomUUID(), ...base, meta: input.meta ?? {}, hash: evidenceLinkHash(base) };
      try {
        await this.items.collection.insertOne(item as never);
        return item;
      } catch (error) {
        // Another writer took this seq (a retried job racing a stalled one): re-read and chain after it.
        if ((error as { code?: number }).code !== 11000) throw error;
      }
    }
    throw new Error(`evidence chain of job ${input.jobId}: could not append after 5 tries`);
  }

  async listByJob(jobId: string): Promise<EvidenceItem[]> {
    return this.items.find({ jobId }).sort({ seq: 1 }).lean<EvidenceItem[]>();
  }

  async readBody(sha256: string): Promise<Buffer | null> {
    if (/^[0-9a-f]{64}$/.test(sha256)) {
      const body = await this.backend.get(sha256);
      if (body) return body;
    }
    return this.readLegacyBody(sha256);
  }

  /**
   * Seals the job's chain as it is now: inserts a signed manifest `<jobId>:<itemCount>` (never
   * replaces one) and records it in this process's seal log. Called when a job attempt ends,
   * whatever its outcome. Two attempts sealing the same chain race harmlessly: the same item count
   * is the same manifest (the second insert loses on `_id` and keeps the first); a shorter seal
   * that lands later is a prefix of the longer one, which verify accepts. A manifest whose seal
   * record was never written (the process died within the log's flush window) is not a verify error.
   */
  async seal(jobId: string, options: SealOptions = {}): Promise<EvidenceManifest | null> {
    const { known } = options;
    // The appender of the whole chain knows its hashes: then the items are not read back (FerretDB scans for a jobId filter).
    const items =
      known && known.hashes.length > 0
        ? known.hashes.map((hash) => ({ hash, lookupId: known.lookupId }))
        : await this.items.find({ jobId }).sort({ seq: 1 }).select({ hash: 1, lookupId: 1 }).lean<Array<Pick<EvidenceItem, 'hash' | 'lookupId'>>>();
    if (items.length === 0) return null;
    const itemHashes = items.map((i) => i.hash);
    const base = {
      jobId,
      lookupId: items[0]!.lookupId,
      itemCount: items.length,
      manifestHash: manifestHashOf(itemHashes),
      headHash: itemHashes.at(-1) ?? null,
      sealedAt: new Date(),
      keyId: this.keyring.signer?.keyId ?? null,
    };
    const manifest: EvidenceManifest = {
      _id: `${jobId}:${items.length}`,
      ...base,
      itemHashes,
      signature: signMessage(this.keyring, manifestMessage(base)).signature,
      sealedBy: this.sealLog.processId,
    };
    try {
      await this.manifests.collection.insertOne(manifest as never);
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      // Sealed already at this length (a concurrent attempt): the chain is append-only, so it is the same chain.
      const existing = await this.manifests.findById(manifest._id).lean<EvidenceManifest>();
      if (existing && existing.manifestHash === manifest.manifestHash) return existing;
      throw new Error(`evidence manifest ${manifest._id} exists with another manifest hash`, { cause: error });
    }
    const logged = this.sealLog.append({ jobId, manifestId: manifest._id, itemCount: manifest.itemCount, manifestHash: manifest.manifestHash });
    // Off the caller's path unless the log is backed up: the record is written with other seals' (a failed write is retried; close() writes what is left).
    if (options.skipLogWait && !this.sealLog.isBacklogged) logged.catch(() => undefined);
    else await logged;
    return manifest;
  }

  /** The job's manifest covering the most items, or null. */
  async getManifest(jobId: string): Promise<EvidenceManifest | null> {
    return this.manifests.findOne({ jobId }).sort({ itemCount: -1 }).lean<EvidenceManifest>();
  }

  /** Every manifest of the job, shortest first. */
  async listManifests(jobId: string): Promise<EvidenceManifest[]> {
    return this.manifests.find({ jobId }).sort({ itemCount: 1 }).lean<EvidenceManifest[]>();
  }

  /** The seal records (any process) of the job's manifests. */
  async listSealRecords(jobId: string): Promise<SealRecord[]> {
    return this.sealRecords.find({ jobId }).lean<SealRecord[]>();
  }

  private async readLegacyBody(sha256: string): Promise<Buffer | null> {
    const blob = await this.blobs.findById(sha256).lean<EvidenceBlob>();
    if (!blob) return null;
    const data = blob.data as unknown;
    // The driver hands back BSON Binary for lean reads.
    if (Buffer.isBuffer(data)) return data;
    const bin = data as { buffer?: Uint8Array; value?: () => Uint8Array };
    return Buffer.from(bin.buffer ?? bin.value?.() ?? new Uint8Array());
  }
}

/** Options of `MongoEvidenceStore`. */
export interface MongoEvidenceStoreOptions {
  /** Signing key and accepted public keys (storage/evidence/keys.ts builds it from config); default: none, manifests unsigned. */
  keyring?: EvidenceKeyring;
  /** Id of this process in the seal log; default `<host>:<pid>:<start time>`. */
  processId?: string;
}
