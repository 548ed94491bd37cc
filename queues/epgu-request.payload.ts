import { z } from 'zod';
import { EPGU_REQUEST_KINDS, epguRequestKindOf } from '../core/epgu-kinds.ts';
import { IP_NUMBER_FORMAT, isIpNumber, normalizeIpNumber } from '../core/identifiers.ts';

const ACCOUNT_FORMAT = 'an EPGU account id from EPGU_ACCOUNTS (letters, digits, - and _)';
const KIND_FORMAT = `one of ${Object.keys(EPGU_REQUEST_KINDS).join(', ')} (or its Russian label)`;

/** `account`: the id of a configured account — never a login or a password (no secrets in job data). */
export const epguAccountId = z
  .string({ error: `account is required: ${ACCOUNT_FORMAT}` })
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, `malformed account id: expected ${ACCOUNT_FORMAT}`);

/**
 * Input of an `epgu.request` lookup: an application of a party to enforcement proceedings sent to
 * FSSP through EPGU (229-ФЗ ст.64.1). `kind` is a code of EPGU_REQUEST_KINDS or its Russian label;
 * `text` the free text (the robot appends its client reference to it).
 */
export const epguRequestInputSchema = z.strictObject({
  account: epguAccountId,
  ipNumber: z
    .string({ error: `ipNumber is required: ${IP_NUMBER_FORMAT}` })
    .transform(normalizeIpNumber)
    .refine(isIpNumber, { message: `malformed ИП number: expected ${IP_NUMBER_FORMAT}` }),
  kind: z.string({ error: `kind is required: ${KIND_FORMAT}` }).transform((k, ctx) => {
    const code = epguRequestKindOf(k);
    if (!code) {
      ctx.addIssue({ code: 'custom', message: `unknown request kind: expected ${KIND_FORMAT}` });
      return z.NEVER;
    }
    return code;
  }),
  text: z.string().max(3500, 'text is longer than 3500 characters').optional().default(''),
});

export type EpguRequestInput = z.output<typeof epguRequestInputSchema>;
