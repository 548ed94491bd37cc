/**
 * The services file: where `konveyer services` announces the URLs of the Redis and MongoDB-wire
 * servers it started (`<run dir>/services.json`), so that every other process role finds them
 * (runtime/farm.ts `openFarm`) without REDIS_URL / MONGODB_URI.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config/index.ts';

/** Where `konveyer services` writes the URLs of the services it started, for other commands. */
export const servicesFile = (config: Config): string => join(resolve(config.runDir), 'services.json');

/** Writes the services file (`konveyer services`, once its services answer). */
export function writeServicesFile(config: Config, data: { redisUrl: string; mongoUri: string; mongoKind: string; pid: number }): void {
  mkdirSync(resolve(config.runDir), { recursive: true });
  writeFileSync(servicesFile(config), JSON.stringify(data, null, 2));
}

/** The services a running `konveyer services` announced, or null when none is running. */
export function readServicesFile(config: Config): { redisUrl: string; mongoUri: string } | null {
  const file = servicesFile(config);
  if (!existsSync(file)) return null;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { redisUrl: string; mongoUri: string; pid: number };
    process.kill(data.pid, 0); // throws when the services process is gone
    return data;
  } catch {
    return null;
  }
}
