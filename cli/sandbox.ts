import type { Command } from 'commander';
import { parsePositive } from './robots.ts';
import { waitForShutdown } from '../runtime/shutdown.ts';

/** `konveyer sandbox`: the replicas of the target sites, until Ctrl-C. */
export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .description('serve the replicas of the target sites (Host-header routing on one port)')
    .option('--port <n>', 'port (default: a free one)', (v) => parsePositive(v, '--port'))
    .option('--seed <n>', 'seed of the generated data', (v) => parsePositive(v, '--seed'), 42)
    .action(async (opts: { port?: number; seed: number }) => {
      const { startSandbox } = await import('../sandbox/server.ts');
      const sandbox = await startSandbox({ port: opts.port ?? 0, seed: opts.seed });
      const courts = sandbox.world.courts.map((c: { host: string; code: string; template: string; hasSearchCaptcha: boolean }) => `  ${c.host}  (${c.code}, ${c.template} template${c.hasSearchCaptcha ? ', search captcha' : ''})`);
      process.stdout.write(
        `sandbox at ${sandbox.url} (seed ${opts.seed})\nSANDBOX_ORIGIN=${sandbox.url}\ncourts:\n${courts.join('\n')}\n` +
          `world summary: ${sandbox.url}/__sandbox/world   Ctrl-C stops it.\n`,
      );
      await waitForShutdown();
      await sandbox.close();
    });
}
