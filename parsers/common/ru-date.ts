import { normalizeSpace } from './text.ts';

/** Genitive (and nominative) month stems as court texts write them: «12 марта 2024 г.». */
const MONTH_STEMS: ReadonlyArray<readonly [RegExp, number]> = [
  [/^январ/, 1], [/^феврал/, 2], [/^март/, 3], [/^апрел/, 4], [/^ма[йя]/, 5], [/^июн/, 6],
  [/^июл/, 7], [/^август/, 8], [/^сентябр/, 9], [/^октябр/, 10], [/^ноябр/, 11], [/^декабр/, 12],
];

const NUMERIC = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*(?:г\.?|года))?$/;
const WORDED = /^(\d{1,2})\s+([а-яё]+)\s+(\d{4})(?:\s*(?:г\.?|года))?$/i;

/**
 * A Russian calendar date written alone in a cell → ISO `YYYY-MM-DD`, or null.
 * Accepts `13.07.2020`, `1.7.2020`, «12 марта 2024 г.», «1 мая 2025 года». Rejects impossible
 * dates (31.02.2024) and any text around the date (use {@link findRuDate} for that).
 */
export function parseRuDate(raw: string | null | undefined): string | null {
  const text = normalizeSpace(raw);
  if (!text) return null;
  const num = NUMERIC.exec(text);
  if (num) return isoDate(Number(num[3]), Number(num[2]), Number(num[1]));
  const worded = WORDED.exec(text);
  if (worded) {
    const month = monthFromWord(worded[2] ?? '');
    return month ? isoDate(Number(worded[3]), month, Number(worded[1])) : null;
  }
  return null;
}

/** The first `DD.MM.YYYY` or «D месяца YYYY» date inside a longer text, ISO, or null. */
export function findRuDate(raw: string | null | undefined): string | null {
  const text = normalizeSpace(raw);
  const m = /(\d{1,2}\.\d{1,2}\.\d{4})|(\d{1,2}\s+[а-яё]+\s+\d{4})/i.exec(text);
  return m ? parseRuDate(m[0]) : null;
}

/** A time of day `H:MM`/`HH:MM` (optionally with seconds) → `HH:MM`, or null. */
export function parseTime(raw: string | null | undefined): string | null {
  const m = /^(\d{1,2})[:.](\d{2})(?::\d{2})?$/.exec(normalizeSpace(raw));
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${m[2]}`;
}

function monthFromWord(word: string): number | null {
  const w = word.toLowerCase().replace(/ё/g, 'е');
  for (const [re, n] of MONTH_STEMS) if (re.test(w)) return n;
  return null;
}

function isoDate(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1) return null;
  // Date.UTC rolls 31.02 over into March: compare back to catch impossible dates.
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
