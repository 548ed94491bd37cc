import { z } from 'zod';
import { COURT_HOST_FORMAT, courtPortalOf } from '../core/identifiers.ts';

/**
 * RFC 1035 / RFC 1123 limits of a DNS host name, checked wherever a host is accepted (court hosts
 * of lookups, webhook URLs): labels of 1–63 letters, digits or hyphens, no hyphen at either end of a
 * label, at most 253 characters in all. A host that breaks them can never resolve; accepting it only
 * made the robots retry it as a server error.
 */
export const MAX_HOST_NAME_LENGTH = 253;
export const MAX_HOST_LABEL_LENGTH = 63;

/** A sentence naming what is wrong with a host name, or null when it is well-formed. */
export function hostNameProblem(host: string): string | null {
  if (host.length === 0) return 'host name is empty';
  if (host.length > MAX_HOST_NAME_LENGTH) return `host name is ${host.length} characters long; at most ${MAX_HOST_NAME_LENGTH}`;
  for (const label of host.split('.')) {
    const shown = label.length > 24 ? `${label.slice(0, 24)}…` : label;
    if (label.length === 0) return 'host name has an empty label (two dots in a row, or a dot at an end)';
    if (label.length > MAX_HOST_LABEL_LENGTH) return `host label "${shown}" is ${label.length} characters long; at most ${MAX_HOST_LABEL_LENGTH}`;
    if (label.startsWith('-') || label.endsWith('-')) return `host label "${shown}" starts or ends with a hyphen`;
    if (!/^[a-z0-9-]+$/i.test(label)) return `host label "${shown}" has characters other than letters, digits and hyphens`;
  }
  return null;
}

/**
 * The `court` field of court lookups: trimmed, lower-cased, a well-formed host name (limits above)
 * of a known court portal (core/identifiers.ts courtPortalOf).
 */
export const courtHostSchema = z
  .string({ error: `court is required: ${COURT_HOST_FORMAT}` })
  .trim()
  .toLowerCase()
  .superRefine((h, ctx) => {
    const problem = hostNameProblem(h);
    if (problem) ctx.addIssue({ code: 'custom', message: `malformed court host: ${problem}` });
    else if (courtPortalOf(h) === null) ctx.addIssue({ code: 'custom', message: `unknown court host: expected ${COURT_HOST_FORMAT}` });
  });
