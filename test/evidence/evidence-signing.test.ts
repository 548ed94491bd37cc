/**
 * Evidence against someone with database access (issue 16 §2), on the real MongoDB-wire server:
 * signed manifests, insert-only seals that race harmlessly, the robots' seal logs, key rotation and
 * configuration, and an exported bundle checked by the real `openssl` binary.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/index.ts';
import {
  evidenceLinkHash, generateSigningKeyPem, keyringFromPems, manifestHashOf, MongoEvidenceStore, resolveEvidenceKeyring, sha256Hex,
  type EvidenceItem, type EvidenceKeyring, type Storage,
} from '../../storage/index.ts';
import { exportEvidenceBundle } from '../../storage/evidence/export.ts';
import { verifyEvidence, verifyJob } from '../../storage/evidence/verify.ts';
import { dropStorage, openTestStorage, serviceUrls } from '../helpers/services.ts';

const bin = new URL('../../bin/konveyer.mjs', import.meta.url).pathname;

const tmp = mkdtempSync(join(tmpdir(), 'konveyer-signing-'));
const opened: Storage[] = [];
let storage: Storage;

beforeAll(async () => {
  storage = await fresh();
});
afterAll(async () => {
  for (const s of opened) await dropStorage(s);
  rmSync(tmp, { recursive: true, force: true });
});

/** A storage of its own (a full verify sees only what the test wrote). */
async function fresh(keyring?: EvidenceKeyring): Promise<Storage> {
  const s = await openTestStorage(keyring ? { evidenceKeyring: keyring } : {});
  opened.push(s);
  return s;
}

const appendSteps = async (store: MongoEvidenceStore, jobId: string, n: number, from = 1) => {
  for (let i = from; i < from + n; i++) {
    await store.append({ jobId, lookupId: jobId, robot: 'test', step: `step-${i}`, kind: 'http_response', url: `http://x--spb.sudrf.ru/p${i}`, contentType: 'text/html', at: new Date() }, Buffer.from(`<html>page ${i} of ${jobId}</html>`));
  }
};

async function sealedJob(store: MongoEvidenceStore, n = 3): Promise<string> {
  const jobId = randomUUID();
  await appendSteps(store, jobId, n);
  await store.seal(jobId);
  return jobId;
}

const kinds = async (store: MongoEvidenceStore, jobId: string) => (await verifyJob(store, jobId)).findings.map((f) => f.kind).sort();

/**
 * What someone who can write to MongoDB but has no key does: swaps a body, recomputes every link
 * from there, and rewrites the manifest so its hashes are right again.
 */
async function rewriteChain(store: MongoEvidenceStore, jobId: string): Promise<void> {
  const items = await store.listByJob(jobId);
  const forged = Buffer.from('<html>a page the court never showed</html>');
  await store.backend.put(sha256Hex(forged), forged, 'text/html');
  let prevHash: string | null = items[0]!.hash;
  for (const item of items.slice(1)) {
    const next: EvidenceItem = item.seq === 2 ? { ...item, sha256: sha256Hex(forged), size: forged.length, prevHash } : { ...item, prevHash };
    next.hash = evidenceLinkHash(next);
    await store.items.updateOne({ _id: item._id }, { $set: { sha256: next.sha256, size: next.size, prevHash: next.prevHash, hash: next.hash } });
    prevHash = next.hash;
  }
  const hashes = (await store.listByJob(jobId)).map((i) => i.hash);
  await store.manifests.updateOne({ jobId }, { $set: { itemHashes: hashes, manifestHash: manifestHashOf(hashes), headHash: hashes.at(-1) } });
}

describe('signed manifests', () => {
  it('a sealed job verifies clean: its manifest is signed with the configured key', async () => {
    const jobId = await sealedJob(storage.evidence);
    const manifest = await storage.evidence.getManifest(jobId);
    expect(manifest).toMatchObject({ _id: `${jobId}:3`, itemCount: 3, keyId: storage.evidence.keyring.signer!.keyId });
    expect(manifest!.signature).toMatch(/^[A-Za-z0-9+/]{86}==$/); // 64 bytes
    expect(await verifyJob(storage.evidence, jobId)).toMatchObject({ ok: true, findings: [] });
  });

  it('catches a chain and manifest rewritten with correct hashes but without the key', async () => {
    const jobId = await sealedJob(storage.evidence);
    await rewriteChain(storage.evidence, jobId);
    const found = await kinds(storage.evidence, jobId);
    // Every hash agrees again, so only the signature and the seal record tell.
    expect(found).not.toContain('link_mismatch');
    expect(found).not.toContain('chain_broken');
    expect(found).not.toContain('changed');
    expect(found).toContain('signature_invalid');
    expect((await verifyJob(storage.evidence, jobId)).ok).toBe(false);
  });

  it('an attacker who strips the signature gets unsigned; one who signs with a key of their own gets key_unknown', async () => {
    const stripped = await sealedJob(storage.evidence);
    await rewriteChain(storage.evidence, stripped);
    await storage.evidence.manifests.updateOne({ jobId: stripped }, { $set: { signature: null, keyId: null } });
    expect(await kinds(storage.evidence, stripped)).toContain('unsigned');

    const resigned = await sealedJob(storage.evidence);
    const theirs = new MongoEvidenceStore(storage.conn, storage.evidence.backend, { keyring: keyringFromPems({ signingKeyPem: generateSigningKeyPem() }) });
    await storage.evidence.manifests.deleteMany({ jobId: resigned });
    await theirs.seal(resigned);
    const found = await kinds(storage.evidence, resigned);
    expect(found).toContain('key_unknown');
    expect((await verifyJob(storage.evidence, resigned)).ok).toBe(false);
  });

  it('a store without a key writes unsigned manifests, and verify says so as an error', async () => {
    const unkeyed = new MongoEvidenceStore(storage.conn, storage.evidence.backend);
    const jobId = await sealedJob(unkeyed);
    const v = await verifyJob(storage.evidence, jobId);
    expect(v.findings.map((f) => f.kind)).toEqual(['unsigned', 'unsigned']); // the manifest and its seal record
    expect(v.ok).toBe(false);
  });
  it('items appended after the last manifest are flagged unsealed one by one (a note), and export marks them unsealed', async () => {
    const jobId = await sealedJob(storage.evidence, 2);
    await appendSteps(storage.evidence, jobId, 2, 3);
    const v = await verifyJob(storage.evidence, jobId);
    expect(v.ok).toBe(true);
    expect(v.findings.map((f) => `${f.kind}@${f.seq}`)).toEqual(['unsealed@3', 'unsealed@4']);
    expect(Object.values(v.flagged)).toEqual(['unsealed', 'unsealed']);
    const zip = join(tmp, 'unsealed.zip');
    await exportEvidenceBundle(storage, { kind: 'job', id: jobId }, zip);
    const manifest = JSON.parse(execFileSync('unzip', ['-p', zip, 'manifest.json']).toString());
    expect(manifest.jobs[0].items.map((i: { seq: number; sealed: boolean }) => [i.seq, i.sealed])).toEqual([[1, true], [2, true], [3, false], [4, false]]);
  });
});

describe('deleted manifests and the seal logs of robot processes', () => {
  it('a job whose manifest is deleted is an error, not a still-running job', async () => {
    const s = await fresh();
    const kept = await sealedJob(s.evidence);
    const jobId = await sealedJob(s.evidence);
    const running = randomUUID();
    await appendSteps(s.evidence, running, 2);
    await s.evidence.manifests.deleteMany({ jobId });
    const v = await verifyJob(s.evidence, jobId);
    expect(v.findings.map((f) => f.kind)).toEqual(['manifest_deleted']);
    expect(v.ok).toBe(false);
    // A job never sealed (running) is only a note.
    expect(await verifyJob(s.evidence, running)).toMatchObject({ ok: true, findings: [{ kind: 'manifest_missing' }] });
    const all = await verifyEvidence(s.evidence, {});
    expect(all).toMatchObject({ ok: false, jobsChecked: 3, processes: 1 });
    expect(all.findings.filter((f) => !['manifest_missing'].includes(f.kind)).map((f) => [f.kind, f.jobId])).toEqual([['manifest_deleted', jobId]]);
    expect(all.jobs.map((j) => j.jobId).sort()).toEqual([jobId, running].sort()); // kept (clean) is not listed
    expect(all.jobs.some((j) => j.jobId === kept)).toBe(false);
  });

  it('a manifest deleted with its seal record leaves a gap; the last ones deleted fall short of the signed head', async () => {
    const s = await fresh();
    const [a, b, c] = [await sealedJob(s.evidence), await sealedJob(s.evidence), await sealedJob(s.evidence)];
    expect((await verifyEvidence(s.evidence, {})).ok).toBe(true);
    for (const jobId of [b, c]) {
      await s.evidence.manifests.deleteMany({ jobId });
      await s.evidence.sealRecords.deleteMany({ jobId });
    }
    // b and c now look like jobs that never ended; the process's log tells otherwise.
    const report = await verifyEvidence(s.evidence, {});
    expect(report.ok).toBe(false);
    const broken = report.findings.filter((f) => f.kind === 'process_chain_broken');
    expect(broken).toHaveLength(1);
    expect(broken[0]!.processId).toBe(s.evidence.sealLog.processId);
    expect(broken[0]!.message).toMatch(/ends at #1, its signed head says #3/);
    expect(report.findings.filter((f) => f.jobId === a)).toEqual([]);

    // A gap in the middle: a fresh process, three seals, the second removed.
    const t = await fresh();
    const jobs = [await sealedJob(t.evidence), await sealedJob(t.evidence), await sealedJob(t.evidence)];
    await t.evidence.manifests.deleteMany({ jobId: jobs[1] });
    await t.evidence.sealRecords.deleteMany({ jobId: jobs[1] });
    const gap = (await verifyEvidence(t.evidence, {})).findings.filter((f) => f.kind === 'process_chain_broken');
    expect(gap.map((f) => f.message)).toEqual([expect.stringMatching(/record #3 where #2 was expected/)]);
  });

  it('a forged head (no key) and a head deleted with the records are caught', async () => {
    const s = await fresh();
    await sealedJob(s.evidence);
    await sealedJob(s.evidence);
    const pid = s.evidence.sealLog.processId;
    await s.evidence.processHeads.updateOne({ _id: pid }, { $set: { seq: 1, hash: (await s.evidence.sealRecords.findOne({ processId: pid, seq: 1 }).lean())!.hash } });
    expect((await verifyEvidence(s.evidence, {})).findings.map((f) => f.kind)).toEqual(['signature_invalid']);
    await s.evidence.processHeads.deleteMany({});
    expect((await verifyEvidence(s.evidence, {})).findings.map((f) => f.kind)).toEqual(['process_chain_broken']);
  });

  it('a seal log whose stored records ran ahead of the process (a write that landed, its answer lost) catches up instead of failing', async () => {
    const s = await fresh();
    // Two store instances writing one process's log: each finds the other's record where it meant to write.
    const processId = `catch-up-${randomUUID().slice(0, 8)}`;
    const one = new MongoEvidenceStore(s.conn, s.evidence.backend, { keyring: s.evidence.keyring, processId });
    const two = new MongoEvidenceStore(s.conn, s.evidence.backend, { keyring: s.evidence.keyring, processId });
    await sealedJob(one);
    await sealedJob(two);
    await sealedJob(one);
    expect((await s.evidence.sealRecords.find({ processId }).sort({ seq: 1 }).lean()).map((r) => r.seq)).toEqual([1, 2, 3]);
    const report = await verifyEvidence(s.evidence, {});
    expect(report.findings).toEqual([]);
    expect(report).toMatchObject({ ok: true, processes: 1, jobsChecked: 3 });
  });

  it('two attempts sealing the same job at once, and a shorter seal landing after a longer one, never make a verify error', async () => {
    const s = await fresh();
    // Two robot processes (a stalled attempt and its retry) with the installation's key.
    const a = s.evidence;
    const b = new MongoEvidenceStore(s.conn, a.backend, { keyring: a.keyring });
    const jobId = randomUUID();
    await appendSteps(a, jobId, 2);
    for (let round = 0; round < 6; round++) {
      await Promise.all([a.seal(jobId), b.seal(jobId), appendSteps(b, jobId, 1, 3 + round).then(() => b.seal(jobId)), a.seal(jobId)]);
    }
    const manifests = await a.listManifests(jobId);
    expect(manifests.length).toBeGreaterThan(1);
    expect(manifests.at(-1)!.itemCount).toBe(8);
    const report = await verifyEvidence(a, {});
    expect(report.findings).toEqual([]);
    // Whichever process lost an insert race wrote no seal record, so one or both logs exist; both are whole.
    expect(report.ok).toBe(true);
    expect(report.processes).toBeGreaterThanOrEqual(1);
    // The race CI saw: the shorter manifest written last. Insert-only keeps both; the longest covers the chain.
    const short = manifests[0]!;
    await a.manifests.deleteOne({ _id: short._id });
    await a.manifests.collection.insertOne({ ...short, sealedAt: short.sealedAt } as never);
    expect(await verifyJob(a, jobId)).toMatchObject({ ok: true, findings: [] });
  });
});

describe('konveyer evidence verify', () => {
  it('streams every job with progress on stderr, knows the key from EVIDENCE_SIGNING_KEY, and exits 1 on a deleted manifest', async () => {
    const signingKeyPem = generateSigningKeyPem();
    const s = await fresh(keyringFromPems({ signingKeyPem }));
    const jobs = [await sealedJob(s.evidence, 3), await sealedJob(s.evidence, 3), await sealedJob(s.evidence, 3)];
    const uri = new URL(serviceUrls().mongoUri);
    uri.pathname = `/${s.conn.name}`;
    const run = () => spawnSync(process.execPath, [bin, 'evidence', 'verify', '--progress-every', '4'], {
      env: { ...process.env, MONGODB_URI: uri.toString(), REDIS_URL: serviceUrls().redisUrl, LOG_LEVEL: 'silent', EVIDENCE_SIGNING_KEY: signingKeyPem },
      encoding: 'utf8',
      timeout: 120_000,
    });
    const clean = run();
    expect(clean.status, clean.stderr).toBe(0);
    expect(clean.stdout).toMatch(/^jobs 3 {2}items 9 .* processes 1 {2}OK/);
    // 9 items, every 4: after the jobs that pass 4 and 8, and a last line.
    expect(clean.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^verify: 2 jobs, 6 items, \d+ bytes, 0 findings, [\d.]+ s$/),
      expect.stringMatching(/^verify: 3 jobs, 9 items, /),
      expect.stringMatching(/^verify: 3 jobs, 9 items, /),
    ]);
    await s.evidence.manifests.deleteMany({ jobId: jobs[1] });
    const caught = run();
    expect(caught.status).toBe(1);
    expect(caught.stdout).toMatch(new RegExp(`manifest_deleted +${jobs[1]}`));
  });
});

describe('keys: rotation and configuration', () => {
  it('after a rotation, manifests of the old key verify with its public key in EVIDENCE_VERIFY_KEYS, and are key_unknown without it', async () => {
    const oldPem = generateSigningKeyPem();
    const newPem = generateSigningKeyPem();
    const before = keyringFromPems({ signingKeyPem: oldPem });
    const s = await fresh(before);
    const oldJob = await sealedJob(s.evidence);
    const oldPublic = createPublicKey(oldPem).export({ type: 'spki', format: 'pem' }).toString();
    const after = new MongoEvidenceStore(s.conn, s.evidence.backend, { keyring: keyringFromPems({ signingKeyPem: newPem, verifyKeyPems: [oldPublic] }) });
    const newJob = await sealedJob(after);
    expect((await after.getManifest(newJob))!.keyId).not.toBe(before.signer!.keyId);
    expect((await verifyEvidence(after, { jobIds: [oldJob, newJob] })).ok).toBe(true);
    const forgetful = new MongoEvidenceStore(s.conn, s.evidence.backend, { keyring: keyringFromPems({ signingKeyPem: newPem }) });
    expect(await kinds(forgetful, oldJob)).toEqual(['key_unknown', 'key_unknown']);
    expect(await kinds(forgetful, newJob)).toEqual([]);
  });

  it('EVIDENCE_SIGNING_KEY takes PEM text or a file; a bad one stops start-up naming the variable', () => {
    const pem = generateSigningKeyPem();
    const file = join(tmp, 'signing.pem');
    writeFileSync(file, pem);
    expect(loadConfig({ EVIDENCE_SIGNING_KEY: file }).evidence.signingKeyPem).toBe(pem);
    expect(loadConfig({ EVIDENCE_SIGNING_KEY: pem }).evidence.signingKeyPem).toBe(pem);
    const bad = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).problems.join('\n');
      }
      return 'no error';
    };
    expect(bad({ EVIDENCE_SIGNING_KEY: join(tmp, 'nope.pem') })).toMatch(/^EVIDENCE_SIGNING_KEY: EVIDENCE_SIGNING_KEY: cannot read the key file/);
    expect(bad({ EVIDENCE_SIGNING_KEY: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' })).toMatch(/EVIDENCE_SIGNING_KEY: not a private key/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(bad({ EVIDENCE_SIGNING_KEY: rsa })).toMatch(/EVIDENCE_SIGNING_KEY: the key is rsa, an Ed25519 key is needed/);
    expect(bad({ EVIDENCE_SIGNING_KEY: rsa })).not.toContain('BEGIN');
    // Verify keys: a folder of public keys (and a private one, reduced to its public half).
    const dir = join(tmp, 'old-keys');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.pem'), createPublicKey(pem).export({ type: 'spki', format: 'pem' }));
    writeFileSync(join(dir, 'b.pem'), generateSigningKeyPem());
    writeFileSync(join(dir, 'notes.txt'), 'not a key');
    const keys = loadConfig({ EVIDENCE_VERIFY_KEYS: dir }).evidence.verifyKeyPems;
    expect(keys).toHaveLength(2);
    expect(keyringFromPems({ verifyKeyPems: keys }).publicKeys.has(keyringFromPems({ signingKeyPem: pem }).signer!.keyId)).toBe(true);
    expect(bad({ EVIDENCE_VERIFY_KEYS: `${dir},${join(tmp, 'missing')}` })).toMatch(/EVIDENCE_VERIFY_KEYS: cannot read/);
  });

  it('without EVIDENCE_SIGNING_KEY, one key is generated into <run dir>/keys and kept', () => {
    const runDir = join(tmp, 'run');
    const told: string[] = [];
    const first = resolveEvidenceKeyring({ runDir, evidence: { signingKeyPem: undefined, verifyKeyPems: [] } }, (path) => told.push(path));
    const second = resolveEvidenceKeyring({ runDir, evidence: { signingKeyPem: undefined, verifyKeyPems: [] } }, (path) => told.push(path));
    expect(told).toEqual([join(runDir, 'keys', 'evidence-signing.pem')]);
    expect(second.signer!.keyId).toBe(first.signer!.keyId);
    expect(execFileSync('stat', ['-c', '%a', told[0]!]).toString().trim()).toBe('600');
    // The key id is what openssl computes from the public key's DER form.
    const der = execFileSync('openssl', ['pkey', '-in', told[0]!, '-pubout', '-outform', 'DER']);
    expect(sha256Hex(der).slice(0, 16)).toBe(first.signer!.keyId);
  });
});

describe('export bundle with signatures', () => {
  const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

  it.runIf(hasOpenssl)('openssl alone verifies the signed manifests of a bundle, and refuses a changed one', async () => {
    const s = await fresh();
    const jobId = randomUUID();
    await appendSteps(s.evidence, jobId, 2);
    await s.evidence.seal(jobId);
    await appendSteps(s.evidence, jobId, 2, 3); // a retry that went further
    await s.evidence.seal(jobId);
    const zip = join(tmp, 'signed.zip');
    await exportEvidenceBundle(s, { kind: 'job', id: jobId }, zip);
    const dir = join(tmp, 'signed');
    execFileSync('unzip', ['-q', zip, '-d', dir]);
    const verifyTxt = readFileSync(join(dir, 'VERIFY.txt'), 'utf8');
    const commands = verifyTxt.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('openssl pkeyutl -verify') && !l.includes('<'));
    expect(commands).toHaveLength(2);
    for (const command of commands) {
      const out = execFileSync('sh', ['-c', command], { cwd: dir }).toString();
      expect(out).toMatch(/Signature Verified Successfully/);
    }
    // The signed manifest hash is the SHA-256 of the exported chain.
    const keyId = s.evidence.keyring.signer!.keyId;
    const msg = readFileSync(join(dir, `signatures/${jobId}-4.msg`), 'utf8');
    expect(msg).toMatch(new RegExp(`^konveyer-evidence-manifest/1\\njobId ${jobId}\\nlookupId ${jobId}\\nitemCount 4\\nmanifestHash [0-9a-f]{64}\\nheadHash [0-9a-f]{64}\\nsealedAt \\S+Z\\nkeyId ${keyId}\\n$`));
    const chainSha = execFileSync('sha256sum', [`chains/${jobId}.txt`], { cwd: dir }).toString().split(' ')[0];
    expect(msg).toContain(`manifestHash ${chainSha}\n`);
    const firstTwo = execFileSync('sh', ['-c', `head -n 2 chains/${jobId}.txt | sha256sum`], { cwd: dir }).toString().split(' ')[0];
    expect(readFileSync(join(dir, `signatures/${jobId}-2.msg`), 'utf8')).toContain(`manifestHash ${firstTwo}\n`);
    const keyDer = execFileSync('openssl', ['pkey', '-pubin', '-in', `keys/${keyId}.pem`, '-outform', 'DER'], { cwd: dir });
    expect(sha256Hex(keyDer).slice(0, 16)).toBe(keyId);
    // One changed byte of the signed text and openssl refuses.
    writeFileSync(join(dir, `signatures/${jobId}-4.msg`), msg.replace(/manifestHash (.)/, (_m, c: string) => `manifestHash ${c === '0' ? '1' : '0'}`));
    const refused = spawnSync('sh', ['-c', commands.find((c) => c.includes('-4.msg'))!], { cwd: dir });
    expect(refused.status).not.toBe(0);
    expect(refused.stdout.toString()).not.toMatch(/Signature Verified Successfully/);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.jobs[0].signedManifests.map((m: { itemCount: number; keyId: string }) => [m.itemCount, m.keyId])).toEqual([[2, keyId], [4, keyId]]);
  });
});
