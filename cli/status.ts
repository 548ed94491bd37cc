import type { Command } from 'commander';
import { loadConfigOrExit } from './config-file.ts';

/** `konveyer status [id]`: one lookup, or counts by status (optionally of one batch). */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('show a lookup, or counts of lookups by status and failures by code')
    .argument('[id]', 'lookup id')
    .option('--batch <id>', 'only this batch')
    .action(async (id: string | undefined, opts: { batch?: string }) => {
      const { openFarm } = await import('../runtime/farm.ts');
      const farm = await openFarm(loadConfigOrExit());
      try {
        if (id) {
          const doc = await farm.storage.lookups.get(id);
          if (!doc) {
            process.stderr.write(`no lookup ${id}\n`);
            process.exitCode = 2;
            return;
          }
          const evidence = await farm.storage.evidence.listByJob(id);
          process.stdout.write(`${JSON.stringify({ ...doc, evidence: evidence.map((e) => ({ id: e._id, seq: e.seq, step: e.step, kind: e.kind, url: e.url, sha256: e.sha256 })) }, null, 2)}\n`);
          return;
        }
        const counts = await farm.storage.lookups.countByStatus({ batchId: opts.batch });
        const failures = await farm.storage.lookups.errorsByCode({ batchId: opts.batch });
        process.stdout.write(`${JSON.stringify({ counts, failuresByCode: failures }, null, 2)}\n`);
      } finally {
        await farm.close();
      }
    });
}
