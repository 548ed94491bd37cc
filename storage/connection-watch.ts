/** Logs a MongoDB connection's state changes once each (lost / retrying / back), never per attempt. */
import type { Connection } from 'mongoose';
import { ConnectionStateLog } from '../core/connection-state.ts';
import type { Logger } from '../core/logger.ts';

/**
 * Watches a mongoose connection: `disconnected` → lost + retrying (the driver keeps selecting a
 * server by itself), `connected`/`reconnected` → back. Errors the driver emits while the server is
 * away are folded into the `lost` line.
 * @returns the state tracker (its `state` says whether the connection is up).
 */
export function watchMongoConnection(conn: Connection, log: Logger, connection: string): ConnectionStateLog {
  const state = new ConnectionStateLog(log, { service: 'mongo', connection });
  let closing = false;
  conn.on('close', () => (closing = true));
  conn.on('disconnected', () => {
    if (closing) return;
    state.lost();
    state.retrying();
  });
  conn.on('error', (err: unknown) => state.lost(err));
  conn.on('reconnected', () => state.back());
  conn.on('connected', () => state.back());
  return state;
}
