import { z } from 'zod';
import { IP_NUMBER_FORMAT, isIpNumber, normalizeIpNumber } from '../core/identifiers.ts';
import { checkPostalId, POSTAL_ID_FORMAT } from '../core/postal-identifiers.ts';

/** Most identifiers one batch lookup may hold: the service's getTicket limit (spec «Пакетный доступ» §2). */
export const POST_TRACKING_MAX_BATCH = 3000;

/** What a letter is for: the record whose terms its delivery starts. */
export type PostalLinkKind = 'court-case' | 'ip' | 'epgu' | 'ref';
export interface PostalLink {
  kind: PostalLinkKind;
  /** `court_cases._id`, an ИП number, an `epgu_requests._id`, or free text. */
  id: string;
}

export const POSTAL_LINK_FORMAT = 'court-case:<court case id> | ip:<ИП number> | epgu:<EPGU request id> | ref:<free text>';

/** Parses `court-case:…|ip:…|epgu:…|ref:…` (the `--for` of `konveyer submit post.tracking`). */
export function parsePostalLink(raw: string): { ok: true; link: PostalLink } | { ok: false; reason: string } {
  const m = /^\s*(court-case|ip|epgu|ref):(.+)$/s.exec(raw);
  if (!m) return { ok: false, reason: `expected ${POSTAL_LINK_FORMAT}` };
  const kind = m[1] as PostalLinkKind;
  const id = m[2]!.trim().replace(/\s+/g, ' ');
  if (!id) return { ok: false, reason: `empty ${kind}: expected ${POSTAL_LINK_FORMAT}` };
  if (id.length > 300) return { ok: false, reason: `${kind} is longer than 300 characters` };
  if (kind === 'ip') {
    const ip = normalizeIpNumber(id);
    if (!isIpNumber(ip)) return { ok: false, reason: `malformed ИП number: expected ${IP_NUMBER_FORMAT}` };
    return { ok: true, link: { kind, id: ip } };
  }
  return { ok: true, link: { kind, id } };
}

/** `barcode`: a ШПИ whose format and check digit hold; normalized (upper case, no spaces). */
export const postalBarcode = z.string({ error: `barcode is required: ${POSTAL_ID_FORMAT}` }).transform((raw, ctx) => {
  const r = checkPostalId(raw);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.reason });
    return z.NEVER;
  }
  return r.id;
});

/** `for`: `court-case:<id>` etc. as a string, or `{ kind, id }`. */
export const postalLinkSchema = z
  .union([z.string(), z.strictObject({ kind: z.enum(['court-case', 'ip', 'epgu', 'ref']), id: z.string() })], { error: `for: expected ${POSTAL_LINK_FORMAT}` })
  .transform((v, ctx) => {
    const r = parsePostalLink(typeof v === 'string' ? v : `${v.kind}:${v.id}`);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.reason });
      return z.NEVER;
    }
    return r.link;
  });

const itemSchema = z.strictObject({ barcode: postalBarcode, for: postalLinkSchema.optional() });

/**
 * Input of a `post.tracking` lookup: one letter (`barcode`, `for`) — tracked by single access — or
 * a batch of up to 3 000 (`items`) — tracked by batch access (getTicket, getResponseByTicket) when
 * it holds more than POST_TRACKING_BATCH_MIN, else one by one. Identifiers with a bad check digit
 * are refused here, naming the field.
 */
export const postTrackingInputSchema = z
  .strictObject({
    barcode: postalBarcode.optional(),
    for: postalLinkSchema.optional(),
    items: z
      .array(itemSchema, { error: 'items: expected an array of { barcode, for? }' })
      .min(1, 'items must not be empty')
      .max(POST_TRACKING_MAX_BATCH, `items: at most ${POST_TRACKING_MAX_BATCH} identifiers per batch`)
      .refine((items) => new Set(items.map((i) => i.barcode)).size === items.length, 'items: an identifier appears twice')
      .optional(),
  })
  .superRefine((v, ctx) => {
    if (v.barcode === undefined && v.items === undefined) ctx.addIssue({ code: 'custom', path: ['barcode'], message: `barcode is required: ${POSTAL_ID_FORMAT} (or items: [{ barcode, for? }])` });
    if (v.barcode !== undefined && v.items !== undefined) ctx.addIssue({ code: 'custom', path: ['items'], message: 'give either barcode (one letter) or items (a batch), not both' });
    if (v.for !== undefined && v.items !== undefined) ctx.addIssue({ code: 'custom', path: ['for'], message: 'for belongs to each item of a batch' });
  });

export type PostTrackingInput = z.output<typeof postTrackingInputSchema>;
export type PostTrackingItemInput = z.output<typeof itemSchema>;

/** The letters of an input, one or many. */
export const postTrackingItems = (input: PostTrackingInput): PostTrackingItemInput[] =>
  input.items ?? (input.barcode ? [{ barcode: input.barcode, ...(input.for ? { for: input.for } : {}) }] : []);

/**
 * Batch access is preferred when more than a few letters are due: `post.tracking` requests of one
 * letter each (a CSV batch) become batch lookups of up to 3 000 when there are more than `batchMin`
 * of them. Rows with their own idempotency key stay single (each key names one lookup).
 */
export function groupLetterRequests<R extends { type: string; input: unknown; clientKey?: string }>(requests: R[], batchMin: number): R[] {
  const letters = requests.filter((r) => r.type === 'post.tracking' && !r.clientKey && typeof r.input === 'object' && r.input !== null && 'barcode' in r.input && !('items' in r.input));
  if (letters.length <= batchMin) return requests;
  const rest = requests.filter((r) => !letters.includes(r));
  const grouped: R[] = [];
  for (let i = 0; i < letters.length; i += POST_TRACKING_MAX_BATCH) {
    const items = letters.slice(i, i + POST_TRACKING_MAX_BATCH).map((r) => {
      const { barcode, for: link } = r.input as { barcode: unknown; for?: unknown };
      return link === undefined || link === '' ? { barcode } : { barcode, for: link };
    });
    grouped.push({ ...letters[i]!, input: { items }, clientKey: undefined });
  }
  return [...rest, ...grouped];
}
