/**
 * Round trips per lookup for the benchmarks' profile mode: the robot process's MongoDB commands and
 * written bytes (its `MONGODB_COMMAND_STATS_FILE`, storage/command-stats.ts) and the Redis server's
 * `INFO commandstats`, each read before and after a batch.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { CommandStatsSnapshot } from '../../storage/index.ts';
import { monitorRedis } from '../../test/helpers/redis-monitor.ts';

/**
 * Redis round trips by command, watched with `MONITOR` from `start()` to `stop()`: top-level
 * commands by the sending connection, apart from the connections in `exclude` (`host:port` as
 * Redis sees them, e.g. the bench's own queue polls); a MULTI … EXEC is one round trip (ioredis
 * sends it at once), named `multi[<its commands>]`. Also the commands Lua scripts ran inside Redis
 * (no round trip of their own). A plain ioredis pipeline still shows as one trip per command.
 */
export async function watchRedisCommands(redis: Redis): Promise<{ stop(exclude: ReadonlySet<string>): Promise<{ topLevel: Record<string, number>; excluded: number; inScripts: number }> }> {
  const seen: Array<{ name: string; source: string }> = [];
  const monitor = await monitorRedis(redis, ({ args, source }) => {
    seen.push({ name: String(args[0] ?? '').toLowerCase(), source });
  });
  return {
    async stop(exclude) {
      monitor.stop();
      const topLevel: Record<string, number> = {};
      const open = new Map<string, string[]>();
      let excluded = 0;
      let inScripts = 0;
      for (const { name, source } of seen) {
        if (source === 'lua') {
          inScripts += 1;
          continue;
        }
        if (exclude.has(source)) {
          excluded += 1;
          continue;
        }
        const inMulti = open.get(source);
        if (name === 'multi') open.set(source, []);
        else if (inMulti && name === 'exec') {
          open.delete(source);
          const key = `multi[${[...new Set(inMulti)].join(',')}]`;
          topLevel[key] = (topLevel[key] ?? 0) + 1;
        } else if (inMulti) inMulti.push(name);
        else topLevel[name] = (topLevel[name] ?? 0) + 1;
      }
      return { topLevel, excluded, inScripts };
    },
  };
}

/** The `host:port` Redis sees for this connection (`CLIENT INFO`). */
export async function redisClientAddr(redis: Redis): Promise<string> {
  const info = String(await redis.call('CLIENT', 'INFO'));
  const m = /\baddr=(\S+)/.exec(info);
  if (!m) throw new Error(`CLIENT INFO without addr: ${info}`);
  return m[1]!;
}

/** Calls per Redis command since the server started (`INFO commandstats`; commands run by scripts included). */
export async function redisCommandCalls(redis: Redis): Promise<Record<string, number>> {
  const text = await redis.info('commandstats');
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

/**
 * The robot's command stats file once it is current: waits `settleMs` (longer than the writer's
 * 0.5 s interval), so what the process sent before the call is in the file.
 */
export async function readCommandStats(file: string, settleMs = 700): Promise<CommandStatsSnapshot> {
  await new Promise((r) => setTimeout(r, settleMs));
  if (!existsSync(file)) return { at: Date.now(), commands: {}, bytesWritten: {} };
  return JSON.parse(readFileSync(file, 'utf8')) as CommandStatsSnapshot;
}

/** `after − before` per key, divided by `n`; keys that did not move are left out. */
export function perLookup(before: Record<string, number>, after: Record<string, number>, n: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0);
    if (d > 0) out[k] = d / n;
  }
  return out;
}

export const sumOf = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0);

/**
 * One row per key over several rounds: `key  mean (min–max)`, largest first; the first row is the
 * total. `digits` decimals.
 */
export function rangeRows(rounds: Array<Record<string, number>>, digits = 2): Array<[string, string]> {
  const keys = [...new Set(rounds.flatMap((r) => Object.keys(r)))];
  const fmt = (vals: number[]): string => {
    const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
    const lo = Math.min(...vals);
    const hi = Math.max(...vals);
    return lo === hi ? mean.toFixed(digits) : `${mean.toFixed(digits)} (${lo.toFixed(digits)}–${hi.toFixed(digits)})`;
  };
  const rows = keys
    .map((k) => ({ k, vals: rounds.map((r) => r[k] ?? 0) }))
    .sort((a, b) => b.vals.reduce((x, y) => x + y, 0) - a.vals.reduce((x, y) => x + y, 0))
    .map(({ k, vals }): [string, string] => [k, fmt(vals)]);
  return [['total', fmt(rounds.map(sumOf))], ...rows];
}
