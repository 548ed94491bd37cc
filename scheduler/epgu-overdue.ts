/**
 * EPGU requests past their answer term (`konveyer epgu overdue`): requests with no answer whose due
 * date (10 working days after registration, 229-ФЗ ст.64.1) has passed, and the terms that delivered
 * letters start (issue 17). Reads the stores it is given; the CLI only prints the rows.
 */
import type { Storage } from '../storage/index.ts';
import type { EpguRequestDoc, EpguRequestStore } from '../storage/epgu-requests.types.ts';
import { idsTimedByLetters, overdueFromLetters } from './letter-overdue.ts';

/** One row of `konveyer epgu overdue`. */
export interface EpguOverdueRow {
  id: string;
  account: string;
  applicationNumber: string | null;
  ipNumber: string;
  kind: string;
  status: string;
  registeredAt: string | null;
  dueDate: string;
  /** The delivered letter whose receipt date started this term (issue 17), when one is linked. */
  letter?: string;
}

/** Today in Moscow (the bailiffs' and the courts' calendar day), as `YYYY-MM-DD`. */
export const todayMsk = (now = new Date()) => new Date(now.getTime() + 3 * 3600_000).toISOString().slice(0, 10);

/** Requests with no answer whose due date is before `today` (ISO date, Moscow), most late first. */
export async function listOverdueRequests(requests: EpguRequestStore, today: string): Promise<EpguOverdueRow[]> {
  return (await requests.listOverdue(today)).map((r: EpguRequestDoc) => ({
    id: r._id,
    account: r.account,
    applicationNumber: r.applicationNumber,
    ipNumber: r.ipNumber,
    kind: r.kind,
    status: r.status,
    registeredAt: r.registeredAt?.toISOString() ?? null,
    dueDate: r.dueDate!,
  }));
}

/**
 * Terms from delivered letters (issue 17): a letter linked to an EPGU request moves that request's
 * due date to its receipt + the answer term; a letter linked to an ИП number (an executive document
 * sent to the ОСП) must see the ИП opened within 3 + 3 working days of receipt (229-ФЗ ст.30 ч.7–8)
 * — a row (kind `ip_opened`) while no proceeding of that number is stored.
 */
export async function withEpguLetterTerms(rows: EpguOverdueRow[], storage: Pick<Storage, 'postalItems' | 'epguRequests' | 'enforcementProceedings'>, today: string): Promise<EpguOverdueRow[]> {
  const byRequest = await storage.postalItems.listLinked('epgu');
  const timed = idsTimedByLetters(byRequest, 'epgu');
  const out = rows.filter((r) => !timed.has(r.id));
  for (const l of await overdueFromLetters(byRequest, 'epgu', today, async (d) => (await storage.epguRequests.get(d.id))?.status === 'answered')) {
    const r = await storage.epguRequests.get(l.deadline.id);
    out.push({ id: l.deadline.id, account: r?.account ?? '', applicationNumber: r?.applicationNumber ?? null, ipNumber: r?.ipNumber ?? '', kind: r?.kind ?? '', status: r?.status ?? 'unknown', registeredAt: l.deliveredAt, dueDate: l.deadline.due, letter: l.barcode });
  }
  const byIp = await storage.postalItems.listLinked('ip');
  for (const l of await overdueFromLetters(byIp, 'ip', today, async (d) => (await storage.enforcementProceedings.get(d.id)) !== null)) {
    out.push({ id: l.barcode, account: '', applicationNumber: null, ipNumber: l.deadline.id, kind: 'ip_opened', status: 'not_opened', registeredAt: l.deliveredAt, dueDate: l.deadline.due, letter: l.barcode });
  }
  return out.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.id.localeCompare(b.id));
}

/** Every overdue row of `konveyer epgu overdue` as of `today`: requests past due, then the letters' terms merged in. */
export async function listEpguOverdue(storage: Pick<Storage, 'postalItems' | 'epguRequests' | 'enforcementProceedings'>, today: string): Promise<EpguOverdueRow[]> {
  return withEpguLetterTerms(await listOverdueRequests(storage.epguRequests, today), storage, today);
}
