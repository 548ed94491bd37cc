/**
 * The evidence chain on the real MongoDB-wire server: blob backends (GridFS, folder, S3 shape),
 * manifests, verify (clean and tampered behind the farm's back), export verified by the real
 * `sha256sum -c`, retention, and the legacy `evidence_blobs` fallback.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoEvidenceStore, manifestHashOf, sha256Hex, type Storage } from '../../storage/index.ts';
import { FsBlobBackend } from '../../storage/evidence/fs.backend.ts';
import { S3BlobBackend, type S3ObjectClient } from '../../storage/evidence/s3.backend.ts';
import { verifyEvidence, verifyJob } from '../../storage/evidence/verify.ts';
import { exportEvidenceBundle } from '../../storage/evidence/export.ts';
import { applyRetention } from '../../storage/evidence/retention.ts';
import { dropStorage, openTestStorage } from '../helpers/services.ts';

let storage: Storage;
const tmp = mkdtempSync(join(tmpdir(), 'konveyer-evidence-'));

beforeAll(async () => {
  storage = await openTestStorage();
});
afterAll(async () => {
  await dropStorage(storage);
  rmSync(tmp, { recursive: true, force: true });
});

/** A job of four steps with distinct bodies, sealed like a robot's. */
async function makeJob(store: MongoEvidenceStore, steps = ['search', 'captcha', 'search-after-captcha', 'case-card']): Promise<string> {
  const jobId = randomUUID();
  for (const [i, step] of steps.entries()) {
    const kind = i % 2 === 0 ? 'http_response' : 'screenshot';
    await store.append(
      { jobId, lookupId: jobId, robot: 'test', step, kind, url: `http://x--spb.sudrf.ru/${step}`, contentType: kind === 'screenshot' ? 'image/png' : 'text/html', at: new Date() },
      // The second body is 300 KiB of random bytes (a screenshot does not compress): stored raw, in two GridFS chunks.
      Buffer.concat([Buffer.from(`<html>${step} ${jobId} `), i === 1 ? randomBytes(300 * 1024) : Buffer.alloc(0), Buffer.from('</html>')]),
    );
  }
  await store.seal(jobId);
  return jobId;
}

const kinds = async (store: MongoEvidenceStore, jobId: string) => (await verifyJob(store, jobId)).findings.map((f) => `${f.kind}@${f.seq ?? '-'}`).sort();

describe('GridFS (default) chain, manifest and verify', () => {
  it('stores bodies in the GridFS bucket `evidence`, seals a manifest, and verifies clean', async () => {
    const jobId = await makeJob(storage.evidence);
    const items = await storage.evidence.listByJob(jobId);
    const files = storage.conn.db!.collection('evidence.files');
    expect(await files.countDocuments({ filename: { $in: items.map((i) => i.sha256) } })).toBe(4);
    const manifest = await storage.evidence.getManifest(jobId);
    expect(manifest!.itemHashes).toEqual(items.map((i) => i.hash));
    // The manifest hash is what `printf '%s\n' <hashes> | sha256sum` prints.
    const viaShell = execFileSync('sha256sum', { input: items.map((i) => `${i.hash}\n`).join('') }).toString().split(' ')[0];
    expect(manifest!.manifestHash).toBe(viaShell);
    const report = await verifyEvidence(storage.evidence, { jobIds: [jobId] });
    expect(report).toMatchObject({ ok: true, items: 4, findings: [] });
    expect(report.bytes).toBe(items.reduce((n, i) => n + i.size, 0));
  });

  it('reports a blob byte changed behind the farm’s back (a multi-chunk body) as changed', async () => {
    const jobId = await makeJob(storage.evidence);
    const item = (await storage.evidence.listByJob(jobId))[1]!;
    const db = storage.conn.db!;
    const file = await db.collection('evidence.files').findOne({ filename: item.sha256 });
    const chunk = await db.collection('evidence.chunks').findOne({ files_id: file!._id, n: 1 });
    const bytes = Buffer.from((chunk!.data as { buffer: Uint8Array }).buffer);
    bytes[10] = bytes[10]! ^ 0xff;
    await db.collection('evidence.chunks').updateOne({ _id: chunk!._id }, { $set: { data: bytes } });
    expect(await kinds(storage.evidence, jobId)).toEqual(['changed@2']);
    expect((await verifyEvidence(storage.evidence, { jobIds: [jobId] })).ok).toBe(false);
  });

  it('reports a deleted blob as missing', async () => {
    const jobId = await makeJob(storage.evidence);
    const item = (await storage.evidence.listByJob(jobId))[2]!;
    await storage.evidence.backend.delete(item.sha256);
    expect(await kinds(storage.evidence, jobId)).toEqual(['missing@3']);
  });

  it('reports two items whose seq were swapped as re-ordered (links and chain broken)', async () => {
    const jobId = await makeJob(storage.evidence);
    const [, b, c] = await storage.evidence.listByJob(jobId);
    const col = storage.evidence.items.collection;
    await col.updateOne({ _id: b!._id } as never, { $set: { seq: -1 } });
    await col.updateOne({ _id: c!._id } as never, { $set: { seq: 2 } });
    await col.updateOne({ _id: b!._id } as never, { $set: { seq: 3 } });
    const found = await kinds(storage.evidence, jobId);
    expect(found).toEqual(expect.arrayContaining(['link_mismatch@2', 'link_mismatch@3', 'chain_broken@2', 'chain_broken@3', 'manifest_mismatch@-']));
    expect(found.some((k) => k.startsWith('changed') || k.startsWith('missing'))).toBe(false);
  });

  it('reports a removed item (seq gap) and a forged manifest', async () => {
    const jobId = await makeJob(storage.evidence);
    const items = await storage.evidence.listByJob(jobId);
    await storage.evidence.items.deleteOne({ _id: items[1]!._id });
    expect(await kinds(storage.evidence, jobId)).toEqual(['chain_broken@3', 'manifest_mismatch@-', 'seq_gap@3', 'seq_gap@4']);

    const other = await makeJob(storage.evidence);
    await storage.evidence.manifests.updateOne({ jobId: other }, { $set: { manifestHash: manifestHashOf(['0'.repeat(64)]) } });
    // Its own item list, its seal record and its signature all disagree with the forged hash.
    expect(await kinds(storage.evidence, other)).toEqual(['manifest_mismatch@-', 'manifest_mismatch@-', 'signature_invalid@-']);
  });

  it('verifies every job since a date', async () => {
    const since = new Date();
    const a = await makeJob(storage.evidence);
    const b = await makeJob(storage.evidence);
    const seen: string[] = [];
    const report = await verifyEvidence(storage.evidence, { since }, { onJob: (v) => seen.push(v.jobId) });
    expect(seen.sort()).toEqual([a, b].sort());
    expect(report).toMatchObject({ ok: true, jobsChecked: 2, jobs: [] });
  });
});

describe('export bundle', () => {
  it('writes files, manifest.json, chains, SHA256SUMS and VERIFY.txt that `sha256sum -c` accepts', async () => {
    const jobId = await makeJob(storage.evidence);
    const zipPath = join(tmp, 'job.zip');
    const summary = await exportEvidenceBundle(storage, { kind: 'job', id: jobId }, zipPath);
    expect(summary).toMatchObject({ jobs: 1, items: 4, files: 4, missing: 0 });
    const dir = join(tmp, 'job');
    execFileSync('unzip', ['-q', zipPath, '-d', dir]);
    const out = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir }).toString();
    expect(out.trim().split('\n')).toHaveLength(5); // 4 files + the chain
    expect(out).not.toMatch(/FAILED/);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.jobs[0].items.map((i: { hash: string }) => i.hash)).toEqual((await storage.evidence.listByJob(jobId)).map((i) => i.hash));
    expect(readFileSync(join(dir, 'VERIFY.txt'), 'utf8')).toMatch(/sha256sum -c SHA256SUMS/);
  });

  it('makes sha256sum -c fail on a body changed behind the farm’s back', async () => {
    const jobId = await makeJob(storage.evidence);
    const item = (await storage.evidence.listByJob(jobId))[0]!;
    const db = storage.conn.db!;
    const file = await db.collection('evidence.files').findOne({ filename: item.sha256 });
    await db.collection('evidence.chunks').updateOne({ files_id: file!._id, n: 0 }, { $set: { data: Buffer.from('<html>forged</html>') } });
    const zipPath = join(tmp, 'bad.zip');
    await exportEvidenceBundle(storage, { kind: 'job', id: jobId }, zipPath);
    const dir = join(tmp, 'bad');
    execFileSync('unzip', ['-q', zipPath, '-d', dir]);
    let failed = '';
    try {
      execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, stdio: 'pipe' });
    } catch (e) {
      failed = String((e as { stdout: Buffer }).stdout);
    }
    expect(failed).toMatch(/001-search-http_response\.html: FAILED/);
  });
});

describe('other backends, retention and the legacy collection', () => {
  it('a folder backend stores once, and a byte changed on disk is reported', async () => {
    const backend = new FsBlobBackend(join(tmp, 'fs'));
    const store = new MongoEvidenceStore(storage.conn, backend, { keyring: storage.evidence.keyring });
    const jobId = await makeJob(store);
    expect(await kinds(store, jobId)).toEqual([]);
    const item = (await store.listByJob(jobId))[3]!;
    const path = backend.pathOf(item.sha256);
    const bytes = readFileSync(path);
    bytes[0] = 0x21;
    writeFileSync(path, bytes);
    expect(await kinds(store, jobId)).toEqual(['changed@4']);
  });

  it('an S3-shaped backend works through its small client interface', async () => {
    const objects = new Map<string, { body: Buffer; at: Date }>();
    const client: S3ObjectClient = {
      putObject: async (r) => void objects.set(`${r.Bucket}/${r.Key}`, { body: Buffer.from(r.Body), at: new Date() }),
      getObject: async (r) => objects.get(`${r.Bucket}/${r.Key}`)?.body ?? null,
      headObject: async (r) => {
        const o = objects.get(`${r.Bucket}/${r.Key}`);
        return o ? { size: o.body.length, lastModified: o.at } : null;
      },
      deleteObject: async (r) => void objects.delete(`${r.Bucket}/${r.Key}`),
      listObjects: async function* (r) {
        for (const [k, o] of objects) if (k.startsWith(`${r.Bucket}/${r.Prefix}`)) yield { Key: k.slice(r.Bucket.length + 1), Size: o.body.length, LastModified: o.at };
      },
    };
    const store = new MongoEvidenceStore(storage.conn, new S3BlobBackend(client, 'bkt'), { keyring: storage.evidence.keyring });
    const jobId = await makeJob(store);
    expect(objects.size).toBe(4);
    expect(await kinds(store, jobId)).toEqual([]);
  });

  it('retention deletes old unreferenced bodies, keeps items and manifests, and verify says purged', async () => {
    const backend = new FsBlobBackend(join(tmp, 'retention'));
    const store = new MongoEvidenceStore(storage.conn, backend, { keyring: storage.evidence.keyring });
    const old = await makeJob(store);
    const kept = await makeJob(store);
    // A body the old job shares with a job still inside the retention window must stay.
    const shared = (await store.listByJob(old))[0]!;
    const later = new Date(Date.now() + 10 * 86_400_000);
    await store.items.updateMany({ jobId: { $in: [old, kept] } }, { $set: { at: new Date(0) } });
    await store.items.updateOne({ _id: (await store.listByJob(kept))[0]!._id }, { $set: { at: later, sha256: shared.sha256 } });
    const res = await applyRetention(store, 5, new Date(Date.now() + 10 * 86_400_000 + 1000));
    expect(res.deleted).toBe(7);
    expect(res.keptReferenced).toBe(1);
    expect(await backend.get(shared.sha256)).not.toBeNull();
    expect(await store.listByJob(old)).toHaveLength(4);
    expect(await store.getManifest(old)).not.toBeNull();
    const v = await verifyJob(store, old);
    expect(v.findings.filter((f) => f.kind === 'purged')).toHaveLength(3);
  });

  it('writes standard GridFS: a plain GridFSBucket reads our bodies, and we read its uploads', async () => {
    const { mongo } = await import('mongoose');
    const bucket = new mongo.GridFSBucket(storage.conn.db!, { bucketName: 'evidence' });
    const big = randomBytes(600 * 1024); // three chunks, stored raw (random bytes do not compress)
    const sha = sha256Hex(big);
    await storage.evidence.backend.put(sha, big, 'image/png');
    const chunks: Buffer[] = [];
    for await (const c of bucket.openDownloadStream(sha as never)) chunks.push(c as Buffer);
    expect(sha256Hex(Buffer.concat(chunks))).toBe(sha);
    const theirs = Buffer.from('uploaded by another GridFS client');
    const theirSha = sha256Hex(theirs);
    await new Promise((resolve, reject) => bucket.openUploadStream(theirSha).once('finish', resolve).once('error', reject).end(theirs));
    expect((await storage.evidence.readBody(theirSha))!.toString()).toBe(theirs.toString());
  });

  it('still reads bodies written to the legacy evidence_blobs collection', async () => {
    const body = Buffer.from('<html>from before GridFS</html>');
    const sha = sha256Hex(body);
    await storage.evidence.blobs.collection.insertOne({ _id: sha, data: body, size: body.length, contentType: 'text/html', createdAt: new Date() } as never);
    expect((await storage.evidence.readBody(sha))!.toString()).toBe(body.toString());
  });
});
