import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { lookupJobOptions, type JobOptionsConfig } from '../../queues/job-options.ts';
import { JOB_NAMES, isJobName, type JobName } from '../../queues/names.ts';
import { CircuitBreaker, healthKey, type CircuitState } from '../../runtime/circuit-breaker.ts';
import { drainKeys } from '../../runtime/heartbeat.ts';
import { Politeness, type HostLimit } from '../../runtime/politeness.ts';
import type { CaptchaTaskStore } from '../../storage/captcha-tasks.types.ts';
import type { LookupDoc, LookupStatus, LookupStore } from '../../storage/lookups.types.ts';
import type { RobotBeat, RobotHeartbeatStore } from '../../storage/robots.types.ts';

/** What the ops functions need; shared by the dashboard (api/ops) and `konveyer ops`. Borrowed, never closed here. */
export interface OpsDeps {
  redis: Redis;
  /** QUEUE_PREFIX: BullMQ and Redis keys. */
  prefix: string;
  queueFor: (name: JobName) => Queue;
  lookups: LookupStore;
  robots: RobotHeartbeatStore;
  jobOptions: JobOptionsConfig;
  politeness: { default: HostLimit; hosts: Record<string, HostLimit> };
  /** Appends to `audit_log` (discards are recorded there). */
  auditLog?: {
    record(entry: { actor: string; action: string; target?: string | null; details?: Record<string, unknown> }): Promise<unknown>;
    /** Newest first; read for the last `konveyer evidence verify`. */
    list?(filter: { action?: string }, limit?: number): Promise<Array<{ at: Date; details?: Record<string, unknown> | null }>>;
  };
  /** Open captcha tasks (the hand-off); read for the waiting count and age. */
  captchaTasks?: Pick<CaptchaTaskStore, 'list'>;
  /** Robots are "online" when seen within this many ms; default 3 heartbeat intervals (30 s). */
  onlineWithinMs?: number;
}

/** Which failed lookups a retry or discard applies to: one id, or every failed one with a code and/or of a batch. */
export interface FailedFilter {
  id?: string;
  code?: string;
  batch?: string;
  /** Status to pick; default `failed` (`needs_human` lookups can be retried too). */
  status?: Extract<LookupStatus, 'failed' | 'needs_human'>;
  /** At most this many; default 1000. */
  limit?: number;
}

/** Health of one target host over the last `windowMins` minutes, as the robots reported it through Redis. */
export interface HostHealth {
  host: string;
  requests: number;
  ok: number;
  failures: number;
  /** ok / requests, null when there were none. */
  successRate: number | null;
  avgLatencyMs: number | null;
  circuit: CircuitState;
  circuitFailures: number;
  openUntil: number | null;
  limit: HostLimit;
  /** True when the limit was set while the farm runs (not from config). */
  limitOverridden: boolean;
  paused: boolean;
}

/**
 * The ops side of the farm: pause/resume a host or a queue, retry/discard failed lookups, drain
 * robots, and read queue counts, robots, host health and failures. Every robot sees these through
 * Redis (pause flags, circuit states, limits, drain flags) or BullMQ.
 */
export class OpsService {
  private readonly politenessStore: Politeness;
  private readonly breaker: CircuitBreaker;
  constructor(private readonly deps: OpsDeps) {
    this.politenessStore = new Politeness({ redis: deps.redis, prefix: deps.prefix, defaultLimit: deps.politeness.default, hostLimits: deps.politeness.hosts, limitsCacheMs: 0 });
    this.breaker = new CircuitBreaker({ redis: deps.redis, prefix: deps.prefix });
  }

  /** Pauses a queue (a job name: workers stop taking its jobs) or a target host (robots wait on it). */
  async pause(target: string): Promise<{ kind: 'queue' | 'host'; target: string }> {
    if (isJobName(target)) {
      await this.deps.queueFor(target).pause();
      return { kind: 'queue', target };
    }
    const host = assertHost(target);
    // Remembered so that a host paused before any robot reported on it is still listed (hosts(), /metrics).
    await this.deps.redis.sadd(`${this.deps.prefix}:ops:hosts`, host);
    await this.politenessStore.pause(host);
    return { kind: 'host', target };
  }

  async resume(target: string): Promise<{ kind: 'queue' | 'host'; target: string }> {
    if (isJobName(target)) {
      await this.deps.queueFor(target).resume();
      return { kind: 'queue', target };
    }
    await this.politenessStore.resume(assertHost(target));
    return { kind: 'host', target };
  }

  /** Sets a host's politeness limit for the whole farm while it runs; null = back to config. */
  async setLimit(host: string, limit: HostLimit | null): Promise<void> {
    if (limit && !(limit.rps > 0 && Number.isInteger(limit.concurrency) && limit.concurrency >= 1)) throw new Error('limit: rps > 0 and concurrency ≥ 1 expected');
    await this.politenessStore.setLimit(assertHost(host), limit);
  }

  /** Closes a host's circuit by hand. */
  async resetCircuit(host: string): Promise<void> {
    await this.breaker.reset(assertHost(host));
  }

  /**
   * Retries failed lookups: for each, the failed BullMQ job is removed and the job re-added with
   * jobId = lookup id (fresh attempts), and the lookup goes back to `queued` (its last error kept).
   * With an id or a batch it also re-queues that lookup's / batch's orphans: lookups `queued` whose
   * job does not exist (a crash or a Redis outage between store and enqueue), added under their own
   * job id, so a job that exists meanwhile is never doubled.
   */
  async retry(filter: FailedFilter): Promise<string[]> {
    const done: string[] = [];
    const orphans = await this.orphansOf(filter);
    const failed = filter.id && orphans.length > 0 ? [] : await this.select(filter);
    for (const lookup of failed) {
      if (!isJobName(lookup.type)) continue;
      const queue = this.deps.queueFor(lookup.type);
      const job = await queue.getJob(lookup._id);
      if (job) await job.remove();
      await this.deps.lookups.markRetrying(lookup._id, lookup.error ?? { code: 'retried', kind: 'ops', message: 'retried by ops' });
      await queue.add(lookup.type, { lookupId: lookup._id, input: lookup.input } as never, lookupJobOptions(lookup._id, this.deps.jobOptions));
      done.push(lookup._id);
    }
    for (const lookup of orphans) {
      await this.deps.queueFor(lookup.type as JobName).add(lookup.type, { lookupId: lookup._id, input: lookup.input } as never, lookupJobOptions(lookup._id, this.deps.jobOptions));
      done.push(lookup._id);
    }
    return done;
  }

  /** `queued` lookups of the filter's id or batch whose BullMQ job is gone (none for a code-only filter). */
  private async orphansOf(filter: FailedFilter): Promise<LookupDoc[]> {
    if (filter.code || (filter.status && filter.status !== 'failed')) return [];
    let candidates: LookupDoc[] = [];
    if (filter.id) {
      const one = await this.deps.lookups.get(filter.id);
      candidates = one && one.status === 'queued' ? [one] : [];
    } else if (filter.batch) {
      const limit = filter.limit ?? 1000;
      for (let after: string | null = null; ; ) {
        const page: LookupDoc[] = await this.deps.lookups.listAfter({ status: 'queued', batchId: filter.batch }, after, 1000);
        candidates.push(...page);
        if (page.length < 1000 || candidates.length >= 100_000) break;
        after = page[page.length - 1]!._id;
      }
      const orphans: LookupDoc[] = [];
      for (const l of candidates) {
        if (orphans.length >= limit) break;
        if (isJobName(l.type) && (await this.deps.queueFor(l.type).getJobState(l._id)) === 'unknown') orphans.push(l);
      }
      return orphans;
    }
    const out: LookupDoc[] = [];
    for (const l of candidates) if (isJobName(l.type) && (await this.deps.queueFor(l.type).getJobState(l._id)) === 'unknown') out.push(l);
    return out;
  }

  /** Discards failed lookups: the lookup stays failed (marked discarded), its job is removed, and it is recorded in `audit_log`. */
  async discard(filter: FailedFilter, actor = 'ops'): Promise<string[]> {
    const done: string[] = [];
    for (const lookup of await this.select(filter)) {
      if (isJobName(lookup.type)) await (await this.deps.queueFor(lookup.type).getJob(lookup._id))?.remove();
      const error = lookup.error ?? { code: 'discarded', kind: 'ops', message: 'discarded by ops' };
      await this.deps.lookups.markFinished(lookup._id, lookup.status === 'needs_human' ? 'needs_human' : 'failed', {
        error: { ...error, details: { ...error.details, discarded: { at: new Date().toISOString(), by: actor } } },
      });
      await this.deps.auditLog?.record({ actor, action: 'ops.discard', target: lookup._id, details: { code: error.code, type: lookup.type } });
      done.push(lookup._id);
    }
    return done;
  }

  /** Asks one robot, or every robot running now, to stop taking jobs, finish the active ones and exit. */
  async drain(robotId?: string): Promise<void> {
    const keys = drainKeys(this.deps.prefix, robotId ?? '');
    // "All": robots started before now drain; robots started later (replacements) keep working.
    if (robotId) await this.deps.redis.set(keys.robot, '1', 'EX', 24 * 3600);
    else await this.deps.redis.set(keys.all, String(Date.now()), 'EX', 7 * 24 * 3600);
  }

  /** BullMQ counts per queue plus whether it is paused. */
  async queues(): Promise<Array<{ name: JobName; paused: boolean; counts: Record<string, number> }>> {
    return Promise.all(
      JOB_NAMES.map(async (name) => {
        const q = this.deps.queueFor(name);
        const [counts, paused] = await Promise.all([q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'), q.isPaused()]);
        return { name, paused, counts };
      }),
    );
  }

  /**
   * MongoDB's view beside the queues': per job name, lookups by status, and how many `queued`
   * lookups (not updated for `graceMs`, so a submit between its store and its enqueue is not
   * counted) have no BullMQ job. At most `limit` queued lookups per type are checked, so the
   * count is a lower bound past that.
   */
  async lookupCounts(options: { graceMs?: number; limit?: number } = {}): Promise<Array<{ name: JobName; byStatus: Record<LookupStatus, number>; queuedWithoutJob: number; checked: number }>> {
    const cutoff = Date.now() - (options.graceMs ?? 60_000);
    const limit = options.limit ?? 1000;
    return Promise.all(
      JOB_NAMES.map(async (name) => {
        const byStatus = await this.deps.lookups.countByStatus({ type: name });
        let queuedWithoutJob = 0;
        let checked = 0;
        if ((byStatus.queued ?? 0) > 0) {
          const queue = this.deps.queueFor(name);
          for (const l of await this.deps.lookups.listAfter({ status: 'queued', type: name }, null, limit)) {
            if (new Date(l.updatedAt).getTime() > cutoff) continue;
            checked++;
            if ((await queue.getJobState(l._id)) === 'unknown') queuedWithoutJob++;
          }
        }
        return { name, byStatus, queuedWithoutJob, checked };
      }),
    );
  }

  /** Captcha tasks waiting for a human (at most 500 counted) and how long the oldest has waited. */
  async captchaWaiting(): Promise<{ open: number; oldestSecs: number }> {
    const open = (await this.deps.captchaTasks?.list({ status: 'open' }, 500)) ?? [];
    const oldest = open.reduce((min, t) => Math.min(min, new Date(t.createdAt).getTime()), Date.now());
    return { open: open.length, oldestSecs: open.length ? Math.max(0, Math.round((Date.now() - oldest) / 1000)) : 0 };
  }

  /** The last `konveyer evidence verify` as its audit_log entry recorded it; null when none ran (or no audit log). */
  async lastEvidenceVerify(): Promise<{ at: Date; ok: boolean; findings: number } | null> {
    const [last] = (await this.deps.auditLog?.list?.({ action: 'verify' }, 1)) ?? [];
    if (!last) return null;
    const findings = Number(last.details?.findings ?? 0);
    return { at: new Date(last.at), ok: last.details?.ok === true && findings === 0, findings };
  }

  /** Robots with a heartbeat within `onlineWithinMs`. */
  async robots(): Promise<RobotBeat[]> {
    return this.deps.robots.list(this.deps.onlineWithinMs ?? 30_000);
  }

  /** Health of every host the robots reported on, that ops paused, or that has a configured limit, over the last `windowMins` minutes. */
  async hosts(windowMins = 5): Promise<HostHealth[]> {
    const { redis, prefix } = this.deps;
    const [seen, touched] = await Promise.all([redis.smembers(`${prefix}:health:hosts`), redis.smembers(`${prefix}:ops:hosts`)]);
    const hosts = [...new Set([...seen, ...touched, ...Object.keys(this.deps.politeness.hosts)])].sort();
    const now = Date.now();
    const runtime = await redis.hgetall(`${prefix}:polite:limits`);
    return Promise.all(
      hosts.map(async (host) => {
        let ok = 0;
        let fail = 0;
        let latency = 0;
        for (let m = 0; m < windowMins; m++) {
          const h = await redis.hgetall(healthKey(prefix, host, now - m * 60_000));
          ok += Number(h.ok ?? 0);
          fail += Number(h.fail ?? 0);
          latency += Number(h.latencyMs ?? 0);
        }
        const [circuit, paused] = await Promise.all([this.breaker.info(host), this.politenessStore.isPaused(host)]);
        const requests = ok + fail;
        return {
          host,
          requests,
          ok,
          failures: fail,
          successRate: requests ? ok / requests : null,
          avgLatencyMs: requests ? Math.round(latency / requests) : null,
          circuit: circuit.state,
          circuitFailures: circuit.failures,
          openUntil: circuit.openUntil,
          limit: runtime[host] ? parseLimit(runtime[host]) : (this.deps.politeness.hosts[host] ?? this.deps.politeness.default),
          limitOverridden: Boolean(runtime[host]),
          paused,
        };
      }),
    );
  }

  /** Failed lookups grouped by error code, each group with its latest examples (id, type, message, evidence). */
  async failures(examplesPerCode = 5): Promise<Array<{ code: string; count: number; examples: Array<{ id: string; type: string; message: string; evidenceId: string | null; discarded: boolean }> }>> {
    const counts = await this.deps.lookups.errorsByCode();
    const failed = await this.deps.lookups.list({ status: 'failed' }, 2000);
    return Object.entries(counts)
      .sort((a, b) => b[1] - a[1])
      .map(([code, count]) => ({
        code,
        count,
        examples: failed
          .filter((l) => l.error?.code === code)
          .slice(0, examplesPerCode)
          .map((l) => ({
            id: l._id,
            type: l.type,
            message: l.error?.message ?? '',
            evidenceId: typeof l.error?.details?.evidenceId === 'string' ? l.error.details.evidenceId : null,
            discarded: Boolean(l.error?.details?.discarded),
          })),
      }));
  }

  private async select(filter: FailedFilter): Promise<LookupDoc[]> {
    const status = filter.status ?? 'failed';
    if (filter.id) {
      const one = await this.deps.lookups.get(filter.id);
      if (!one) throw new Error(`lookup ${filter.id} not found`);
      if (one.status !== status) throw new Error(`lookup ${filter.id} is ${one.status}, not ${status}`);
      return [one];
    }
    if (!filter.code && !filter.batch) throw new Error('name the lookups: an id, an error code or a batch');
    const list = await this.deps.lookups.list({ status, batchId: filter.batch }, filter.limit ?? 1000);
    return list.filter((l) => !filter.code || l.error?.code === filter.code).filter((l) => !l.error?.details?.discarded);
  }
}

function parseLimit(v: string): HostLimit {
  const [rps, concurrency] = v.split('/').map(Number);
  return { rps: rps!, concurrency: concurrency! };
}

/** A host name as robots key it (lowercase, no scheme, port or path). */
function assertHost(host: string): string {
  const h = host.trim().toLowerCase();
  if (!/^[a-z0-9.-]+\.[a-z0-9-]+$/.test(h)) throw new Error(`"${host}" is neither a queue (${JOB_NAMES.join(', ')}) nor a host name`);
  return h;
}
