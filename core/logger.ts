import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths pino censors in every log line: secrets, cookies, and personal data (names, birth dates,
 * addresses, document numbers of people). Case numbers, UIDs and ИП numbers are not personal data
 * on their own and stay visible (DOMAIN.md §5.1).
 */
export const REDACT_PATHS = [
  'password', '*.password', 'secret', '*.secret', 'token', '*.token', 'apiKey', '*.apiKey',
  'cookie', '*.cookie', 'cookies', '*.cookies', 'authorization', '*.authorization',
  'headers.cookie', 'headers["set-cookie"]', '*.headers.cookie', '*.headers["set-cookie"]',
  'name', '*.name', 'partyName', '*.partyName', 'debtorName', '*.debtorName', 'parties', '*.parties',
  'birthDate', '*.birthDate', 'address', '*.address', 'passport', '*.passport', 'snils', '*.snils',
  'inn', '*.inn', 'input.name', 'payload.name',
];

export interface LoggerOptions {
  level: string;
  /** Where lines go; default stdout. Tests pass a stream to read what was logged. */
  destination?: DestinationStream;
  base?: Record<string, unknown>;
}

/** The farm's one pino root. Jobs get `root.child({ jobId, queue, target, robot, attempt })`. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: options.base ?? { pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}
