/**
 * One structured log line per state change of a connection to a service (Redis, MongoDB):
 * `lost` (with the first error's code and message), `retrying` (once per outage, with the client's
 * next delay), `back` (with how long it was down). Never a line, let alone a stack trace, per
 * reconnect attempt (issue 13 §6).
 */
import type { Logger } from './logger.ts';

/** Where a connection stands. */
export type ConnectionState = 'up' | 'lost' | 'retrying';

/** The error codes and messages that mean "the service is not reachable" rather than a bug. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);
const CONNECTION_MESSAGES = /Connection is closed|Stream isn't writeable|enableOfflineQueue|All sentinels are unreachable|Failed to refresh slots cache|ClusterAllFailedError|Command timed out|Reached the max retries per request|connect ETIMEDOUT|Server selection timed out|MongoNetworkError|MongoServerSelectionError|MongoNotConnectedError|Client must be connected|READONLY|LOADING/;

/**
 * True when `err` says a service is unreachable (refused, reset, timed out, closed, no master):
 * the connection's state line already reports it, so per-command logs may skip it.
 */
export function isConnectionError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
  if (typeof e.name === 'string' && /^Mongo(Network|ServerSelection|NotConnected|Topology)/.test(e.name)) return true;
  if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some(isConnectionError)) return true;
  return e.cause !== undefined && e.cause !== err && isConnectionError(e.cause);
}

/**
 * Tracks one connection's state and logs each change once:
 * `{ service, connection, state: 'lost', code, error }` (warn), `{ …, state: 'retrying', delayMs }`
 * (info, once per outage), `{ …, state: 'back', downMs }` (info).
 */
export class ConnectionStateLog {
  private current: ConnectionState = 'up';
  private lostAt = 0;

  constructor(
    private readonly log: Logger,
    private readonly fields: { service: 'redis' | 'mongo'; connection: string },
  ) {}

  /** The state now. */
  get state(): ConnectionState {
    return this.current;
  }

  /** The service stopped answering (first error or close of an outage); later calls are silent. */
  lost(err?: unknown): void {
    if (this.current !== 'up') return;
    this.current = 'lost';
    this.lostAt = Date.now();
    const e = (err ?? {}) as { code?: unknown; message?: unknown };
    this.log.warn(
      { ...this.fields, state: 'lost', code: typeof e.code === 'string' ? e.code : null, error: typeof e.message === 'string' ? e.message.slice(0, 200) : null },
      `${this.fields.service} connection lost`,
    );
  }

  /** The client schedules a reconnect; logged once per outage. */
  retrying(delayMs?: number): void {
    if (this.current === 'up') this.lost();
    if (this.current !== 'lost') return;
    this.current = 'retrying';
    this.log.info({ ...this.fields, state: 'retrying', delayMs: delayMs ?? null }, `${this.fields.service} connection retrying until it is back`);
  }

  /** The connection is usable again. */
  back(): void {
    if (this.current === 'up') return;
    const downMs = Date.now() - this.lostAt;
    this.current = 'up';
    this.log.info({ ...this.fields, state: 'back', downMs }, `${this.fields.service} connection back`);
  }
}
