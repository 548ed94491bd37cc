import type { Command } from 'commander';
import { listOverdueCases, type CaseOverdueRow } from '../scheduler/case-overdue.ts';
import { todayMsk } from '../scheduler/epgu-overdue.ts';
import { loadConfigOrExit } from './config-file.ts';

/** `konveyer cases overdue [--court H] [--json]`: cases whose court is late, most days late first. */
export function registerCases(program: Command): void {
  const cases = program.command('cases').description('tracked court cases: overdue ones, when final');
  registerCaseFinality(cases);
  cases
    .command('overdue')
    .description('cases with no movement past their expected date (as of the last scheduler pass)')
    .option('--court <host>', 'only this court host')
    .option('--json', 'JSON lines instead of a table')
    .action(async (opts: { court?: string; json?: boolean }) => {
      const { openFarm } = await import('../runtime/farm.ts');
      const farm = await openFarm(loadConfigOrExit());
      try {
        const rows = await listOverdueCases(farm.storage, { today: todayMsk(), courtHost: opts.court?.trim().toLowerCase() });
        process.stdout.write(opts.json ? rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '') : formatOverdue(rows));
      } finally {
        await farm.close();
      }
    });
}

/** What `konveyer cases finality <caseKey>` prints: the entry into force and how it was obtained. */
export interface FinalityReport {
  caseKey: string;
  caseNumber: string | null;
  status: string;
  effectiveAt: string | null;
  effectiveAtSource: string | null;
  effectiveAtRule: string | null;
  /** The scheduler's last reading (scheduler/case-finality.ts): state, derived date, rule, assumptions, steps. */
  finality: unknown;
  final: boolean;
}

/** Registers `konveyer cases finality <caseKey>` on the `cases` command. */
export function registerCaseFinality(cases: Command): void {
  cases
    .command('finality <caseKey>')
    .description('when a case is final: the entry into force shown on the page or derived by law, with the rule and assumptions')
    .action(async (caseKey: string) => {
      const { openFarm } = await import('../runtime/farm.ts');
      const farm = await openFarm(loadConfigOrExit());
      try {
        const d = await farm.storage.courtCases.get(caseKey);
        if (!d) {
          process.stdout.write(`${JSON.stringify({ error: { code: 'not_found', message: `no court case ${caseKey}` } })}\n`);
          process.exitCode = 2;
          return;
        }
        const report: FinalityReport = {
          caseKey: d._id, caseNumber: d.caseNumber, status: d.status, effectiveAt: d.effectiveAt,
          effectiveAtSource: d.effectiveAtSource ?? (d.effectiveAt ? 'shown' : null), effectiveAtRule: d.effectiveAtRule ?? null,
          finality: d.schedule?.finality ?? null, final: d.schedule?.final ?? false,
        };
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } finally {
        await farm.close();
      }
    });
}

/** A plain text table: case number, court, expected event, expected date, days late. */
function formatOverdue(rows: CaseOverdueRow[]): string {
  if (rows.length === 0) return 'no overdue cases\n';
  const head = ['case', 'court', 'expected', 'by', 'days late'];
  const body = rows.map((r) => [r.caseNumber ?? r.caseKey, r.court ?? '', r.expectedEvent, r.expectedDate, String(r.daysLate)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return `${[line(head), ...body.map(line)].join('\n')}\n${rows.length} overdue\n`;
}
