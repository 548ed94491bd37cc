import type { Connection } from 'mongoose';
import type { BlobBackend, EvidenceBackendOptions } from './blob-backend.ts';
import { CompressedBlobBackend } from './compressed.backend.ts';
import { FsBlobBackend } from './fs.backend.ts';
import { GridFsBlobBackend } from './gridfs.backend.ts';
import { S3BlobBackend } from './s3.backend.ts';

/**
 * Builds the configured blob backend (`EVIDENCE_STORE`); GridFS when nothing is configured. Bodies
 * are stored Brotli-compressed where that saves bytes (storage/evidence/compressed.backend.ts); a
 * body is still named by the SHA-256 of its raw bytes and every read hands back the raw bytes.
 */
export function createBlobBackend(conn: Connection, options?: EvidenceBackendOptions): BlobBackend {
  return new CompressedBlobBackend(rawBackend(conn, options));
}

function rawBackend(conn: Connection, options?: EvidenceBackendOptions): BlobBackend {
  switch (options?.kind) {
    case undefined:
    case 'gridfs':
      return new GridFsBlobBackend(conn, options?.bucket);
    case 'fs':
      return new FsBlobBackend(options.dir);
    case 's3':
      return new S3BlobBackend(options.client, options.bucket, options.prefix);
  }
}

/** Backend options from the `evidence` part of the config (`EVIDENCE_STORE`, `EVIDENCE_DIR`). */
export function backendOptionsFromConfig(evidence: { store: 'gridfs' | 'fs'; dir: string }): EvidenceBackendOptions {
  return evidence.store === 'fs' ? { kind: 'fs', dir: evidence.dir } : { kind: 'gridfs' };
}
