/**
 * Child processes of the embedded services (redis-server, mongod, ferretdb): spawned so that they
 * die with their parent, recorded in `<runDir>/pids/` so a later start reaps any left behind.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { KonveyerError } from '../../core/errors.ts';

/** An embedded service that could not be found, started, or reached. */
export class EmbeddedServiceError extends KonveyerError {
  override readonly code = 'service_unavailable';
}

/** What {@link spawnService} needs. */
export interface SpawnServiceOptions {
  /** Short name, also the pid file's and log file's name: `redis`, `mongod`, `ferretdb`. */
  name: string;
  command: string;
  args: string[];
  /** The run directory; the pid file goes to `<runDir>/pids/<name>.json`, the log to `<runDir>/<name>.log`. */
  runDir: string;
}

/** A running child service. */
export interface ServiceProcess {
  name: string;
  pid: number;
  /** Where its stdout and stderr go. */
  logFile: string;
  /** Resolves with the exit code (or null when killed by a signal) once the process has exited. */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs` (default 10 000); resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

interface PidRecord {
  pid: number;
  parentPid: number;
  command: string;
}

const live = new Map<number, string>();
let hooksInstalled = false;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/** Kills every live child on exit and on SIGINT/SIGTERM/SIGHUP, then lets the signal do its default. */
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.once('exit', () => {
    for (const pid of live.keys()) killQuietly(pid, 'SIGTERM');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      for (const pid of live.keys()) killQuietly(pid, 'SIGTERM');
      process.off(signal, onSignal);
      // Nobody else handles it (a CLI role would): behave as Node would without us.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/**
 * A detached `sh` loop that SIGTERMs (then SIGKILLs) the child once the parent is gone, even when
 * the parent was SIGKILLed and its exit hooks never ran. It ends by itself when the child exits.
 */
function startWatchdog(childPid: number): void {
  const script =
    'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; ' +
    'if kill -0 "$2" 2>/dev/null; then kill -TERM "$2"; sleep 5; kill -KILL "$2"; fi 2>/dev/null; exit 0';
  const watchdog = spawn('sh', ['-c', script, 'konveyer-watchdog', String(process.pid), String(childPid)], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.on('error', () => undefined);
  watchdog.unref();
}

function processCommand(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * Kills services recorded under `runDir` or its sibling run directories whose parent process is
 * gone, and removes their pid files. Services of a parent still alive (another run) are left alone.
 * @returns the pids killed.
 */
export function reapStale(runDir: string): number[] {
  const killed: number[] = [];
  const parent = dirname(runDir);
  let siblings: string[] = [];
  try {
    siblings = readdirSync(parent).map((d) => join(parent, d, 'pids'));
  } catch {
    siblings = [];
  }
  for (const pidDir of new Set([join(runDir, 'pids'), ...siblings])) {
    let files: string[];
    try {
      files = readdirSync(pidDir).filter((f) => f.endsWith('.json'));
    } catch {
      continue;
    }
    for (const file of files) {
      const path = join(pidDir, file);
      let record: PidRecord;
      try {
        record = JSON.parse(readFileSync(path, 'utf8')) as PidRecord;
      } catch {
        rmSync(path, { force: true });
        continue;
      }
      if (isAlive(record.parentPid) && record.parentPid !== process.pid) continue;
      const command = processCommand(record.pid);
      // Only kill what is still the same program: pids get reused.
      if (command !== null && basename(command) === basename(record.command) && !live.has(record.pid)) {
        killQuietly(record.pid, 'SIGKILL');
        killed.push(record.pid);
      }
      if (!live.has(record.pid)) rmSync(path, { force: true });
    }
  }
  return killed;
}

/**
 * Spawns a service as a child of this process (stdout/stderr to its log file), records its pid,
 * and makes sure it dies with this process.
 * @throws EmbeddedServiceError when the command cannot be spawned.
 */
export async function spawnService(options: SpawnServiceOptions): Promise<ServiceProcess> {
  const { name, command, args, runDir } = options;
  mkdirSync(join(runDir, 'pids'), { recursive: true });
  const logFile = join(runDir, `${name}.log`);
  const logFd = openSync(logFile, 'a');
  const child = spawn(command, args, { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  const exited = new Promise<number | null>((resolveExit) => {
    child.once('exit', (code) => resolveExit(code));
    child.once('error', () => resolveExit(-1));
  });
  const pid = await new Promise<number>((resolveSpawn, reject) => {
    child.once('spawn', () => resolveSpawn(child.pid as number));
    child.once('error', (error) =>
      reject(new EmbeddedServiceError(`cannot start ${name}: ${command}: ${error.message}`, { cause: error })),
    );
  });
  installExitHooks();
  live.set(pid, name);
  const pidFile = join(runDir, 'pids', `${name}.json`);
  const record: PidRecord = { pid, parentPid: process.pid, command };
  writeFileSync(pidFile, JSON.stringify(record));
  startWatchdog(pid);
  void exited.then(() => {
    live.delete(pid);
    rmSync(pidFile, { force: true });
  });

  let stopping: Promise<void> | null = null;
  const stop = (graceMs = 10_000): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };
  return { name, pid, logFile, exited, stop };
}

/** The last `maxChars` of a log file, for error messages. */
export function logTail(logFile: string, maxChars = 1500): string {
  try {
    const text = readFileSync(logFile, 'utf8');
    return text.slice(-maxChars).trim();
  } catch {
    return '';
  }
}
