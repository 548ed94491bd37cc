import { z } from 'zod';
import {
  CASE_NUMBER_FORMAT,
  CASE_NUMBER_RE,
  COURT_HOST_FORMAT,
  COURT_UID_FORMAT,
  COURT_UID_RE,
  courtPortalOf,
  normalizeCaseNumber,
  SUDRF_CASE_ID_RE,
  UUID_RE,
} from '../core/identifiers.ts';

/**
 * Input of a `court.case` lookup: a court host and exactly one way to find the case —
 * its number, its UID, or the site's own `caseId` + `caseUid` pair.
 */
export const courtCaseInputSchema = z
  .object({
    court: z
      .string({ error: `court is required: ${COURT_HOST_FORMAT}` })
      .trim()
      .toLowerCase()
      .refine((h) => courtPortalOf(h) !== null, { message: `unknown court host: expected ${COURT_HOST_FORMAT}` }),
    number: z
      .string()
      .transform(normalizeCaseNumber)
      .refine((n) => CASE_NUMBER_RE.test(n), { message: `malformed case number: expected ${CASE_NUMBER_FORMAT}` })
      .optional(),
    uid: z
      .string()
      .trim()
      .toUpperCase()
      .refine((u) => COURT_UID_RE.test(u), { message: `malformed UID: expected ${COURT_UID_FORMAT}` })
      .optional(),
    caseId: z.string().trim().regex(SUDRF_CASE_ID_RE, 'malformed caseId: expected the integer case_id of the site').optional(),
    caseUid: z.string().trim().toLowerCase().regex(UUID_RE, 'malformed caseUid: expected the lowercase UUID case_uid of the site').optional(),
    /** Overrides the configured mode of the target for this lookup. */
    mode: z.enum(['http', 'browser']).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const ways = [v.number !== undefined, v.uid !== undefined, v.caseId !== undefined || v.caseUid !== undefined].filter(Boolean).length;
    if (ways !== 1) {
      ctx.addIssue({ code: 'custom', path: ['number'], message: 'give exactly one of: number, uid, or caseId + caseUid' });
    } else if ((v.caseId === undefined) !== (v.caseUid === undefined)) {
      ctx.addIssue({ code: 'custom', path: [v.caseId === undefined ? 'caseId' : 'caseUid'], message: 'caseId and caseUid go together' });
    }
  });

export type CourtCaseInput = z.output<typeof courtCaseInputSchema>;
