import { userInfo } from 'node:os';
import type http from 'node:http';
import type { Command } from 'commander';
import type { Config } from '../config/index.ts';
import { loadConfigOrExit } from './config-file.ts';

/** Serves this process's `/metrics` on ROBOT_METRICS_PORT (runtime/role-metrics.server.ts). Caller closes it. */
export async function serveRobotMetrics(config: Config): Promise<http.Server> {
  const { serveRoleMetrics } = await import('../runtime/role-metrics.server.ts');
  const { server } = await serveRoleMetrics({ port: config.ops.robotMetricsPort, host: config.metrics.host, token: config.metrics.token });
  return server;
}

/** Runs `fn` with an OpsService over the farm's services, then closes them. */
async function withOps<T>(fn: (ops: import('../api/ops/ops.service.ts').OpsService) => Promise<T>): Promise<T> {
  const [{ openFarm }, { OpsService }, { MongoRobotStore }] = await Promise.all([import('../runtime/farm.ts'), import('../api/ops/ops.service.ts'), import('../storage/robots.repo.ts')]);
  const farm = await openFarm(loadConfigOrExit());
  try {
    const ops = new OpsService({
      redis: farm.redis,
      prefix: farm.config.queue.prefix,
      queueFor: farm.queueFor,
      lookups: farm.storage.lookups,
      robots: new MongoRobotStore(farm.storage.conn),
      jobOptions: { attempts: farm.config.queue.attempts, backoffMs: farm.config.queue.backoffMs },
      politeness: farm.config.politeness,
      auditLog: farm.storage.auditLog,
    });
    return await fn(ops);
  } finally {
    await farm.close();
  }
}

const print = (v: unknown): void => {
  process.stdout.write(`${typeof v === 'string' ? v : JSON.stringify(v)}\n`);
};

async function guarded(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}

interface FilterFlags {
  id?: string;
  code?: string;
  batch?: string;
  status?: string;
}

const filterOf = (o: FilterFlags) => ({ id: o.id, code: o.code, batch: o.batch, status: o.status === 'needs_human' ? ('needs_human' as const) : undefined });

/** `konveyer ops pause|resume|limit|retry|discard|drain|state`: steer the farm from a terminal. */
export function registerOps(program: Command): void {
  const cmd = program.command('ops').description('steer the farm: pause/resume a host or queue, retry/discard failures, drain robots');
  cmd
    .command('pause')
    .argument('<target>', 'a target host (e.g. oktyabrsky--ufa.sudrf.ru) or a queue (court.case)')
    .description('pause a target host (robots wait on it) or a queue (workers stop taking its jobs)')
    .action((target: string) => guarded(() => withOps(async (ops) => print(await ops.pause(target)))));
  cmd
    .command('resume')
    .argument('<target>', 'a target host or a queue')
    .description('resume a paused host or queue')
    .action((target: string) => guarded(() => withOps(async (ops) => print(await ops.resume(target)))));
  cmd
    .command('limit')
    .argument('<host>')
    .argument('[limit]', 'rps/concurrency, e.g. 2/1; omitted = back to the configured limit')
    .description("change a host's politeness limit for the whole farm while it runs")
    .action((host: string, limit?: string) =>
      guarded(() =>
        withOps(async (ops) => {
          const m = limit ? /^(\d+(?:\.\d+)?)\/(\d+)$/.exec(limit) : null;
          if (limit && !m) throw new Error(`limit: expected rps/concurrency (e.g. 2/1), got "${limit}"`);
          await ops.setLimit(host, m ? { rps: Number(m[1]), concurrency: Number(m[2]) } : null);
          print({ host, limit: limit ?? 'config' });
        }),
      ),
    );
  for (const verb of ['retry', 'discard'] as const) {
    cmd
      .command(verb)
      .description(verb === 'retry' ? 'retry failed lookups (job re-added, lookup back to queued); with --id or --batch also re-queues lookups left queued without a job' : 'discard failed lookups (job removed, lookup stays failed, recorded in audit_log)')
      .option('--id <lookupId>', 'one lookup')
      .option('--code <code>', 'every failed lookup with this error code')
      .option('--batch <batchId>', 'every failed lookup of this batch')
      .option('--status <status>', 'failed (default) or needs_human')
      .action((o: FilterFlags) => guarded(() => withOps(async (ops) => print({ [verb === 'retry' ? 'retried' : 'discarded']: verb === 'retry' ? await ops.retry(filterOf(o)) : await ops.discard(filterOf(o), `cli:${operatorName()}`) }))));
  }
  cmd
    .command('drain')
    .option('--robot <id>', 'one robot (default: every robot running now)')
    .description('robots stop taking jobs, finish the active ones and exit')
    .action((o: { robot?: string }) => guarded(() => withOps(async (ops) => {
      await ops.drain(o.robot);
      print({ drain: o.robot ?? 'all' });
    })));
  cmd
    .command('state')
    .description('queues, robots online, host health and failures as JSON')
    .action(() => guarded(() => withOps(async (ops) => print({ queues: await ops.queues(), robots: await ops.robots(), hosts: await ops.hosts(), failures: await ops.failures() }))));
}

/** Who runs this command, for the audit of a discard: the OS account (as `captcha answer` records it), `ops` where it has no name. */
function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'ops';
  }
}
