import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The farm's Prometheus metrics, defined once. Every process role has the same names; each process
 * serves its own registry (`konveyer api` at `/metrics`, a robot on `ROBOT_METRICS_PORT`).
 *
 * Labels hold only job names, target hosts, states, error codes and solver names — never a
 * person's name, a case number or a lookup id (those stay in MongoDB where access is controlled).
 */
export const metricsRegistry = new Registry();
metricsRegistry.setDefaultLabels({ app: 'konveyer' });

let defaultsOn = false;
/** Process metrics (CPU, RSS, event loop lag) under `konveyer_process_*`; idempotent. */
export function enableProcessMetrics(): void {
  if (defaultsOn) return;
  defaultsOn = true;
  collectDefaultMetrics({ register: metricsRegistry, prefix: 'konveyer_' });
}

/** Lookup attempts finished by a robot: `outcome` ∈ succeeded, not_found, failed, needs_human, retry, delay. */
export const lookupAttempts = new Counter({
  name: 'konveyer_lookup_attempts_total',
  help: 'Lookup attempts by job type, outcome and error code (empty when none)',
  labelNames: ['type', 'outcome', 'code'] as const,
  registers: [metricsRegistry],
});

/** Wall time of one lookup attempt in a robot. */
export const lookupDuration = new Histogram({
  name: 'konveyer_lookup_duration_seconds',
  help: 'Duration of one lookup attempt by job type and outcome',
  labelNames: ['type', 'outcome'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
  registers: [metricsRegistry],
});

/** Lookups stored in MongoDB by type and state (set at scrape time by the api). */
export const lookupsByState = new Gauge({
  name: 'konveyer_lookups',
  help: 'Lookups in MongoDB by job type and state',
  labelNames: ['type', 'state'] as const,
  registers: [metricsRegistry],
});

/** BullMQ jobs by queue and state (set at scrape time by the api). */
export const queueDepth = new Gauge({
  name: 'konveyer_queue_jobs',
  help: 'BullMQ jobs by queue and state (waiting, active, delayed, failed, paused)',
  labelNames: ['queue', 'state'] as const,
  registers: [metricsRegistry],
});

/** Captcha answers tried: `result` ∈ solved (an answer was given), unsolved, error. */
export const captchaAttempts = new Counter({
  name: 'konveyer_captcha_attempts_total',
  help: 'Captcha solver calls by solver and result',
  labelNames: ['solver', 'result'] as const,
  registers: [metricsRegistry],
});

/**
 * Parked lookups resumed on egress (issue 15): `result` = `same` (the proxy and fingerprint they
 * parked with) or why they fell back to a fresh session: `proxy_resting`, `proxy_gone` (no longer
 * configured for the host), `unreadable` (a stored fingerprint that does not parse).
 */
export const egressResumes = new Counter({
  name: 'konveyer_egress_resumes_total',
  help: 'Resumed lookups by whether they went out on their parked proxy and fingerprint, or why not',
  labelNames: ['result'] as const,
  registers: [metricsRegistry],
});

/** Browser pages opened by a robot process. */
export const browserPages = new Counter({
  name: 'konveyer_browser_pages_total',
  help: 'Browser pages opened',
  registers: [metricsRegistry],
});

/** Resident memory of the robot's Chromium processes together. */
export const browserMemory = new Gauge({
  name: 'konveyer_browser_memory_bytes',
  help: 'Resident memory of all Chromium processes of this robot',
  registers: [metricsRegistry],
});

/** Browsers retired for memory (BROWSER_RECYCLE_MB). */
export const browserRecycles = new Counter({
  name: 'konveyer_browser_recycles_total',
  help: 'Browser pools recycled by reason',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});

/** Pages read by OCR (documents and captchas); incremented by the OCR workers. */
export const ocrPages = new Counter({
  name: 'konveyer_ocr_pages_total',
  help: 'Pages read by OCR by kind',
  labelNames: ['kind'] as const,
  registers: [metricsRegistry],
});

/** Requests to target hosts: `result` ∈ ok, failure (5xx, network, timeout), rejected (circuit open). */
export const hostRequests = new Counter({
  name: 'konveyer_host_requests_total',
  help: 'Requests to target hosts by host and result',
  labelNames: ['host', 'result'] as const,
  registers: [metricsRegistry],
});

/** Latency of requests to target hosts. */
export const hostLatency = new Histogram({
  name: 'konveyer_host_request_duration_seconds',
  help: 'Latency of requests to target hosts',
  labelNames: ['host'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 90],
  registers: [metricsRegistry],
});

/** Circuit state per host: 0 closed, 1 half-open, 2 open (set at scrape time by the api). */
export const circuitState = new Gauge({
  name: 'konveyer_circuit_state',
  help: 'Circuit breaker state per target host: 0 closed, 1 half_open, 2 open',
  labelNames: ['host'] as const,
  registers: [metricsRegistry],
});

/** Robots with a heartbeat in the last interval (set at scrape time by the api). */
export const robotsOnline = new Gauge({
  name: 'konveyer_robots_online',
  help: 'Robot processes with a recent heartbeat, by role',
  labelNames: ['role'] as const,
  registers: [metricsRegistry],
});

/**
 * Wraps a captcha solver (anything with `name` and `solve`) so that each call counts in
 * `konveyer_captcha_attempts_total{solver,result}`: answered, declined or error. `onResult`, when
 * given, hears each call too (the dashboard's series in Redis); it must not throw.
 */
export function countedSolver<S extends { readonly name: string; solve(task: never): Promise<unknown> }>(solver: S, onResult?: (solver: string, result: 'answered' | 'declined' | 'error') => void): S {
  const solve = async (task: never): Promise<unknown> => {
    try {
      const answer = await solver.solve(task);
      const result = answer == null ? 'declined' : 'answered';
      captchaAttempts.inc({ solver: solver.name, result });
      onResult?.(solver.name, result);
      return answer;
    } catch (error) {
      captchaAttempts.inc({ solver: solver.name, result: 'error' });
      onResult?.(solver.name, 'error');
      throw error;
    }
  };
  // Methods are bound to the solver itself: solvers keep state in #private fields, which a call
  // through the proxy (this = proxy) cannot reach.
  return new Proxy(solver, {
    get: (target, prop) => {
      if (prop === 'solve') return solve;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Russian Post tracking SOAP calls by method and what came back (`answer`, or an error code: auth_required, rate_limited, not_found, layout_drift …). */
export const postTrackingCalls = new Counter({
  name: 'konveyer_post_tracking_calls_total',
  help: 'Tracking API calls by method (getOperationHistory, getTicket, getResponseByTicket) and result',
  labelNames: ['method', 'result'] as const,
  registers: [metricsRegistry],
});

/** Letters saved by post.tracking, by the state they were in. */
export const postalItemsSaved = new Counter({
  name: 'konveyer_postal_items_saved_total',
  help: 'Letters saved by post.tracking, by state',
  labelNames: ['state'] as const,
  registers: [metricsRegistry],
});

/** `queued` lookups in MongoDB whose BullMQ job does not exist (set at scrape time by the api; at most the first 1000 per type are checked). */
export const lookupsQueuedWithoutJob = new Gauge({
  name: 'konveyer_lookups_queued_without_job',
  help: 'Lookups queued in MongoDB (not updated for a minute) whose queue job is gone, by job type',
  labelNames: ['type'] as const,
  registers: [metricsRegistry],
});

/** 1 while a queue is paused by ops (set at scrape time by the api). */
export const queuePaused = new Gauge({
  name: 'konveyer_queue_paused',
  help: 'Queue paused by ops: 1 paused, 0 running',
  labelNames: ['queue'] as const,
  registers: [metricsRegistry],
});

/** 1 while a target host is paused by ops (set at scrape time by the api). */
export const hostPaused = new Gauge({
  name: 'konveyer_host_paused',
  help: 'Target host paused by ops: 1 paused, 0 not',
  labelNames: ['host'] as const,
  registers: [metricsRegistry],
});

/** Captcha / second-factor tasks waiting for a human (set at scrape time by the api; counts at most 500). */
export const captchaTasksOpen = new Gauge({
  name: 'konveyer_captcha_tasks_open',
  help: 'Captcha and second-factor tasks waiting for a human answer',
  registers: [metricsRegistry],
});

/** Age of the oldest captcha task waiting for a human; 0 when none waits. */
export const captchaOldestOpen = new Gauge({
  name: 'konveyer_captcha_oldest_open_seconds',
  help: 'Seconds the oldest open captcha task has waited for a human (0 when none)',
  registers: [metricsRegistry],
});

/** Outcome of the last `konveyer evidence verify` (from its audit_log entry; unset until one ran). */
export const evidenceVerifyOk = new Gauge({
  name: 'konveyer_evidence_verify_ok',
  help: 'Last konveyer evidence verify: 1 no findings, 0 findings',
  registers: [metricsRegistry],
});

/** Findings (changed, missing, re-ordered items, manifest mismatches) of the last `konveyer evidence verify`. */
export const evidenceVerifyFindings = new Gauge({
  name: 'konveyer_evidence_verify_findings',
  help: 'Findings of the last konveyer evidence verify',
  registers: [metricsRegistry],
});

/** When the last `konveyer evidence verify` ran (Unix seconds). */
export const evidenceVerifyLastRun = new Gauge({
  name: 'konveyer_evidence_verify_last_run_timestamp_seconds',
  help: 'Unix time of the last konveyer evidence verify',
  registers: [metricsRegistry],
});
