/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`, e.g. `BENCH_CPU_PROF=/tmp/prof npx tsx
 * bench/http-mode.bench.ts 300 1`): self time by package / farm folder and the top functions.
 *
 *   npx tsx bench/profile-summary.tool.ts <file.cpuprofile> [top=25]
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Groups a script URL: `node_modules/<pkg>`, a folder of this repo, `node:` internals, or (native). */
export function groupOf(url: string): string {
  if (!url) return '(native/gc/idle)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return 'node:internal';
  const repo = /\/work\/main\/([^/]+)\//.exec(url) ?? /file:\/\/\/.*?\/(cli|robots|parsers|queues|storage|config|core|runtime|api|ocr|sandbox|bench)\//.exec(url);
  return repo ? `konveyer/${repo[1]}` : url.replace(/^file:\/\//, '');
}

/** Self time of a V8 `.cpuprofile`, by group and by function, busiest first. */
export interface ProfileSummary {
  wallMs: number;
  busyMs: number;
  groups: Array<{ name: string; ms: number; share: number }>;
  functions: Array<{ name: string; ms: number; share: number }>;
}

/** Reads and summarises one `.cpuprofile`; `top` entries of each list. */
export function summariseProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const idle = [...selfUs].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((s, [, us]) => s + us, 0);
  const groups = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    const g = ['(garbage collector)', '(program)'].includes(functionName) ? functionName : groupOf(url);
    groups.set(g, (groups.get(g) ?? 0) + us);
    const key = `${functionName || '(anonymous)'}  ${url.replace(/^.*\/(node_modules|work\/main|work\/wt\/[^/]+)\//, '')}:${lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const busy = total - idle;
  const rows = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1e3, share: busy > 0 ? us / busy : 0 }));
  return { wallMs: total / 1e3, busyMs: busy / 1e3, groups: rows(groups), functions: rows(fns) };
}

/** The summary as text lines (what the tool prints). */
export function profileLines(summary: ProfileSummary): string[] {
  const pct = (share: number): string => `${(share * 100).toFixed(1).padStart(5)}%`;
  const line = (r: { name: string; ms: number; share: number }): string => `  ${pct(r.share)}  ${r.ms.toFixed(0).padStart(7)} ms  ${r.name}`;
  return [
    `wall ${(summary.wallMs / 1e3).toFixed(1)} s, busy ${(summary.busyMs / 1e3).toFixed(1)} s (${((summary.busyMs / summary.wallMs) * 100).toFixed(0)}% of wall)`,
    '',
    'self time by group:',
    ...summary.groups.map(line),
    '',
    'top functions by self time:',
    ...summary.functions.map(line),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: profile-summary.tool.ts <file.cpuprofile> [top]');
  console.log(profileLines(summariseProfile(file, Number(process.argv[3] ?? 25))).join('\n'));
}
