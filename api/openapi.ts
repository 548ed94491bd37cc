/**
 * The OpenAPI 3.1 document of the API, as @fastify/swagger options: servers, the bearer security
 * scheme, the scope each operation needs (the route's own `config.scope`, the declaration the auth
 * hook enforces), every answer it can give (the success body from api/openapi-bodies.ts; 400, 401,
 * 403, 404, 409, 413, 415, 429, 500, 503 with the Error schema, derived from what the route declares) and
 * examples. Browser pages (/ops, /audit, /docs) and /healthz are left out: UIs and the
 * orchestrator's probe, not the integrator's API (deploy/ documents the probe).
 */
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { Config } from '../config/index.ts';
import { OPERATIONS, SCHEMAS, type JsonSchema, type OperationBodies } from './openapi-bodies.ts';

/** Paths under these prefixes are browser UIs (and Prometheus' /metrics) and stay out of the document. */
const UI_PREFIXES = ['/ops', '/audit', '/docs', '/metrics'];
const TAGS = [
  { name: 'lookups', description: 'Submit lookups (one, or a batch as JSON or CSV) and follow them to their final status.' },
  { name: 'records', description: 'The normalized records the robots wrote: court cases, enforcement proceedings (ИП), EPGU requests, documents.' },
  { name: 'exports', description: 'A whole filtered collection as CSV, XLSX or JSON lines, streamed.' },
  { name: 'webhooks', description: 'Signed POSTs to your system when a lookup reaches a final status.' },
];

const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
const retryAfter = { 'Retry-After': { description: 'seconds until the request may be repeated', schema: { type: 'integer', minimum: 1 } } };
const rateHeaders = {
  ...retryAfter,
  'X-RateLimit-Limit': { description: 'requests per minute allowed to this key (batch rows: X-RateLimit-Rows-Limit)', schema: { type: 'integer' } },
  'X-RateLimit-Remaining': { description: 'what is left of it in this minute (batch rows: X-RateLimit-Rows-Remaining)', schema: { type: 'integer' } },
};

/** Standard error answers, in components/responses. */
const ERROR_RESPONSES: Record<number, { name: string; description: string; headers?: Record<string, unknown> }> = {
  400: { name: 'BadRequest', description: 'Invalid input: `issues` names every invalid field, `rows` every invalid batch row; nothing was recorded.' },
  401: { name: 'Unauthorized', description: 'No API key, or an unknown or revoked one.' },
  403: { name: 'Forbidden', description: 'The API key lacks the scope this operation needs.' },
  404: { name: 'NotFound', description: 'No such object visible to this key.' },
  409: { name: 'Conflict', description: 'The idempotency key was used before with a different request.' },
  413: { name: 'PayloadTooLarge', description: 'Body above API_BODY_LIMIT_BYTES, or more batch rows than API_BATCH_MAX_ROWS (or than this key may submit in a minute).' },
  415: { name: 'UnsupportedMediaType', description: 'A Content-Type this operation does not read.' },
  429: { name: 'TooManyRequests', description: 'This key made more requests, or submitted more batch rows, than it may per minute.', headers: rateHeaders },
  500: { name: 'InternalError', description: 'A fault of the server; the server log has the details.' },
  503: {
    name: 'ServiceUnavailable',
    description: 'Redis (`queue_unavailable`) or MongoDB (`storage_unavailable`) cannot be reached: nothing was recorded; send the request again after Retry-After (a client key makes that safe).',
    headers: retryAfter,
  },
};

type Operation = Record<string, unknown> & { operationId?: string; security?: Array<Record<string, string[]>>; requestBody?: { content?: Record<string, Record<string, unknown>> }; parameters?: Array<{ in: string }> };

/** The swagger options `createApiServer` registers @fastify/swagger with. */
export function openApiOptions(config: Pick<Config, 'api'>): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'konveyer API',
        version: '1',
        description:
          'Submit lookups to the farm (court cases, FSSP enforcement proceedings, EPGU requests, post tracking) and read their results. ' +
          'Authenticate with `Authorization: Bearer <API key>` (or `X-Api-Key`); each operation names the scope it needs. ' +
          'Requests and batch rows are limited per key and minute (429 with Retry-After beyond).',
        license: { name: 'Proprietary', url: 'https://example.org/konveyer/license' },
        contact: { name: 'konveyer operators' },
      },
      servers: [
        { url: '/', description: 'the server that serves this document (`konveyer api`, port API_PORT, default ' + config.api.port + ')' },
      ],
      tags: TAGS,
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API key (`konveyer keys create`) as a bearer token; its scopes: submit, read, audit, ops, all-clients, pii.' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'The same API key in a header of its own.' },
        },
      },
    },
    transform: (input) => {
      const { url, route } = input;
      if (UI_PREFIXES.some((p) => url === p || url.startsWith(`${p}/`))) return { schema: { ...input.schema, hide: true } as typeof input.schema, url };
      const out = jsonSchemaTransform(input);
      const scope = route.config?.scope;
      const schema = { ...out.schema } as Record<string, unknown>;
      schema.security = scope ? [{ bearer: [scope] }, { apiKey: [scope] }] : [];
      if (scope) schema['x-required-scope'] = scope;
      return { schema: schema as typeof out.schema, url: out.url };
    },
    transformObject: (documentObject) => decorate(('openapiObject' in documentObject ? documentObject.openapiObject : {}) as Record<string, unknown>),
  };
}

/**
 * Completes the document fastify-swagger built: schemas, error responses, each operation's success
 * answer, derived error answers and examples, the scope in its description.
 */
function decorate(doc: Record<string, unknown>): Record<string, unknown> {
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Operation>>;
  const used = new Set<number>();
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      // A route without documented answers still gets its error answers (the contract test names it).
      const bodies: OperationBodies = (op.operationId ? OPERATIONS[op.operationId] : undefined) ?? { status: 200, description: 'Success (not documented yet: api/openapi-bodies.ts)' };
      const scope = op.security?.[0] ? Object.values(op.security[0])[0]?.[0] : undefined;
      if (scope) op.description = `${op.description ? `${op.description}\n\n` : ''}Needs scope \`${scope}\`.`;
      const responses: Record<string, unknown> = {};
      const success: Record<string, unknown> = { description: bodies.description };
      if (bodies.content) {
        success.content = Object.fromEntries(
          Object.entries(bodies.content).map(([type, schema]) => [type, { schema, ...(bodies.example !== undefined && type === 'application/json' ? { example: bodies.example } : {}) }]),
        );
      }
      if (op.operationId === 'exportCollection') success.headers = { 'Content-Disposition': { description: 'attachment; filename="<collection>-<time>.<format>"', schema: { type: 'string' } } };
      responses[String(bodies.status)] = success;
      for (const a of bodies.also ?? []) responses[String(a.status)] = { description: a.description, content: success.content };
      const hasInput = Boolean(op.requestBody) || (op.parameters ?? []).length > 0;
      const errors = new Set<number>(bodies.errors ?? []);
      if (hasInput) errors.add(400);
      if (scope) [401, 403, 429].forEach((s) => errors.add(s));
      if ((op.parameters ?? []).some((p) => p.in === 'path')) errors.add(404);
      if (op.requestBody) [413, 415].forEach((s) => errors.add(s));
      errors.add(500);
      errors.add(503);
      for (const s of [...errors].sort((a, b) => a - b)) {
        used.add(s);
        responses[String(s)] = { $ref: `#/components/responses/${ERROR_RESPONSES[s]!.name}` };
      }
      op.responses = responses;
      const media = op.requestBody?.content?.['application/json'];
      if (media && bodies.requestExample !== undefined) media.example = bodies.requestExample;
      if (op.requestBody?.content?.['text/csv']) {
        op.requestBody.content['text/csv'] = { schema: { type: 'string' }, example: 'court,number,mode,clientKey\nmirsud.spb.ru,2-1234/2026-5,number,billing-42\n' };
      }
    }
  }
  const components = (doc.components ?? {}) as Record<string, Record<string, unknown>>;
  components.schemas = { ...(components.schemas ?? {}), ...SCHEMAS } as Record<string, JsonSchema>;
  components.responses = Object.fromEntries(
    [...used].sort((a, b) => a - b).map((s) => {
      const r = ERROR_RESPONSES[s]!;
      return [r.name, { description: r.description, content: errorContent, ...(r.headers ? { headers: r.headers } : {}) }];
    }),
  );
  doc.components = components;
  return doc;
}
