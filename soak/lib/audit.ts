/**
 * The figures of a reliability run, read from MongoDB and the queue after the batch drained:
 * final states, lookups left open, lost jobs, duplicated court cases, broken evidence chains.
 */
import type { Queue } from 'bullmq';
import { INFO_FINDINGS, verifyEvidence } from '../../storage/evidence/verify.ts';
import type { LookupDoc, Storage } from '../../storage/index.ts';
import { FINAL_STATUSES } from './farm.ts';

/** What a run left behind. */
export interface FarmAudit {
  lookups: number;
  /** Count per lookup status. */
  byStatus: Record<string, number>;
  /** Count per error code of failed lookups. */
  failedByCode: Record<string, number>;
  /** Lookups not in a final status. */
  open: number;
  /** Open lookups whose BullMQ job is gone or failed: nothing will ever finish them. */
  lostJobs: number;
  /** court_cases documents beyond the first per (court host, case number). */
  duplicateCases: number;
  courtCases: number;
  /** Evidence chains re-hashed, items in them, chains with a finding that is an error. */
  chainsChecked: number;
  evidenceItems: number;
  brokenChains: number;
  /** Ids of a few open / lost lookups, for the report. */
  examples: string[];
}

/** Audits the lookups `ids` of a farm whose jobs are on `queue`. */
export async function auditFarm(storage: Storage, queue: Queue, docs: readonly LookupDoc[], ids: readonly string[]): Promise<FarmAudit> {
  const byStatus: Record<string, number> = {};
  const failedByCode: Record<string, number> = {};
  const byId = new Map(docs.map((d) => [d._id, d]));
  const openIds: string[] = [];
  for (const id of ids) {
    const d = byId.get(id);
    const status = d?.status ?? 'missing';
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    if (status === 'failed') {
      const code = d?.error?.code ?? 'unknown';
      failedByCode[code] = (failedByCode[code] ?? 0) + 1;
    }
    if (!FINAL_STATUSES.has(status)) openIds.push(id);
  }
  let lostJobs = 0;
  for (const id of openIds) {
    const job = await queue.getJob(id);
    const state = job ? await job.getState() : 'missing';
    if (state === 'missing' || state === 'failed' || state === 'completed' || state === 'unknown') lostJobs++;
  }
  const dupes = await storage.courtCases.model.aggregate<{ n: number }>([
    { $group: { _id: { host: '$court.host', number: '$caseNumber' }, n: { $sum: 1 } } },
    { $match: { n: { $gt: 1 } } },
  ]);
  const courtCases = await storage.courtCases.model.countDocuments({});
  const report = await verifyEvidence(storage.evidence, { jobIds: [...ids] });
  const broken = report.jobs.filter((j) => j.findings.some((f) => !INFO_FINDINGS.has(f.kind)));
  return {
    lookups: ids.length,
    byStatus,
    failedByCode,
    open: openIds.length,
    lostJobs,
    duplicateCases: dupes.reduce((n, d) => n + d.n - 1, 0),
    courtCases,
    chainsChecked: report.jobs.filter((j) => j.items > 0).length,
    evidenceItems: report.items,
    brokenChains: broken.length,
    examples: [...openIds.slice(0, 3), ...broken.slice(0, 3).map((j) => `${j.jobId}: ${j.findings[0]?.kind}`)],
  };
}
