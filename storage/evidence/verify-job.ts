import { evidenceLinkHash, manifestHashOf, sha256Hex, type MongoEvidenceStore } from '../evidence.store.ts';
import type { EvidenceItem } from '../evidence.types.ts';
import type { EvidenceManifest } from './manifest.model.ts';
import { sealRecordMessage, sha256OfBytes, type SealRecord } from './seal-log.ts';
import { checkSignature, manifestMessage } from './signing.ts';

/**
 * What can be wrong with a chain:
 * - `changed`: a body's bytes no longer hash to the item's sha256;
 * - `missing`: no body of that hash in any backend;
 * - `purged`: the body was deleted by retention (informational, not an error);
 * - `link_mismatch`: an item's own fields no longer hash to its link (edited or re-ordered item);
 * - `chain_broken`: an item's prevHash is not the link of the item before it (inserted, removed or swapped);
 * - `seq_gap`: seq does not run 1..n (an item removed);
 * - `manifest_mismatch`: a manifest lists other hashes than the stored chain, or its own hash is wrong;
 * - `manifest_missing`: the job has items but was never sealed (still running, or a crashed robot) — a note;
 * - `manifest_deleted`: a robot's seal log records a manifest of the job that is gone;
 * - `unsealed`: items after the last manifest (a job still running, or a retry that died) — a note;
 * - `unsigned`: a manifest, seal record or process head without a signature (rewritten, or from before signing);
 * - `key_unknown`: signed with a key id verify has no public key for (EVIDENCE_VERIFY_KEYS after a rotation);
 * - `signature_invalid`: the signature does not match the signed bytes (a field changed after signing);
 * - `process_chain_broken`: a robot process's seal log has a gap, a bad link, or ends before its signed head;
 * - `picture_source`: a picture whose step (`picture-of-<seq>`) names no earlier HTTP capture of
 *   the chain, or whose `meta.derivedFrom` is not that capture's SHA-256.
 */
export type FindingKind =
  | 'changed' | 'missing' | 'purged' | 'link_mismatch' | 'chain_broken' | 'seq_gap' | 'manifest_mismatch' | 'manifest_missing'
  | 'manifest_deleted' | 'unsealed' | 'unsigned' | 'key_unknown' | 'signature_invalid' | 'process_chain_broken' | 'picture_source';

/** Findings that are not errors (exit code 0 with only these). */
export const INFO_FINDINGS: ReadonlySet<FindingKind> = new Set(['purged', 'manifest_missing', 'unsealed']);

export interface VerifyFinding {
  kind: FindingKind;
  /** The job; '' for a finding about a process's seal log. */
  jobId: string;
  itemId: string | null;
  seq: number | null;
  message: string;
  /** The robot process, for seal-log findings. */
  processId?: string;
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

/** Everything stored of one job. */
export interface JobEvidence {
  items: EvidenceItem[];
  /** Shortest first. */
  manifests: EvidenceManifest[];
  sealRecords: SealRecord[];
}

/** Bodies read at once while verifying a job. */
const READ_AHEAD = 8;

/**
 * Bodies already re-hashed in this run (content-addressed, so shared by many items): sha256 → size.
 * Bounded: cleared when full.
 */
export class CheckedBodies {
  private readonly seen = new Map<string, number>();
  constructor(private readonly max = 10_000) {}
  get(sha256: string): number | undefined {
    return this.seen.get(sha256);
  }
  add(sha256: string, size: number): void {
    if (this.seen.size >= this.max) this.seen.clear();
    this.seen.set(sha256, size);
  }
}

/** Re-reads and re-hashes one job's chain: every body, every link, the order, the manifests, their signatures and seal records. */
export async function verifyJob(store: MongoEvidenceStore, jobId: string, preloaded?: EvidenceItem[]): Promise<JobVerification> {
  const [items, manifests, sealRecords] = await Promise.all([preloaded ?? store.listByJob(jobId), store.listManifests(jobId), store.listSealRecords(jobId)]);
  return checkJob(store, jobId, { items, manifests, sealRecords });
}

/** The checks of `verifyJob` over evidence already read (verify's streaming pass hands it in). */
export async function checkJob(store: MongoEvidenceStore, jobId: string, ev: JobEvidence, checked?: CheckedBodies): Promise<JobVerification> {
  const { items } = ev;
  const manifests = [...ev.manifests].sort((a, b) => a.itemCount - b.itemCount);
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
  // Bodies are read a few at a time (I/O-bound) and checked in chain order; one already re-hashed in this run is not read again.
  for (let i = 0; i < items.length; i += READ_AHEAD) {
    const batch = items.slice(i, i + READ_AHEAD);
    const bodies = await Promise.all(batch.map((it) => (checked?.get(it.sha256) !== undefined ? null : store.readBody(it.sha256))));
    for (const [j, item] of batch.entries()) {
      const known = checked?.get(item.sha256);
      if (known !== undefined) {
        bytes += known;
        continue;
      }
      const body = bodies[j];
      if (!body) {
        const purgedAt = (item as EvidenceItem & { bodyPurgedAt?: Date }).bodyPurgedAt;
        if (purgedAt) add('purged', item, `body of seq ${item.seq} deleted by retention on ${new Date(purgedAt).toISOString()}`);
        else add('missing', item, `body ${item.sha256.slice(0, 12)}… of seq ${item.seq} is gone`);
        continue;
      }
      bytes += body.length;
      const actual = sha256Hex(body);
      if (actual !== item.sha256) add('changed', item, `body of seq ${item.seq} hashes to ${actual.slice(0, 12)}…, recorded ${item.sha256.slice(0, 12)}…`);
      else checked?.add(item.sha256, body.length);
    }
  }
  checkManifests(store, jobId, ev.items, manifests, add);
  checkSealRecords(store, manifests, ev.sealRecords, items.length, add);
  const latest = manifests.at(-1) ?? null;
  return { jobId, items: items.length, bytes, ok: findings.every((f) => INFO_FINDINGS.has(f.kind)), manifestHash: latest?.manifestHash ?? null, findings, flagged };
}

type Add = (kind: FindingKind, item: EvidenceItem | null, message: string) => void;

/** Each manifest: signed by a known key, consistent in itself, a prefix of the stored chain; items past the last one are a note. */
function checkManifests(store: MongoEvidenceStore, jobId: string, items: EvidenceItem[], manifests: EvidenceManifest[], add: Add): void {
  const hashes = items.map((i) => i.hash);
  for (const m of manifests) {
    const sig = checkSignature(store.keyring, m.keyId, m.signature, manifestMessage(m));
    if (sig !== 'ok') add(sig, null, signatureMessage(sig, `manifest ${m._id}`, m.keyId));
    if (m.jobId !== jobId || manifestHashOf(m.itemHashes) !== m.manifestHash || m.itemHashes.length !== m.itemCount || (m.itemHashes.at(-1) ?? null) !== m.headHash) {
      add('manifest_mismatch', null, `manifest ${m._id}: its hash, count or head does not match its own item list`);
    } else if (m.itemCount > hashes.length || m.itemHashes.some((h, i) => h !== hashes[i]) || (items.length > 0 && m.lookupId !== items[0]!.lookupId)) {
      add('manifest_mismatch', null, `manifest ${m._id} lists ${m.itemCount} items that differ from the ${hashes.length} stored`);
    }
  }
  const latest = manifests.at(-1);
  if (latest && hashes.length > latest.itemCount) {
    // Not covered by any signature: flagged one by one, so the auditor sees which.
    for (const item of items.slice(latest.itemCount)) add('unsealed', item, `seq ${item.seq} is after the last manifest (${latest.itemCount} items): not signed — the job is running, or an attempt died after it`);
  }
}

/** Each seal record of the job: signed, intact, and its manifest still there. No manifest at all is an error only when a seal log says there was one. */
function checkSealRecords(store: MongoEvidenceStore, manifests: EvidenceManifest[], records: SealRecord[], itemCount: number, add: Add): void {
  const byId = new Map(manifests.map((m) => [m._id, m]));
  for (const r of records) {
    const message = sealRecordMessage(r);
    const sig = checkSignature(store.keyring, r.keyId, r.signature, message);
    if (sig !== 'ok') add(sig, null, signatureMessage(sig, `seal record ${r._id}`, r.keyId));
    if (sha256OfBytes(message) !== r.hash) add('process_chain_broken', null, `seal record ${r._id} does not hash to its recorded hash (edited)`);
    const m = byId.get(r.manifestId);
    if (!m) add('manifest_deleted', null, `the seal log of process ${r.processId} (#${r.seq}) records manifest ${r.manifestId} of ${r.itemCount} items, which is gone`);
    else if (m.manifestHash !== r.manifestHash) add('manifest_mismatch', null, `manifest ${m._id} has another hash than its seal record ${r._id}`);
  }
  if (manifests.length === 0 && records.length === 0 && itemCount > 0) add('manifest_missing', null, 'the job has no manifest (not finished, or its robot died)');
}

export function signatureMessage(kind: 'unsigned' | 'key_unknown' | 'signature_invalid', what: string, keyId: string | null | undefined): string {
  if (kind === 'unsigned') return `${what} has no signature`;
  if (kind === 'key_unknown') return `${what} is signed with key ${keyId}, which verify does not know (EVIDENCE_VERIFY_KEYS)`;
  return `${what}: the signature of key ${keyId} does not match its content`;
}
