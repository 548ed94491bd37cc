import { readdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { browserMemory } from '../core/metrics.ts';
import type { Logger } from '../core/logger.ts';
import type { RobotBeat, RobotHeartbeatStore } from '../storage/robots.types.ts';

/** A process below a root pid, as /proc shows it. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  comm: string;
  rssBytes: number;
  cmdline: string;
}

/**
 * Every descendant of `rootPid` (not itself), from /proc. Empty where /proc is absent. Used for the
 * browsers' memory (recycling) and by the shutdown test to prove no Chromium is left behind.
 */
export function descendantsOf(rootPid: number): ProcessInfo[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const all: ProcessInfo[] = [];
  for (const e of entries) {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      // comm may hold spaces and parentheses: the fields after it start at the last ')'.
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      const rssPages = Number(fields[21]);
      const cmdline = readFileSync(`/proc/${e}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      all.push({ pid: Number(e), ppid: Number(fields[1]), comm, rssBytes: rssPages * 4096, cmdline });
    } catch {
      // The process ended while we looked.
    }
  }
  const out: ProcessInfo[] = [];
  const parents = new Set([rootPid]);
  // Parents are not always listed before children; repeat until nothing new is found.
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (!parents.has(p.pid) && parents.has(p.ppid)) {
        parents.add(p.pid);
        out.push(p);
        grew = true;
      }
    }
  }
  return out;
}

/** Chromium processes among `processes` (the browser and its renderers, GPU, zygotes). */
export const chromiumOf = (processes: ProcessInfo[]) => processes.filter((p) => /chrom/i.test(p.comm) || /chrom(e|ium)/i.test(p.cmdline.split(' ')[0] ?? ''));

export interface HeartbeatOptions {
  store: RobotHeartbeatStore;
  redis: Redis;
  prefix: string;
  robotId: string;
  role: string;
  queues: string[];
  concurrency: number;
  /** How often the beat is written; default 10 000 ms. The drain flag is checked every second. */
  intervalMs?: number;
  /** Browser memory above which `onRecycle` is called (0 = never). */
  recycleBytes?: number;
  /** Pages opened so far (from the browser pool). */
  pagesOpened?: () => number;
  /** Called when ops asked this robot (or all robots started before that moment) to drain. */
  onDrain?: () => void;
  /** Called when the browsers use more than `recycleBytes`. */
  onRecycle?: (browserBytes: number) => void;
  log: Logger;
}

/** Redis keys ops set to drain robots: all robots started before the stored time, or one robot. */
export const drainKeys = (prefix: string, robotId: string) => ({ all: `${prefix}:drain:all`, robot: `${prefix}:drain:robot:${robotId}` });

/**
 * A robot process's heartbeat: every `intervalMs` it upserts its document in `robots` (host, pid,
 * role, concurrency, current jobs, memory, browsers, last seen); every second it checks the drain
 * flags ops set (`konveyer ops drain`), and it measures its Chromium processes' memory for recycling.
 */
export class RobotHeartbeat {
  private readonly startedAt = new Date();
  private readonly jobs = new Set<string>();
  private status: RobotBeat['status'] = 'running';
  private beatTimer: NodeJS.Timeout | null = null;
  private drainTimer: NodeJS.Timeout | null = null;
  private drainSignalled = false;
  private recycling = false;

  constructor(private readonly options: HeartbeatOptions) {}

  /** Writes the first beat and starts the timers. */
  async start(): Promise<void> {
    await this.beat();
    this.beatTimer = setInterval(() => void this.beat().catch((err) => this.options.log.warn({ err }, 'heartbeat failed')), this.options.intervalMs ?? 10_000);
    this.drainTimer = setInterval(() => void this.checkDrain().catch(() => undefined), 1000);
    this.beatTimer.unref();
    this.drainTimer.unref();
  }

  jobStarted(id: string): void {
    this.jobs.add(id);
  }

  jobEnded(id: string): void {
    this.jobs.delete(id);
  }

  get currentJobs(): number {
    return this.jobs.size;
  }

  /** Marks the robot draining (no new jobs) in its next beat. */
  async setDraining(): Promise<void> {
    this.status = 'draining';
    await this.beat().catch(() => undefined);
  }

  /** Stops the timers and marks the robot stopped. */
  async stop(): Promise<void> {
    if (this.beatTimer) clearInterval(this.beatTimer);
    if (this.drainTimer) clearInterval(this.drainTimer);
    this.beatTimer = this.drainTimer = null;
    await this.options.store.markStopped(this.options.robotId).catch(() => undefined);
  }

  /** Writes one beat now; also decides about recycling the browsers. */
  async beat(): Promise<void> {
    const chromium = chromiumOf(descendantsOf(process.pid));
    const browserBytes = chromium.reduce((sum, p) => sum + p.rssBytes, 0);
    browserMemory.set(browserBytes);
    const recycleBytes = this.options.recycleBytes ?? 0;
    if (recycleBytes > 0 && browserBytes > recycleBytes && !this.recycling && this.options.onRecycle) {
      this.recycling = true;
      try {
        this.options.onRecycle(browserBytes);
      } finally {
        this.recycling = false;
      }
    }
    await this.options.store.beat({
      _id: this.options.robotId,
      host: hostname(),
      pid: process.pid,
      role: this.options.role,
      queues: this.options.queues,
      concurrency: this.options.concurrency,
      currentJobs: this.jobs.size,
      jobIds: [...this.jobs].slice(0, 50),
      rssBytes: process.memoryUsage().rss,
      browserBytes,
      // Browser processes are the ones without a --type= (renderers, GPU and utilities have one).
      browsers: chromium.filter((p) => !p.cmdline.includes('--type=')).length,
      pagesOpened: this.options.pagesOpened?.() ?? 0,
      status: this.status,
      startedAt: this.startedAt,
      lastSeenAt: new Date(),
    });
  }

  private async checkDrain(): Promise<void> {
    if (this.drainSignalled) return;
    const keys = drainKeys(this.options.prefix, this.options.robotId);
    const [all, one] = await this.options.redis.mget(keys.all, keys.robot);
    if (one || (all && Number(all) >= this.startedAt.getTime())) {
      this.drainSignalled = true;
      this.options.log.info({ robot: this.options.robotId }, 'drain requested by ops');
      this.options.onDrain?.();
    }
  }
}
