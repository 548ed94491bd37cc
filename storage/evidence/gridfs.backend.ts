import type { Connection } from 'mongoose';
import { mongo } from 'mongoose';
import { assertSha256, type BlobBackend, type BlobInfo } from './blob-backend.ts';

/** GridFS chunk size (the GridFS default). */
const CHUNK_BYTES = 255 * 1024;

/**
 * Bodies in MongoDB GridFS (bucket `evidence` by default: `evidence.files` + `evidence.chunks`),
 * file `_id` = filename = SHA-256, so a body is stored once (the unique `_id` settles races) and read
 * by its hash without a lookup in `evidence.files`.
 */
export class GridFsBlobBackend implements BlobBackend {
  readonly kind = 'gridfs';
  private readonly bucket: mongo.GridFSBucket;
  private readonly files: mongo.Collection;
  private readonly chunks: mongo.Collection;

  constructor(conn: Connection, bucketName = 'evidence') {
    const db = conn.db;
    if (!db) throw new Error('GridFsBlobBackend: the connection is not open');
    this.bucket = new mongo.GridFSBucket(db, { bucketName, chunkSizeBytes: CHUNK_BYTES });
    this.files = db.collection(`${bucketName}.files`);
    this.chunks = db.collection(`${bucketName}.chunks`);
  }

  async put(sha256: string, body: Buffer, contentType: string): Promise<void> {
    assertSha256(sha256);
    if (await this.files.findOne({ _id: sha256 as never }, { projection: { _id: 1 } })) return;
    // Written in the GridFS layout (any driver's GridFSBucket reads it), with deterministic ids:
    // file `_id` = the hash, chunk `_id` = `<hash>/<n>`. Reads then go by `_id` only, which every
    // MongoDB-wire server answers from its primary key (FerretDB 1.x scans for any other filter).
    const n = Math.ceil(body.length / CHUNK_BYTES);
    for (let i = 0; i < n; i++) {
      const chunk = { _id: `${sha256}/${i}`, files_id: sha256, n: i, data: body.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES) };
      // Two robots storing the same body at once race on the upsert: the loser gets E11000 and
      // writes again over the winner's chunk (the same bytes: the name is their hash).
      await this.chunks.replaceOne({ _id: chunk._id as never }, chunk, { upsert: true }).catch(async (error: { code?: number }) => {
        if (error.code !== 11000) throw error;
        await this.chunks.replaceOne({ _id: chunk._id as never }, chunk, { upsert: true });
      });
    }
    // The file document last: it is what marks the body complete.
    const file = { _id: sha256, filename: sha256, length: body.length, chunkSize: CHUNK_BYTES, uploadDate: new Date(), metadata: { contentType, size: body.length } };
    await this.files.insertOne(file as never).catch((error: { code?: number }) => {
      // Another robot stored the same body a moment ago: content-addressed, so the same bytes.
      if (error.code !== 11000) throw error;
    });
  }

  async get(sha256: string): Promise<Buffer | null> {
    assertSha256(sha256);
    // Chunks are read by their deterministic _id, one query per chunk and none for the file document
    // (most bodies are one chunk); a short chunk is the last. Read as stored rather than through the
    // download stream: the stream refuses a body whose chunks changed size, and verify must see
    // those bytes to report them as changed.
    const parts: Buffer[] = [];
    for (let i = 0; ; i++) {
      const chunk = await this.chunks.findOne({ _id: `${sha256}/${i}` as never }, { projection: { data: 1 } });
      if (!chunk) break;
      const data = toBuffer(chunk.data);
      parts.push(data);
      if (data.length < CHUNK_BYTES) break;
    }
    if (parts.length === 0) {
      const file = await this.files.findOne({ _id: sha256 as never }, { projection: { length: 1 } });
      // An empty body has a file document and no chunk.
      return file && Number(file.length) === 0 ? Buffer.alloc(0) : this.getByFilename(sha256);
    }
    return Buffer.concat(parts);
  }

  /** Bodies uploaded by a plain GridFS client (ObjectId chunk ids): found by filename and files_id. */
  private async getByFilename(sha256: string): Promise<Buffer | null> {
    const file = await this.files.findOne({ filename: sha256 }, { sort: { uploadDate: 1 }, projection: { _id: 1 } });
    if (!file) return null;
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
