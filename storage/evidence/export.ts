import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import yazl from 'yazl';
import type { MongoEvidenceStore } from '../evidence.store.ts';
import type { EvidenceItem, LookupDoc } from '../types.ts';
import { jobsOfScope, type AuditScope, type AuditScopeSource } from './scope.ts';

const EXT: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'application/json': 'json' };
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
    items: Array<Pick<EvidenceItem, '_id' | 'seq' | 'step' | 'kind' | 'url' | 'contentType' | 'sha256' | 'size' | 'prevHash' | 'hash' | 'robot'> & {
      at: string; file: string; missing: boolean;
      /** A picture: SHA-256 of the captured body it was drawn from (its step `picture-of-<seq>` names that item). */
      derivedFrom?: string;
      /** A picture: the renderer that drew it (name, version, Chromium), to draw it again. */
      renderer?: unknown;
    }>;
  }>;
}

const VERIFY_TXT = `How to verify this evidence bundle
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

3. To compare with the farm, ask an operator for \`konveyer evidence verify --job <job id>\`: it re-reads
   and re-hashes the stored copy.
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
 * writable stream): files/, chains/, manifest.json, SHA256SUMS, VERIFY.txt. Identical bodies are
 * written once per job.
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
  for (const jobId of jobIds) {
    const items = await src.evidence.listByJob(jobId);
    const lookup = await src.lookups.model.findById(jobId).lean<LookupDoc>();
    const stored = await src.evidence.getManifest(jobId);
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
      items: [],
    };
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
        at: item.at.toISOString(), sha256: item.sha256, size: item.size, prevHash: item.prevHash, hash: item.hash, file, missing: !body,
        ...(item.kind === 'picture' ? { derivedFrom: String(item.meta?.derivedFrom ?? ''), renderer: item.meta?.renderer } : {}),
      });
    }
    manifest.jobs.push(entry);
  }
  zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), 'manifest.json', { mtime });
  zip.addBuffer(Buffer.from(sums.map((l) => `${l}\n`).join('')), 'SHA256SUMS', { mtime });
  zip.addBuffer(Buffer.from(VERIFY_TXT), 'VERIFY.txt', { mtime });
  zip.end();
  await done;
  return summary;
}
