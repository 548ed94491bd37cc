import type { Command } from 'commander';
import type { DemoOptions } from './demo.run.ts';
import { parsePositive } from './robots.ts';


/**
 * `konveyer demo`: the whole farm on one machine against the sandbox — services, sandbox, a robot
 * pool — then a generated batch with progress bars and a summary.
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the whole farm against the sandbox and submit a generated batch')
    .option('--size <n>', 'court lookups in the batch', (v) => parsePositive(v, '--size'), 240)
    .option('--browser-share <pct>', 'percent of lookups run in browser mode', (v) => Number(v), 10)
    .option('--seed <n>', 'sandbox data seed', (v) => parsePositive(v, '--seed'), 42)
    .option('--exit-after-batch', 'stop everything and exit once every lookup of the batch is final (for scripts)')
    .action(async (opts: DemoOptions) => (await import('./demo.run.ts')).runDemo(opts));
}
