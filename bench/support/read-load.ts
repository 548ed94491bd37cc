/**
 * The client side of bench/api-reads.bench.ts, in its own process: `connections` loops, each sending
 * GETs of a mix of kinds round-robin for `seconds`, over keep-alive connections (undici Pool).
 * Prints one JSON line: per kind and in all, requests, non-2xx, p50/p90/p99/max latency (ms), req/s.
 *
 *   node --import tsx bench/support/read-load.ts <plan.json>
 *   plan: { base, token, connections, seconds, kinds: { <kind>: [path, …] } }
 */
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';

interface Plan {
  base: string;
  token: string;
  connections: number;
  seconds: number;
  kinds: Record<string, string[]>;
}

const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Plan;
const pool = new Pool(plan.base, { connections: plan.connections, pipelining: 1 });
const names = Object.keys(plan.kinds);
const latencies = new Map(names.map((n) => [n, [] as number[]]));
const non2xx = new Map(names.map((n) => [n, 0]));
const until = performance.now() + plan.seconds * 1000;
let turn = 0;

async function loop(): Promise<void> {
  while (performance.now() < until) {
    const kind = names[turn++ % names.length]!;
    const paths = plan.kinds[kind]!;
    const path = paths[Math.floor(Math.random() * paths.length)]!;
    const t0 = performance.now();
    const res = await pool.request({ path, method: 'GET', headers: { authorization: `Bearer ${plan.token}` } });
    await res.body.arrayBuffer();
    latencies.get(kind)!.push(performance.now() - t0);
    if (res.statusCode < 200 || res.statusCode > 299) non2xx.set(kind, non2xx.get(kind)! + 1);
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: plan.connections }, loop));
const elapsedSecs = (performance.now() - started) / 1000;
await pool.close();

const pct = (xs: number[], p: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! : NaN);
const summary = (xs: number[], bad: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return { requests: s.length, non2xx: bad, p50: pct(s, 50), p90: pct(s, 90), p99: pct(s, 99), max: s.at(-1) ?? NaN, perSec: s.length / elapsedSecs };
};
const all = names.flatMap((n) => latencies.get(n)!);
console.log(JSON.stringify({
  all: summary(all, [...non2xx.values()].reduce((a, b) => a + b, 0)),
  kinds: Object.fromEntries(names.map((n) => [n, summary(latencies.get(n)!, non2xx.get(n)!)])),
}));
