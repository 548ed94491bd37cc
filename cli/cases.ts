import type { Command } from 'commander';
import { loadConfigOrExit } from './config-file.ts';

/** One row of `konveyer cases overdue`. */
export interface OverdueRow {
  caseNumber: string | null;
  court: string | null;
  expectedEvent: string;
  expectedDate: string;
  daysLate: number;
  rule: string;
  caseKey: string;
}

/** `konveyer cases overdue [--court H] [--json]`: cases whose court is late, most days late first. */
export function registerCases(program: Command): void {
  const cases = program.command('cases').description('tracked court cases: overdue ones');
  cases
    .command('overdue')
    .description('cases with no movement past their expected date (as of the last scheduler pass)')
    .option('--court <host>', 'only this court host')
    .option('--json', 'JSON lines instead of a table')
    .action(async (opts: { court?: string; json?: boolean }) => {
      const { openFarm } = await import('./farm.ts');
      const farm = await openFarm(loadConfigOrExit());
      try {
        const docs = await farm.storage.schedules.listOverdue({ courtHost: opts.court?.trim().toLowerCase() });
        const rows: OverdueRow[] = docs.map((d) => ({
          caseNumber: d.caseNumber,
          court: d.court.host,
          expectedEvent: d.schedule?.expected?.event ?? '',
          expectedDate: d.schedule?.expected?.date ?? '',
          daysLate: d.schedule?.daysLate ?? 0,
          rule: d.schedule?.expected?.rule ?? '',
          caseKey: d._id,
        }));
        process.stdout.write(opts.json ? rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '') : formatOverdue(rows));
      } finally {
        await farm.close();
      }
    });
}

/** A plain text table: case number, court, expected event, expected date, days late. */
export function formatOverdue(rows: OverdueRow[]): string {
  if (rows.length === 0) return 'no overdue cases\n';
  const head = ['case', 'court', 'expected', 'by', 'days late'];
  const body = rows.map((r) => [r.caseNumber ?? r.caseKey, r.court ?? '', r.expectedEvent, r.expectedDate, String(r.daysLate)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return `${[line(head), ...body.map(line)].join('\n')}\n${rows.length} overdue\n`;
}
