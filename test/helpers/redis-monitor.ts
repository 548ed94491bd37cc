/**
 * Redis `MONITOR` on a plain socket, for tests and benchmarks that count the commands Redis ran.
 *
 * Not ioredis's `monitor()`: it marks its connection as monitoring only a microtask after MONITOR's
 * `+OK` is handled, so when the `+OK` and the first monitored commands arrive in one TCP chunk (a
 * busy server, e.g. a full test run) the first lines are taken as replies to no command, and the
 * connection fails with "Command queue state error" (seen in CI on test/ops/lookup-series.test.ts).
 * Here every line after the `+OK` is a monitored command.
 */
import { connect, type Socket } from 'node:net';
import type { Redis } from 'ioredis';

/** One command as Redis ran it: its arguments, and who sent it (`host:port`, or `lua` for a script). */
export interface MonitoredCommand {
  args: string[];
  source: string;
}

export interface RedisMonitor {
  /** Stops watching; lines already received have been delivered. */
  stop(): void;
}

/** Watches the server `redis` is connected to; resolves once Redis has confirmed MONITOR. */
export function monitorRedis(redis: Redis, onCommand: (command: MonitoredCommand) => void): Promise<RedisMonitor> {
  const { host = '127.0.0.1', port = 6379, username, password } = redis.options;
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host, port });
    let buffered = '';
    // AUTH's and MONITOR's replies come first, in the order sent; the stream follows.
    let repliesDue = password ? 2 : 1;
    const stop = () => socket.destroy();
    socket.setEncoding('utf8');
    socket.once('error', reject);
    socket.on('connect', () => {
      if (password) socket.write(resp(username ? ['AUTH', username, password] : ['AUTH', password]));
      socket.write(resp(['MONITOR']));
    });
    socket.on('data', (chunk: string) => {
      const lines = (buffered + chunk).split('\r\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (repliesDue === 0) {
          const command = parseMonitorLine(line);
          if (command) onCommand(command);
        } else if (line.startsWith('-')) {
          stop();
          reject(new Error(`Redis refused MONITOR: ${line.slice(1)}`));
          return;
        } else if (line === '+OK' && --repliesDue === 0) {
          socket.removeListener('error', reject);
          socket.on('error', () => undefined);
          resolve({ stop });
        }
      }
    });
  });
}

/**
 * One MONITOR line: `+1796292985.139328 [0 127.0.0.1:60684] "hset" "key" "a \"b\""` →
 * `{ args: ['hset', 'key', 'a "b"'], source: '127.0.0.1:60684' }`.
 */
export function parseMonitorLine(line: string): MonitoredCommand | null {
  const open = line.indexOf('[');
  const close = line.indexOf(']', open);
  if (!line.startsWith('+') || open < 0 || close < 0) return null;
  const source = line.slice(open + 1, close).split(' ')[1] ?? '';
  const args: string[] = [];
  let i = close + 1;
  while ((i = line.indexOf('"', i)) >= 0) {
    let value = '';
    for (i += 1; i < line.length && line[i] !== '"'; i += 1) {
      if (line[i] !== '\\') {
        value += line[i];
        continue;
      }
      const next = line[i + 1];
      if (next === 'x') {
        value += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
        i += 3;
      } else {
        value += ({ n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b' } as Record<string, string>)[next ?? ''] ?? next ?? '';
        i += 1;
      }
    }
    args.push(value);
    i += 1;
  }
  return { args, source };
}

function resp(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}
