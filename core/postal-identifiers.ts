/**
 * Postal item identifiers (ШПИ) Russian Post's tracking service accepts (tracking.pochta.ru
 * specification, «Barcode»): the domestic 14-digit identifier and the international UPU S10
 * (13 characters). Both carry a check digit; a wrong one is a typo, refused at submit.
 *
 * - Domestic, 14 digits `IIIIII MM NNNNN C`: the accepting office's postal index, a 2-digit batch
 *   (month) number, a 5-digit item number and a check digit: digits at odd positions 1..13 weigh 3,
 *   at even positions 1; C = (10 − sum mod 10) mod 10. Published examples that hold:
 *   14102192069353 (the specification's PostalOrderEventsForMail example), 11741865001806.
 * - UPU S10 (UPU standard S10): two letters (service indicator), eight digits (serial), a check
 *   digit, two letters (ISO country code of the issuing post). Weights 8 6 4 2 3 5 9 7 over the
 *   serial; C = 11 − (sum mod 11), where 10 → 0 and 11 → 5. The standard's example: serial 47312482
 *   → 9. The fixture's RS253346199NL holds.
 */

/** Kind of a postal identifier. */
export type PostalIdKind = 'domestic' | 's10';

/** What `--barcode` / `barcode` must be, for error messages. */
export const POSTAL_ID_FORMAT =
  'a Russian Post identifier: 14 digits (domestic ШПИ, e.g. 14102192069353) or UPU S10 — 2 letters, 8 digits, a check digit, 2 letters (e.g. RS253346199NL)';

const DOMESTIC_RE = /^\d{14}$/;
const S10_RE = /^[A-Z]{2}\d{9}[A-Z]{2}$/;
const S10_WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7] as const;

/** Upper case without spaces or dashes: « rs 253 346 199 nl » → «RS253346199NL». */
export function normalizePostalId(raw: string): string {
  return raw.replace(/[\s-]+/g, '').toUpperCase();
}

/** The check digit of a domestic identifier's first 13 digits. */
export function domesticCheckDigit(first13: string): number {
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(first13[i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}

/** The S10 check digit of an 8-digit serial number. */
export function s10CheckDigit(serial: string): number {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(serial[i]) * S10_WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 0 : c === 11 ? 5 : c;
}

/** Result of {@link checkPostalId}: the normalized identifier and its kind, or why it is refused. */
export type PostalIdCheck = { ok: true; id: string; kind: PostalIdKind } | { ok: false; reason: string };

/** Validates the format and the check digit of a postal identifier (after normalizing it). */
export function checkPostalId(raw: string): PostalIdCheck {
  const id = normalizePostalId(raw);
  if (DOMESTIC_RE.test(id)) {
    const expected = domesticCheckDigit(id.slice(0, 13));
    if (Number(id[13]) !== expected) return { ok: false, reason: `wrong check digit in domestic identifier ${id}: expected ${expected}, got ${id[13]}` };
    return { ok: true, id, kind: 'domestic' };
  }
  if (S10_RE.test(id)) {
    const expected = s10CheckDigit(id.slice(2, 10));
    if (Number(id[10]) !== expected) return { ok: false, reason: `wrong check digit in S10 identifier ${id}: expected ${expected}, got ${id[10]}` };
    return { ok: true, id, kind: 's10' };
  }
  return { ok: false, reason: `malformed identifier: expected ${POSTAL_ID_FORMAT}` };
}

/** Whether `raw` is a valid identifier (format and check digit). */
export const isPostalId = (raw: string): boolean => checkPostalId(raw).ok;

/** Completes 13 digits with their check digit (sandbox and tests of generated letters). */
export function withDomesticCheckDigit(first13: string): string {
  if (!/^\d{13}$/.test(first13)) throw new Error(`withDomesticCheckDigit: 13 digits expected, got ${first13}`);
  return `${first13}${domesticCheckDigit(first13)}`;
}
