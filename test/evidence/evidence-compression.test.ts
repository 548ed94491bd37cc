/**
 * Evidence bodies stored compressed (issue 18 §4) on the real MongoDB-wire server: a page is stored
 * as a Brotli envelope much smaller than itself, read back byte for byte, still named and verified
 * by the SHA-256 of its raw bytes; incompressible bodies stay raw; a byte changed inside a stored
 * envelope is reported as changed; bodies stored before compression still read.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../storage/evidence.store.ts';
import { COMPRESSED_MAGIC, CompressedBlobBackend } from '../../storage/evidence/compressed.backend.ts';
import { verifyJob } from '../../storage/evidence/verify.ts';
import type { Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage } from '../helpers/services.ts';

let storage: Storage;
beforeAll(async () => {
  storage = await openTestStorage();
});
afterAll(async () => {
  await dropStorage(storage);
});

/** A court-card-like page in windows-1251 terms: repeated table markup, as every real card has. */
function cardPage(tag: string): Buffer {
  const rows = Array.from({ length: 400 }, (_, i) => `<tr><td class="event">Событие ${i}</td><td>${(i % 28) + 1}.03.2026</td><td>Зал ${i % 5}</td></tr>`).join('\n');
  return Buffer.from(`<html><head><title>Карточка дела ${tag}</title></head><body><table>${rows}</table></body></html>`);
}

async function storedBytes(sha256: string): Promise<Buffer> {
  const chunk = await storage.conn.db!.collection('evidence.chunks').findOne({ _id: `${sha256}/0` as never });
  const data = chunk!.data as { buffer: Uint8Array };
  return Buffer.from(data.buffer);
}

async function record(body: Buffer, contentType = 'text/html'): Promise<{ jobId: string; sha256: string }> {
  const jobId = randomUUID();
  const item = await storage.evidence.append({ jobId, lookupId: jobId, robot: 'test', step: 'case-card', kind: 'http_response', url: 'http://x--spb.sudrf.ru/card', contentType, at: new Date() }, body);
  await storage.evidence.seal(jobId);
  return { jobId, sha256: item.sha256 };
}

describe('evidence bodies stored compressed', () => {
  it('stores a page as a Brotli envelope several times smaller, reads it back exactly, verifies clean', async () => {
    const page = cardPage(randomUUID());
    const { jobId, sha256 } = await record(page);
    expect(sha256).toBe(sha256Hex(page));
    const stored = await storedBytes(sha256);
    expect(stored.subarray(0, COMPRESSED_MAGIC.length).equals(COMPRESSED_MAGIC)).toBe(true);
    expect(stored.length).toBeLessThan(page.length / 4);
    expect((await storage.evidence.readBody(sha256))!.equals(page)).toBe(true);
    const v = await verifyJob(storage.evidence, jobId);
    expect(v.findings).toEqual([]);
    expect(v.bytes).toBe(page.length);
  });

  it('keeps a body Brotli cannot shrink (a screenshot) raw', async () => {
    const png = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), randomBytes(40_000)]);
    const { sha256 } = await record(png, 'image/png');
    expect((await storedBytes(sha256)).equals(png)).toBe(true);
  });

  it('stores PNG, JPEG and WebP pictures raw without trying Brotli, even where it would shrink them', async () => {
    // Long runs of one byte after each format's signature: Brotli would shrink these 100×, so only the skip keeps them raw.
    const webp = Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1'), Buffer.alloc(40_000, 7)]);
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(40_000, 7)]);
    const png = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.alloc(40_000, 7)]);
    for (const [body, type] of [[webp, 'image/webp'], [jpeg, 'image/jpeg'], [png, 'image/png']] as const) {
      const { sha256 } = await record(body, type);
      expect((await storedBytes(sha256)).equals(body), type).toBe(true);
      expect((await storage.evidence.readBody(sha256))!.equals(body)).toBe(true);
    }
    // The same bytes without a picture's signature are compressed.
    const { sha256 } = await record(Buffer.concat([Buffer.from('plain text '), Buffer.alloc(40_000, 7)]), 'text/plain');
    expect((await storedBytes(sha256)).subarray(0, COMPRESSED_MAGIC.length).equals(COMPRESSED_MAGIC)).toBe(true);
  });

  it('wraps a raw body that itself starts with the envelope bytes, so it reads back unchanged', async () => {
    const tricky = Buffer.concat([COMPRESSED_MAGIC, randomBytes(1000)]);
    const { jobId, sha256 } = await record(tricky, 'application/octet-stream');
    expect((await storage.evidence.readBody(sha256))!.equals(tricky)).toBe(true);
    expect((await verifyJob(storage.evidence, jobId)).findings).toEqual([]);
  });

  it('reports a byte changed inside a stored envelope as changed', async () => {
    const { jobId, sha256 } = await record(cardPage(randomUUID()));
    const stored = await storedBytes(sha256);
    stored[stored.length - 20] = stored[stored.length - 20]! ^ 0x5a;
    await storage.conn.db!.collection('evidence.chunks').updateOne({ _id: `${sha256}/0` as never }, { $set: { data: stored } });
    expect((await verifyJob(storage.evidence, jobId)).findings.map((f) => f.kind)).toEqual(['changed']);
  });

  it('stores one body written by many robots at once without a duplicate-key failure', async () => {
    // Two jobs fetching the same page at the same moment store the same body: the upserts race.
    const page = cardPage(randomUUID());
    const sha256 = sha256Hex(page);
    await Promise.all(Array.from({ length: 8 }, () => storage.evidence.backend.put(sha256, page, 'text/html')));
    expect((await storage.evidence.readBody(sha256))!.equals(page)).toBe(true);
    expect(await storage.conn.db!.collection('evidence.files').countDocuments({ _id: sha256 as never })).toBe(1);
  });

  it('reads a body stored raw before compression existed', async () => {
    const page = cardPage(randomUUID());
    const sha256 = sha256Hex(page);
    const backend = storage.evidence.backend as CompressedBlobBackend;
    expect(backend).toBeInstanceOf(CompressedBlobBackend);
    await backend.inner.put(sha256, page, 'text/html');
    expect((await storedBytes(sha256)).equals(page)).toBe(true);
    expect((await storage.evidence.readBody(sha256))!.equals(page)).toBe(true);
  });
});
