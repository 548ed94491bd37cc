/**
 * Russian identifiers with valid check digits (DOMAIN.md §2.5) and court identifiers (§2.1, §2.2).
 * Generators take the PRNG; validators are pure and are what the tests check the world against.
 */
import type { Prng } from './prng.ts';

const INN10_WEIGHTS = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN11_WEIGHTS = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN12_WEIGHTS = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

function weighted(digits: string, weights: number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += Number(digits[i]) * (weights[i] as number);
  return (sum % 11) % 10;
}

/** True for a 10-digit organisation INN or a 12-digit person INN with valid check digits. */
export function isValidInn(inn: string): boolean {
  if (/^\d{10}$/.test(inn)) return weighted(inn, INN10_WEIGHTS) === Number(inn[9]);
  if (/^\d{12}$/.test(inn)) {
    return weighted(inn, INN11_WEIGHTS) === Number(inn[10]) && weighted(inn, INN12_WEIGHTS) === Number(inn[11]);
  }
  return false;
}

/** True for a 13-digit ОГРН (first digit 1 or 5) with a valid check digit. */
export function isValidOgrn(ogrn: string): boolean {
  if (!/^[15]\d{12}$/.test(ogrn)) return false;
  return Number((BigInt(ogrn.slice(0, 12)) % 11n) % 10n) === Number(ogrn[12]);
}

/** An organisation INN registered in `regionCode` (two digits): region + tax office + 5 digits + check. */
export function generateOrgInn(rng: Prng, regionCode: string): string {
  const body = `${regionCode}${String(rng.int(1, 80)).padStart(2, '0')}${rng.digits(5)}`;
  return body + String(weighted(body, INN10_WEIGHTS));
}

/** An ОГРН: 1 + registration year (2 digits) + region + tax office + 5 digits + check. */
export function generateOgrn(rng: Prng, regionCode: string): string {
  const body = `1${String(rng.int(2, 23)).padStart(2, '0')}${regionCode}${String(rng.int(1, 80)).padStart(2, '0')}${rng.digits(5)}`;
  return body + String((BigInt(body) % 11n) % 10n);
}

/** КПП of an organisation's head office: the INN's first four digits + `01001` (no checksum). */
export function kppFor(inn: string): string {
  return `${inn.slice(0, 4)}01001`;
}

/** Court UID (УИД) `<code>-01-<year>-<6 digits>-<2 digits>`, e.g. `02RS0004-01-2025-004512-37`. */
export function courtUid(code: string, year: number, sequence: number, check: number): string {
  return `${code}-01-${year}-${String(sequence).padStart(6, '0')}-${String(check).padStart(2, '0')}`;
}

/** The site's own UID pattern (from the search form's `pattern` attribute). */
export const COURT_UID_PATTERN =
  /^\d{2}(VS|KJ|AJ|OS|RS|KV|AV|OV|GV|AO|AA|AS|UD|KS|US|GU|MS|IC)\d{4}-0[1-9]-(19|20)\d{2}-\d{6}-\d{2}$/;

/** Executive list blank «ФС № 0xxxxxxxx» (current unified series, 9 digits). */
export function writBlank(rng: Prng): string {
  return `ФС № 0${rng.digits(8)}`;
}
