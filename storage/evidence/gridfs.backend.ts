import type { Connection } from 'mongoose';
import { mongo } from 'mongoose';
import { assertSha256, type BlobBackend, type BlobInfo } from './blob-backend.ts';

/** GridFS chunk size (the GridFS default). */
const CHUNK_BYTES = 255 * 1024;
/**
 * How long after its upload date a stored body is known to this process (a put of it writes
 * nothing): 10 minutes, far below the shortest retention period (1 day), so retention never deletes
 * a body a robot still takes for stored.
 */
export const KNOWN_TTL_MS = 10 * 60_000;
/** At most this many bodies known at once (the oldest forgotten first): ~1 MB of hashes. */
const KNOWN_MAX = 10_000;

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

  /** Bodies this process knows stored: SHA-256 → until when (ms) a put of it writes nothing. Oldest first. */
  private readonly known = new Map<string, number>();
  /** Puts in flight in this process: a second put of the same body waits for the first instead of writing. */
  private readonly inflight = new Map<string, Promise<void>>();

  /**
   * Stores the body once. Written optimistically, without asking first whether it exists: the chunk
   * insert loses on its unique `_id` when it does (stored before, by another robot a moment ago, or
   * left by a writer that died before its file document), and the file document is then completed
   * if missing. A body this process stored or found stored in the last {@link KNOWN_TTL_MS} of its
   * upload date is not written again (no round trip at all).
   */
  async put(sha256: string, body: Buffer, contentType: string): Promise<void> {
    assertSha256(sha256);
    if (this.isKnownStored(sha256)) return;
    const pending = this.inflight.get(sha256);
    if (pending) return pending;
    const writing = this.write(sha256, body, contentType).finally(() => this.inflight.delete(sha256));
    this.inflight.set(sha256, writing);
    return writing;
  }

  /**
   * True when this process stored the body, or found it stored, less than {@link KNOWN_TTL_MS}
   * after its upload date: a put of it would write nothing. Retention deletes only bodies older
   * than a whole day (EVIDENCE_RETENTION_DAYS ≥ 1), so a body known here is never one it deletes;
   * a delete through this backend forgets it at once.
   */
  isKnownStored(sha256: string): boolean {
    const until = this.known.get(sha256);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.known.delete(sha256);
    return false;
  }

  private remember(sha256: string, uploadDate: Date): void {
    const until = uploadDate.getTime() + KNOWN_TTL_MS;
    if (until <= Date.now()) return;
    this.known.delete(sha256);
    this.known.set(sha256, until);
    if (this.known.size > KNOWN_MAX) this.known.delete(this.known.keys().next().value!);
  }

  private async write(sha256: string, body: Buffer, contentType: string): Promise<void> {
    // Written in the GridFS layout (any driver's GridFSBucket reads it), with deterministic ids:
    // file `_id` = the hash, chunk `_id` = `<hash>/<n>`. Reads then go by `_id` only, which every
    // MongoDB-wire server answers from its primary key (FerretDB 1.x scans for any other filter).
    const chunks = Array.from({ length: Math.ceil(body.length / CHUNK_BYTES) }, (_, i) => ({
      _id: `${sha256}/${i}`,
      files_id: sha256,
      n: i,
      data: body.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES),
    }));
    const uploadDate = new Date();
    const file = { _id: sha256, filename: sha256, length: body.length, chunkSize: CHUNK_BYTES, uploadDate, metadata: { contentType, size: body.length } };
    try {
      // Chunks first (one round trip for most bodies: one chunk), the file document last: it is what marks the body complete.
      if (chunks.length === 1) await this.chunks.insertOne(chunks[0] as never);
      else if (chunks.length > 1) await this.chunks.insertMany(chunks as never[], { ordered: true });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // A chunk of this name exists: the body is stored, being stored, or was left half-written.
      return chunks.length === 1 ? this.completeFile(sha256, file) : this.repair(sha256, chunks, file);
    }
    try {
      await this.files.insertOne(file as never);
    } catch (error) {
      // A robot that found our chunk completed the file document a moment ago: content-addressed, so
      // the same bytes (not remembered: that document's upload date is not ours to vouch for).
      if (!isDuplicateKey(error)) throw error;
      return;
    }
    this.remember(sha256, uploadDate);
  }

  /**
   * The one chunk is there (the whole body): its file document too, unless its writer died in
   * between; written if missing, in the round trip that answers the stored file's upload date
   * (the whole small document: FerretDB 1.24 has no projection on findAndModify).
   */
  private async completeFile(sha256: string, file: Record<string, unknown>): Promise<void> {
    const { _id, ...fields } = file;
    const stored = await this.files
      .findOneAndUpdate({ _id: sha256 as never }, { $setOnInsert: fields }, { upsert: true, returnDocument: 'after' })
      .catch((error: unknown) => {
        // Two robots completing the same file document at once: the loser's upsert is refused, the winner's stands.
        if (isDuplicateKey(error)) return null;
        throw error;
      });
    if (stored?.uploadDate instanceof Date) this.remember(sha256, stored.uploadDate);
  }

  /** A body of several chunks whose first chunk exists: complete unless its file document is missing, then every chunk is written again. */
  private async repair(sha256: string, chunks: Array<{ _id: string }>, file: Record<string, unknown>): Promise<void> {
    const stored = await this.files.findOne({ _id: sha256 as never }, { projection: { uploadDate: 1 } });
    if (stored) {
      if (stored.uploadDate instanceof Date) this.remember(sha256, stored.uploadDate);
      return;
    }
    for (const chunk of chunks) {
      // Two robots repairing at once race on the upsert: the loser gets E11000 and writes again over
      // the winner's chunk (the same bytes: the name is their hash).
      await this.chunks.replaceOne({ _id: chunk._id as never }, chunk, { upsert: true }).catch(async (error: unknown) => {
        if (!isDuplicateKey(error)) throw error;
        await this.chunks.replaceOne({ _id: chunk._id as never }, chunk, { upsert: true });
      });
    }
    await this.files.insertOne(file as never).catch((error: unknown) => {
      if (!isDuplicateKey(error)) throw error;
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
    this.known.delete(sha256);
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

/** E11000, alone or as the first failure of an ordered insertMany. */
function isDuplicateKey(error: unknown): boolean {
  const e = error as { code?: number; writeErrors?: Array<{ code?: number }> | { code?: number } };
  if (e.code === 11000) return true;
  const first = Array.isArray(e.writeErrors) ? e.writeErrors[0] : e.writeErrors;
  return first?.code === 11000;
}

/** BSON Binary (what the driver returns) or a Buffer → Buffer. */
function toBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  const bin = data as { buffer?: Uint8Array; value?: () => Uint8Array };
  return Buffer.from(bin.buffer ?? bin.value?.() ?? new Uint8Array());
}
