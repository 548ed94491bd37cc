/**
 * Identical evidence bodies stored once (issue 18 §2) on the real MongoDB-wire server: two robot
 * processes (two connections, each its own backend) storing the same body at the same moment keep
 * one GridFS file and both chains verify; a body left half-written by a robot that died is completed
 * by the next one storing it; and the round trips a body costs — a new one its chunk and its file
 * document, never a read first; one this process stored a moment ago none.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../storage/evidence.store.ts';
import { verifyJob } from '../../storage/evidence/verify.ts';
import type { Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage } from '../helpers/services.ts';

/** Two robots' storage on one database; `a` also hears every command its driver sends. */
let a: Storage;
let b: Storage;
const sent: string[] = [];

beforeAll(async () => {
  a = await openTestStorage({ monitorCommands: true });
  b = await openTestStorage({ db: a.conn.name, evidenceKeyring: a.evidence.keyring });
  a.conn.getClient().on('commandStarted', (e: { commandName: string; command: Record<string, unknown> }) => {
    const target = e.command[e.commandName];
    sent.push(typeof target === 'string' ? `${e.commandName} ${target}` : e.commandName);
  });
});
afterAll(async () => {
  await b?.close();
  await dropStorage(a);
});

/** A court-card-like page: Brotli stores it in one chunk. */
const cardPage = (tag: string): Buffer =>
  Buffer.from(`<html><title>Карточка ${tag}</title><table>${Array.from({ length: 300 }, (_, i) => `<tr><td>Событие ${i}</td><td>${(i % 28) + 1}.03.2026</td></tr>`).join('')}</table></html>`);

const append = (storage: Storage, jobId: string, body: Buffer) =>
  storage.evidence.append({ jobId, lookupId: jobId, robot: 'r', step: 'case-card', kind: 'http_response', url: 'http://x--spb.sudrf.ru/card', contentType: 'text/html', at: new Date() }, body, null);

const files = () => a.conn.db!.collection('evidence.files');
const chunks = () => a.conn.db!.collection('evidence.chunks');

/** The evidence commands `a` sent while `fn` ran. */
async function evidenceCommands(fn: () => Promise<unknown>): Promise<string[]> {
  const from = sent.length;
  await fn();
  return sent.slice(from).filter((c) => c.includes('evidence.files') || c.includes('evidence.chunks'));
}

describe('identical bodies stored once', () => {
  it('two robots storing the same body at once keep one GridFS file, and both jobs\' manifests verify', async () => {
    // One chunk (a page), three chunks (600 KiB that do not compress), and an empty body (a file document, no chunk).
    for (const [body, chunkCount] of [[cardPage(randomUUID()), 1], [randomBytes(600 * 1024), 3], [Buffer.alloc(0), 0]] as const) {
      for (let round = 0; round < 3; round++) {
        const sha = sha256Hex(body);
        await a.evidence.backend.delete(sha);
        await b.evidence.backend.delete(sha);
        const [jobA, jobB] = [randomUUID(), randomUUID()];
        await Promise.all([append(a, jobA, body), append(b, jobB, body)]);
        await Promise.all([a.evidence.seal(jobA), b.evidence.seal(jobB)]);
        expect(await files().countDocuments({ filename: sha })).toBe(1);
        expect(await chunks().countDocuments({ files_id: sha })).toBe(chunkCount);
        for (const [storage, jobId] of [[a, jobA], [b, jobB]] as const) {
          expect((await verifyJob(storage.evidence, jobId)).findings).toEqual([]);
          expect((await storage.evidence.readBody(sha))!.equals(body)).toBe(true);
        }
      }
    }
  });

  it('a body whose robot died between its chunks and its file document is completed by the next robot storing it', async () => {
    // Left behind as a dying writer leaves it: the chunk(s) in place, no file document.
    const small = Buffer.from('<html>short page, stored raw</html>');
    const big = randomBytes(600 * 1024);
    for (const [body, left] of [[small, [small]], [big, [big.subarray(0, 255 * 1024)]]] as const) {
      const sha = sha256Hex(body);
      await chunks().insertMany(left.map((data, n) => ({ _id: `${sha}/${n}`, files_id: sha, n, data }) as never));
      const jobId = randomUUID();
      await append(b, jobId, body);
      await b.evidence.seal(jobId);
      expect(await files().findOne({ _id: sha as never })).toMatchObject({ filename: sha, length: body.length });
      expect(await chunks().countDocuments({ files_id: sha })).toBe(Math.ceil(body.length / (255 * 1024)));
      expect((await verifyJob(a.evidence, jobId)).findings).toEqual([]);
      expect((await a.evidence.readBody(sha))!.equals(body)).toBe(true);
    }
  });

  it('costs a new body its chunk and its file document (no read first), and a body stored a moment ago nothing', async () => {
    const body = cardPage(randomUUID());
    expect(await evidenceCommands(() => append(a, randomUUID(), body))).toEqual(['insert evidence.chunks', 'insert evidence.files']);
    // Another job of this robot fetching the same page, and several at once.
    expect(await evidenceCommands(() => append(a, randomUUID(), body))).toEqual([]);
    expect(await evidenceCommands(() => Promise.all(Array.from({ length: 4 }, () => append(a, randomUUID(), body))))).toEqual([]);
    // Stored by the other robot: this one's chunk insert is refused, the file document answers its upload date — then nothing.
    const theirs = cardPage(randomUUID());
    await append(b, randomUUID(), theirs);
    expect(await evidenceCommands(() => append(a, randomUUID(), theirs))).toEqual(['insert evidence.chunks', 'findAndModify evidence.files']);
    expect(await evidenceCommands(() => append(a, randomUUID(), theirs))).toEqual([]);
    expect(await files().countDocuments({ filename: sha256Hex(theirs) })).toBe(1);
  });

  it('stores a body again after it was deleted through the backend (retention)', async () => {
    const body = cardPage(randomUUID());
    const sha = sha256Hex(body);
    await append(a, randomUUID(), body);
    await a.evidence.backend.delete(sha);
    expect(await files().countDocuments({ filename: sha })).toBe(0);
    const jobId = randomUUID();
    await append(a, jobId, body);
    await a.evidence.seal(jobId);
    expect(await files().countDocuments({ filename: sha })).toBe(1);
    expect((await verifyJob(a.evidence, jobId)).findings).toEqual([]);
  });
});
