/**
 * One HTTP-mode e2e batch, as bench/http-mode.bench.ts and bench/growth.bench.ts measure it: a fresh
 * robot process (`konveyer robots --only court`, concurrency 16) on database `db`, N `court.case`
 * lookups by caseId+caseUid (one card page each), lookups/s from the submit call to the last
 * `finishedAt`, and the CPU time per lookup of the robot and of the MongoDB-wire server.
 *
 * The robot runs without pictures of its captures (EVIDENCE_PICTURES=false, unless `env` says
 * otherwise): a picture is drawn after its lookup ended, one at a time, by a Chromium the robot
 * launches on the first one, so how many are drawn inside the batch follows the batch's wall time,
 * not its lookups — on a loaded VM a slower batch drew more of them and charged their CPU (and the
 * launch) to every lookup. bench/capture-picture.bench.ts measures pictures.
 */
import type { EmbeddedServices } from '../../storage/embedded/index.ts';
import type { SandboxCase } from '../../sandbox/data/world.types.ts';
import { startRobotProcess, type BatchResult, type RobotProcess } from './farm.ts';
import { cpuSeconds, descendantsNamed, MemorySampler } from './proc-stats.ts';
import { sandboxRequestCount } from './sandbox-process.ts';

export const HTTP_E2E_CONCURRENCY = 16;

/** The figures of one batch. */
export type HttpE2eResult = BatchResult & {
  perSecond: number;
  robotRssMb: number;
  robotCpuMsPerLookup: number;
  mongoCpuMsPerLookup: number;
  /** CPU ms per lookup of each process group in `HttpE2eOptions.otherPids` (Redis, the sandbox), read with the MongoDB CPU. */
  otherCpuMsPerLookup: Record<string, number>;
  cardRequests: number;
};

/** The MongoDB-wire server processes started by this process's embedded services. */
export const mongoServerPids = (): number[] => [...descendantsNamed(process.pid, 'ferretdb'), ...descendantsNamed(process.pid, 'mongod')];

/** Options of {@link runHttpE2e}. */
export interface HttpE2eOptions {
  services: EmbeddedServices;
  sandboxUrl: string;
  db: string;
  batch: SandboxCase[];
  mongoPids: number[];
  /** More processes whose CPU the batch costs, by name (e.g. `redis`, `sandbox`): the CPU budget of a lookup. */
  otherPids?: Record<string, number[]>;
  nodeArgs?: string[];
  /** Extra environment of the robot process. */
  env?: Record<string, string>;
  /**
   * Extra measurement around the batch (http-mode's profile counters): started just before the
   * submit, and `end` called with the result while the robot process still runs.
   */
  watch?: (robot: RobotProcess) => Promise<{ end(result: BatchResult): Promise<void> }>;
}

/**
 * Runs one batch. The MongoDB CPU is read when the queue drains, before the benchmark's own
 * statistics (status counts over the batch, the last finishedAt), which scan on FerretDB and would
 * count as the farm's cost on a database that already holds many lookups.
 */
export async function runHttpE2e(options: HttpE2eOptions): Promise<HttpE2eResult> {
  const { mongoPids, batch } = options;
  const robot = await startRobotProcess({
    services: options.services,
    sandboxUrl: options.sandboxUrl,
    db: options.db,
    concurrency: HTTP_E2E_CONCURRENCY,
    mode: 'http',
    nodeArgs: options.nodeArgs ?? [],
    env: { EVIDENCE_PICTURES: 'false', ...options.env },
  });
  try {
    const memory = new MemorySampler(robot.child.pid, false);
    const sumCpu = (pids: number[]): number => pids.reduce((s, p) => s + cpuSeconds(p), 0);
    const mongoCpuNow = (): number => sumCpu(mongoPids);
    const others = Object.entries(options.otherPids ?? {});
    const othersNow = (): number[] => others.map(([, pids]) => sumCpu(pids));
    const robotCpu0 = cpuSeconds(robot.child.pid);
    const mongoCpu0 = mongoCpuNow();
    const othersCpu0 = othersNow();
    let mongoCpu = 0;
    let robotCpu = 0;
    let othersCpu: number[] = others.map(() => 0);
    const requests0 = await sandboxRequestCount(options.sandboxUrl);
    const watching = options.watch ? await options.watch(robot) : null;
    const result = await robot.submit(
      batch.map((c) => ({ type: 'court.case', input: { court: c.host, caseId: String(c.caseId), caseUid: c.caseUid } })),
      () => {
        mongoCpu = mongoCpuNow() - mongoCpu0;
        robotCpu = cpuSeconds(robot.child.pid) - robotCpu0;
        othersCpu = othersNow().map((v, i) => v - othersCpu0[i]!);
      },
    );
    const cardRequests = (await sandboxRequestCount(options.sandboxUrl)) - requests0;
    const peak = memory.stop();
    await watching?.end(result);
    return {
      ...result,
      perSecond: result.lookups / result.seconds,
      robotRssMb: peak.rssMb,
      robotCpuMsPerLookup: (robotCpu * 1000) / result.lookups,
      mongoCpuMsPerLookup: (mongoCpu * 1000) / result.lookups,
      otherCpuMsPerLookup: Object.fromEntries(others.map(([name], i) => [name, (othersCpu[i]! * 1000) / result.lookups])),
      cardRequests,
    };
  } finally {
    await robot.stop();
  }
}
