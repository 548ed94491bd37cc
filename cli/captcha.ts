import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CaptchaTaskStatus } from '../storage/captcha-tasks.types.ts';
import { loadConfigOrExit } from './config-file.ts';
import { answerCaptchaTask, listCaptchaTasks } from '../queues/captcha-handoff.ts';

/** `konveyer captcha list|answer`: the operator's side of the captcha chain. */
export function registerCaptcha(program: Command): void {
  const cmd = program.command('captcha').description('captchas no solver could read: list them (images to files) and answer them');
  cmd
    .command('list')
    .description('list captcha tasks (open by default) and write their images to a folder')
    .option('--status <status>', 'open | answered | expired', 'open')
    .option('--images <dir>', 'folder for the images (default: <run dir>/captcha)')
    .option('--json', 'print JSON')
    .action(async (opts: { status: string; images?: string; json?: boolean }) => {
      if (!['open', 'answered', 'expired'].includes(opts.status)) {
        process.stderr.write(`--status: expected open, answered or expired, got ${opts.status}\n`);
        process.exitCode = 2;
        return;
      }
      const { openFarm } = await import('../runtime/farm.ts');
      const farm = await openFarm(loadConfigOrExit());
      try {
        const rows = await listCaptchaTasks(farm.storage.captchaTasks, { status: opts.status as CaptchaTaskStatus, imageDir: resolve(opts.images ?? join(farm.config.runDir, 'captcha')) });
        if (opts.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        else if (rows.length === 0) process.stdout.write(`no ${opts.status} captcha tasks\n`);
        else for (const r of rows) process.stdout.write(`${r.id}  ${r.kind}  ${r.target ?? '-'}  lookup ${r.lookupId ?? '-'}  ${r.createdAt}  ${r.image}\n`);
      } finally {
        await farm.close();
      }
    });
  cmd
    .command('answer')
    .description('answer a captcha task; the parked lookup resumes in its site session')
    .argument('<taskId>')
    .argument('<text>', 'the characters on the picture')
    .action(async (taskId: string, text: string) => {
      const { openFarm } = await import('../runtime/farm.ts');
      const farm = await openFarm(loadConfigOrExit());
      try {
        const res = await answerCaptchaTask(
          { captchaTasks: farm.storage.captchaTasks, lookups: farm.storage.lookups, queueFor: farm.queueFor, jobOptions: { attempts: farm.config.queue.attempts, backoffMs: farm.config.queue.backoffMs } },
          taskId,
          text,
        );
        process.stdout.write(`${JSON.stringify({ task: res.task._id, lookup: res.task.lookupId, resumed: res.resumed, note: res.note })}\n`);
      } catch (error) {
        process.stderr.write(`${(error as Error).message}\n`);
        process.exitCode = 2;
      } finally {
        await farm.close();
      }
    });
}
