import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { epguExportRows, writeEpguExport } from '../api/epgu-export.ts';
import { loadConfigOrExit } from './config-file.ts';

const FORMATS = ['csv', 'xlsx', 'jsonl'] as const;

/** `konveyer export epgu --from --to --format csv|xlsx|jsonl [--out F]`. */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export records: `export epgu` = one row per EPGU answer with its extracted fields')
    .argument('<what>', 'epgu')
    .option('--from <date>', 'received on or after (YYYY-MM-DD or ISO)')
    .option('--to <date>', 'received before (YYYY-MM-DD or ISO)')
    .option('--format <f>', 'csv | xlsx | jsonl', 'csv')
    .option('--out <file>', 'file to write (default stdout; xlsx needs --out)')
    .action(async (what: string, opts: { from?: string; to?: string; format: string; out?: string }) => {
      const fail = (msg: string) => {
        process.stderr.write(`${msg}\n`);
        process.exitCode = 2;
      };
      if (what !== 'epgu') return fail(`unknown export "${what}": expected epgu`);
      if (!(FORMATS as readonly string[]).includes(opts.format)) return fail(`--format must be one of ${FORMATS.join(', ')}`);
      const date = (s: string | undefined, name: string) => {
        if (!s) return undefined;
        const d = new Date(s);
        if (Number.isNaN(d.getTime())) throw new Error(`${name}: not a date: ${s}`);
        return d;
      };
      let range;
      try {
        range = { from: date(opts.from, '--from'), to: date(opts.to, '--to') };
      } catch (e) {
        return fail((e as Error).message);
      }
      if (opts.format === 'xlsx' && !opts.out) return fail('--format xlsx needs --out FILE');
      const { openFarm } = await import('../runtime/farm.ts');
      const farm = await openFarm(loadConfigOrExit());
      try {
        const rows = await epguExportRows(farm.storage, range);
        await writeEpguExport(rows, opts.format as (typeof FORMATS)[number], opts.out ? createWriteStream(opts.out) : process.stdout);
        process.stderr.write(`${rows.length} answers exported\n`);
      } finally {
        await farm.close();
      }
    });
}
