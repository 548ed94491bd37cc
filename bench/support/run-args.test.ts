/**
 * The long runners' command line (bench/support/run-args.ts), through the runners themselves: a
 * mistyped name or flag must stop at once with the usage, not start an hour of benchmarks.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../storage/embedded/index.ts';

const run = (script: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });

describe('bench/run.ts and soak/run.ts arguments', () => {
  it('--help prints the usage with every name and exits 0', () => {
    const bench = run('bench/run.ts', '--help');
    expect(bench.status).toBe(0);
    expect(bench.stdout).toMatch(/usage: npx tsx bench\/run\.ts \[--quick\] \[--only NAME,NAME…\]/);
    expect(bench.stdout).toContain('http-mode');
    const soak = run('soak/run.ts', '-h');
    expect(soak.status).toBe(0);
    expect(soak.stdout).toContain('crash, restart, kill, faults, bad-input, auth, security, clients');
  });

  it('refuses an unknown name, an unknown flag and a bare --only with exit 2, running nothing', () => {
    for (const [script, args, message] of [
      ['bench/run.ts', ['--only', 'http'], 'unknown name http'],
      ['bench/run.ts', ['--quick', '--rounds', '2'], 'unknown argument --rounds'],
      ['soak/run.ts', ['--only', 'crash,crsh'], 'unknown name crsh'],
      ['soak/run.ts', ['--only'], '--only needs a list of names'],
    ] as const) {
      const r = run(script, ...args);
      expect(r.status, `${script} ${args.join(' ')}`).toBe(2);
      expect(r.stderr).toContain(message);
      // Nothing started: no benchmark header, no soak progress line.
      expect(r.stdout).toBe('');
    }
  });
});
