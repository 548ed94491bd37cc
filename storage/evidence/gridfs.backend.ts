import type { Connection } from 'mongoose';
import { mongo } from 'mongoose';
import { assertSha256, type BlobBackend, type BlobInfo } from './blob-backend.ts';

/**
 * Bodies in MongoDB GridFS (bucket `evidence` by default: `evidence.files` + `evidence.chunks`),
 * filename = SHA-256. GridFS has no unique filename, so two robots storing the same new body at the
 * same instant may write it twice; both copies are identical bytes and readers take the first.
 */
export class GridFsBlobBackend implements BlobBackend {
  readonly kind = 'gridfs';
  private readonly bucket: mongo.GridFSBucket;
  private readonly files: mongo.Collection;
  private readonly chunks: mongo.Collection;

  constructor(conn: Connection, bucketName = 'evidence') {
    const db = conn.db;
    if (!db) throw new Error('GridFsBlobBackend: the connection is not open');
    this.bucket = new mongo.GridFSBucket(db, { bucketName, chunkSizeBytes: 255 * 1024 });
    this.files = db.collection(`${bucketName}.files`);
    this.chunks = db.collection(`${bucketName}.chunks`);
  }

  async put(sha256: string, body: Buffer, contentType: string): Promise<void> {
    assertSha256(sha256);
    if (await this.files.findOne({ filename: sha256 }, { projection: { _id: 1 } })) return;
    await new Promise<void>((resolve, reject) => {
      const up = this.bucket.openUploadStream(sha256, { metadata: { contentType, size: body.length } });
      up.once('error', reject);
      up.once('finish', () => resolve());
      up.end(body);
    });
  }

  async get(sha256: string): Promise<Buffer | null> {
    assertSha256(sha256);
    const file = await this.files.findOne({ filename: sha256 }, { sort: { uploadDate: 1 }, projection: { _id: 1 } });
    if (!file) return null;
    // Chunks are read as stored rather than through the download stream: the stream refuses a body
    // whose chunks changed size, and verify must see those bytes to report them as changed.
    const chunks = await this.chunks.find({ files_id: file._id }, { sort: { n: 1 }, projection: { data: 1 } }).toArray();
    return Buffer.concat(chunks.map((c) => toBuffer(c.data)));
  }

  async delete(sha256: string): Promise<void> {
    assertSha256(sha256);
    for (const file of await this.files.find({ filename: sha256 }, { projection: { _id: 1 } }).toArray()) {
      await this.bucket.delete(file._id).catch(() => undefined);
    }
  }

  async *list(): AsyncIterable<BlobInfo> {
    for await (const f of this.files.find({}, { projection: { filename: 1, length: 1, uploadDate: 1 } })) {
      yield { sha256: String(f.filename), size: Number(f.length), createdAt: f.uploadDate as Date };
    }
  }
}

/** BSON Binary (what the driver returns) or a Buffer → Buffer. */
function toBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  const bin = data as { buffer?: Uint8Array; value?: () => Uint8Array };
  return Buffer.from(bin.buffer ?? bin.value?.() ?? new Uint8Array());
}
