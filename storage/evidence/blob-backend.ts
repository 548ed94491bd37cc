/**
 * Where evidence bodies live. Every backend is content-addressed: the key is the SHA-256 of the
 * bytes, so a body is stored once however many items point at it, and a reader can always check
 * what it got against its name.
 */
export interface BlobInfo {
  sha256: string;
  size: number;
  createdAt: Date;
}

/** A content-addressed body store (GridFS, a folder, an S3 bucket). */
export interface BlobBackend {
  /** `gridfs`, `fs`, `s3`, `legacy` — shown by verify and the auditor UI. */
  readonly kind: string;
  /** Stores `body` under `sha256` unless it is there already (idempotent). */
  put(sha256: string, body: Buffer, contentType: string): Promise<void>;
  /** True when this process knows the body is stored, so `put` would write nothing (GridFS); absent = unknown. */
  isKnownStored?(sha256: string): boolean;
  /** The bytes, or null when no body of that name exists. Never re-hashes (verify does). */
  get(sha256: string): Promise<Buffer | null>;
  /** Removes the body (retention); no error when it is absent. */
  delete(sha256: string): Promise<void>;
  /** Every stored body with its creation time (for retention). */
  list(): AsyncIterable<BlobInfo>;
}

/** Which backend `openEvidenceStore` builds: GridFS by default, a folder or an S3 bucket by config. */
export type EvidenceBackendOptions =
  | { kind: 'gridfs'; bucket?: string }
  | { kind: 'fs'; dir: string }
  | { kind: 's3'; bucket: string; prefix?: string; client: S3ObjectClient };

/** A 64-hex SHA-256: the only names backends accept (no path tricks through a key). */
export function assertSha256(sha256: string): void {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${JSON.stringify(sha256).slice(0, 80)}`);
}

/**
 * The few S3 calls the evidence store needs. Shaped after `@aws-sdk/client-s3` (PutObject,
 * GetObject, HeadObject, DeleteObject, ListObjectsV2) so an adapter over the SDK — or over any
 * S3-compatible server (MinIO, Ceph, Yandex Object Storage) — is a few lines; the SDK is not a
 * dependency of konveyer until a deployment needs it.
 */
export interface S3ObjectClient {
  putObject(req: { Bucket: string; Key: string; Body: Buffer; ContentType: string }): Promise<void>;
  /** null when the key does not exist. */
  getObject(req: { Bucket: string; Key: string }): Promise<Buffer | null>;
  headObject(req: { Bucket: string; Key: string }): Promise<{ size: number; lastModified: Date } | null>;
  deleteObject(req: { Bucket: string; Key: string }): Promise<void>;
  listObjects(req: { Bucket: string; Prefix: string }): AsyncIterable<{ Key: string; Size: number; LastModified: Date }>;
}
