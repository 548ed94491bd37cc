import type { Command } from 'commander';
import type { Storage } from '../storage/index.ts';
import type { EpguRequestDoc, EpguRequestStore } from '../storage/types.ts';
import { idsTimedByLetters, overdueFromLetters } from '../scheduler/letter-overdue.ts';
import { loadConfigOrExit } from './config-file.ts';

/** One row of `konveyer epgu overdue`. */
export interface OverdueRow {
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

/** Requests with no answer whose due date is before `today` (ISO date, Moscow), most late first. */
export async function listOverdueRequests(requests: EpguRequestStore, today: string): Promise<OverdueRow[]> {
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

/** Today in Moscow (the bailiffs' calendar day). */
export const todayMsk = (now = new Date()) => new Date(now.getTime() + 3 * 3600_000).toISOString().slice(0, 10);

/** `konveyer epgu overdue [--today YYYY-MM-DD] [--json]`. */
export function registerEpgu(program: Command): void {
  const epgu = program.command('epgu').description('EPGU applications to FSSP: deadlines');
  epgu
    .command('overdue')
    .description('requests past their due date (10 working days after registration, 229-ФЗ ст.64.1) with no answer')
    .option('--today <date>', 'count as of this date (YYYY-MM-DD, default today in Moscow)')
    .option('--json', 'JSON instead of a table')
    .action(async (opts: { today?: string; json?: boolean }) => {
      if (opts.today && !/^\d{4}-\d{2}-\d{2}$/.test(opts.today)) {
        process.stderr.write('--today must be YYYY-MM-DD\n');
        process.exitCode = 2;
        return;
      }
      const { openFarm } = await import('./farm.ts');
      const farm = await openFarm(loadConfigOrExit());
      try {
        const today = opts.today ?? todayMsk();
        const rows = await withLetterTerms(await listOverdueRequests(farm.storage.epguRequests, today), farm.storage, today);
        if (opts.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        else {
          process.stdout.write(`${rows.length} overdue\n`);
          for (const r of rows) process.stdout.write(`${r.dueDate}  ${r.applicationNumber ?? '-'}  ${r.ipNumber}  ${r.kind}  ${r.status}  ${r.account}  ${r.id}\n`);
        }
      } finally {
        await farm.close();
      }
    });
}

/**
 * Terms from delivered letters (issue 17): a letter linked to an EPGU request moves that request's
 * due date to its receipt + the answer term; a letter linked to an ИП number (an executive document
 * sent to the ОСП) must see the ИП opened within 3 + 3 working days of receipt (229-ФЗ ст.30 ч.7–8)
 * — a row (kind `ip_opened`) while no proceeding of that number is stored.
 */
export async function withLetterTerms(rows: OverdueRow[], storage: Pick<Storage, 'postalItems' | 'epguRequests' | 'enforcementProceedings'>, today: string): Promise<OverdueRow[]> {
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
