/**
 * Fields of an FSSP document (постановление or уведомление) read from its text — the PDF text
 * layer or OCR output — whatever the layout. The rules key on what the law makes every
 * постановление say (229-ФЗ ст. 14 ч. 2; ст. 30, 31, 112 for возбуждение and its refusal; ст. 43,
 * 46–47 for прекращение and окончание; ст. 64.1 for ходатайства), not on one template's order:
 * - who decided: the opening sentence «Судебный пристав-исполнитель <отдел> <ФИО>, рассмотрев…»
 *   (or «… сообщает»), the пристав at its end in any of «Фамилия И. О.», «И. О. Фамилия» or a full ФИО;
 * - the executive document: its kind (судебный приказ, исполнительный лист, …) with «№», «от»,
 *   «выданный …», «по делу №» in any order, nominative;
 * - the parties: «должника …» and «взыскателя …» with a colon or without, names in capitals or in
 *   the genitive (returned nominative, ru-name.declension.ts), birth data and address after the name;
 * - the debt (the first sum of the requisites, never the исполнительский сбор or what was collected),
 *   the ИП number and opening date, the document's own date (the first date above the body),
 *   the ground of ending or of прекращение.
 * The header may be in two columns (a text layer interleaves them) and the document may run over
 * pages or carry an electronic-signature stamp: nothing here depends on line order in the header.
 * Absent fields are null (DESIGN.md §Contracts `document`). Pure.
 */
import { normalizeIpNumber } from '../fssp/fssp-fields.ts';
import { BAILIFF_TITLE, classifyDocument, joinSpacedLetters, type DocumentExtraction, type DocumentKind } from './document-kind.ts';
import { ANY_DATE, anyDate, endGroundOf, hasHouse, MONEY, moneyOf, normalizeDocumentNumber, takeAddress } from './document-text.fields.ts';
import { normalizeOcrText } from './ocr-text.normalize.ts';
import { documentTypeToNominative, normalizeOfficerName, partyToNominative } from './ru-name.declension.ts';

export type { DocumentExtraction, DocumentKind };
export { classifyDocument };
/** The fields `parse document` reports (core/records.ts). */
export type { DocumentFields } from '../../core/records.ts';

const IP = String.raw`\d{1,8}\/\d{2}\/\d{5}-(?:ИП|IP|СД|СВ)`;
const UP = 'А-ЯЁ';
const WORD = `[${UP}][${UP}а-яё-]+`;
/** The пристав at the end of the opening span: «Фамилия И. О.», «И. О. Фамилия», a full ФИО. */
const OFFICER_AT_END = [
  new RegExp(`(${WORD}\\s+[${UP}]\\.\\s?[${UP}]\\.)$`, 'u'),
  new RegExp(`([${UP}]\\.\\s?[${UP}]\\.\\s?${WORD})$`, 'u'),
  new RegExp(`(${WORD}\\s+${WORD}\\s+${WORD}(?:вич|вна|чна|ична|оглы|кызы|ВИЧ|ВНА|ЧНА|ОГЛЫ|КЫЗЫ))$`, 'u'),
];
/** Verbs that close the opening «Судебный пристав-исполнитель … ФИО». */
const INTRO_VERB = String.raw`(?:рассмотрев|сообщает|установил|изучив|проверив|ознакомившись)`;
const EXEC_TYPE = new RegExp([
  String.raw`судебн[а-яё]*\s+приказ[а-яё]*`,
  String.raw`исполнительн[а-яё]*\s+лист[а-яё]*`,
  String.raw`акт[а-яё]*\s+(?:по\s+делу\s+)?об\s+административном\s+правонарушении`,
  String.raw`постановлени[а-яё]*\s+(?:по\s+делу\s+)?об\s+административном\s+правонарушении`,
  String.raw`постановлени[а-яё]*\s+судебного\s+пристава-исполнителя`,
  String.raw`удостоверени[а-яё]*\s+комиссии\s+по\s+трудовым\s+спорам`,
  String.raw`нотариальн[а-яё]*\s+надпис[а-яё]*`,
].map((s) => `(?:${s})`).join('|'), 'iu');
/** Where a party's clause ends: the next clause of the requisites. */
const PARTY_END = /,?\s*(?:в\s+пользу(?![\p{L}])|поступивш|задолженност|о\s+взыскании|предмет\s+исполнения|по\s+исполнительному|(?<![\p{L}])с\s+должника|в\s+отношении\s+должника|УСТАНОВИЛ)/iu;

function clean(s: string | undefined | null): string | null {
  const t = (s ?? '').replace(/\s+/g, ' ').replace(/^[\s,;:—-]+|[\s,;:—-]+$/g, '');
  return t === '' ? null : t;
}

/** The opening sentence: department and пристав, and where the body starts. */
function readIntro(flat: string): { at: number; department: string | null; bailiff: string | null } | null {
  const m = new RegExp(`${BAILIFF_TITLE}\\s+(.{3,320}?)\\s*,?\\s*${INTRO_VERB}`, 'iu').exec(flat);
  if (!m) return null;
  const span = m[1]!.trim().replace(/,$/, '');
  for (const re of OFFICER_AT_END) {
    const p = re.exec(span);
    if (p) return { at: m.index, department: clean(span.slice(0, p.index)), bailiff: normalizeOfficerName(p[1]!) };
  }
  return { at: m.index, department: clean(span), bailiff: null };
}

/** The пристав of the signature line (the last «Судебный пристав-исполнитель <ФИО>»). */
function signatureOfficer(flat: string): string | null {
  const re = new RegExp(`${BAILIFF_TITLE}\\s+((?:[${UP}]\\.\\s?[${UP}]\\.\\s?${WORD})|(?:${WORD}\\s+[${UP}]\\.\\s?[${UP}]\\.))`, 'gu');
  const last = [...flat.matchAll(re)].pop();
  return last ? normalizeOfficerName(last[1]!) : null;
}

/** The executive document of the requisites. */
function readExecutiveDocument(req: string): { value: NonNullable<import('../../core/records.ts').DocumentFields['executiveDocument']>; at: number } | null {
  const t = EXEC_TYPE.exec(req);
  if (!t) return null;
  const window = req.slice(t.index + t[0].length, t.index + t[0].length + 420);
  const issuedAt = window.search(/выдан/iu);
  const beforeIssuer = issuedAt >= 0 ? window.slice(0, issuedAt) : window;
  const writ = /(?:сери[ия]\s+)?(?:№\s*)?(ФС|ВС|АС|ФИ|ВМ)\s*№?\s*(\d{6,12})/u.exec(beforeIssuer);
  const plain = /№\s*([^\s,;]+)/u.exec(beforeIssuer);
  const number = writ ? normalizeDocumentNumber(`${writ[1]} ${writ[2]}`) : plain ? clean(plain[1]!.replace(/[.)]+$/, '')) : null;
  const date = new RegExp(`от\\s+${ANY_DATE}`, 'iu').exec(beforeIssuer) ?? new RegExp(`от\\s+${ANY_DATE}`, 'iu').exec(window);
  const issuer = issuedAt >= 0
    ? /выдан\S*\s+(?:органом\s*:?\s*)?(.+?)(?=\s*(?:,|;|\(|по\s+делу|о\s+взыскании|предмет|вступивш|в\s+отношении|$))/iu.exec(window.slice(issuedAt))
    : null;
  const caseNo = /по\s+делу\s*№\s*([^\s,;]+)/iu.exec(window);
  const type = documentTypeToNominative(t[0].replace(/\s+/g, ' '));
  return {
    at: t.index,
    value: {
      type,
      number,
      date: anyDate(date?.[1]),
      issuer: clean(issuer?.[1]?.replace(/\.$/, '')),
      caseNumber: caseNo ? clean(caseNo[1]!.replace(/[.)]+$/, '')) : /приказ/i.test(type) ? number : null,
    },
  };
}

/** «<name>, 12.05.1979 года рождения, место рождения: …, адрес должника: …» */
function readDebtor(req: string): { name: string | null; birthDate: string | null; birthPlace: string | null; address: string | null } | null {
  const m = /(?:в\s+отношении\s+должника|(?<![\p{L}])с\s+должника|должника|должник)\s*:?\s*(?=["«А-ЯЁ])/u.exec(req) ?? /должник[а]?\s*:?\s*(?=["«А-ЯЁ])/iu.exec(req);
  if (!m) return null;
  let seg = req.slice(m.index + m[0].length);
  const end = seg.search(PARTY_END);
  if (end >= 0) seg = seg.slice(0, end);
  const nameEnd = seg.search(/,\s*(?=\d{2}\.\d{2}\.\d{4}|дата\s+рожд|д\.\s?р\.|г\.\s?р|года\s+рожд|ИНН|ОГРН|СНИЛС|адрес|место\s+рожд|м\.\s?р\.|уроженц|уроженк|прожива|зарегистр|\d{6})|\s+\((?=\s*(?:адрес|\d{6}|ИНН|\d{2}\.\d{2}))/iu);
  const rawName = clean(nameEnd >= 0 ? seg.slice(0, nameEnd) : seg);
  const birth = new RegExp(`(?:дата\\s+рождения|д\\.\\s?р\\.)\\s*:?\\s*${ANY_DATE}|${ANY_DATE}\\s*(?:г\\.\\s?р|года\\s+рождения|г\\.\\s?рожд)`, 'iu').exec(seg);
  const place = /(?:место\s+рождения|м\.\s?р\.|уроженц[а-яё]*|уроженк[а-яё]*)\s*:?\s*(.+?)(?=,\s*(?:адрес|зарегистр|прожива|ИНН|СНИЛС|паспорт)|$)/iu.exec(seg);
  const adr = /(?:адрес\s+должника|адрес\s+регистрации|адрес|по\s+адресу)\s*:?\s*(.+)$/iu.exec(seg);
  return {
    name: rawName ? partyToNominative(rawName) : null,
    birthDate: anyDate(birth?.[1] ?? birth?.[2]),
    birthPlace: clean(place?.[1]),
    address: adr ? takeAddress(adr[1]!) : null,
  };
}

/** Org forms a creditor's name may start with in full. */
const ORG_START = /^(?:обществ|акционерн|публичн|непубличн|товарищ|индивидуальн|муниципальн|государствен|некоммерческ|управляющ)/iu;

/** «в пользу взыскателя: <name>, адрес взыскателя: …» / «взыскателя <name> (адрес: …)». */
function readCreditor(req: string): { name: string | null; address: string | null; inn: string | null } | null {
  for (const m of req.matchAll(/взыскател[яьюе]\s*:?\s*/giu)) {
    let seg = req.slice(m.index + m[0].length);
    if (/^(?:по|о|об|на|с|в|и)\s/iu.test(seg)) continue;
    if (!(/^["«]/.test(seg) || new RegExp(`^[${UP}]`, 'u').test(seg) || ORG_START.test(seg))) continue;
    const end = seg.search(PARTY_END);
    if (end >= 0) seg = seg.slice(0, end);
    const nameEnd = seg.search(/,\s*(?=ИНН|ОГРН|адрес|\d{6})|\s*\((?=\s*(?:адрес|\d{6}|ИНН))/iu);
    const rawName = clean(nameEnd >= 0 ? seg.slice(0, nameEnd) : seg);
    const paren = /\((?:адрес\s*:?\s*)?(\d{6}[^)]*|[^)]*д\.\s*\d[^)]*)\)/iu.exec(seg);
    const adr = paren ? paren[1]! : /(?:адрес\s+взыскателя|адрес)\s*:?\s*(.+)$/iu.exec(seg)?.[1];
    const inn = /ИНН\s*:?\s*(\d{10}|\d{12})(?!\d)/u.exec(seg);
    return { name: rawName ? partyToNominative(rawName) : null, address: adr ? takeAddress(adr) : null, inn: inn?.[1] ?? null };
  }
  return null;
}

/** The debt: the first sum after the executive document that is not a fee or a collected sum. */
function readAmount(req: string, from: number, body: string): number | null {
  const pick = (s: string, start: number): number | null => {
    for (const m of s.slice(start).matchAll(new RegExp(MONEY, 'giu'))) {
      const before = s.slice(Math.max(0, start + m.index - 70), start + m.index).toLowerCase();
      if (/сбор|взыскан[а-яё]*\s+по\s+исполнительному|составляет\s*$|не\s+менее\s*$|остаток/.test(before)) continue;
      return moneyOf(m as RegExpExecArray);
    }
    return null;
  };
  return pick(req, Math.max(0, from)) ?? pick(body, 0);
}

/** The ИП's opening date as the text quotes it next to its number. */
function readIpDate(flat: string): string | null {
  const patterns = [
    new RegExp(`от\\s+${ANY_DATE}\\s*(?:г\\.\\s*)?№\\s*${IP}`, 'iu'),
    new RegExp(`${IP}\\s*(?:,\\s*)?от\\s+${ANY_DATE}`, 'iu'),
    new RegExp(`${IP}\\s*,?\\s*возбужденн\\S*\\s+${ANY_DATE}`, 'iu'),
    new RegExp(`возбужденн\\S*\\s+${ANY_DATE}\\s+(?:г\\.\\s*)?(?:судебным\\s+приставом|на\\s+основании)`, 'iu'),
  ];
  for (const re of patterns) {
    const m = re.exec(flat);
    if (m) return anyDate(m[1]);
  }
  return null;
}

/**
 * The department's address from the header: the first complete address there (postcode … house,
 * never running into the next postcode — interleaved columns) that is not a party's address.
 */
function headerAddress(preamble: string, partyAddresses: Array<string | null>): string | null {
  const key = (a: string) => a.toLowerCase().replace(/[\s,.]+/g, '');
  const parties = new Set(partyAddresses.filter((a): a is string => !!a).map(key));
  const starts = [...preamble.matchAll(/(?<!\d)(\d{6})\s*,/gu)].map((m) => m.index);
  for (let i = 0; i < starts.length; i++) {
    const span = preamble.slice(starts[i], starts[i + 1] ?? preamble.length);
    if (!hasHouse(span)) continue;
    const address = takeAddress(span);
    if (address && !parties.has(key(address))) return address;
  }
  return null;
}

/**
 * Kind and fields of an FSSP document's text.
 * @example extractDocumentFields(text).fields.ipNumber // '54237/25/02016-ИП'
 */
export function extractDocumentFields(text: string): DocumentExtraction {
  const norm = joinSpacedLetters(normalizeOcrText(text));
  const flat = norm.replace(/\s+/g, ' ').trim();
  const kind = classifyDocument(norm);
  const intro = readIntro(flat);
  const bodyAt = intro?.at ?? Math.max(0, flat.search(/рассмотрев/iu));
  const preamble = flat.slice(0, bodyAt);
  const body = flat.slice(bodyAt);
  const establishedAt = body.search(/УСТАНОВИЛ|ПОСТАНОВИЛ/iu);
  const req = establishedAt > 0 ? body.slice(0, establishedAt) : body.slice(0, 2500);

  const ip = new RegExp(`(${IP})`, 'u').exec(flat);
  const ipNumber = ip ? normalizeIpNumber(ip[1]) : null;
  const exec = readExecutiveDocument(req) ?? readExecutiveDocument(body);
  const debtor = readDebtor(req) ?? readDebtor(body);
  const creditor = readCreditor(req) ?? readCreditor(body);

  const bailiffName = intro?.bailiff ?? signatureOfficer(flat);
  const departmentAddress = headerAddress(preamble, [debtor?.address ?? null, creditor?.address ?? null]);
  const code = (ipNumber ? /\/(\d{5})-/.exec(ipNumber)?.[1] : null)
    ?? /(?<![\d/])(\d{5})\/\d{2}\/\d{3,}(?![\d/-])/.exec(preamble)?.[1]
    ?? /код\s+(?:осп|подразделения)\s*:?\s*(\d{5})/iu.exec(flat)?.[1]
    ?? null;
  const department = intro?.department || departmentAddress || code
    ? { name: intro?.department ?? null, address: departmentAddress, code }
    : null;

  const ownDate = new RegExp(ANY_DATE, 'iu').exec(preamble)?.[1]
    ?? new RegExp(`(?:исполнительного\\s+производства|ходатайства\\)?|взыскателю)\\s+${ANY_DATE}`, 'iu').exec(flat)?.[1];
  const decisionDate = anyDate(ownDate);
  const ipDate = readIpDate(flat) ?? (kind === 'ip_opened' && ipNumber ? decisionDate : null);

  return {
    kind,
    fields: {
      ipNumber,
      ipDate,
      department,
      bailiff: bailiffName ? { name: bailiffName } : null,
      debtor,
      creditor,
      executiveDocument: exec?.value ?? null,
      amount: readAmount(req, exec?.at ?? 0, body),
      decisionDate,
      endGround: kind === 'ip_ended' || kind === 'ip_terminated' ? endGroundOf(body, kind) : null,
    },
  };
}
