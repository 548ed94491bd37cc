/**
 * Identifier formats of the courts (DOMAIN.md §2, TARGETS.md §6), shared by validation at submit
 * and by parsers. Each validator says in its message what was expected.
 */

/** Latin look-alikes that users and OCR put into Cyrillic identifiers. */
const LOOKALIKES: Record<string, string> = { M: 'М', A: 'А', a: 'а', G: 'Г', g: 'г', E: 'Е', e: 'е', K: 'К', C: 'С', c: 'с', T: 'Т', O: 'О', o: 'о', P: 'Р', p: 'р', X: 'Х', x: 'х', y: 'у', H: 'Н', B: 'В' };

/** Trims, folds spaces and dashes, and turns Latin look-alikes in the prefix into Cyrillic. */
export function normalizeCaseNumber(raw: string): string {
  const s = raw.trim().replace(/[\u2010-\u2015]/g, '-').replace(/\s+/g, ' ');
  const dash = s.indexOf('-');
  if (dash <= 0) return s;
  const prefix = [...s.slice(0, dash)].map((ch) => LOOKALIKES[ch] ?? ch).join('');
  return prefix + s.slice(dash);
}

/**
 * A court case or material number as courts print it: prefix, number, year, optional участок
 * suffix — «2-7212/2025», «2а-15/2026», «М-5922/2025», «33-4818/2025», «2-2976/2026-98»,
 * «8Г-2430/2026». Prefixes vary by region, so the prefix is checked loosely.
 */
export const CASE_NUMBER_RE = /^(?:\d{1,2}[а-яА-Я]?|[МА-Я]|\d{1,2}[Гг])-\d{1,7}(?:\/\d{1,3})?\/\d{4}(?:-\d{1,3})?$/u;
export const CASE_NUMBER_FORMAT = 'a court case number like 2-1234/2025 (prefix-number/year, e.g. 2а-15/2026, М-5922/2025, 2-2976/2026-98)';

/** Court UID (УИД) with the site's own input pattern. */
export const COURT_UID_RE = /^\d{2}(VS|KJ|AJ|OS|RS|KV|AV|OV|GV|AO|AA|AS|UD|KS|US|GU|MS|IC)\d{4}-0[1-9]-(19|20)\d{2}-\d{6}-\d{2}$/;
export const COURT_UID_FORMAT = 'a court UID like 11RS0001-01-2025-011255-03 (RR + court type + 4 digits - 0N - year - 6 digits - 2 digits)';

/** sudrf's internal card ids: `case_id` integer, `case_uid` lowercase UUID. */
export const SUDRF_CASE_ID_RE = /^\d{1,12}$/;
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type CourtPortal = 'sudrf' | 'mirsud-spb' | 'mos-sud' | 'msudrf';

/** Which court portal a host belongs to; null for a host that is not a known court site. */
export function courtPortalOf(host: string): CourtPortal | null {
  const h = host.trim().toLowerCase();
  // <name>.<region>.sudrf.ru or <name>--<region>.sudrf.ru; www.sudrf.ru is the portal, not a court.
  if (/^(?!www\.)[a-z0-9-]+(\.[a-z0-9-]+)?\.sudrf\.ru$/.test(h)) return 'sudrf';
  // Magistrates: <участок>.<region>.msudrf.ru, e.g. 5.mo.msudrf.ru, okt6.ros.msudrf.ru (TARGETS.md §2.1).
  if (/^[a-z0-9-]+\.[a-z0-9-]+\.msudrf\.ru$/.test(h)) return 'msudrf';
  // St Petersburg magistrates: one host, the участок is in the path (TARGETS.md §2.2).
  if (h === 'mirsud.spb.ru') return 'mirsud-spb';
  // Moscow magistrates: one host, the участок is the first path segment (TARGETS.md §2.3).
  if (h === 'mos-sud.ru') return 'mos-sud';
  return null;
}
export const COURT_HOST_FORMAT =
  'a court site host: a federal court like leninsky--ufa.sudrf.ru, a magistrate like 5.mo.msudrf.ru, or mirsud.spb.ru / mos-sud.ru';

// ---- FSSP (TARGETS.md §3, §6) ----

/** Enforcement proceeding (ИП): N / year(2) / ОСП code (5 digits) -ИП, e.g. «102021/20/02003-ИП». */
export const IP_NUMBER_RE = /^\d{1,9}\/\d{2}\/\d{5}-ИП$/u;
/** Legacy ИП number `N/YY/DD/RR` (department / region), still accepted by the FSSP search. */
export const IP_NUMBER_LEGACY_RE = /^\d{1,9}\/\d{2}\/\d{2}\/\d{2}$/;
export const IP_NUMBER_FORMAT = 'an ИП number like 102021/20/02003-ИП (number/YY/ОСП code of 5 digits-ИП) or the legacy 1234/15/03/02 (number/YY/DD/RR)';

/** Trims, folds spaces, and turns a Latin `-IP` suffix (the site's `data-ip` form) into `-ИП`. */
export function normalizeIpNumber(raw: string): string {
  return raw.trim().replace(/\s+/g, '').replace(/[\u2010-\u2015]/g, '-').replace(/-(?:IP|ip|Ип|ип|иП|iP)$/u, '-ИП');
}

/** True for a current or legacy ИП number (after {@link normalizeIpNumber}). */
export const isIpNumber = (s: string): boolean => IP_NUMBER_RE.test(s) || IP_NUMBER_LEGACY_RE.test(s);

/**
 * Region codes of the FSSP search (`is[region_id][0]`) exactly as the real form lists them
 * (fixture `fssp/fssp_homepage_with_iss_search_form_2021-08-28.dom.html`): 01–78, then 86, 89,
 * 82, 92 and 99 (the office for especially important proceedings). Codes the form does not offer
 * (79–81, 83–85, 87, 88, 90, 91, 93–98) are refused at submit.
 */
export const FSSP_REGION_CODES: readonly string[] = Object.freeze([
  ...Array.from({ length: 78 }, (_, i) => String(i + 1).padStart(2, '0')),
  '82', '86', '89', '92', '99',
]);
export const FSSP_REGION_FORMAT = "a 2-digit region code as the FSSP form lists them (01–78, 82, 86, 89, 92, 99) or 'all'";

/** `is[id_type]` codes of the FSSP form and their names (TARGETS.md §3.1). */
export const FSSP_ID_TYPES: Readonly<Record<string, string>> = Object.freeze({
  '1': 'Исполнительный лист',
  '2': 'Нотариально удостоверенное соглашение об уплате алиментов',
  '3': 'Акт по делу об административном правонарушении',
  '4': 'Судебный приказ',
  '5': 'Акт органа, осуществляющего контрольные функции',
  '6': 'Удостоверение КТС',
  '7': 'Акт другого органа',
  '8': 'Постановление судебного пристава-исполнителя',
  '10': 'Исполнительная надпись нотариуса',
  '11': 'Судебный акт по делу об административном правонарушении',
  '16': 'Удостоверение финансового уполномоченного',
  '17': 'Определение о наложении ареста',
  '18': 'Медиативное соглашение',
  '19': 'Решение государственного инспектора труда',
});

/** The `id_type` code of a type given as a code or a name (case-insensitive); null if unknown. */
export function fsspIdTypeCode(raw: string): string | null {
  const s = raw.trim();
  if (s in FSSP_ID_TYPES) return s;
  const lower = s.toLowerCase();
  for (const [code, name] of Object.entries(FSSP_ID_TYPES)) if (name.toLowerCase() === lower) return code;
  return null;
}
