/** Logs a MongoDB connection's state changes once each (lost / retrying / back), never per attempt. */
import type { Connection } from 'mongoose';
import { ConnectionStateLog } from '../core/connection-state.ts';
import type { Logger } from '../core/logger.ts';

/** What the driver's `serverDescriptionChanged` event carries (the part read here). */
interface ServerDescriptionChanged {
  newDescription: { type: string; error?: { name?: string; message?: string; code?: unknown } | null };
}

/**
 * Watches a mongoose connection through the driver's server monitoring: a server that turns
 * `Unknown` (a failed command or heartbeat) → lost + retrying (the driver keeps selecting a server
 * by itself), any other type afterwards → back. One line per change, whatever the number of
 * failed operations and heartbeats in between.
 * @returns the state tracker (its `state` says whether the connection is up).
 */
export function watchMongoConnection(conn: Connection, log: Logger, connection: string): ConnectionStateLog {
  const state = new ConnectionStateLog(log, { service: 'mongo', connection });
  let closing = false;
  conn.on('close', () => (closing = true));
  const client = conn.getClient();
  client.on('serverDescriptionChanged', (event: ServerDescriptionChanged) => {
    if (closing) return;
    const { type, error } = event.newDescription;
    if (type === 'Unknown') {
      state.lost(error ?? undefined);
      state.retrying();
    } else {
      state.back();
    }
  });
  return state;
}
