import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * fastify's request lines, written through the farm's serializers (core/logger.ts): the route
 * pattern and a redacted query, never the raw URL, which carries names, case and ИП numbers
 * (`/audit?debtor=…`, `/v1/records/…?number=…`). One `request completed` line per request at
 * info; `incoming request` only at debug; an unmatched path is logged without the path.
 */
export class RequestLogController extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }

  override routeNotFound(request: FastifyRequest): void {
    request.log.info({ req: request }, 'route not found');
  }
}
