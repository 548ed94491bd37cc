import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { checkWebhookUrl } from '../../queues/webhook-target.ts';
import { WEBHOOK_EVENTS, type WebhookDoc, type WebhookEvent } from '../../storage/webhooks.types.ts';
import { clientViewOf, isVisibleTo } from '../client-scope.ts';
import type { ApiServerDeps } from '../context.ts';
import { ApiError } from '../errors.ts';
import { deliveriesQuerySchema, idParamsSchema, webhookCreateSchema } from '../schemas.ts';

/** A webhook as the API shows it: never the secret. */
const webhookView = (w: WebhookDoc) => ({ id: w._id, url: w.url, events: w.events, clientId: w.clientId, createdAt: w.createdAt });

/**
 * POST/GET/DELETE /v1/webhooks, GET /v1/webhooks/:id/deliveries. A webhook belongs to the client of
 * the key that registered it and receives only that client's lookups; keys of the same client see
 * it, `all-clients` sees every client's.
 */
export function registerWebhookRoutes(app: FastifyInstance, deps: ApiServerDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { webhooks } = deps.storage;

  /** The webhook if the caller may see it, else 404 (not 403: ids of others are not confirmed). */
  const visible = async (req: FastifyRequest, id: string): Promise<WebhookDoc> => {
    const hook = await webhooks.get(id);
    if (!hook || !isVisibleTo(clientViewOf(req), hook)) throw new ApiError(404, 'not_found', `no webhook ${id}`);
    return hook;
  };

  r.post(
    '/v1/webhooks',
    {
      config: { scope: 'submit' },
      schema: {
        operationId: 'createWebhook',
        summary: 'Register a webhook',
        description:
          'Each finished lookup (succeeded, not_found, failed, needs_human) is POSTed as JSON with headers X-Konveyer-Timestamp and ' +
          'X-Konveyer-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>. Retried with backoff for WEBHOOK_RETRY_WINDOW_MS (24 h), ' +
          'then kept as undelivered. Only lookups of the registering key\'s client are sent. URLs resolving to loopback, private, link-local, CGNAT, ' +
          'documentation, benchmarking, reserved or multicast addresses, or to an address of the farm\'s own machine, are refused unless WEBHOOK_ALLOW_PRIVATE=true.',
        tags: ['webhooks'],
        body: webhookCreateSchema,
      },
    },
    async (req, reply) => {
      const refused = await checkWebhookUrl(req.body.url, { allowPrivate: deps.config.webhooks.allowPrivate });
      if (refused) throw new ApiError(400, 'bad_input', refused, { issues: [refused] });
      const hook = await webhooks.create({
        url: req.body.url,
        secret: req.body.secret,
        events: (req.body.events as WebhookEvent[] | undefined) ?? [...WEBHOOK_EVENTS],
        ownerKeyId: req.apiKey?._id ?? null,
        clientId: clientViewOf(req).clientId,
      });
      return reply.code(201).send({ webhook: webhookView(hook) });
    },
  );

  r.get('/v1/webhooks', { config: { scope: 'submit' }, schema: { operationId: 'listWebhooks', summary: 'Webhooks of this key\'s client', tags: ['webhooks'] } }, async (req) => {
    const view = clientViewOf(req);
    const list = await webhooks.list(view.allClients ? undefined : view.clientId);
    return { items: list.map(webhookView) };
  });

  r.delete(
    '/v1/webhooks/:id',
    { config: { scope: 'submit' }, schema: { operationId: 'deleteWebhook', summary: 'Delete a webhook (its deliveries stay visible)', tags: ['webhooks'], params: idParamsSchema } },
    async (req, reply) => {
      await visible(req, req.params.id);
      await webhooks.remove(req.params.id);
      return reply.code(204).send();
    },
  );

  r.get(
    '/v1/webhooks/:id/deliveries',
    {
      config: { scope: 'submit' },
      schema: { operationId: 'listWebhookDeliveries', summary: 'Deliveries of a webhook (e.g. ?status=undelivered)', tags: ['webhooks'], params: idParamsSchema, querystring: deliveriesQuerySchema },
    },
    async (req) => {
      await visible(req, req.params.id);
      const items = await webhooks.listDeliveries(req.params.id, { status: req.query.status }, req.query.limit);
      return { items: items.map(({ _id, ...rest }) => ({ id: _id, ...rest })) };
    },
  );
}
