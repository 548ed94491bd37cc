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
