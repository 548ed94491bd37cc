/**
 * Fields of an FSSP document (постановление о возбуждении / об окончании ИП, об удовлетворении или
 * отказе в удовлетворении заявления (ходатайства), уведомление о ходе ИП) read from its text — the
 * PDF text layer or OCR output. Pure. Rules key on the fixed phrases of the FSSP template forms
 * (orders № 238 / № 444): «исполнительный документ: … выданный органом: …», «в отношении
 * должника: …», «в пользу взыскателя: …, ИНН …», «в размере: … руб.». Absent fields are null
 * (DESIGN.md §Contracts `document`); the written form was checked against
 * sandbox/epgu/documents/fssp-document.text.ts.
 */
import type { DocumentFields } from '../../core/records.ts';
import { parseRuDate } from '../common/ru-date.ts';
import { normalizeIpNumber, parseEndGround, parseFsspMoney } from '../fssp/fssp-fields.ts';
import { normalizeOcrText } from './ocr-text.normalize.ts';

/** DESIGN.md `document.kind`. */
export type DocumentKind = 'ip_opened' | 'ip_ended' | 'motion_granted' | 'motion_refused' | 'progress_notice' | 'other';

/** The fields `parse document` reports (core/records.ts). */
export type { DocumentFields };

/** Kind plus fields of one document. */
export interface DocumentExtraction {
  kind: DocumentKind;
  fields: DocumentFields;
}

const DATE = String.raw`(\d{2}\.\d{2}\.\d{4})`;
/** «ПАВЛОВ П. И.», «Павлов П.И.» — a surname and two initials. */
const PERSON = String.raw`([А-ЯЁ][А-ЯЁа-яё-]+ [А-ЯЁ]\. ?[А-ЯЁ]\.)`;
const BAILIFF_TITLE = String.raw`Судебн\S* пристав\S*[- ]?исполнител\S*`;

/**
 * Title phrases of the forms, most specific first (the refusal contains «удовлетворении»). The
 * short prepositions are not required: OCR of scans reads «об» as «00» or «о6» (seen on sandbox
 * scans), and within the title the noun phrase alone is unambiguous.
 */
const KIND_RULES: Array<[DocumentKind, RegExp]> = [
  ['motion_refused', /отказе\s+в\s+удовлетворении/i],
  ['motion_granted', /удовлетворении\s+заявлени|удовлетворении\s+ходатайств/i],
  ['ip_ended', /окончании\s+исполнительного/i],
  ['ip_opened', /возбуждении\s+исполнительного/i],
  ['progress_notice', /уведомлени\S*\s+о\s+ходе/i],
];

function first(re: RegExp, text: string): RegExpExecArray | null {
  return re.exec(text);
}

function clean(s: string | undefined | null): string | null {
  const t = (s ?? '').replace(/\s+/g, ' ').replace(/^[\s,;:]+|[\s,;:]+$/g, '');
  return t === '' ? null : t;
}

/** «П. И.» / «П.И.» → «П. И.» (FSSP's own spacing). */
function normalizePerson(s: string | null): string | null {
  return s ? s.replace(/([А-ЯЁ])\. ?([А-ЯЁ])\.$/, '$1. $2.') : null;
}

/** The kind of document from its title (the part before the body starts). */
export function classifyDocument(text: string): DocumentKind {
  const flat = normalizeOcrText(text).replace(/\s+/g, ' ');
  const bodyAt = flat.search(new RegExp(BAILIFF_TITLE, 'i'));
  const title = bodyAt > 0 ? flat.slice(0, bodyAt) : flat.slice(0, 600);
  for (const [kind, re] of KIND_RULES) if (re.test(title)) return kind;
  return 'other';
}

/**
 * Kind and fields of an FSSP document's text.
 * @example extractDocumentFields(text).fields.ipNumber // '54237/25/02016-ИП'
 */
export function extractDocumentFields(text: string): DocumentExtraction {
  const norm = normalizeOcrText(text);
  const flat = norm.replace(/\s+/g, ' ');
  const kind = classifyDocument(norm);

  const ip = first(/(\d{1,8}\/\d{2}\/\d{5}-(?:ИП|IP|СД|СВ))(?:\s*от\s*(\d{2}\.\d{2}\.\d{4}))?/u, flat);
  const ipNumber = ip ? normalizeIpNumber(ip[1]) : null;
  // The first «№ <ip> от <date>» gives the date even when the first mention has none.
  const ipWithDate = ipNumber ? first(/\d{1,8}\/\d{2}\/\d{5}-(?:ИП|IP|СД|СВ)\s*от\s*(\d{2}\.\d{2}\.\d{4})/u, flat) : null;

  // «Судебный пристав-исполнитель <ОСП> <ФАМИЛИЯ И. О.>, рассмотрев|сообщает»
  const intro = first(new RegExp(`${BAILIFF_TITLE}\\s+(.+?)\\s+${PERSON}\\s*,?\\s*(?:рассмотрев|сообщает)`, 'u'), flat);
  const departmentName = clean(intro?.[1]);
  const signature = [...flat.matchAll(new RegExp(`${BAILIFF_TITLE}\\s+${PERSON}`, 'gu'))].pop();
  const bailiff = normalizePerson(clean(signature?.[1] ?? intro?.[2]));

  let departmentAddress: string | null = null;
  if (departmentName) {
    const header = flat.slice(0, Math.max(0, flat.search(/ПОСТАНОВЛЕНИЕ|УВЕДОМЛЕНИЕ/)));
    const at = header.indexOf(departmentName);
    if (at >= 0) departmentAddress = clean(header.slice(at + departmentName.length));
  }
  const department = departmentName || departmentAddress || ipNumber
    ? { name: departmentName, address: departmentAddress, code: ipNumber ? (/\/(\d{5})-/.exec(ipNumber)?.[1] ?? null) : null }
    : null;

  const exec = first(new RegExp(`исполнительн\\S* документ\\s*:?\\s*(.+?)\\s+((?:ФС|ВС|АС)\\s*№?\\s*\\d{9}|№\\s*\\S+)\\s+от\\s+${DATE}\\s*,?\\s*выданн\\S* органом\\s*:?\\s*(.+?)\\s*,\\s*предмет`, 'iu'), flat);
  const executiveDocument = exec ? {
    type: clean(exec[1]),
    number: clean(exec[2]!.replace(/^№\s*/, '').replace(/^(ФС|ВС|АС)\s*№?\s*/, '$1 № ')),
    date: parseRuDate(exec[3]),
    issuer: clean(exec[4]),
  } : null;

  const money = first(/в\s+размере\s*:?\s*(\d[\d ]*(?:[.,]\d{1,2})?)\s*(?:руб|р\.)/iu, flat);
  const amount = money ? parseFsspMoney(money[1]) : null;

  const debtorMatch = first(new RegExp(`в отношении должника\\s*:?\\s*(.+?)(?:\\s*,\\s*дата рождения\\s*:?\\s*${DATE})?\\s*,\\s*адрес должника\\s*:?\\s*(.+?)\\s*,\\s*в пользу взыскателя`, 'iu'), flat);
  const debtor = debtorMatch ? { name: clean(debtorMatch[1]), birthDate: parseRuDate(debtorMatch[2] ?? null), address: clean(debtorMatch[3]) } : null;

  const creditorMatch = first(/в пользу взыскателя\s*:?\s*(.+?)\s*,\s*ИНН\s*:?\s*(\d{10}|\d{12})(?!\d)/iu, flat);
  const creditor = creditorMatch ? { name: clean(creditorMatch[1]), inn: creditorMatch[2]! } : null;

  // The document's date line «02.01.2026 № 02016/26/776431», else the first date after the title.
  const dated = first(/(\d{2}\.\d{2}\.\d{4})\s*№\s*\d{5}\/\d{2}\/\d+/u, flat);
  const titleEnd = flat.search(/исполнительного производства|заявления \(ходатайства\)/i);
  const fallbackDate = titleEnd >= 0 ? /(\d{2}\.\d{2}\.\d{4})/.exec(flat.slice(titleEnd))?.[1] : undefined;
  const decisionDate = parseRuDate(dated?.[1] ?? fallbackDate ?? null);

  let endGround: string | null = null;
  if (kind === 'ip_ended') {
    const stated = first(/основани\S*\s+окончания\s*:?\s*(ст\.?\s*\d+\s*ч\.?\s*\d+\s*п\.?\s*\d+)/iu, flat);
    // Law order «п. 3 ч. 1 ст. 46» as the «руководствуясь» clause writes it.
    const lawOrder = first(/п\.?\s*(\d+)\s*ч\.?\s*(\d+)\s*ст\.?\s*46\b/u, flat);
    endGround = stated ? parseEndGround(stated[1]).ground : lawOrder ? `ст. 46 ч. ${lawOrder[2]} п. ${lawOrder[1]}` : null;
  }

  return {
    kind,
    fields: {
      ipNumber,
      ipDate: parseRuDate(ip?.[2] ?? ipWithDate?.[1] ?? null),
      department,
      bailiff,
      debtor,
      creditor,
      executiveDocument,
      amount,
      decisionDate,
      endGround,
    },
  };
}
