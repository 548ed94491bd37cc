/**
 * Child processes of the benchmarks: started with their own pid (no npx wrapper in between, so
 * /proc/<pid> is the process being measured) and stopped by that pid only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The repository root (bench/support/../..). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A started child with line access to its stdout. */
export interface Child {
  proc: ChildProcess;
  pid: number;
  /** Resolves with the first stdout line `match` accepts; rejects if the child exits first or after `timeoutMs`. */
  waitForLine(match: (line: string) => boolean, timeoutMs: number): Promise<string>;
  /** Lines of stderr kept for error messages (last 50). */
  stderrTail(): string;
  /** Every stdout line so far. */
  stdoutLines(): string[];
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it exited. */
  stop(graceMs?: number): Promise<void>;
  /** Resolves with the exit code once the child exited and its output is drained. */
  exited: Promise<number | null>;
}

/** Starts `node --import tsx <script> …args` in the repository root. */
export function spawnTs(script: string, args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): Child {
  return spawnChild(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], env);
}

/** Starts a command in the repository root with `env` added to this process's environment. */
export function spawnChild(command: string, args: string[], env: Record<string, string> = {}): Child {
  const proc = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  if (proc.pid === undefined) throw new Error(`could not start ${command} ${args.join(' ')}`);
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const l of listeners) l(line);
  });
  const errTail: string[] = [];
  createInterface({ input: proc.stderr! }).on('line', (line) => {
    errTail.push(line);
    if (errTail.length > 50) errTail.shift();
  });
  // 'close' rather than 'exit': it comes after stdout and stderr are drained, so no line is lost.
  const exited = new Promise<number | null>((resolve) => proc.once('close', (code) => resolve(code)));
  return {
    proc,
    pid: proc.pid,
    exited,
    stderrTail: () => errTail.join('\n'),
    stdoutLines: () => [...lines],
    waitForLine(match, timeoutMs) {
      const seen = lines.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const done = (fn: () => void): void => {
          listeners.delete(onLine);
          clearTimeout(timer);
          fn();
        };
        const onLine = (line: string): void => {
          if (match(line)) done(() => resolve(line));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`child ${proc.pid}: no expected line within ${timeoutMs} ms\n${errTail.join('\n')}`))), timeoutMs);
        listeners.add(onLine);
        void exited.then((code) => done(() => reject(new Error(`child ${proc.pid} exited (${code}) before the expected line\n${errTail.join('\n')}`))));
      });
    },
    async stop(graceMs = 15_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
