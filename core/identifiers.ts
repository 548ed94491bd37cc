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

export type CourtPortal = 'sudrf';

/** Which court portal a host belongs to; null for a host that is not a known court site. */
export function courtPortalOf(host: string): CourtPortal | null {
  const h = host.trim().toLowerCase();
  // <name>.<region>.sudrf.ru or <name>--<region>.sudrf.ru; www.sudrf.ru is the portal, not a court.
  if (/^(?!www\.)[a-z0-9-]+(\.[a-z0-9-]+)?\.sudrf\.ru$/.test(h)) return 'sudrf';
  return null;
}
export const COURT_HOST_FORMAT = 'a federal court site host like leninsky--ufa.sudrf.ru or leninsky.bkr.sudrf.ru';
