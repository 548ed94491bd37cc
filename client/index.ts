/**
 * A typed client of the konveyer API for integrators: openapi-fetch over the types openapi-typescript
 * generates from the OpenAPI document (client/konveyer-api.d.ts), and the check of a webhook's
 * signature. Regenerate the types after an API change: `npx tsx scripts/generate-client-types.ts`.
 *
 * @example
 * const api = createKonveyerClient({ baseUrl: 'http://localhost:8080', token: process.env.KONVEYER_TOKEN! });
 * const { data, error } = await api.GET('/v1/lookups/{id}', { params: { path: { id } } });
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, operations, paths } from './konveyer-api.d.ts';

export type { components, operations, paths };
/** The typed client: `GET`, `POST`, `DELETE` … over the document's paths. */
export type KonveyerClient = Client<paths>;

export interface KonveyerClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** Where the API is, e.g. `https://konveyer.internal` (no trailing `/v1`). */
  baseUrl: string;
  /** An API key (`konveyer keys create`), sent as `Authorization: Bearer <token>`. */
  token: string;
}

/** A typed openapi-fetch client that sends the API key on every request. */
export function createKonveyerClient(options: KonveyerClientOptions): KonveyerClient {
  const { token, headers, ...rest } = options;
  return createClient<paths>({ ...rest, headers: { ...(headers as Record<string, string> | undefined), authorization: `Bearer ${token}` } });
}

export interface WebhookCheckOptions {
  /** The webhook's secret (given when it was registered). */
  secret: string;
  /** Header `X-Konveyer-Timestamp` (Unix seconds). */
  timestamp: string | undefined;
  /** Header `X-Konveyer-Signature`: `sha256=<hex>`. */
  signature: string | undefined;
  /** The raw request body, exactly as received. */
  body: string;
  /** Refuse timestamps further than this from now (replays); default 300 s. */
  toleranceSecs?: number;
  /** Now, in Unix seconds (default: the clock). */
  nowSecs?: number;
}

/**
 * True when a webhook POST is from konveyer: `X-Konveyer-Signature` is
 * `sha256=` + hex HMAC-SHA256(secret, `<timestamp>.<body>`) and the timestamp is recent.
 */
export function verifyWebhookSignature(o: WebhookCheckOptions): boolean {
  if (!o.timestamp || !o.signature || !/^\d+$/.test(o.timestamp)) return false;
  const now = o.nowSecs ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(o.timestamp)) > (o.toleranceSecs ?? 300)) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', o.secret).update(`${o.timestamp}.${o.body}`, 'utf8').digest('hex')}`);
  const given = Buffer.from(o.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
