import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfigOrExit } from './config-file.ts';
import { servicesFile, writeServicesFile } from '../runtime/services-file.ts';
import { stopReason, waitForShutdown } from '../runtime/shutdown.ts';

/**
 * `konveyer services`: embedded Redis (AOF on) and MongoDB-wire server for local use, until Ctrl-C.
 * Supervised: a server that dies is started again on the same port with its data, and one log line
 * says so; the other roles reconnect to the address they already have.
 */
export function registerServices(program: Command): void {
  program
    .command('services')
    .description('start the embedded Redis and MongoDB-compatible server (FerretDB or mongod) until Ctrl-C; restarts a crashed one on its port')
    .action(async () => {
      const config = loadConfigOrExit();
      const runDir = resolve(config.runDir);
      mkdirSync(runDir, { recursive: true });
      const [{ startServices }, { createLogger }] = await Promise.all([import('../storage/embedded/index.ts'), import('../core/logger.ts')]);
      const log = createLogger({ level: config.log.level, base: { pid: process.pid, role: 'services' } });
      const services = await startServices({
        runDir,
        redisAppendOnly: true,
        supervise: true,
        onEvent: (e) =>
          e.event === 'restarted'
            ? log.warn(e, `${e.service} exited (${e.exitCode === null ? 'killed by a signal' : `code ${e.exitCode}`}); restarted on port ${e.port} with its data`)
            : log.error(e, `${e.service} exited; restarting it on port ${e.port} failed, trying again`),
      });
      writeServicesFile(config, { redisUrl: services.redisUrl, mongoUri: services.mongoUri, mongoKind: services.mongoKind, pid: process.pid });
      process.stdout.write(
        `REDIS_URL=${services.redisUrl}\nMONGODB_URI=${services.mongoUri}   (${services.mongoKind})\n` +
          `Other konveyer commands in this folder find them through ${servicesFile(config)}. Ctrl-C stops them.\n`,
      );
      const signal = await waitForShutdown();
      log.info({ signal }, `services ${stopReason(signal)}`);
      rmSync(servicesFile(config), { force: true });
      await services.stop();
    });
}
