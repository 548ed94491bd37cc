/**
 * CPU time and memory of a process and its descendants, read from /proc (Linux only).
 * RSS sums over-count pages shared between processes (Chromium shares a lot), so a process tree is
 * measured by PSS from `smaps_rollup`, which splits each shared page between its users.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** `VmRSS` of one process in MiB, or null when it is gone. */
export function vmRssMb(pid: number): number | null {
  const kb = statusFieldKb(pid, 'VmRSS');
  return kb === null ? null : kb / 1024;
}

function statusFieldKb(pid: number, field: string): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Every live descendant of `pid` (children, grandchildren …), not `pid` itself. */
export function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the parent pid; the command (field 2) may hold spaces, so
      // split after its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(entry), Number(rest[1]));
    } catch {
      // the process exited between readdir and read
    }
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.shift()!;
    for (const [child, parent] of parentOf) {
      if (parent === p) {
        out.push(child);
        queue.push(child);
      }
    }
  }
  return out;
}

/** User + system CPU seconds a process has used so far (0 when it is gone). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15, in clock ticks (100 per second on Linux).
    return (Number(rest[11]) + Number(rest[12])) / 100;
  } catch {
    return 0;
  }
}

/** Pids of the descendants of `pid` whose command name starts with `prefix`. */
export function descendantsNamed(pid: number, prefix: string): number[] {
  return descendants(pid).filter((p) => commOf(p).startsWith(prefix));
}

/** `Pss` of one process in MiB from smaps_rollup, or 0 when it is gone or unreadable. */
export function pssMb(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** The command name (`comm`) of a process, or '' when it is gone. */
export function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** One memory sample of a process: its own RSS, and PSS of its Chromium descendants. */
export interface MemorySample {
  rssMb: number;
  /** Sum of PSS over descendants whose command starts with `chrom` (0 when there are none). */
  chromiumPssMb: number;
  chromiumProcesses: number;
}

/** Samples a process every `intervalMs` and keeps the peaks; `stop()` returns them. */
export class MemorySampler {
  private readonly timer: NodeJS.Timeout;
  private peak: MemorySample = { rssMb: 0, chromiumPssMb: 0, chromiumProcesses: 0 };
  private samples = 0;

  /** @param withChromium also walk the descendants for Chromium PSS (costs ~ms per sample). */
  constructor(private readonly pid: number, private readonly withChromium: boolean, intervalMs = 250) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
    this.sample();
  }

  private sample(): void {
    const rss = vmRssMb(this.pid);
    if (rss === null) return;
    this.samples += 1;
    this.peak.rssMb = Math.max(this.peak.rssMb, rss);
    if (!this.withChromium) return;
    const chrome = descendantsNamed(this.pid, 'chrom');
    const pss = chrome.reduce((sum, p) => sum + pssMb(p), 0);
    this.peak.chromiumPssMb = Math.max(this.peak.chromiumPssMb, pss);
    this.peak.chromiumProcesses = Math.max(this.peak.chromiumProcesses, chrome.length);
  }

  /** Stops sampling; the peaks over the sampled period. */
  stop(): MemorySample & { samples: number } {
    clearInterval(this.timer);
    this.sample();
    return { ...this.peak, samples: this.samples };
  }
}
