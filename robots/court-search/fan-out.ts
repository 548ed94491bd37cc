/**
 * Fan-out of a `court.search`: one `court.case` child lookup per distinct case found, stored in
 * `lookups` (batch = the search's lookup id, so `konveyer status --batch <id>` shows them) and queued
 * as one BullMQ flow whose parent job completes when every child has ended.
 */
import { createHash, randomUUID } from 'node:crypto';
import { FlowProducer, type FlowJob } from 'bullmq';
import type { Redis } from 'ioredis';
import { courtPortalOf } from '../../core/identifiers.ts';
import { courtCaseInputSchema } from '../../queues/court-case.payload.ts';
import { lookupJobOptions, type JobOptionsConfig } from '../../queues/job-options.ts';
import type { LookupStore } from '../../storage/lookups.types.ts';
import type { FoundCase as SiteFoundCase } from '../court-sudrf/search.flow.ts';

/** A found case; on single-host magistrate portals (mirsud.spb.ru, mos-sud.ru) with its участок. */
export type FoundCase = SiteFoundCase & { section?: string };

export interface FanOutResult {
  /** Distinct cases in the search results. */
  distinct: number;
  /** Child lookups created now. */
  created: string[];
  /** Cases already queued before (same court + case): their earlier lookups. */
  existing: string[];
}

/** Identity of a found case within its court: the site's case id, else its number. */
export function foundCaseKey(c: FoundCase): string {
  const court = c.section ? `${c.court}/${c.section}` : c.court;
  return `${court}|${c.caseId ? `id:${c.caseId}` : c.caseUid && !c.caseId && c.section ? `uuid:${c.caseUid}` : `no:${c.caseNumber}`}`;
}

/**
 * How the child `court.case` finds the case: mirsud.spb.ru by участок + number, mos-sud.ru by
 * участок + card UUID; msudrf cards open by `case_id` alone; sudrf by
 * `case_id` + `case_uid` on srv_num=1 only (a case kept on another server is found by number).
 */
function childLocator(c: FoundCase): { caseId: string } | { caseId: string; caseUid: string } | { number: string } | { section: string; number: string } | { section: string; caseUid: string } {
  const portal = courtPortalOf(c.court);
  // mirsud.spb.ru cards open by участок + number; mos-sud.ru cards by участок + card UUID.
  if (portal === 'mirsud-spb' && c.section) return { section: c.section, number: c.caseNumber };
  if (portal === 'mos-sud' && c.section && c.caseUid) return { section: c.section, caseUid: c.caseUid };
  if (c.caseId && portal === 'msudrf') return { caseId: c.caseId };
  if (c.caseId && c.caseUid && c.srvNum === 1) return { caseId: c.caseId, caseUid: c.caseUid };
  return { number: c.caseNumber.split(/\s*[~(]/)[0] ?? c.caseNumber };
}

/** Job id of a search's fan-in parent (no `:` in custom BullMQ ids). */
export const fanInJobId = (searchLookupId: string) => `${searchLookupId}-fan-in`;

/** Creates the child lookups of a search and queues them as a flow. Owned by the robot process. */
export class CourtSearchFanOut {
  private readonly flows: FlowProducer;
  constructor(private readonly options: { lookups: LookupStore; connection: Redis; prefix: string; jobOptions: JobOptionsConfig }) {
    this.flows = new FlowProducer({ connection: options.connection, prefix: options.prefix });
  }

  async fanOut(searchLookupId: string, found: FoundCase[], mode?: 'http' | 'browser'): Promise<FanOutResult> {
    // msudrf lists a case once per party; a case on two pages of a moving list shows twice too.
    const distinct = new Map<string, FoundCase>();
    for (const c of found) if (!distinct.has(foundCaseKey(c))) distinct.set(foundCaseKey(c), c);
    // Children belong to the search's client (their client keys dedupe within that client only).
    const clientId = (await this.options.lookups.get(searchLookupId))?.clientId;
    const fresh = [...distinct.entries()].flatMap(([key, c]) => {
      const input = courtCaseInputSchema.safeParse({
        court: c.court,
        ...childLocator(c),
        ...(mode ? { mode } : {}),
      });
      if (!input.success) return [];
      // Client key per court + case: the same case found by another search is not queued again.
      const clientKey = `found:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
      return [{ _id: randomUUID(), type: 'court.case', input: input.data as Record<string, unknown>, clientKey, batchId: searchLookupId, ...(clientId ? { clientId } : {}) }];
    });
    const { inserted, existing } = await this.options.lookups.insertMany(fresh);
    if (inserted.length > 0) {
      const children: FlowJob[] = inserted.map((d) => ({
        name: 'court.case',
        queueName: 'court.case',
        data: { lookupId: d._id, input: d.input },
        // A failed child must not hold the parent forever: its failure is on its own lookup.
        opts: { ...lookupJobOptions(d._id, this.options.jobOptions), ignoreDependencyOnFailure: true },
      }));
      await this.flows.add({
        name: 'court.search',
        queueName: 'court.search',
        data: { lookupId: fanInJobId(searchLookupId), input: { fanInOf: searchLookupId, children: inserted.length } },
        opts: { jobId: fanInJobId(searchLookupId), attempts: 1, removeOnComplete: { age: 24 * 3600 } },
        children,
      });
    }
    return { distinct: distinct.size, created: inserted.map((d) => d._id), existing: existing.map((d) => d._id) };
  }

  async close(): Promise<void> {
    await this.flows.close();
  }
}
