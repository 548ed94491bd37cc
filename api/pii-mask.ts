import type { ReadCollection } from '../storage/read-models.repo.ts';

/** What a masked value reads as. */
export const PII_MASK = '***';

/**
 * Input fields of lookups that hold personal data, per lookup type: a person's ФИО and birth date
 * in FSSP searches (a legal entity's name and address are not personal data), the party name of a
 * court search, the free text of an EPGU application.
 */
export const PII_INPUT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'fssp.search': ['lastName', 'firstName', 'patronymic', 'birthDate'],
  'court.search': ['party'],
  'epgu.request': ['text'],
};

/**
 * Paths of normalized records that hold a debtor's personal data (name, birth date and place,
 * address, passport data), and the OCR text of documents that contains all of it. Court parties
 * whose `roleNorm` is `debtor` have their `name` masked too. History changes of these fields are
 * masked as well.
 */
export const PII_RECORD_PATHS: Readonly<Record<Exclude<ReadCollection, 'lookups'>, readonly string[]>> = {
  court_cases: [],
  enforcement_proceedings: ['debtor.name', 'debtor.birthDate', 'debtor.birthPlace', 'debtor.address', 'debtor.passport'],
  epgu_requests: ['text'],
  documents: ['text', 'fields.debtor.name', 'fields.debtor.birthDate', 'fields.debtor.birthPlace', 'fields.debtor.address', 'fields.debtor.passport'],
  // A letter's addressee and sender as the post reports them (a debtor's name, an address).
  postal_items: ['sender', 'recipient'],
};

/** Prefixes of history `field`s whose from/to are personal data. */
const PII_HISTORY_PREFIXES = ['debtor', 'fields.debtor', 'parties', 'text'];

const masked = (v: unknown): unknown => (v === null || v === undefined || v === '' ? v : PII_MASK);

/** A copy of `obj` with the value at a dotted path masked (copies only along the path). */
function maskPath(obj: unknown, parts: string[]): unknown {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return obj;
  const [head, ...rest] = parts;
  const o = obj as Record<string, unknown>;
  if (!Object.prototype.hasOwnProperty.call(o, head!)) return obj;
  return { ...o, [head!]: rest.length === 0 ? masked(o[head!]) : maskPath(o[head!], rest) };
}

/** History entries (`changes: [{ field, from, to }]` or `details`) with personal values masked. */
function maskHistory(history: unknown): unknown {
  if (!Array.isArray(history)) return history;
  return history.map((entry) => {
    if (entry === null || typeof entry !== 'object') return entry;
    const e = entry as Record<string, unknown>;
    const changes = Array.isArray(e.changes)
      ? e.changes.map((c) => {
          const ch = c as { field?: unknown; from?: unknown; to?: unknown };
          const field = typeof ch.field === 'string' ? ch.field : '';
          return PII_HISTORY_PREFIXES.some((p) => field === p || field.startsWith(`${p}.`) || field.startsWith(`${p}[`))
            ? { ...ch, from: masked(ch.from), to: masked(ch.to) }
            : c;
        })
      : e.changes;
    const details = e.details && typeof e.details === 'object' ? maskPath(maskPath(e.details, ['debtor']), ['debtorName']) : e.details;
    return { ...e, ...(changes !== undefined ? { changes } : {}), ...(details !== undefined ? { details } : {}) };
  });
}

/** A lookup's input with its personal fields masked. */
export function maskLookupInput(type: string, input: Record<string, unknown>): Record<string, unknown> {
  const fields = PII_INPUT_FIELDS[type] ?? [];
  let out: unknown = input;
  for (const f of fields) out = maskPath(out, [f]);
  return out as Record<string, unknown>;
}

/** A stored record with the debtor's personal data masked (for keys without the `pii` scope). */
export function maskRecord(collection: ReadCollection, doc: Record<string, unknown>): Record<string, unknown> {
  if (collection === 'lookups') return { ...doc, input: maskLookupInput(String(doc.type), (doc.input ?? {}) as Record<string, unknown>) };
  let out: unknown = doc;
  for (const path of PII_RECORD_PATHS[collection]) out = maskPath(out, path.split('.'));
  const o = out as Record<string, unknown>;
  const parties = Array.isArray(o.parties)
    ? o.parties.map((p) => (p && typeof p === 'object' && (p as { roleNorm?: unknown }).roleNorm === 'debtor' ? maskPath(p, ['name']) : p))
    : o.parties;
  return { ...o, ...(parties !== undefined ? { parties } : {}), ...(o.history !== undefined ? { history: maskHistory(o.history) } : {}) };
}
