import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import yazl from 'yazl';
import type { MongoEvidenceStore } from '../evidence.store.ts';
import { manifestMessage, publicPemOf } from './signing.ts';
import type { EvidenceItem } from '../evidence.types.ts';
import type { LookupDoc } from '../lookups.types.ts';
import { jobsOfScope, type AuditScope, type AuditScopeSource } from './scope.ts';

const EXT: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'application/json': 'json' };
const extOf = (item: EvidenceItem) =>
  EXT[item.contentType.split(';')[0]!.trim()] ?? (item.contentType.includes('html') ? 'html' : item.kind === 'screenshot' ? 'img' : 'bin');

/** manifest.json of a bundle: every job, its lookup, its items with hashes and the chain. */
export interface BundleManifest {
  format: 'konveyer-evidence-bundle/1';
  generatedAt: string;
  scope: AuditScope;
  jobs: Array<{
    jobId: string;
    lookup: Pick<LookupDoc, 'type' | 'status' | 'input' | 'result' | 'createdAt' | 'finishedAt'> | null;
    manifestHash: string | null;
    chainFile: string;
    /** Every manifest of the job (shortest first) with the files an outsider checks its signature with. */
    signedManifests: Array<{ id: string; itemCount: number; manifestHash: string; keyId: string | null; messageFile: string | null; signatureFile: string | null; keyFile: string | null }>;
    items: Array<Pick<EvidenceItem, '_id' | 'seq' | 'step' | 'kind' | 'url' | 'contentType' | 'sha256' | 'size' | 'prevHash' | 'hash' | 'robot'> & {
      at: string; file: string; missing: boolean;
      /** Covered by the job's last (signed) manifest; false = appended after it. */
      sealed: boolean;
      /** A picture: SHA-256 of the captured body it was drawn from (its step `picture-of-<seq>` names that item). */
      derivedFrom?: string;
      /** A picture: the renderer that drew it (name, version, Chromium), to draw it again. */
      renderer?: unknown;
    }>;
  }>;
}

const VERIFY_TXT_HEAD = `How to verify this evidence bundle
==================================

Every file under files/ is a body a robot captured: a raw HTTP response, a screenshot or a
page's HTML. Its SHA-256 was recorded when it was captured and is listed in SHA256SUMS.
A "picture" file (JPEG) is derived: an HTTP response drawn by Chromium offline (JavaScript off,
no network), named picture-of-<seq> after the response it was drawn from; manifest.json gives
that response's SHA-256 (derivedFrom) and the renderer (name, version, Chromium) to draw it again.

1. Unzip the bundle and, in its folder, run:

       sha256sum -c SHA256SUMS

   Every line must say OK. A FAILED line means the file's bytes are not the ones captured; a
   "No such file" line means a body was missing when the bundle was made.

2. The chain. Each item's link hash (manifest.json, items[].hash) covers the item's job, seq, step,
   kind, URL, time, size, sha256 and the previous item's link (prevHash), so items cannot be edited,
   removed or re-ordered without breaking the links. chains/<job>.txt lists a job's link hashes in
   order, one per line; its SHA-256 is the job's manifest hash, recorded when the job ended. Step 1
   checks it too (the chains/ lines of SHA256SUMS carry the manifest hashes). To recompute a link:

       sha256( JSON.stringify([jobId, seq, step, kind, url, at, size, sha256, prevHash]) )

   with \`at\` as an ISO-8601 UTC string — e.g. with node -e, or any JSON tool and sha256sum.

3. The signatures (with OpenSSL 3 alone). When a job attempt ended, the farm signed its manifest
   with an Ed25519 key the database does not hold. signatures/<job>-<n>.msg is the exact signed
   text (lines "jobId …", "lookupId …", "itemCount n", "manifestHash …", "headHash …", "sealedAt …",
   "keyId …"), signatures/<job>-<n>.sig the signature (64 raw bytes), keys/<keyId>.pem the public
   key. For each pair, the command below must print "Signature Verified Successfully":

       openssl pkeyutl -verify -pubin -inkey keys/<keyId>.pem -rawin -in signatures/<job>-<n>.msg -sigfile signatures/<job>-<n>.sig

   Then the signed manifestHash must be the SHA-256 of the chain (step 2): the "manifestHash" line
   of the .msg with the largest n equals the hash SHA256SUMS gives for chains/<job>.txt, and
   \`head -n <n> chains/<job>.txt | sha256sum\` gives the manifestHash of each shorter one. So
   anyone who could write to the farm's database but had no key could not have rewritten the
   bodies, the chain and the manifest to agree.

   The key id is the first 16 hex digits of the SHA-256 of the public key's DER form:

       openssl pkey -pubin -in keys/<keyId>.pem -outform DER | sha256sum

   Compare it with the key id the operator published: anyone can make a key pair.

4. To compare with the farm, ask an operator for \`konveyer evidence verify --job <job id>\`: it re-reads
   and re-hashes the stored copy and checks the signatures and the robots' seal logs.
`;

/** Counts of what went into a bundle. */
export interface ExportSummary {
  jobs: number;
  items: number;
  files: number;
  missing: number;
  bytes: number;
}

/**
 * Writes an evidence bundle (zip) for a job, a court case or a debtor to `out` (a path or a
 * writable stream): files/, chains/, signatures/ (each manifest's signed bytes and signature),
 * keys/ (the public keys), manifest.json, SHA256SUMS, VERIFY.txt. Identical bodies are written
 * once per job.
 */
export async function exportEvidenceBundle(
  src: AuditScopeSource & { evidence: MongoEvidenceStore },
  scope: AuditScope,
  out: string | NodeJS.WritableStream,
): Promise<ExportSummary> {
  const jobIds = await jobsOfScope(src, scope);
  const zip = new yazl.ZipFile();
  const sink = typeof out === 'string' ? createWriteStream(out) : out;
  const done = pipeline(zip.outputStream as Readable, sink);
  const sums: string[] = [];
  const manifest: BundleManifest = { format: 'konveyer-evidence-bundle/1', generatedAt: new Date().toISOString(), scope, jobs: [] };
  const summary: ExportSummary = { jobs: jobIds.length, items: 0, files: 0, missing: 0, bytes: 0 };
  const mtime = new Date();
  const keysWritten = new Set<string>();
  const checks: string[] = [];
  for (const jobId of jobIds) {
    const items = await src.evidence.listByJob(jobId);
    const lookup = await src.lookups.model.findById(jobId).lean<LookupDoc>();
    const manifests = await src.evidence.listManifests(jobId);
    const stored = manifests.at(-1) ?? null;
    const safeJob = jobId.replace(/[^A-Za-z0-9_-]/g, '_');
    const chainFile = `chains/${safeJob}.txt`;
    const chainText = items.map((i) => `${i.hash}\n`).join('');
    zip.addBuffer(Buffer.from(chainText), chainFile, { mtime });
    // The manifest hash as recorded at the end of the job, so sha256sum checks the chain against it.
    if (stored) sums.push(`${stored.manifestHash}  ${chainFile}`);
    const entry: BundleManifest['jobs'][number] = {
      jobId,
      lookup: lookup ? { type: lookup.type, status: lookup.status, input: lookup.input, result: lookup.result, createdAt: lookup.createdAt, finishedAt: lookup.finishedAt } : null,
      manifestHash: stored?.manifestHash ?? null,
      chainFile,
      signedManifests: [],
      items: [],
    };
    for (const m of manifests) {
      const base = `signatures/${safeJob}-${m.itemCount}`;
      const key = m.keyId ? src.evidence.keyring.publicKeys.get(m.keyId) : undefined;
      const keyFile = key ? `keys/${m.keyId}.pem` : null;
      if (key && keyFile && !keysWritten.has(keyFile)) {
        zip.addBuffer(Buffer.from(publicPemOf(key)), keyFile, { mtime });
        keysWritten.add(keyFile);
      }
      const signed = m.keyId && m.signature ? { messageFile: `${base}.msg`, signatureFile: `${base}.sig` } : { messageFile: null, signatureFile: null };
      if (signed.messageFile && signed.signatureFile) {
        zip.addBuffer(manifestMessage(m), signed.messageFile, { mtime });
        zip.addBuffer(Buffer.from(m.signature!, 'base64'), signed.signatureFile, { mtime });
        if (keyFile) checks.push(`openssl pkeyutl -verify -pubin -inkey ${keyFile} -rawin -in ${signed.messageFile} -sigfile ${signed.signatureFile}`);
      }
      entry.signedManifests.push({ id: m._id, itemCount: m.itemCount, manifestHash: m.manifestHash, keyId: m.keyId ?? null, ...signed, keyFile });
    }
    for (const item of items) {
      const file = `files/${safeJob}/${String(item.seq).padStart(3, '0')}-${item.step.replace(/[^A-Za-z0-9_-]/g, '_')}-${item.kind}.${extOf(item)}`;
      const body = await src.evidence.readBody(item.sha256);
      if (body) {
        zip.addBuffer(body, file, { mtime, compress: item.kind !== 'screenshot' && item.kind !== 'picture' });
        summary.files += 1;
        summary.bytes += body.length;
      } else summary.missing += 1;
      // Listed even when missing: sha256sum -c then says so instead of passing silently.
      sums.push(`${item.sha256}  ${file}`);
      summary.items += 1;
      entry.items.push({
        _id: item._id, seq: item.seq, step: item.step, kind: item.kind, url: item.url, contentType: item.contentType, robot: item.robot,
        at: item.at.toISOString(), sha256: item.sha256, size: item.size, prevHash: item.prevHash, hash: item.hash, file, missing: !body, sealed: item.seq <= (stored?.itemCount ?? 0),
        ...(item.kind === 'picture' ? { derivedFrom: String(item.meta?.derivedFrom ?? ''), renderer: item.meta?.renderer } : {}),
      });
    }
    manifest.jobs.push(entry);
  }
  zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), 'manifest.json', { mtime });
  zip.addBuffer(Buffer.from(sums.map((l) => `${l}\n`).join('')), 'SHA256SUMS', { mtime });
  const verifyTxt = `${VERIFY_TXT_HEAD}\nThe signature checks of this bundle (step 3):\n\n${checks.length > 0 ? checks.map((c) => `    ${c}\n`).join('') : '    (none: no manifest of these jobs is signed by a key this farm knows)\n'}`;
  zip.addBuffer(Buffer.from(verifyTxt), 'VERIFY.txt', { mtime });
  zip.end();
  await done;
  return summary;
}
