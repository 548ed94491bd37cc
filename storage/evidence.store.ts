import { createHash, randomUUID } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { evidenceBlobModel, evidenceModel, type EvidenceBlob } from './models/evidence.model.ts';
import type { EvidenceItem, EvidenceItemInput, EvidenceStore } from './types.ts';

export const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/**
 * The chain link of an item: SHA-256 over its identity, place in the chain, content hash and the
 * previous link. Changing any byte of a body, any field listed here, or the order breaks it.
 */
export function evidenceLinkHash(item: Omit<EvidenceItem, '_id' | 'hash' | 'meta' | 'robot' | 'lookupId' | 'contentType'> & { contentType?: string }): string {
  return sha256Hex(JSON.stringify([item.jobId, item.seq, item.step, item.kind, item.url, item.at.toISOString(), item.size, item.sha256, item.prevHash]));
}

/**
 * Evidence in MongoDB: items in `evidence` (one chain per job, `(jobId, seq)` unique) and bodies
 * content-addressed in `evidence_blobs` (identical pages stored once).
 */
export class MongoEvidenceStore implements EvidenceStore {
  readonly items: Model<EvidenceItem>;
  readonly blobs: Model<EvidenceBlob>;
  constructor(conn: Connection) {
    this.items = evidenceModel(conn);
    this.blobs = evidenceBlobModel(conn);
  }

  async append(input: EvidenceItemInput, body: Buffer): Promise<EvidenceItem> {
    const sha256 = sha256Hex(body);
    await this.putBlob(sha256, body, input.contentType);
    for (let tries = 0; tries < 5; tries++) {
      const last = await this.items.findOne({ jobId: input.jobId }).sort({ seq: -1 }).select({ seq: 1, hash: 1 }).lean();
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
    const blob = await this.blobs.findById(sha256).lean<EvidenceBlob>();
    if (!blob) return null;
    const data = blob.data as unknown;
    // The driver hands back BSON Binary for lean reads.
    if (Buffer.isBuffer(data)) return data;
    const bin = data as { buffer?: Uint8Array; value?: () => Uint8Array };
    return Buffer.from(bin.buffer ?? bin.value?.() ?? new Uint8Array());
  }

  private async putBlob(sha256: string, body: Buffer, contentType: string): Promise<void> {
    await this.blobs.collection.updateOne(
      { _id: sha256 } as never,
      { $setOnInsert: { data: body, size: body.length, contentType, createdAt: new Date() } },
      { upsert: true },
    );
  }
}
