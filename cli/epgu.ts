import type { Command } from 'commander';
import { listEpguOverdue, todayMsk } from '../scheduler/epgu-overdue.ts';
import { loadConfigOrExit } from './config-file.ts';

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
      const { openFarm } = await import('../runtime/farm.ts');
      const farm = await openFarm(loadConfigOrExit());
      try {
        const today = opts.today ?? todayMsk();
        const rows = await listEpguOverdue(farm.storage, today);
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
