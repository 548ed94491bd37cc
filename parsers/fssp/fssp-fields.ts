/**
 * Field rules of the FSSP bank of enforcement proceedings (TARGETS.md §3.2/§6, DOMAIN.md §1.4,
 * §2.3): ИП numbers, grounds of ending, money, executive documents. Pure string functions.
 */
import { parseRuDate } from '../common/ru-date.ts';
import { normalizeSpace } from '../common/text.ts';

/** `N/YY/RRDDD-ИП|СД|СВ` (also the Latin `-IP` of `data-ip`). */
export const IP_NUMBER_RE = /(\d{1,8})\/(\d{2})\/(\d{5})-(ИП|СД|СВ|IP|SD)(?![\p{L}\d])/u;
/** The legacy form `N/YY/DD/RR` (accepted by the search form). */
export const IP_NUMBER_LEGACY_RE = /(?<![\d/])(\d{1,8})\/(\d{2})\/(\d{2})\/(\d{2})(?![\d/])/;

/**
 * A proceeding number as FSSP writes it in the table: Latin `-IP`/`-SD` (the pay button's
 * `data-ip`) becomes Cyrillic `-ИП`/`-СД`; spaces are dropped. Null when there is no number.
 * @example normalizeIpNumber('79515/20/02016-IP') // '79515/20/02016-ИП'
 */
export function normalizeIpNumber(raw: string | null | undefined): string | null {
  const text = normalizeSpace(raw).replace(/\s+/g, '');
  const m = IP_NUMBER_RE.exec(text);
  if (m) {
    const suffix = m[4] === 'IP' ? 'ИП' : m[4] === 'SD' ? 'СД' : m[4];
    return `${m[1]}/${m[2]}/${m[3]}-${suffix}`;
  }
  const legacy = IP_NUMBER_LEGACY_RE.exec(text);
  return legacy ? legacy[0] : null;
}

/** The 5-digit ОСП code (region + department) of an ИП number, or null (also for the legacy form). */
export function departmentCodeOf(ipNumber: string | null): string | null {
  const m = ipNumber ? IP_NUMBER_RE.exec(ipNumber) : null;
  return m?.[3] ?? null;
}

/** Ground of ending: «ст. 46 ч. 1 п. 3» → parts, with the normalised text. */
export interface EndGround {
  article: string | null;
  part: string | null;
  point: string | null;
  /** «ст. 46 ч. 1 п. 3» (only the parts present). */
  ground: string | null;
}

const GROUND_RE = /ст\.?\s*(\d+(?:\.\d+)?)\s*(?:ч\.?\s*(\d+))?\s*(?:п\.?\s*(\d+))?/i;

/**
 * Reads a ground of ending written any of the ways seen: the table's «ст. 46<br>ч. 1<br>п. 3»
 * (pass the lines joined by spaces), «ст. 46 ч. 1 п. 3», «ст.46 ч.1 п.4».
 */
export function parseEndGround(text: string | null | undefined): EndGround {
  const m = GROUND_RE.exec(normalizeSpace(text));
  if (!m) return { article: null, part: null, point: null, ground: null };
  const [, article = null, part = null, point = null] = m;
  const ground = [article && `ст. ${article}`, part && `ч. ${part}`, point && `п. ${point}`].filter(Boolean).join(' ');
  return { article, part, point, ground: ground || null };
}

/**
 * Money as FSSP HTML prints it: a dot, no grouping («10220.40»); tolerant of «12 345,67».
 * Returns rubles as a number, or null.
 */
export function parseFsspMoney(raw: string | null | undefined): number | null {
  const text = normalizeSpace(raw).replace(/\s*руб\.?$/i, '').replace(/[\s\u00a0]/g, '');
  if (!/^\d+(?:[.,]\d{1,2})?$/.test(text)) return null;
  return Math.round(Number(text.replace(',', '.')) * 100) / 100;
}

/** The first line of the executive-document cell. */
export interface ExecutiveDocumentLine {
  type: string | null;
  date: string | null;
  number: string | null;
}

const DOC_RE = /^(.+?)\s+от\s+(\d{1,2}\.\d{1,2}\.\d{4})(?:\s*№\s*(.*))?$/;
const WRIT_RE = /^(ФС|ВС|АС)\s*№?\s*(\d{9})$/;

/**
 * «Судебный приказ от 06.12.2019 № 2-2470/2019» → type, ISO date, number. Writ blanks are written
 * as the courts write them, «ФС № 018384864» (the table has «№ ФС 018384864», «№ ФС № 035137007»,
 * «№ ВС062695050»), so they compare equal to a court card's execution documents.
 */
export function parseExecutiveDocumentLine(line: string): ExecutiveDocumentLine {
  const text = normalizeSpace(line);
  const m = DOC_RE.exec(text);
  if (!m) return { type: text || null, date: null, number: null };
  let number = normalizeSpace(m[3]) || null;
  const writ = number ? WRIT_RE.exec(number) : null;
  if (writ) number = `${writ[1]} № ${writ[2]}`;
  return { type: m[1] ?? null, date: parseRuDate(m[2]), number };
}

/** «Задолженность …: 10220.40 руб.» → type and amount (null when the line has no amount). */
export function parseSubjectLine(line: string): { type: string; amount: number | null } {
  const text = normalizeSpace(line);
  const m = /^(.*?):\s*(\d[\d\s]*(?:[.,]\d{1,2})?)\s*(?:руб\.?)?$/.exec(text);
  if (!m) return { type: text, amount: null };
  return { type: normalizeSpace(m[1]), amount: parseFsspMoney(m[2]) };
}
