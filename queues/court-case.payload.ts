import { z } from 'zod';
import { courtHostSchema } from './host-name.ts';
import {
  CASE_NUMBER_FORMAT,
  CASE_NUMBER_RE,
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
    court: courtHostSchema,
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
    /**
     * Magistrate участок number where one host serves many courts: mirsud.spb.ru (with `number`,
     * e.g. section 98 + «2-2976/2026-98») and mos-sud.ru (with `caseUid`, the card's UUID, or
     * optionally with `number` to pick that участок's case among the search results).
     */
    section: z.string().trim().regex(/^\d{1,4}$/, 'malformed section: expected the участок number, e.g. 98').optional(),
    /** Overrides the configured mode of the target for this lookup. */
    mode: z.enum(['http', 'browser']).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    // Single-host magistrate portals name the участок themselves (TARGETS.md §2.2, §2.3).
    const portal = courtPortalOf(v.court);
    if (portal === 'mirsud-spb' || portal === 'mos-sud') {
      magistrateRules(portal, v, ctx);
      return;
    }
    if (v.section !== undefined) ctx.addIssue({ code: 'custom', path: ['section'], message: 'section is only for mirsud.spb.ru and mos-sud.ru' });
    // msudrf cards are addressed by case_id alone (TARGETS.md §2.1); sudrf needs case_id + case_uid.
    if (portal === 'msudrf' && v.caseId !== undefined && v.caseUid === undefined && v.number === undefined && v.uid === undefined) return;
    const ways = [v.number !== undefined, v.uid !== undefined, v.caseId !== undefined || v.caseUid !== undefined].filter(Boolean).length;
    if (ways !== 1) {
      ctx.addIssue({ code: 'custom', path: ['number'], message: 'give exactly one of: number, uid, or caseId + caseUid' });
    } else if ((v.caseId === undefined) !== (v.caseUid === undefined)) {
      ctx.addIssue({ code: 'custom', path: [v.caseId === undefined ? 'caseId' : 'caseUid'], message: 'caseId and caseUid go together' });
    }
  });

export type CourtCaseInput = z.output<typeof courtCaseInputSchema>;

/** mirsud.spb.ru: section + number; mos-sud.ru: uid, or number (+ section), or section + caseUid (the card UUID). */
function magistrateRules(
  portal: 'mirsud-spb' | 'mos-sud',
  v: { number?: string; uid?: string; caseId?: string; caseUid?: string; section?: string },
  ctx: z.RefinementCtx,
): void {
  if (v.caseId !== undefined) ctx.addIssue({ code: 'custom', path: ['caseId'], message: `caseId is not used on ${portal}` });
  if (portal === 'mirsud-spb') {
    if (v.number === undefined || v.section === undefined || v.uid !== undefined || v.caseUid !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['number'], message: 'mirsud.spb.ru needs section (участок) + number, e.g. 98 + 2-2976/2026-98' });
    }
    return;
  }
  const byUid = v.uid !== undefined && v.number === undefined && v.section === undefined && v.caseUid === undefined;
  const byCard = v.uid === undefined && v.number === undefined && v.section !== undefined && v.caseUid !== undefined;
  // By number through the portal's search form; the участок, when given, narrows the results.
  const byNumber = v.number !== undefined && v.uid === undefined && v.caseUid === undefined;
  if (!(byUid || byCard || byNumber)) {
    ctx.addIssue({ code: 'custom', path: ['uid'], message: 'mos-sud.ru needs uid, or number (section optional), or section (участок) + caseUid (the card UUID)' });
  }
}
