import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants } from 'node:zlib';
import type { BlobBackend, BlobInfo } from './blob-backend.ts';

const compress = promisify(brotliCompress);
const decompress = promisify(brotliDecompress);

/**
 * The envelope of a compressed body: these five bytes, then a Brotli stream of the raw bytes.
 * A body that does not start with them is stored as it came (bodies written before compression,
 * and bodies Brotli cannot shrink: PNG and JPEG screenshots, PDFs).
 */
export const COMPRESSED_MAGIC = Buffer.from('KVZB\x01', 'latin1');

/**
 * Brotli quality 4: measured on the 46 real court pages of the conformance set (4.4 MB), quality 4
 * stores them in 738 KB (6.0×) at 1.4 ms a page, quality 6 in 687 KB at 2.6 ms, quality 9 in 675 KB
 * at 18 ms, gzip -6 in 887 KB at 2 ms. Robots write every page they fetch, so speed wins.
 */
const BROTLI_QUALITY = 4;
/** Bodies below this size are stored raw (the envelope would cost more than it saves). */
const MIN_BYTES = 256;
/** Compressed only when it saves at least this share of the bytes. */
const MIN_SAVING = 0.1;

/**
 * PNG, JPEG and WebP pictures: already compressed, Brotli never saves a tenth of them, so they are
 * stored raw without trying (a Brotli pass over every screenshot cost CPU and native memory for nothing).
 */
export function isCompressedImage(body: Buffer): boolean {
  if (body.length < 12) return false;
  if (body[0] === 0x89 && body.subarray(1, 4).toString('latin1') === 'PNG') return true;
  if (body[0] === 0xff && body[1] === 0xd8 && body[2] === 0xff) return true;
  return body.subarray(0, 4).toString('latin1') === 'RIFF' && body.subarray(8, 12).toString('latin1') === 'WEBP';
}

/** The bytes to store for `body`: the envelope when Brotli shrinks it enough, else `body` itself. */
export async function encodeBody(body: Buffer): Promise<Buffer> {
  // A raw body that happens to start with the magic is always wrapped, so reading is unambiguous.
  const mustWrap = body.subarray(0, COMPRESSED_MAGIC.length).equals(COMPRESSED_MAGIC);
  if ((body.length < MIN_BYTES || isCompressedImage(body)) && !mustWrap) return body;
  const packed = await compress(body, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
  if (!mustWrap && packed.length + COMPRESSED_MAGIC.length > body.length * (1 - MIN_SAVING)) return body;
  return Buffer.concat([COMPRESSED_MAGIC, packed]);
}

/**
 * The raw body of stored bytes. A damaged envelope is handed back as stored: whoever re-hashes it
 * (verify, export) then reports the body as changed instead of this read failing.
 */
export async function decodeBody(stored: Buffer): Promise<Buffer> {
  if (!stored.subarray(0, COMPRESSED_MAGIC.length).equals(COMPRESSED_MAGIC)) return stored;
  return decompress(stored.subarray(COMPRESSED_MAGIC.length)).catch(() => stored);
}

/**
 * Any blob backend with bodies stored compressed (issue 18 §4). Names stay the SHA-256 of the raw
 * bytes, so content addressing, de-duplication, verify and export are unchanged: every read hands
 * back the raw bytes, and verify re-hashes those. `list()` reports stored (compressed) sizes.
 */
export class CompressedBlobBackend implements BlobBackend {
  readonly kind: string;
  constructor(readonly inner: BlobBackend) {
    this.kind = inner.kind;
  }

  async put(sha256: string, body: Buffer, contentType: string): Promise<void> {
    // A body known stored is not compressed again only to be dropped.
    if (this.inner.isKnownStored?.(sha256)) return;
    await this.inner.put(sha256, await encodeBody(body), contentType);
  }

  isKnownStored(sha256: string): boolean {
    return this.inner.isKnownStored?.(sha256) ?? false;
  }

  async get(sha256: string): Promise<Buffer | null> {
    const stored = await this.inner.get(sha256);
    return stored ? decodeBody(stored) : null;
  }

  delete(sha256: string): Promise<void> {
    return this.inner.delete(sha256);
  }

  list(): AsyncIterable<BlobInfo> {
    return this.inner.list();
  }
}
