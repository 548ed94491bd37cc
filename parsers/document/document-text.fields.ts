/**
 * Small readers shared by the text and XML paths of FSSP documents: addresses, money, dates in
 * either form, the ground of ending, executive document numbers. Pure.
 */
import { parseRuDate } from '../common/ru-date.ts';
import { parseFsspMoney } from '../fssp/fssp-fields.ts';

/** `DD.MM.YYYY` or «28 ноября 2025 г.» (a capture group). */
export const ANY_DATE = String.raw`(\d{2}\.\d{2}\.\d{4}|[«"]?\d{1,2}[»"]?\s+(?:январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)[а-яё]*\s+\d{4})`;

/** An ISO date from either written form (case-insensitive month names). */
export function anyDate(raw: string | null | undefined): string | null {
  if (!raw) return null;
  return parseRuDate(raw.toLowerCase().replace(/[«»"]/g, '').replace(/\s+/g, ' ').trim());
}

/** A sum of money followed by its unit: «12 345,67 руб.», «148 300,00 р.», «61 204,10 рублей». */
export const MONEY = String.raw`(\d{1,3}(?:[ \u00a0]\d{3})+|\d+)(?:[.,](\d{1,2}))?\s*(?:руб|р\.|рубл)[а-яё]*\.?(?:\s*(\d{1,2})\s*коп)?`;

/** The rubles of a MONEY match («12 345 руб. 67 коп.» included). */
export function moneyOf(m: RegExpExecArray): number | null {
  // «12,5 руб.» is 12.50; «12 руб. 5 коп.» is 12.05.
  const fraction = m[2] ?? (m[3] ? m[3].padStart(2, '0') : undefined);
  return parseFsspMoney(`${m[1]}${fraction ? `,${fraction}` : ''}`);
}

/** The tail of an address: a house and what follows it (корпус, строение, литера, квартира, офис). */
const HOUSE = String.raw`(?:д\.|дом)\s*\d+[А-Яа-яA-Za-z]?(?:\/\d+[А-Яа-я]?)?(?:\s*,?\s*(?:корп\.?|к\.|стр\.?|строение|лит\.?|литера|кв\.?|оф\.?|пом\.?|комн\.?)\s*(?!Г\.)[\dА-ЯA-Z][\dА-Яа-яA-Za-z-]*)*`;

/** True when `text` holds a house group («д. 19»). */
export function hasHouse(text: string): boolean {
  return new RegExp(HOUSE, 'iu').test(text);
}

/**
 * An address from the start of `text`: up to and with the house group («…, д. 19, кв. 204»);
 * without a house group, up to the first clause boundary. Null when there is none.
 */
export function takeAddress(text: string): string | null {
  const s = text.trim();
  const m = new RegExp(`^(.*?${HOUSE})`, 'iu').exec(s);
  const out = m ? m[1]! : s.split(/[;)]|,\s*(?=(?:в пользу|ИНН|тел|e-?mail|код)(?![\p{L}]))/iu)[0]!;
  const cleaned = out.replace(/\s+/g, ' ').replace(/^[\s,:;]+|[\s,:;.]+$/g, '');
  return cleaned === '' ? null : cleaned;
}

/** «ФС 034567891», «серии ФС № 041225873» → «ФС № 034567891»; other numbers as printed. */
export function normalizeDocumentNumber(raw: string): string {
  const writ = /^(?:сери[ия]\s+)?(ФС|ВС|АС|ФИ|ВМ)\s*№?\s*(\d{6,12})$/iu.exec(raw.trim());
  return writ ? `${writ[1]!.toUpperCase()} № ${writ[2]}` : raw.trim().replace(/^№\s*/, '');
}

/** «п. 3 ч. 1 ст. 46» or «ст. 46 ч. 1 п. 3» or «пункта 3 части 1 статьи 46», all found in `text`. */
function groundsIn(text: string): Array<{ article: string; part: string; point: string }> {
  const out: Array<{ article: string; part: string; point: string }> = [];
  const lawOrder = /(?:п\.|пункт[а-я]*)\s*(\d+)\s*(?:ч\.|част[а-я]*)\s*(\d+)\s*(?:ст\.|стать[а-я]*)\s*(\d+)/giu;
  const citeOrder = /(?:ст\.|стать[а-я]*)\s*(\d+)\s*(?:ч\.|част[а-я]*)\s*(\d+)\s*(?:п\.|пункт[а-я]*)\s*(\d+)/giu;
  for (const m of text.matchAll(lawOrder)) out.push({ article: m[3]!, part: m[2]!, point: m[1]! });
  for (const m of text.matchAll(citeOrder)) out.push({ article: m[1]!, part: m[2]!, point: m[3]! });
  return out;
}

/**
 * The ground of ending («ст. 46 ч. 1 п. 3») or of прекращение («ст. 43 ч. 2 п. 4») that `text`
 * cites. For окончание a ст. 46 ground wins over ст. 47 (ст. 47 ч. 1 п. 3 only says «on the
 * grounds of ст. 46»); an explicit «Основание окончания: …» wins over both.
 */
export function endGroundOf(text: string, kind: 'ip_ended' | 'ip_terminated'): string | null {
  const stated = /основани\S*\s+(?:окончания|прекращения)\s*:?\s*(.{0,60})/iu.exec(text);
  const pool = [...(stated ? groundsIn(stated[1]!) : []), ...groundsIn(text)];
  const fmt = (g: { article: string; part: string; point: string }) => `ст. ${g.article} ч. ${g.part} п. ${g.point}`;
  if (kind === 'ip_terminated') {
    const g = pool.find((x) => x.article === '43');
    return g ? fmt(g) : null;
  }
  const g = (stated ? pool.slice(0, 1).find((x) => x.article === '46' || x.article === '47') : undefined)
    ?? pool.find((x) => x.article === '46')
    ?? pool.find((x) => x.article === '47' && !(x.part === '1' && x.point === '3'))
    ?? pool.find((x) => x.article === '47');
  return g ? fmt(g) : null;
}
