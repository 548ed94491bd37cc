import { Schema, type Connection, type Model } from 'mongoose';

/**
 * `evidence_manifests`: insert-only. A job attempt that ends writes a manifest of the chain as it
 * then was, `_id = <jobId>:<itemCount>`; a retry that appended more items writes another one, so a
 * job may have several, each a prefix of the next. Verify takes the one covering the most items.
 * `manifestHash` = SHA-256 over the item link hashes in chain order, one per line with a trailing
 * newline — `printf '%s\n' <hashes…> | sha256sum`. The signature (Ed25519, base64) covers
 * `manifestMessage(...)` (storage/evidence/signing.ts). Manifests written before signing existed
 * have `_id = jobId` and no key id (verify reports them `unsigned`).
 */
export interface EvidenceManifest {
  /** `<jobId>:<itemCount>` (legacy: `jobId`). */
  _id: string;
  jobId: string;
  lookupId: string;
  itemCount: number;
  itemHashes: string[];
  /** Link hash of the last item (the chain head). */
  headHash: string | null;
  manifestHash: string;
  sealedAt: Date;
  /** Id of the key that signed it (`keyIdOf`); null/absent = unsigned. */
  keyId?: string | null;
  signature?: string | null;
  /** The process whose seal log records it (storage/evidence/seal-log.ts). */
  sealedBy?: string | null;
}

export const evidenceManifestSchema = new Schema<EvidenceManifest>(
  {
    _id: { type: String, required: true },
    jobId: { type: String, required: true },
    lookupId: { type: String, required: true },
    itemCount: { type: Number, required: true },
    itemHashes: { type: [String], default: [] },
    headHash: { type: String, default: null },
    manifestHash: { type: String, required: true },
    sealedAt: { type: Date, required: true },
    keyId: { type: String, default: null },
    signature: { type: String, default: null },
    sealedBy: { type: String, default: null },
  },
  { collection: 'evidence_manifests', versionKey: false },
);
evidenceManifestSchema.index({ sealedAt: 1 });
evidenceManifestSchema.index({ jobId: 1, itemCount: 1 });

export const evidenceManifestModel = (conn: Connection): Model<EvidenceManifest> =>
  conn.model<EvidenceManifest>('EvidenceManifest', evidenceManifestSchema);
