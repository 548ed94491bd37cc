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

/** Query parameters whose values are never personal data (enums, sizes); every other value is logged as `[redacted]`. */
const PLAIN_QUERY_KEYS = new Set(['limit', 'status', 'type', 'format', 'collection', 'scope', 'order', 'sort']);
const PLAIN_VALUE = /^[A-Za-z0-9_.,:-]{0,64}$/;
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,40}$/;

/**
 * The query string of a URL with its values redacted: `debtor=[redacted]&limit=50`. Keys that are
 * not plain identifiers (a name typed where a key goes) become `[key]`. Returns null without a query.
 */
export function redactQuery(url: string): string | null {
  const i = url.indexOf('?');
  if (i < 0 || i === url.length - 1) return null;
  const out: string[] = [];
  for (const [key, value] of new URLSearchParams(url.slice(i + 1))) {
    const k = PLAIN_KEY.test(key) ? key : '[key]';
    const v = PLAIN_QUERY_KEYS.has(key) && PLAIN_VALUE.test(value) ? value : '[redacted]';
    out.push(`${k}=${v}`);
    if (out.length >= 20) break;
  }
  return out.join('&');
}

/** What the request serializer reads: a fastify request (structurally; core does not import fastify). */
interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
  is404?: boolean;
  routeOptions?: { url?: string };
}

/**
 * pino serializer for `req`: the method, the route pattern fastify matched (`/v1/lookups/:id`,
 * never the path itself) and the query with values redacted. A path that matched no route is not
 * logged at all (it may be anything a client typed).
 */
export function serializeRequest(req: LoggedRequest): Record<string, unknown> {
  const matched = !req.is404 && typeof req.routeOptions?.url === 'string';
  return {
    method: req.method,
    route: matched ? req.routeOptions!.url : null,
    ...(matched ? {} : { unmatched: true }),
    query: typeof req.url === 'string' ? redactQuery(req.url) : null,
    remoteAddress: req.ip,
  };
}

/** pino serializer for `res` (a fastify reply): the status and the route of its request. */
export function serializeReply(reply: { statusCode?: number; request?: LoggedRequest }): Record<string, unknown> {
  const req = reply.request;
  return { statusCode: reply.statusCode, ...(req ? { route: !req.is404 && req.routeOptions?.url ? req.routeOptions.url : null } : {}) };
}

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
      // Request lines (fastify) carry route patterns and redacted queries, never raw URLs.
      serializers: { req: serializeRequest, res: serializeReply, err: pino.stdSerializers.err },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}
