import type { FastifyError, FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { describeIssues } from '../queues/payloads.ts';
import { JOB_NAMES } from '../queues/names.ts';
import type { RowError } from '../queues/submit.ts';
import { isMongoUnreachable } from '../storage/connection.ts';

/** The body of every error answer: `{ error: { code, message, issues?, rows? } }`. */
export interface ApiErrorBody {
  error: { code: string; message: string; issues?: string[]; rows?: RowError[] };
}

/** An error with an HTTP status and a body the client can act on. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly extra: { issues?: string[]; rows?: RowError[] } = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
  toBody(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, ...this.extra } };
  }
}

/**
 * zod issues as sentences naming the field (queues/payloads.ts describeIssues), with a better
 * sentence for an unknown discriminator (`type`).
 */
export function issueSentences(error: z.ZodError, prefix = ''): string[] {
  return error.issues.flatMap((issue) => {
    const note = (issue as { note?: string }).note;
    const sentences =
      issue.code === 'invalid_union' && note === 'No matching discriminator'
        ? [`${issue.path.join('.')}: unknown lookup type; expected one of ${JOB_NAMES.join(', ')}`]
        : describeIssues({ issues: [issue] } as z.ZodError);
    return sentences.map((s) => (prefix ? `${prefix}${s}` : s));
  });
}

/** Request validation failed (body, query, params, headers). */
export class RequestValidationError extends ApiError {
  constructor(part: string, issues: string[]) {
    super(400, 'bad_input', `invalid ${part}: ${issues.join('; ')}`, { issues });
  }
}

/**
 * JSON 404 for unknown routes, and one error handler: our ApiErrors as they are, fastify's own
 * 4xx (bad JSON, body too large, unsupported media type) as `{ error }` bodies with their status,
 * everything else 500 without internals.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } } satisfies ApiErrorBody);
  });
  app.setErrorHandler((err: FastifyError | ApiError, req, reply) => {
    if (err instanceof ApiError) return reply.code(err.statusCode).send(err.toBody());
    // Redis or MongoDB away (issue 13): 503 with a clear message, never a 500 or a hang.
    const unavailable = serviceUnavailable(err);
    if (unavailable) return reply.code(503).header('retry-after', '5').send({ error: unavailable } satisfies ApiErrorBody);
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = status === 413 ? 'too_large' : status === 415 ? 'unsupported_media_type' : status === 404 ? 'not_found' : 'bad_input';
      const message = status === 413 ? `request body too large: ${err.message}` : err.message;
      return reply.code(status).send({ error: { code, message } } satisfies ApiErrorBody);
    }
    req.log.error({ err }, 'request failed');
    return reply.code(500).send({ error: { code: 'internal', message: 'internal error; see the server log' } } satisfies ApiErrorBody);
  });
}

/**
 * The 503 body for an error that means a service is away: the queue refused the jobs
 * (queues/submit.ts QueueUnavailableError) or MongoDB could not be reached; null otherwise.
 */
function serviceUnavailable(err: unknown): ApiErrorBody['error'] | null {
  const e = err as { code?: unknown; name?: unknown; message?: unknown };
  if (e.code === 'queue_unavailable') return { code: 'queue_unavailable', message: String(e.message) };
  if (isMongoUnreachable(err)) {
    return { code: 'storage_unavailable', message: 'the database (MongoDB) is unreachable; nothing was recorded, try again later' };
  }
  return null;
}
