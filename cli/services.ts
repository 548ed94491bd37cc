import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfigOrExit, servicesFile, writeServicesFile } from './config-file.ts';
import { waitForShutdown } from './shutdown.ts';

/** `konveyer services`: embedded Redis and MongoDB-wire server for local use, until Ctrl-C. */
export function registerServices(program: Command): void {
  program
    .command('services')
    .description('start the embedded Redis and MongoDB-compatible server (FerretDB or mongod) until Ctrl-C')
    .action(async () => {
      const config = loadConfigOrExit();
      const runDir = resolve(config.runDir);
      mkdirSync(runDir, { recursive: true });
      const { startServices } = await import('../storage/embedded/index.ts');
      const services = await startServices({ runDir });
      writeServicesFile(config, { redisUrl: services.redisUrl, mongoUri: services.mongoUri, mongoKind: services.mongoKind, pid: process.pid });
      process.stdout.write(
        `REDIS_URL=${services.redisUrl}\nMONGODB_URI=${services.mongoUri}   (${services.mongoKind})\n` +
          `Other konveyer commands in this folder find them through ${servicesFile(config)}. Ctrl-C stops them.\n`,
      );
      await waitForShutdown();
      rmSync(servicesFile(config), { force: true });
      await services.stop();
    });
}
