import type { Command } from 'commander';
import { withOverrides } from '../config/index.ts';
import { ROBOT_JOB_NAMES, type RobotJobName } from '../queues/names.ts';
import { loadConfigOrExit, orExitOnConfigError } from './config-file.ts';
import { armShutdownWatchdog, stopReason, waitForShutdown } from '../runtime/shutdown.ts';

/** `konveyer robots`: a robot pool serving the lookup queues until SIGTERM. */
export function registerRobots(program: Command): void {
  program
    .command('robots')
    .description('run a robot pool: BullMQ workers over one shared browser pool and HTTP client')
    .option('--only <names>', `comma-separated job names or targets (${ROBOT_JOB_NAMES.join(', ')}; "court" = court.*); ocr.document is served by \`konveyer ocr work\`, not here`)
    .option('--concurrency <n>', 'jobs at once in this process (default ROBOT_CONCURRENCY)', (v) => parsePositive(v, '--concurrency'))
    .option('--mode <mode>', 'sudrf robot mode: http | browser (default COURT_SUDRF_MODE)')
    .action(async (opts: { only?: string; concurrency?: number; mode?: string }) => {
      let config = loadConfigOrExit();
      if (opts.mode) {
        if (opts.mode !== 'http' && opts.mode !== 'browser') throw new Error('--mode must be http or browser');
        config = withOverrides(config, { robot: { modes: { 'court-sudrf': opts.mode } } });
      }
      const only = opts.only ? resolveOnly(opts.only) : undefined;
      // Heavy modules (browser, OCR, queues) load only when the command runs: --help stays fast.
      const [{ openFarm }, { startRobotPool }, { createWebhookNotifier, webhookQueue }] = await Promise.all([
        import('../runtime/farm.ts'),
        import('../robots/pool.ts'),
        import('../queues/webhook.queue.ts'),
      ]);
      const farm = await openFarm(config, { role: 'robots' });
      void import('../runtime/role-health.server.ts').then((h) => h.serveRoleHealth('robots', farm));
      // Each finished lookup is announced on the webhook queue; `konveyer api` delivers it.
      const webhooks = webhookQueue(farm.redis, farm.config.queue.prefix);
      // Ops (issue 8): heartbeats in `robots`, drain on request, metrics port, shutdown deadline.
      const { MongoRobotStore } = await import('../storage/robots.repo.ts');
      let drained: () => void = () => undefined;
      const drainRequested = new Promise<'drain'>((r) => (drained = () => r('drain')));
      // A captcha service refusing RUCAPTCHA_KEY stops the start-up naming the variable.
      const pool = await orExitOnConfigError(startRobotPool({
        heartbeats: new MongoRobotStore(farm.storage.conn),
        onDrain: () => drained(),
        config: farm.config,
        storage: farm.storage,
        log: farm.log,
        robotId: farm.robotId,
        only,
        concurrency: opts.concurrency,
        onFinished: createWebhookNotifier(webhooks),
      }));
      const metricsServer = farm.config.ops.robotMetricsPort > 0 ? await (await import('./ops.ts')).serveRobotMetrics(farm.config) : null;
      const signal = await Promise.race([waitForShutdown(), drainRequested]);
      farm.log.info({ signal, deadlineMs: farm.config.ops.shutdownDeadlineMs }, `robot pool ${stopReason(signal)}: finishing active jobs`);
      // pool.close() bounds each of its steps; the watchdog catches anything else that hangs.
      const { CLEANUP_BUDGET_MS, within } = await import('../runtime/shutdown.ts');
      armShutdownWatchdog(farm.config.ops.shutdownDeadlineMs + CLEANUP_BUDGET_MS + 15_000, farm.log);
      await pool.close(farm.config.ops.shutdownDeadlineMs);
      // A scraper's keep-alive connection would hold server.close() open.
      metricsServer?.closeAllConnections();
      await within(new Promise<void>((r) => (metricsServer ? metricsServer.close(() => r()) : r())), 2000, 'metrics server', farm.log);
      await within(webhooks.close(), 5000, 'webhook queue', farm.log);
      await within(farm.close(), 5000, 'farm services', farm.log);
      farm.log.info({ signal }, 'robot pool stopped');
      // Every job is finished or back on its queue and every browser closed: exit 0 now rather
      // than wait on a library's stray timer.
      process.exit(0);
    });
}

function resolveOnly(value: string): RobotJobName[] {
  const names = new Set<RobotJobName>();
  for (const part of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (part === 'ocr' || part.startsWith('ocr.')) throw new Error(`--only: OCR jobs have their own process role: npx konveyer ocr work`);
    const matches = ROBOT_JOB_NAMES.filter((n) => n === part || n.startsWith(`${part}.`));
    if (matches.length === 0) throw new Error(`--only: "${part}" names no job (${ROBOT_JOB_NAMES.join(', ')})`);
    matches.forEach((m) => names.add(m));
  }
  return [...names];
}

export function parsePositive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got "${value}"`);
  return n;
}
