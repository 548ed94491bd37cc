import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig, type Config } from '../config/index.ts';

/** Loads config or prints every bad variable and exits 1. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * Runs a start-up step that may find the configuration bad only when it meets the outside world
 * (a captcha service refusing RUCAPTCHA_KEY): a ConfigError prints its variables and exits 1, as
 * {@link loadConfigOrExit} does.
 */
export async function orExitOnConfigError<T>(step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** Where `konveyer services` writes the URLs of the services it started, for other commands. */
export const servicesFile = (config: Config): string => join(resolve(config.runDir), 'services.json');

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
