import { z } from 'zod';
import {
  FSSP_ID_TYPES,
  FSSP_REGION_CODES,
  FSSP_REGION_FORMAT,
  fsspIdTypeCode,
  IP_NUMBER_FORMAT,
  isIpNumber,
  normalizeIpNumber,
} from '../core/identifiers.ts';

/** `region`: a known 2-digit code, or `all` (the form's «-1»). A 1-digit code is padded («2» → «02»). */
const region = z
  .string({ error: `region is required: ${FSSP_REGION_FORMAT}` })
  .trim()
  .toLowerCase()
  .transform((r) => (/^\d$/.test(r) ? `0${r}` : r))
  .refine((r) => r === 'all' || FSSP_REGION_CODES.includes(r), { message: `unknown region: expected ${FSSP_REGION_FORMAT}` });

const text = (field: string, max = 200) =>
  z
    .string({ error: `${field} is required` })
    .transform((s) => s.trim().replace(/\s+/g, ' '))
    .pipe(z.string().min(1, `${field} must not be empty`).max(max, `${field} is longer than ${max} characters`));

const BIRTH_DATE_FORMAT = 'a birth date DD.MM.YYYY or YYYY-MM-DD, a real date not in the future';

/** Parses DD.MM.YYYY or YYYY-MM-DD into ISO; null when it is not a real calendar date. */
export function parseBirthDate(raw: string): string | null {
  const s = raw.trim();
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(s) ?? /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = s.includes('-') ? [m[1]!, m[2]!, m[3]!] : [m[3]!, m[2]!, m[1]!];
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) return null;
  return `${y}-${mo}-${d}`;
}

const birthDate = z
  .string({ error: `birthDate is required: ${BIRTH_DATE_FORMAT}` })
  .transform((raw, ctx) => {
    const iso = parseBirthDate(raw);
    if (!iso) {
      ctx.addIssue({ code: 'custom', message: `not a date: expected ${BIRTH_DATE_FORMAT}` });
      return z.NEVER;
    }
    // The FSSP site accepts 19.06.4021 (TARGETS.md §3.2); we refuse it before it costs a captcha.
    if (iso > new Date().toISOString().slice(0, 10)) {
      ctx.addIssue({ code: 'custom', message: `birth date lies in the future: expected ${BIRTH_DATE_FORMAT}` });
      return z.NEVER;
    }
    if (iso < '1900-01-01') {
      ctx.addIssue({ code: 'custom', message: `birth date before 1900: expected ${BIRTH_DATE_FORMAT}` });
      return z.NEVER;
    }
    return iso;
  });

const personSchema = z.strictObject({
  kind: z.literal('person'),
  lastName: text('lastName', 100),
  firstName: text('firstName', 100),
  patronymic: text('patronymic', 100).optional(),
  birthDate,
  region,
});

const ipSchema = z.strictObject({
  kind: z.literal('ip'),
  ipNumber: z
    .string({ error: `ipNumber is required: ${IP_NUMBER_FORMAT}` })
    .transform(normalizeIpNumber)
    .refine(isIpNumber, { message: `malformed ИП number: expected ${IP_NUMBER_FORMAT}` }),
});

const ID_TYPE_FORMAT = `an FSSP id_type code or name: ${Object.entries(FSSP_ID_TYPES)
  .map(([c, n]) => `${c} ${n}`)
  .join('; ')}`;

const documentSchema = z.strictObject({
  kind: z.literal('document'),
  number: text('number', 100),
  type: z
    .union([z.string(), z.number()], { error: `type is required: ${ID_TYPE_FORMAT}` })
    .transform((t, ctx) => {
      const code = fsspIdTypeCode(String(t));
      if (!code) {
        ctx.addIssue({ code: 'custom', message: `unknown executive document type: expected ${ID_TYPE_FORMAT}` });
        return z.NEVER;
      }
      return code;
    }),
  issuer: text('issuer', 300).optional(),
  region,
});

const legalSchema = z.strictObject({
  kind: z.literal('legal'),
  name: text('name', 300),
  address: text('address', 300).optional(),
  region,
});

export const FSSP_SEARCH_KINDS = ['person', 'ip', 'document', 'legal'] as const;

/**
 * Input of an `fssp.search` lookup — one of the four searches of the FSSP bank of enforcement
 * proceedings (TARGETS.md §3.1, `is[variant]` 1–4): `person` (ФИО + birth date + region),
 * `ip` (ИП number), `document` (executive document number + type + issuer + region),
 * `legal` (legal entity name + address + region). Dates come out ISO; regions as 2-digit codes or `all`.
 */
export const fsspSearchInputSchema = z.discriminatedUnion('kind', [personSchema, ipSchema, documentSchema, legalSchema], {
  error: (issue) =>
    issue.code === 'invalid_union' ? `kind must be one of ${FSSP_SEARCH_KINDS.join(', ')} (person: lastName, firstName, patronymic?, birthDate, region; ip: ipNumber; document: number, type, issuer?, region; legal: name, address?, region)` : undefined,
});

export type FsspSearchInput = z.output<typeof fsspSearchInputSchema>;
export type FsspPersonInput = z.output<typeof personSchema>;
