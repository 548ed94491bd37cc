import { writeFileSync } from 'node:fs';
import { mongo, type Connection } from 'mongoose';

/**
 * What one process sent to MongoDB, counted by the driver's command monitoring: commands by
 * `<command> <collection>` (every round trip is one command; a bulkWrite is one command per kind of
 * operation in it) and the BSON bytes of the documents it wrote per collection (inserted documents,
 * update and replacement documents). Totals since the connection opened.
 */
export interface CommandStatsSnapshot {
  /** `Date.now()` of the snapshot. */
  at: number;
  commands: Record<string, number>;
  bytesWritten: Record<string, number>;
}

/** Commands the driver sends on its own (handshakes, heartbeats, sessions): not the farm's round trips. */
const DRIVER_COMMANDS = new Set(['hello', 'ismaster', 'isMaster', 'ping', 'saslStart', 'saslContinue', 'endSessions', 'buildInfo', 'getParameter']);

const bsonSize = (doc: unknown): number => (doc && typeof doc === 'object' ? mongo.BSON.calculateObjectSize(doc as mongo.Document) : 0);

/**
 * Counts the commands of `conn` (opened with `monitorCommands: true`) and writes the totals as JSON
 * to `file` every `intervalMs` while they change, and once more on `stop()`: what
 * `MONGODB_COMMAND_STATS_FILE` turns on (bench/http-mode.bench.ts `--profile` reads it before and
 * after a batch). Costs one BSON size walk per written document.
 */
export function recordCommandStats(conn: Connection, file: string, intervalMs = 500): { snapshot(): CommandStatsSnapshot; stop(): void } {
  const commands: Record<string, number> = {};
  const bytesWritten: Record<string, number> = {};
  let changed = true;
  const onStarted = (event: mongo.CommandStartedEvent): void => {
    if (DRIVER_COMMANDS.has(event.commandName)) return;
    const cmd = event.command as Record<string, unknown>;
    const target = cmd[event.commandName];
    const collection = typeof target === 'string' ? target : typeof cmd.collection === 'string' ? cmd.collection : '';
    const key = collection ? `${event.commandName} ${collection}` : event.commandName;
    commands[key] = (commands[key] ?? 0) + 1;
    let bytes = 0;
    if (event.commandName === 'insert') for (const d of (cmd.documents as unknown[] | undefined) ?? []) bytes += bsonSize(d);
    if (event.commandName === 'update') for (const u of (cmd.updates as Array<{ u?: unknown }> | undefined) ?? []) bytes += bsonSize(u.u);
    if (event.commandName === 'findAndModify') bytes += bsonSize(cmd.update);
    if (bytes > 0) bytesWritten[collection] = (bytesWritten[collection] ?? 0) + bytes;
    changed = true;
  };
  const client = conn.getClient();
  client.on('commandStarted', onStarted);
  const snapshot = (): CommandStatsSnapshot => ({ at: Date.now(), commands: { ...commands }, bytesWritten: { ...bytesWritten } });
  const write = (): void => {
    if (!changed) return;
    changed = false;
    writeFileSync(file, JSON.stringify(snapshot()));
  };
  const timer = setInterval(write, intervalMs);
  timer.unref();
  write();
  return {
    snapshot,
    stop() {
      clearInterval(timer);
      client.off('commandStarted', onStarted);
      changed = true;
      write();
    },
  };
}
