import type { Model } from 'mongoose';
import type { CourtCaseDoc } from '../models/court-case.model.ts';
import type { LookupDoc } from '../lookups.types.ts';

/** The collections the auditor's searches and exports read (a subset of `Storage`). */
export interface AuditScopeSource {
  lookups: { model: Model<LookupDoc> };
  courtCases: { model: Model<CourtCaseDoc> };
}

/** A name as people write it: lower case, ё = е, punctuation and extra spaces dropped. */
export function normalizePersonName(name: string): string {
  return name
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Court cases with a party of that name. `exact` (exports) = the normalized names are equal;
 * otherwise (searches) the normalized name contains the query.
 */
export async function casesForParty(src: AuditScopeSource, name: string, options: { exact: boolean; limit?: number }): Promise<CourtCaseDoc[]> {
  const wanted = normalizePersonName(name);
  const first = wanted.split(' ')[0];
  if (!first) return [];
  // Narrow on the server by the first word (any case), then match exactly here: FerretDB has no collation.
  const pattern = escapeRegex(first).replace(/е/g, '[её]');
  const candidates = await src.courtCases.model
    .find({ 'parties.name': { $regex: pattern, $options: 'i' } })
    .limit(options.limit ?? 500)
    .lean<CourtCaseDoc[]>();
  return candidates.filter((c) =>
    (c.parties ?? []).some((p) => {
      const n = normalizePersonName(p.name ?? '');
      return options.exact ? n === wanted : n.includes(wanted);
    }),
  );
}

/** Lookups whose result points at one of these court cases, oldest first. */
export async function lookupsForCases(src: AuditScopeSource, caseIds: string[]): Promise<LookupDoc[]> {
  if (caseIds.length === 0) return [];
  return src.lookups.model
    .find({ 'result.collection': 'court_cases', 'result.id': { $in: caseIds } })
    .sort({ createdAt: 1 })
    .lean<LookupDoc[]>();
}

/** What an export or a UI search is about. */
export type AuditScope = { kind: 'job'; id: string } | { kind: 'case'; id: string } | { kind: 'debtor'; id: string };

/** The job ids of a scope: a job itself; every lookup of a case; every lookup of every case of a debtor. */
export async function jobsOfScope(src: AuditScopeSource, scope: AuditScope): Promise<string[]> {
  switch (scope.kind) {
    case 'job':
      return [scope.id];
    case 'case':
      return (await lookupsForCases(src, [scope.id])).map((l) => l._id);
    case 'debtor': {
      const cases = await casesForParty(src, scope.id, { exact: true });
      return (await lookupsForCases(src, cases.map((c) => c._id))).map((l) => l._id);
    }
  }
}

/** The auditor's search form. Every field is optional; the given ones are combined with AND. */
export interface LookupSearch {
  debtor?: string;
  caseNumber?: string;
  ipNumber?: string;
  /** `YYYY-MM-DD`: lookups created that day (UTC). */
  date?: string;
  limit?: number;
}

/** Finds lookups for the auditor: by a party's name, case number, ИП number, or day. */
export async function searchLookups(src: AuditScopeSource, q: LookupSearch): Promise<LookupDoc[]> {
  const and: Record<string, unknown>[] = [];
  if (q.debtor?.trim()) {
    const cases = await casesForParty(src, q.debtor, { exact: false });
    and.push({ 'result.id': { $in: cases.map((c) => c._id) } });
  }
  if (q.caseNumber?.trim()) {
    const num = q.caseNumber.trim();
    const cases = await src.courtCases.model.find({ caseNumber: num }).select({ _id: 1 }).lean<{ _id: string }[]>();
    and.push({ $or: [{ 'input.number': num }, { 'result.id': { $in: cases.map((c) => c._id) } }] });
  }
  if (q.ipNumber?.trim()) {
    // An ИП number is an input of fssp/epgu lookups; court cases carry it nowhere yet.
    const ip = q.ipNumber.trim();
    and.push({ $or: [{ 'input.ipNumber': ip }, { 'input.number': ip }] });
  }
  if (q.date && /^\d{4}-\d{2}-\d{2}$/.test(q.date)) {
    const from = new Date(`${q.date}T00:00:00Z`);
    and.push({ createdAt: { $gte: from, $lt: new Date(from.getTime() + 86_400_000) } });
  }
  const filter = and.length === 0 ? {} : and.length === 1 ? and[0]! : { $and: and };
  return src.lookups.model.find(filter).sort({ createdAt: -1 }).limit(q.limit ?? 100).lean<LookupDoc[]>();
}
