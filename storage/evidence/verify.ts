import { evidenceLinkHash, manifestHashOf, sha256Hex, type MongoEvidenceStore } from '../evidence.store.ts';
import type { EvidenceItem } from '../types.ts';

/**
 * What can be wrong with a chain:
 * - `changed`: a body's bytes no longer hash to the item's sha256;
 * - `missing`: no body of that hash in any backend;
 * - `purged`: the body was deleted by retention (informational, not an error);
 * - `link_mismatch`: an item's own fields no longer hash to its link (edited or re-ordered item);
 * - `chain_broken`: an item's prevHash is not the link of the item before it (inserted, removed or swapped);
 * - `seq_gap`: seq does not run 1..n (an item removed);
 * - `manifest_mismatch`: the stored manifest lists other hashes, or its hash is wrong;
 * - `manifest_missing`: the job has items but was never sealed (still running, or a crashed robot);
 * - `picture_source`: a picture whose step (`picture-of-<seq>`) names no earlier HTTP capture of
 *   the chain, or whose `meta.derivedFrom` is not that capture's SHA-256.
 */
export type FindingKind = 'changed' | 'missing' | 'purged' | 'link_mismatch' | 'chain_broken' | 'seq_gap' | 'manifest_mismatch' | 'manifest_missing' | 'picture_source';

/** Bodies read at once while verifying a job. */
const READ_AHEAD = 8;

/** Findings that are not errors (exit code 0 with only these). */
export const INFO_FINDINGS: ReadonlySet<FindingKind> = new Set(['purged', 'manifest_missing']);

export interface VerifyFinding {
  kind: FindingKind;
  jobId: string;
  itemId: string | null;
  seq: number | null;
  message: string;
}

export interface JobVerification {
  jobId: string;
  items: number;
  bytes: number;
  ok: boolean;
  manifestHash: string | null;
  findings: VerifyFinding[];
  /** Per item id: its worst finding kind (the UI flags these rows). */
  flagged: Record<string, FindingKind>;
}

export interface VerifyReport {
  jobs: JobVerification[];
  items: number;
  bytes: number;
  findings: VerifyFinding[];
  ok: boolean;
  ms: number;
}

/** Re-reads and re-hashes one job's chain: every body, every link, the order, the manifest. */
export async function verifyJob(store: MongoEvidenceStore, jobId: string, preloaded?: EvidenceItem[]): Promise<JobVerification> {
  const items = preloaded ?? (await store.listByJob(jobId));
  const findings: VerifyFinding[] = [];
  const flagged: Record<string, FindingKind> = {};
  const add = (kind: FindingKind, item: EvidenceItem | null, message: string) => {
    findings.push({ kind, jobId, itemId: item?._id ?? null, seq: item?.seq ?? null, message });
    // An error outranks an informational finding on the same item.
    const had = item ? flagged[item._id] : undefined;
    if (item && (!had || (INFO_FINDINGS.has(had) && !INFO_FINDINGS.has(kind)))) flagged[item._id] = kind;
  };
  let bytes = 0;
  let prev: string | null = null;
  items.forEach((item, i) => {
    if (item.seq !== i + 1) add('seq_gap', item, `seq ${item.seq} where ${i + 1} was expected`);
    if (evidenceLinkHash(item) !== item.hash) add('link_mismatch', item, `link hash of seq ${item.seq} does not match its fields (edited or re-ordered)`);
    if (item.prevHash !== prev) add('chain_broken', item, `prevHash of seq ${item.seq} is not the link of the item before it`);
    prev = item.hash;
  });
  // A picture points at the capture it was drawn from: by seq in its (hashed) step, by body hash in its meta.
  for (const item of items) {
    if (item.kind !== 'picture') continue;
    const seq = Number(/^picture-of-(\d+)$/.exec(item.step)?.[1] ?? NaN);
    const source = items.find((i) => i.seq === seq);
    if (!source || source.kind !== 'http_response' || source.seq >= item.seq) add('picture_source', item, `picture seq ${item.seq} names no earlier HTTP capture (step ${item.step})`);
    else if (item.meta?.derivedFrom !== source.sha256) add('picture_source', item, `picture seq ${item.seq} says it was drawn from ${String(item.meta?.derivedFrom ?? '').slice(0, 12)}…, capture seq ${seq} is ${source.sha256.slice(0, 12)}…`);
  }
  // Bodies are read a few at a time (I/O-bound) and checked in chain order.
  const bodies: (Buffer | null)[] = [];
  for (let i = 0; i < items.length; i += READ_AHEAD) {
    bodies.push(...(await Promise.all(items.slice(i, i + READ_AHEAD).map((it) => store.readBody(it.sha256)))));
  }
  for (const [i, item] of items.entries()) {
    const body = bodies[i];
    if (!body) {
      const purgedAt = (item as EvidenceItem & { bodyPurgedAt?: Date }).bodyPurgedAt;
      if (purgedAt) add('purged', item, `body of seq ${item.seq} deleted by retention on ${new Date(purgedAt).toISOString()}`);
      else add('missing', item, `body ${item.sha256.slice(0, 12)}… of seq ${item.seq} is gone`);
      continue;
    }
    bytes += body.length;
    const actual = sha256Hex(body);
    if (actual !== item.sha256) add('changed', item, `body of seq ${item.seq} hashes to ${actual.slice(0, 12)}…, recorded ${item.sha256.slice(0, 12)}…`);
  }
  const manifest = await store.getManifest(jobId);
  if (!manifest) {
    if (items.length > 0) add('manifest_missing', null, 'the job has no manifest (not finished, or its robot died)');
  } else {
    const hashes = items.map((i) => i.hash);
    if (manifestHashOf(manifest.itemHashes) !== manifest.manifestHash) add('manifest_mismatch', null, 'the manifest hash does not match its own item list');
    else if (manifest.itemHashes.length !== hashes.length || manifest.itemHashes.some((h, i) => h !== hashes[i])) {
      add('manifest_mismatch', null, `the manifest lists ${manifest.itemHashes.length} items that differ from the ${hashes.length} stored`);
    }
  }
  return {
    jobId,
    items: items.length,
    bytes,
    ok: findings.every((f) => INFO_FINDINGS.has(f.kind)),
    manifestHash: manifest?.manifestHash ?? null,
    findings,
    flagged,
  };
}

/** Verifies the given jobs, or every job with evidence since a date. */
export async function verifyEvidence(store: MongoEvidenceStore, scope: { jobIds?: string[]; since?: Date }): Promise<VerifyReport> {
  const started = performance.now();
  let jobIds = scope.jobIds;
  if (!jobIds) {
    const filter = scope.since ? { at: { $gte: scope.since } } : {};
    jobIds = ((await store.items.distinct('jobId', filter)) as string[]).sort();
  }
  const jobs: JobVerification[] = [];
  for (const jobId of jobIds) jobs.push(await verifyJob(store, jobId));
  const findings = jobs.flatMap((j) => j.findings);
  return {
    jobs,
    items: jobs.reduce((n, j) => n + j.items, 0),
    bytes: jobs.reduce((n, j) => n + j.bytes, 0),
    findings,
    ok: jobs.every((j) => j.ok),
    ms: performance.now() - started,
  };
}

/** A plain-text table of a report (the CLI's default output). */
export function formatVerifyTable(report: VerifyReport): string {
  const lines = [`jobs ${report.jobs.length}  items ${report.items}  bytes ${report.bytes}  ${report.ok ? 'OK' : 'FINDINGS'}  (${report.ms.toFixed(0)} ms)`];
  if (report.findings.length > 0) {
    lines.push('', ['kind'.padEnd(18), 'job'.padEnd(38), 'seq'.padEnd(5), 'message'].join(' '));
    for (const f of report.findings) lines.push([f.kind.padEnd(18), f.jobId.padEnd(38), String(f.seq ?? '-').padEnd(5), f.message].join(' '));
  }
  return `${lines.join('\n')}\n`;
}
