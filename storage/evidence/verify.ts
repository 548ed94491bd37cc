import type { MongoEvidenceStore } from '../evidence.store.ts';
import type { EvidenceItem } from '../evidence.types.ts';
import type { EvidenceManifest } from './manifest.model.ts';
import { processHeadMessage, sealRecordMessage, sha256OfBytes, type ProcessHead, type SealRecord } from './seal-log.ts';
import { checkSignature } from './signing.ts';
import { CheckedBodies, checkJob, INFO_FINDINGS, signatureMessage, verifyJob, type JobVerification, type VerifyFinding } from './verify-job.ts';

export { checkJob, INFO_FINDINGS, verifyJob, type FindingKind, type JobVerification, type VerifyFinding } from './verify-job.ts';

export interface VerifyReport {
  /** Jobs kept (every job for a `jobIds` scope; else only those with findings, see `VerifyOptions.keepJobs`). */
  jobs: JobVerification[];
  /** Jobs verified. */
  jobsChecked: number;
  /** Robot processes whose seal log was checked (0 for a `jobIds` scope). */
  processes: number;
  items: number;
  bytes: number;
  findings: VerifyFinding[];
  ok: boolean;
  ms: number;
}

/** Where a long verify is. */
export interface VerifyProgress {
  jobs: number;
  items: number;
  bytes: number;
  findings: number;
  ms: number;
}

export interface VerifyOptions {
  /** Called every `progressEvery` items (default 10 000), and at the end of a run that reached it. */
  onProgress?: (p: VerifyProgress) => void;
  progressEvery?: number;
  /** Called with every job's verification as it is done. */
  onJob?: (v: JobVerification) => void;
  /** Which verifications the report keeps: default `all` for a `jobIds` scope, else `findings` (memory stays bounded). */
  keepJobs?: 'all' | 'findings';
}

/** Items without `meta` (not in the link hash): what the streaming pass reads. */
const ITEM_FIELDS = { meta: 0 } as const;

/**
 * Verifies the given jobs, every job with evidence since a date, or (no scope) every job and every
 * robot process's seal log. Without `jobIds` it streams: one cursor over the items in (jobId, seq)
 * order merged with the manifests and seal records in jobId order, so memory holds one job at a
 * time (no `distinct`, whose answer is one document of at most 16 MB).
 */
export async function verifyEvidence(store: MongoEvidenceStore, scope: { jobIds?: string[]; since?: Date }, options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const keep = options.keepJobs ?? (scope.jobIds ? 'all' : 'findings');
  const every = options.progressEvery ?? 10_000;
  const report: VerifyReport = { jobs: [], jobsChecked: 0, processes: 0, items: 0, bytes: 0, findings: [], ok: true, ms: 0 };
  let nextProgress = every;
  const progress = () => options.onProgress?.({ jobs: report.jobsChecked, items: report.items, bytes: report.bytes, findings: report.findings.length, ms: performance.now() - started });
  const take = (v: JobVerification) => {
    report.jobsChecked += 1;
    report.items += v.items;
    report.bytes += v.bytes;
    report.findings.push(...v.findings);
    if (!v.ok) report.ok = false;
    if (keep === 'all' || v.findings.length > 0) report.jobs.push(v);
    options.onJob?.(v);
    if (report.items >= nextProgress) {
      nextProgress = (Math.floor(report.items / every) + 1) * every;
      progress();
    }
  };
  const checked = new CheckedBodies();
  if (scope.jobIds) {
    for (const jobId of scope.jobIds) take(await verifyJob(store, jobId));
  } else if (scope.since) {
    // Jobs with an item since the date, in jobId order, each verified whole.
    let last: string | null = null;
    for await (const { jobId } of store.items.collection.find({ at: { $gte: scope.since } }, { projection: { jobId: 1 } }).sort({ jobId: 1 })) {
      if (jobId === last) continue;
      last = jobId as string;
      take(await verifyJob(store, last));
    }
  } else {
    const items = groupBy(store.items.collection.find({}, { projection: ITEM_FIELDS }).sort({ jobId: 1, seq: 1 }) as AsyncIterable<EvidenceItem>, (i) => i.jobId);
    const manifests = groupBy(store.manifests.collection.find({}).sort({ jobId: 1, itemCount: 1 }) as AsyncIterable<EvidenceManifest>, (m) => m.jobId);
    const records = groupBy(store.sealRecords.collection.find({}).sort({ jobId: 1 }) as AsyncIterable<SealRecord>, (r) => r.jobId);
    for await (const [jobId, i, m, r] of mergeGroups([items, manifests, records] as const)) {
      await withPictureSources(store, jobId, i);
      take(await checkJob(store, jobId, { items: i, manifests: m, sealRecords: r }, checked));
    }
    const logs = groupBy(store.sealRecords.collection.find({}).sort({ processId: 1, seq: 1 }) as AsyncIterable<SealRecord>, (r) => r.processId);
    const heads = groupBy(store.processHeads.collection.find({}).sort({ _id: 1 }) as AsyncIterable<ProcessHead>, (h) => h._id);
    for await (const [processId, log, head] of mergeGroups([logs, heads] as const)) {
      report.processes += 1;
      const found = checkProcessLog(store, processId, log, head[0] ?? null);
      if (found.length > 0) {
        report.ok = false;
        report.findings.push(...found);
      }
    }
  }
  report.ms = performance.now() - started;
  // A last line only for runs long enough to have printed one.
  if (report.items >= every) progress();
  return report;
}

/**
 * The streaming pass reads items without `meta`; a picture's check needs its `meta.derivedFrom`
 * (the capture body it was drawn from), so a job with pictures reads just that field of them.
 */
async function withPictureSources(store: MongoEvidenceStore, jobId: string, items: EvidenceItem[]): Promise<void> {
  const pictures = new Map(items.filter((i) => i.kind === 'picture').map((i) => [i._id, i]));
  if (pictures.size === 0) return;
  const found = store.items.collection.find({ jobId, kind: 'picture' }, { projection: { _id: 1, 'meta.derivedFrom': 1 } });
  for await (const doc of found) {
    const item = pictures.get(doc._id as unknown as string);
    if (item && doc.meta) item.meta = doc.meta as Record<string, unknown>;
  }
}

/**
 * One robot process's seal log: records 1..n, each linked to the one before and hashing to its
 * recorded hash, and a signed head that the log reaches. (Record signatures are checked with the
 * jobs they seal.) A head behind the log is fine: the process died between the two writes.
 */
export function checkProcessLog(store: MongoEvidenceStore, processId: string, log: SealRecord[], head: ProcessHead | null): VerifyFinding[] {
  const out: VerifyFinding[] = [];
  const add = (kind: VerifyFinding['kind'], message: string, seq: number | null = null) => out.push({ kind, jobId: '', itemId: null, seq, message, processId });
  let prev: string | null = null;
  log.forEach((r, i) => {
    if (r.seq !== i + 1) add('process_chain_broken', `seal log of process ${processId}: record #${r.seq} where #${i + 1} was expected (records removed)`, r.seq);
    else if (r.prevHash !== prev) add('process_chain_broken', `seal log of process ${processId}: record #${r.seq} does not link to the record before it`, r.seq);
    else if (sha256OfBytes(sealRecordMessage(r)) !== r.hash) add('process_chain_broken', `seal log of process ${processId}: record #${r.seq} was edited`, r.seq);
    prev = r.hash;
  });
  if (!head) {
    add('process_chain_broken', `seal log of process ${processId} has ${log.length} record(s) but no signed head`);
    return out;
  }
  const sig = checkSignature(store.keyring, head.keyId, head.signature, processHeadMessage(head));
  if (sig !== 'ok') add(sig, signatureMessage(sig, `head of the seal log of process ${processId}`, head.keyId));
  const atHead = log.find((r) => r.seq === head.seq);
  if (!atHead) add('process_chain_broken', `seal log of process ${processId} ends at #${log.at(-1)?.seq ?? 0}, its signed head says #${head.seq} (records removed from its end)`, head.seq);
  else if (atHead.hash !== head.hash) add('process_chain_broken', `seal log of process ${processId}: record #${head.seq} is not the one its signed head names`, head.seq);
  return out;
}

/** MongoDB orders strings by their UTF-8 bytes; so does this. */
const byteCompare = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** Consecutive documents with the same key of a cursor sorted by it, as `[key, docs]`; a key out of order is an error. */
async function* groupBy<T>(cursor: AsyncIterable<T>, keyOf: (t: T) => string): AsyncGenerator<[string, T[]]> {
  let key: string | null = null;
  let group: T[] = [];
  for await (const doc of cursor) {
    const k = keyOf(doc);
    if (k === key) {
      group.push(doc);
      continue;
    }
    if (key !== null) {
      if (byteCompare(k, key) < 0) throw new Error(`verify: the server returned "${k}" after "${key}" (cursor not sorted)`);
      yield [key, group];
    }
    key = k;
    group = [doc];
  }
  if (key !== null) yield [key, group];
}

type Groups<T extends readonly AsyncGenerator<[string, unknown[]]>[]> = { [K in keyof T]: T[K] extends AsyncGenerator<[string, infer D]> ? D : never };

/** Merges grouped streams sorted by the same key: one `[key, ...groups]` per key, `[]` where a stream has none. */
async function* mergeGroups<T extends readonly AsyncGenerator<[string, unknown[]]>[]>(streams: T): AsyncGenerator<[string, ...Groups<T>]> {
  const heads = await Promise.all(streams.map((s) => s.next()));
  for (;;) {
    let min: string | null = null;
    for (const h of heads) if (!h.done && (min === null || byteCompare(h.value[0], min) < 0)) min = h.value[0];
    if (min === null) return;
    const row: unknown[] = [min];
    for (const [i, h] of heads.entries()) {
      if (!h.done && h.value[0] === min) {
        row.push(h.value[1]);
        heads[i] = await streams[i]!.next();
      } else row.push([]);
    }
    yield row as [string, ...Groups<T>];
  }
}

/** A plain-text table of a report (the CLI's default output). */
export function formatVerifyTable(report: VerifyReport): string {
  const lines = [`jobs ${report.jobsChecked}  items ${report.items}  bytes ${report.bytes}  processes ${report.processes}  ${report.ok ? 'OK' : 'FINDINGS'}  (${report.ms.toFixed(0)} ms)`];
  if (report.findings.length > 0) {
    lines.push('', ['kind'.padEnd(20), 'job / process'.padEnd(38), 'seq'.padEnd(5), 'message'].join(' '));
    for (const f of report.findings) lines.push([f.kind.padEnd(20), (f.jobId || f.processId || '-').padEnd(38), String(f.seq ?? '-').padEnd(5), f.message].join(' '));
  }
  return `${lines.join('\n')}\n`;
}
