/** Starts the sandbox child and the same world in this process, to pick the benchmark's pages. */
import { generateWorld } from '../../sandbox/data/world.generator.ts';
import type { SandboxCase, SandboxWorld } from '../../sandbox/data/world.types.ts';
import { sudrfCardPath } from '../../robots/court-sudrf/sudrf-urls.ts';
import { spawnTs, type Child } from './child.ts';

/** A sandbox running in a child process, with its (deterministic) world. */
export interface SandboxProcess {
  url: string;
  port: number;
  world: SandboxWorld;
  child: Child;
  stop(): Promise<void>;
}

/** Starts `bench/support/sandbox.child.ts`; `casesPerCourt` sizes the world so rounds need no repeats. */
export async function startSandboxProcess(seed: number, casesPerCourt: number): Promise<SandboxProcess> {
  const child = spawnTs('bench/support/sandbox.child.ts', [String(seed), String(casesPerCourt)]);
  const world = generateWorld({ seed, casesPerCourt });
  const line = await child.waitForLine((l) => l.startsWith('{'), 60_000);
  const { url, port } = JSON.parse(line) as { url: string; port: number };
  return { url, port, world, child, stop: () => child.stop() };
}

/**
 * Cases whose card costs exactly one page in every mode: courts without a search captcha, cases on
 * database server 1 (the robot's card URL always says `srv_num=1`). Interleaved across courts.
 */
export function cardOnlyCases(world: SandboxWorld): SandboxCase[] {
  const hosts = new Set(world.courts.filter((c) => !c.hasSearchCaptcha).map((c) => c.host));
  const byHost = new Map<string, SandboxCase[]>();
  for (const c of world.cases) {
    if (!hosts.has(c.host) || c.srvNum !== 1) continue;
    const list = byHost.get(c.host) ?? [];
    list.push(c);
    byHost.set(c.host, list);
  }
  const lists = [...byHost.values()];
  const out: SandboxCase[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length) out.push(l[i]!);
  return out;
}

/** The card URL as the robot builds it (`http://<court host>:<port>/modules.php?…`). */
export function cardUrl(c: SandboxCase, port: number): string {
  return `http://${c.host}:${port}${sudrfCardPath(String(c.caseId), c.caseUid)}`;
}

/** The same card on 127.0.0.1, for clients that send the court in the Host header. */
export function loopbackCardUrl(c: SandboxCase, port: number): string {
  return `http://127.0.0.1:${port}${sudrfCardPath(String(c.caseId), c.caseUid)}`;
}

/** Requests the sandbox has served so far, over all hosts (admin route, not counted itself). */
export async function sandboxRequestCount(sandboxUrl: string): Promise<number> {
  const res = await fetch(`${sandboxUrl}/__sandbox/stats`);
  const stats = (await res.json()) as Record<string, { requests: number }>;
  return Object.values(stats).reduce((sum, s) => sum + s.requests, 0);
}
