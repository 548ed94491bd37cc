/**
 * JSON Schemas of what the API answers (response bodies) and the examples of the OpenAPI document,
 * keyed by operationId. Documentation only: the routes send plain objects; the tests validate what
 * they send against these (test/api/openapi-validator.ts), so a field the server sends that is not
 * here, or one listed as required that it leaves out, fails a test.
 */
import { JOB_NAMES } from '../queues/names.ts';
import { WEBHOOK_EVENTS } from '../storage/webhooks.types.ts';

/** A JSON Schema object (the subset of OpenAPI 3.1 schema objects this file writes). */
export type JsonSchema = Record<string, unknown>;

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const str: JsonSchema = { type: 'string' };
const strOrNull: JsonSchema = { type: ['string', 'null'] };
const int: JsonSchema = { type: 'integer', minimum: 0 };
const dateTime: JsonSchema = { type: 'string', format: 'date-time' };
const dateTimeOrNull: JsonSchema = { type: ['string', 'null'], format: 'date-time' };
/** An object whose every listed property is required and nothing else is allowed. */
const strict = (properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  properties,
});
/** A stored record: the listed fields are required; the collection's other stored fields may follow. */
const record = (description: string, properties: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  description,
  additionalProperties: true,
  required: Object.keys(properties),
  properties,
});
const page = (item: string): JsonSchema => strict({ items: { type: 'array', items: ref(item) }, nextCursor: { ...strOrNull, description: 'pass as ?cursor= for the next page; null on the last page' } });

/** The components/schemas of the document. */
export const SCHEMAS: Record<string, JsonSchema> = {
  Error: {
    ...strict({
      error: strict(
        {
          code: { type: 'string', description: 'machine-readable: bad_input, unauthorized, forbidden, not_found, conflict, too_large, unsupported_media_type, rate_limited, internal' },
          message: { type: 'string', description: 'a sentence for a person' },
          issues: { type: 'array', items: str, description: 'one sentence per invalid field' },
          rows: { type: 'array', description: 'batch: every invalid row', items: strict({ row: { type: 'integer', minimum: 1 }, errors: { type: 'array', items: str } }) },
        },
        ['issues', 'rows'],
      ),
    }),
    description: 'The body of every error answer.',
  },
  LookupError: strict({ code: str, kind: str, message: str, details: { type: 'object', additionalProperties: true } }, ['details']),
  LookupResult: strict(
    {
      collection: str,
      id: str,
      changed: { type: 'boolean' },
      ids: { type: 'array', items: str, description: 'searches that yield many records (fssp.search: the ИП numbers found)' },
      count: int,
    },
    ['changed', 'ids', 'count'],
  ),
  Lookup: strict({
    id: { type: 'string', format: 'uuid' },
    type: { type: 'string', enum: [...JOB_NAMES] },
    status: { type: 'string', enum: ['queued', 'running', 'succeeded', 'not_found', 'failed', 'needs_human'] },
    input: { type: 'object', additionalProperties: true, description: 'as submitted (see the request schema of its type); personal data shown as *** without the `pii` scope' },
    clientId: { type: 'string', description: 'the client system the lookup belongs to (its API key\'s client)' },
    clientKey: strOrNull,
    batchId: { type: ['string', 'null'], format: 'uuid' },
    attempts: int,
    error: { oneOf: [ref('LookupError'), { type: 'null' }] },
    result: { oneOf: [ref('LookupResult'), { type: 'null' }] },
    evidenceCount: int,
    createdAt: dateTime,
    updatedAt: dateTime,
    startedAt: dateTimeOrNull,
    finishedAt: dateTimeOrNull,
  }),
  CourtCase: record('A court case (court_cases): DESIGN.md `court-case` fields, plus source, history and schedule fields.', {
    id: str,
    court: { type: 'object', properties: { name: strOrNull, host: strOrNull, code: strOrNull } },
    caseNumber: strOrNull,
    uid: strOrNull,
    status: str,
    parties: { type: 'array', items: { type: 'object', required: ['role', 'roleNorm', 'name'], properties: { role: str, roleNorm: str, name: str } } },
    events: { type: 'array', items: { type: 'object' } },
  }),
  EnforcementProceeding: record('An enforcement proceeding (ИП) from the FSSP bank: `id` is the ИП number.', {
    id: str,
    ipNumber: str,
    ipDate: strOrNull,
    debtor: { type: 'object', properties: { name: str, birthDate: strOrNull, birthPlace: strOrNull } },
    subjects: { type: 'array', items: { type: 'object', properties: { type: str, amount: { type: ['number', 'null'] } } } },
  }),
  EpguRequest: record('An application made on EPGU (заявление стороны ИП) and its status.', { id: str, ipNumber: str, kind: str, status: str, dueDate: strOrNull }),
  Document: record('A document received (EPGU) or uploaded, with what OCR read from it.', { id: str, fileName: str, contentType: str, sha256: str, status: str }),
  Webhook: strict({ id: str, url: { type: 'string', format: 'uri' }, events: { type: 'array', items: { type: 'string', enum: [...WEBHOOK_EVENTS] } }, clientId: str, createdAt: dateTime }),
  PostalItem: record('A registered letter tracked at Russian Post (postal_items): `id` is its ШПИ or S10 identifier.', {
    id: str,
    state: str,
    acceptedAt: strOrNull,
    deliveredAt: strOrNull,
    returnedAt: strOrNull,
    operations: { type: 'array', items: { type: 'object' } },
  }),
  WebhookDelivery: strict({
    id: str,
    webhookId: str,
    lookupId: str,
    event: { type: 'string', enum: [...WEBHOOK_EVENTS] },
    status: { type: 'string', enum: ['pending', 'delivered', 'undelivered'] },
    attempts: int,
    lastStatusCode: { type: ['integer', 'null'] },
    lastError: strOrNull,
    createdAt: dateTime,
    updatedAt: dateTime,
    deliveredAt: dateTimeOrNull,
  }),
};

const LOOKUP_EXAMPLE = {
  id: '3f0b6a52-8d0e-4f7a-9a51-2f1c2b0d9e11',
  type: 'court.case',
  status: 'succeeded',
  input: { court: 'mirsud.spb.ru', number: '2-1234/2026-5' },
  clientId: 'billing',
  clientKey: 'billing-42',
  batchId: null,
  attempts: 1,
  error: null,
  result: { collection: 'court_cases', id: 'mirsud.spb.ru:2-1234/2026-5', changed: true },
  evidenceCount: 3,
  createdAt: '2026-03-02T09:00:00.000Z',
  updatedAt: '2026-03-02T09:00:41.000Z',
  startedAt: '2026-03-02T09:00:02.000Z',
  finishedAt: '2026-03-02T09:00:41.000Z',
};

const COURT_CASE_EXAMPLE = {
  id: 'mirsud.spb.ru:2-1234/2026-5',
  court: { name: 'Судебный участок № 5 Санкт-Петербурга', host: 'mirsud.spb.ru', code: '78MS0005' },
  caseNumber: '2-1234/2026-5',
  uid: '78MS0005-01-2026-001234-56',
  status: 'order_issued',
  parties: [
    { role: 'Взыскатель', roleNorm: 'claimant', name: 'ООО «УК Пример»' },
    { role: 'Должник', roleNorm: 'debtor', name: 'Иванов Иван Иванович' },
  ],
  events: [{ name: 'Вынесен судебный приказ', date: '2026-02-20', time: null, result: null, basis: null }],
  decision: { date: '2026-02-20', result: 'Вынесен судебный приказ' },
  effectiveAt: null,
};
const PROCEEDING_EXAMPLE = {
  id: '123456/26/78001-ИП',
  ipNumber: '123456/26/78001-ИП',
  ipDate: '2026-03-10',
  debtor: { name: 'Иванов Иван Иванович', birthDate: '1980-01-15', birthPlace: null },
  subjects: [{ type: 'Задолженность по платежам за жилую площадь, коммунальные платежи', amount: 48210.5 }],
  debtRest: 48210.5,
};
const WEBHOOK_EXAMPLE = { id: 'b5a1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d', url: 'https://billing.example.org/konveyer', events: ['succeeded', 'failed'], clientId: 'billing', createdAt: '2026-03-02T09:00:00.000Z' };

/** What one operation answers on success, and its examples. */
export interface OperationBodies {
  status: number;
  description: string;
  /** media type → schema; absent: no body (204). */
  content?: Record<string, JsonSchema>;
  example?: unknown;
  /** Example of the JSON request body. */
  requestExample?: unknown;
  /** Other success answers (e.g. 200 when an idempotency key was seen before). */
  also?: Array<{ status: number; description: string }>;
  /** Error statuses beyond those derived from the route (scope, body, params). */
  errors?: number[];
}

const json = (schema: JsonSchema) => ({ 'application/json': schema });
const binary: JsonSchema = { type: 'string', format: 'binary' };

/** Success answers by operationId. */
export const OPERATIONS: Record<string, OperationBodies> = {
  submitLookup: {
    status: 201,
    description: 'Recorded and queued.',
    content: json(strict({ existed: { type: 'boolean' }, lookup: ref('Lookup') })),
    also: [{ status: 200, description: 'The client key was seen before: the first lookup, nothing queued.' }],
    example: { existed: false, lookup: { ...LOOKUP_EXAMPLE, status: 'queued', attempts: 0, result: null, evidenceCount: 0, startedAt: null, finishedAt: null } },
    requestExample: { type: 'court.case', input: { court: 'mirsud.spb.ru', number: '2-1234/2026-5' }, clientKey: 'billing-42' },
    errors: [409],
  },
  submitBatch: {
    status: 202,
    description: 'Every row recorded and queued.',
    content: json(
      strict(
        {
          batchId: { type: 'string', format: 'uuid' },
          rows: int,
          created: int,
          existed: int,
          lookups: { type: 'array', description: 'batches of up to 1000 rows', items: strict({ row: { type: 'integer', minimum: 1 }, id: { type: 'string', format: 'uuid' }, type: str, existed: { type: 'boolean' } }) },
        },
        ['lookups'],
      ),
    ),
    example: { batchId: '7d3c1f00-1b2a-4c3d-8e9f-0a1b2c3d4e5f', rows: 1, created: 1, existed: 0, lookups: [{ row: 1, id: LOOKUP_EXAMPLE.id, type: 'court.case', existed: false }] },
    requestExample: [{ type: 'court.case', input: { court: 'mirsud.spb.ru', number: '2-1234/2026-5' } }],
    errors: [409],
  },
  getLookup: { status: 200, description: 'The lookup.', content: json(strict({ lookup: ref('Lookup') })), example: { lookup: LOOKUP_EXAMPLE } },
  listLookups: { status: 200, description: 'A page of lookups, oldest first.', content: json(page('Lookup')), example: { items: [LOOKUP_EXAMPLE], nextCursor: null } },
  listCourtCases: { status: 200, description: 'A page of court cases.', content: json(page('CourtCase')), example: { items: [COURT_CASE_EXAMPLE], nextCursor: null } },
  getCourtCase: { status: 200, description: 'The court case.', content: json(ref('CourtCase')), example: COURT_CASE_EXAMPLE },
  listEnforcementProceedings: { status: 200, description: 'A page of enforcement proceedings.', content: json(page('EnforcementProceeding')), example: { items: [PROCEEDING_EXAMPLE], nextCursor: null } },
  getEnforcementProceeding: { status: 200, description: 'The enforcement proceeding.', content: json(ref('EnforcementProceeding')), example: PROCEEDING_EXAMPLE },
  listEpguRequests: { status: 200, description: 'A page of EPGU requests.', content: json(page('EpguRequest')) },
  getEpguRequest: { status: 200, description: 'The EPGU request.', content: json(ref('EpguRequest')) },
  listDocuments: { status: 200, description: 'A page of documents.', content: json(page('Document')) },
  getDocument: { status: 200, description: 'The document.', content: json(ref('Document')) },
  listPostalItems: { status: 200, description: 'A page of tracked letters.', content: json(page('PostalItem')) },
  getPostalItem: { status: 200, description: 'The tracked letter.', content: json(ref('PostalItem')) },
  exportCollection: {
    status: 200,
    description: 'The whole filtered collection as a file (Content-Disposition: attachment).',
    content: { 'text/csv': { type: 'string' }, 'application/x-ndjson': { type: 'string' }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': binary },
  },
  createWebhook: {
    status: 201,
    description: 'Registered.',
    content: json(strict({ webhook: ref('Webhook') })),
    example: { webhook: WEBHOOK_EXAMPLE },
    requestExample: { url: 'https://billing.example.org/konveyer', secret: 'a-long-shared-secret-of-32-chars', events: ['succeeded', 'failed'] },
  },
  listWebhooks: { status: 200, description: 'The active webhooks of this key (all with `ops`).', content: json(strict({ items: { type: 'array', items: ref('Webhook') } })), example: { items: [WEBHOOK_EXAMPLE] } },
  deleteWebhook: { status: 204, description: 'Deleted; its deliveries stay visible.' },
  listWebhookDeliveries: {
    status: 200,
    description: 'Deliveries, oldest first.',
    content: json(strict({ items: { type: 'array', items: ref('WebhookDelivery') } })),
    example: {
      items: [
        {
          id: `${WEBHOOK_EXAMPLE.id}.${LOOKUP_EXAMPLE.id}.succeeded`,
          webhookId: WEBHOOK_EXAMPLE.id,
          lookupId: LOOKUP_EXAMPLE.id,
          event: 'succeeded',
          status: 'delivered',
          attempts: 1,
          lastStatusCode: 204,
          lastError: null,
          createdAt: '2026-03-02T09:00:41.000Z',
          updatedAt: '2026-03-02T09:00:42.000Z',
          deliveredAt: '2026-03-02T09:00:42.000Z',
        },
      ],
    },
  },
};
