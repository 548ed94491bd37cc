import type { Command } from 'commander';
import type { EpguRequestDoc, EpguRequestStore } from '../storage/types.ts';
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
        const rows = await listOverdueRequests(farm.storage.epguRequests, opts.today ?? todayMsk());
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
