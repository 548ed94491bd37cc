import { Schema, type Connection, type Model } from 'mongoose';

/**
 * `evidence_manifests`: one per job, written when the job ends (and re-written if a retry adds
 * items). `manifestHash` = SHA-256 over the item link hashes in chain order, one per line with a
 * trailing newline — the same as `printf '%s\n' <hashes…> | sha256sum`.
 */
export interface EvidenceManifest {
  /** = jobId. */
  _id: string;
  jobId: string;
  lookupId: string;
  itemCount: number;
  itemHashes: string[];
  /** Link hash of the last item (the chain head). */
  headHash: string | null;
  manifestHash: string;
  sealedAt: Date;
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
  },
  { collection: 'evidence_manifests', versionKey: false },
);
evidenceManifestSchema.index({ sealedAt: 1 });

export const evidenceManifestModel = (conn: Connection): Model<EvidenceManifest> =>
  conn.model<EvidenceManifest>('EvidenceManifest', evidenceManifestSchema);
