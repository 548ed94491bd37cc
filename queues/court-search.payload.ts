import { z } from 'zod';
import { courtPortalOf } from '../core/identifiers.ts';
import { courtHostSchema } from './host-name.ts';

const RU_DATE = /^(\d{2})\.(\d{2})\.(\d{4})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `YYYY-MM-DD` or `DD.MM.YYYY` → ISO; anything else stays as is and fails the refine. */
const date = (field: string) =>
  z
    .string({ error: `${field} is required: YYYY-MM-DD` })
    .trim()
    .transform((v) => {
      const m = RU_DATE.exec(v);
      return m ? `${m[3]}-${m[2]}-${m[1]}` : v;
    })
    .refine((v) => ISO_DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), {
      message: 'malformed date: expected YYYY-MM-DD (or DD.MM.YYYY)',
    });

/**
 * Input of a `court.search` lookup: a court host, a party's name (debtor or creditor, as the court
 * writes it; the site matches a substring) and the registration date range (inclusive).
 */
export const courtSearchInputSchema = z
  .object({
    court: courtHostSchema,
    party: z.string({ error: 'party is required: a name or part of it' }).trim().min(3, 'party: at least 3 characters').max(200),
    registeredFrom: date('registeredFrom'),
    registeredTo: date('registeredTo'),
    mode: z.enum(['http', 'browser']).optional(),
    /** Участок on a single-host magistrate portal (mirsud.spb.ru, mos-sud.ru); without it the whole portal is searched. */
    section: z.string().trim().regex(/^\d{1,4}$/, 'malformed section: expected the участок number, e.g. 98').optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const portal = courtPortalOf(v.court);
    if (v.section !== undefined && portal !== 'mirsud-spb' && portal !== 'mos-sud') ctx.addIssue({ code: 'custom', path: ['section'], message: 'section is only for mirsud.spb.ru and mos-sud.ru' });
    if (v.registeredFrom > v.registeredTo) ctx.addIssue({ code: 'custom', path: ['registeredTo'], message: 'registeredTo is before registeredFrom' });
  });

export type CourtSearchInput = z.output<typeof courtSearchInputSchema>;
