import type { PartyRoleNorm } from '../../core/records.ts';

/**
 * Rules in order; the first match wins. Representative comes first so that «ПРЕДСТАВИТЕЛЬ ИСТЦА»
 * is a representative, and third party before claimant so that «ТРЕТЬЕ ЛИЦО, ЗАЯВЛЯЮЩЕЕ …» is not
 * read as a claimant.
 */
const ROLE_RULES: ReadonlyArray<readonly [RegExp, PartyRoleNorm]> = [
  [/ПРЕДСТАВИТЕЛ/, 'representative'],
  [/ТРЕТЬЕ\s+ЛИЦО|ТРЕТЬИ\s+ЛИЦА/, 'third_party'],
  [/ОТВЕТЧИК|ДОЛЖНИК/, 'debtor'],
  [/ИСТЕЦ|ИСТЦЫ|ЗАЯВИТЕЛЬ|ВЗЫСКАТЕЛЬ/, 'claimant'],
];

/**
 * A party role as the page writes it → the normalized role.
 * ИСТЕЦ / ЗАЯВИТЕЛЬ / ВЗЫСКАТЕЛЬ (also «АДМИНИСТРАТИВНЫЙ ИСТЕЦ») → claimant; ОТВЕТЧИК / ДОЛЖНИК →
 * debtor; ПРЕДСТАВИТЕЛЬ → representative; ТРЕТЬЕ ЛИЦО → third_party; anything else (ПРОКУРОР,
 * ЗАЩИТНИК, ПРИВЛЕКАЕМОЕ ЛИЦО, …) → other. Case-insensitive.
 */
export function normalizeRole(raw: string | null | undefined): PartyRoleNorm {
  const role = (raw ?? '').toUpperCase().replace(/Ё/g, 'Е');
  for (const [re, norm] of ROLE_RULES) if (re.test(role)) return norm;
  return 'other';
}
