import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { isJobName, JOB_NAMES } from '../queues/names.ts';
import type { SubmitRequest } from '../queues/submit.ts';
import { readCsv } from './csv.ts';
import { loadConfigOrExit } from './config-file.ts';

interface SubmitOptions {
  court?: string;
  number?: string;
  uid?: string;
  caseId?: string;
  caseUid?: string;
  section?: string;
  mode?: string;
  clientKey?: string;
  file?: string;
  barcode?: string;
  for?: string;
}

/**
 * `konveyer submit court.case --court HOST --number N` or `--file batch.csv`. Every row is
 * validated first; one bad row refuses the whole batch and nothing is queued (exit 2).
 */
export function registerSubmit(program: Command): void {
  program
    .command('submit')
    .description('submit lookups: one from flags, or a CSV batch (header: court,number,uid,caseId,caseUid,section,mode,clientKey)')
    .argument('<type>', `lookup type: ${JOB_NAMES.join(' | ')}`)
    .option('--court <host>', 'court site host, e.g. leninsky--ufa.sudrf.ru, 5.mo.msudrf.ru, mirsud.spb.ru, mos-sud.ru')
    .option('--number <n>', 'case number, e.g. 2-1234/2025')
    .option('--uid <uid>', 'case UID, e.g. 02RS0004-01-2025-001234-56')
    .option('--case-id <id>', "the site's case_id (sudrf: with --case-uid; msudrf: alone)")
    .option('--case-uid <uuid>', "the site's case_uid (with --case-id)")
    .option('--section <n>', 'magistrate участок on mirsud.spb.ru (with --number) or mos-sud.ru (with --case-uid, or optional with --number)')
    .option('--mode <mode>', 'http | browser (default: the target config)')
    .option('--client-key <key>', 'idempotency key: the same key twice returns the first lookup')
    .option('--file <csv>', 'CSV batch instead of the flags')
    .option('--barcode <id>', 'post.tracking: the letter\'s ШПИ (14 digits) or UPU S10 identifier (e.g. RS253346199NL); CSV header barcode,for')
    .option('--for <link>', 'post.tracking: what the letter is for: court-case:<id> | ip:<ИП number> | epgu:<request id> | ref:<text>')
    .action(async (type: string, opts: SubmitOptions) => {
      if (!isJobName(type)) {
        process.stderr.write(`unknown lookup type "${type}": expected one of ${JOB_NAMES.join(', ')}\n`);
        process.exitCode = 2;
        return;
      }
      let requests: SubmitRequest[];
      if (opts.file) {
        let rows: ReturnType<typeof readCsv>;
        try {
          rows = readCsv(await readFile(opts.file, 'utf8'));
        } catch (error) {
          // An unreadable or broken file is bad input (exit 2 with the reason), not a crash.
          process.stderr.write(`--file ${opts.file}: ${(error as Error).message}\nnothing was queued\n`);
          process.exitCode = 2;
          return;
        }
        requests = rows.map(({ clientKey, ...input }) => ({ type, input, clientKey }));
      } else {
        const input = Object.fromEntries(
          Object.entries({ court: opts.court, number: opts.number, uid: opts.uid, caseId: opts.caseId, caseUid: opts.caseUid, section: opts.section, mode: opts.mode, barcode: opts.barcode, for: opts.for }).filter(([, v]) => v !== undefined),
        );
        requests = [{ type, input, clientKey: opts.clientKey }];
      }
      const [{ openFarm }, { submitLookups, SubmitRejectedError }, { groupLetterRequests }] = await Promise.all([import('../runtime/farm.ts'), import('../queues/submit.ts'), import('../queues/post-tracking.payload.ts')]);
      const farm = await openFarm(loadConfigOrExit());
      // Letters of a CSV batch go through batch access when there are more than a few (issue 17).
      if (type === 'post.tracking') requests = groupLetterRequests(requests, farm.config.postTracking.batchMin);
      try {
        const res = await submitLookups(
          { lookups: farm.storage.lookups, queueFor: farm.queueFor, jobOptions: { attempts: farm.config.queue.attempts, backoffMs: farm.config.queue.backoffMs } },
          requests,
        );
        process.stdout.write(`${JSON.stringify(res, null, 2)}\n`);
      } catch (error) {
        if (!(error instanceof SubmitRejectedError)) throw error;
        for (const r of error.rows) process.stderr.write(`row ${r.row}: ${r.errors.join('; ')}\n`);
        process.stderr.write('nothing was queued\n');
        process.exitCode = 2;
      } finally {
        await farm.close();
      }
    });
}
