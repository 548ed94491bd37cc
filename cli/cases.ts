import type { Command } from 'commander';
import type { Storage } from '../storage/index.ts';
import { idsTimedByLetters, orderNoLongerAwaited, overdueFromLetters } from '../scheduler/letter-overdue.ts';
import { loadConfigOrExit } from './config-file.ts';
import { todayMsk } from './epgu.ts';

/** One row of `konveyer cases overdue`. */
export interface OverdueRow {
  caseNumber: string | null;
  court: string | null;
  expectedEvent: string;
  expectedDate: string;
  daysLate: number;
  rule: string;
  caseKey: string;
  /** The delivered letter whose receipt date started this term (issue 17), when one is linked. */
  letter?: string;
}

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
        const merged = await withLetterTerms(rows, farm.storage, todayMsk(), opts.court?.trim().toLowerCase());
        rows.splice(0, rows.length, ...merged);
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
      const { openFarm } = await import('./farm.ts');
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
export function formatOverdue(rows: OverdueRow[]): string {
  if (rows.length === 0) return 'no overdue cases\n';
  const head = ['case', 'court', 'expected', 'by', 'days late'];
  const body = rows.map((r) => [r.caseNumber ?? r.caseKey, r.court ?? '', r.expectedEvent, r.expectedDate, String(r.daysLate)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return `${[line(head), ...body.map(line)].join('\n')}\n${rows.length} overdue\n`;
}

/**
 * Cases with a delivered letter linked (issue 17): the court's five working days run from the
 * letter's receipt. Their «order_issued» rows from the filing-date guess give way to the letter's
 * term; a letter's term past `today` with no order yet is a row of its own.
 */
export async function withLetterTerms(rows: OverdueRow[], storage: Pick<Storage, 'postalItems' | 'courtCases'>, today: string, courtHost?: string): Promise<OverdueRow[]> {
  const letters = await storage.postalItems.listLinked('court-case');
  const timed = idsTimedByLetters(letters, 'court-case');
  const caseOf = (id: string) => storage.courtCases.model.findById(id, { status: 1, caseNumber: 1, court: 1 }).lean<{ _id: string; status: string; caseNumber: string | null; court: { host: string | null } }>();
  const late = await overdueFromLetters(letters, 'court-case', today, async (d) => orderNoLongerAwaited((await caseOf(d.id))?.status));
  const out = rows.filter((r) => !(r.expectedEvent === 'order_issued' && timed.has(r.caseKey)));
  for (const l of late) {
    const c = await caseOf(l.deadline.id);
    if (courtHost && c?.court?.host !== courtHost) continue;
    out.push({ caseNumber: c?.caseNumber ?? null, court: c?.court?.host ?? null, expectedEvent: 'order_issued', expectedDate: l.deadline.due, daysLate: l.daysLate, rule: l.deadline.rule, caseKey: l.deadline.id, letter: l.barcode });
  }
  return out.sort((a, b) => b.daysLate - a.daysLate || a.caseKey.localeCompare(b.caseKey));
}
