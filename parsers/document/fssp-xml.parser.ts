/**
 * FSSP electronic постановления as XML (root `OIp`, namespaces
 * `http://www.fssprus.ru/namespace/order/2017/2` and `http://www.fssp.gov.ru/namespace/order_fssp/2022/1`):
 * read exactly, element by element, into the `parse document` fields. Elements are found by local
 * name anywhere under the root (namespace prefixes dropped), the first one in document order, so
 * fields on the root or in the nested `IP` both count. Element names from issue #14 §3: `DocType`,
 * `DocName`, `DocDate`, `IpNo`, `DbtrName`, `DbtrAdr`, `DebtorType`, `IdType`, `IdDocNo`,
 * `IdDocDate`, `IdDeloNo`, `IdDeloDate`, `IdDebtSum`, `IdDebtText`; the others (ОСП, пристав,
 * взыскатель, birth data, ground) are accepted under the aliases listed in `ALIASES` — no real
 * FSSP XML was at hand to confirm them, so the list is lenient on purpose.
 *
 * Safe by construction: a DOCTYPE or ENTITY declaration is refused before parsing (no entity
 * expansion, no external resources), fast-xml-parser runs with entity processing off and only the
 * five predefined entities and character references are decoded, by hand. Pure.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { BadInputError } from '../../core/errors.ts';
import { parseRuDate } from '../common/ru-date.ts';
import { normalizeIpNumber, parseFsspMoney } from '../fssp/fssp-fields.ts';
import type { DocumentExtraction, DocumentKind } from './document-kind.ts';
import { classifyDocument } from './document-kind.ts';
import { endGroundOf, normalizeDocumentNumber } from './document-text.fields.ts';

/** `DocType` codes → kinds. */
const DOC_TYPES: Record<string, DocumentKind> = {
  O_IP_RES_REOPEN: 'ip_opened',
  O_IP_ACT_END_END: 'ip_ended',
  O_IP_ACT_RETURN: 'ip_ended',
  O_IP_ACT_END_STOP: 'ip_terminated',
  O_IP_ACT_REOPEN_CANCEL: 'ip_refused',
};

/** Each field's element names, preferred first (case-insensitive local names). */
const ALIASES = {
  docType: ['DocType'],
  docName: ['DocName'],
  docDate: ['DocDate'],
  docNum: ['DocNum', 'DocNo', 'DocNumber'],
  ipNo: ['IpNo', 'IPNo', 'IpNum'],
  ipDate: ['IpRiseDate', 'IPRiseDate', 'IpDate', 'IpStartDate'],
  ospName: ['OspName', 'OSPName', 'DepName', 'DepartmentName', 'OspFullName'],
  ospAdr: ['OspAdr', 'OSPAdr', 'OspAddress', 'DepAdr'],
  ospCode: ['OspCode', 'OSPCode', 'DepCode'],
  spiName: ['SpiName', 'SPIName', 'SpiFio', 'BailiffName', 'SignerName'],
  dbtrName: ['DbtrName', 'IdDbtrName', 'DebtorName'],
  dbtrAdr: ['DbtrAdr', 'IdDbtrAdr', 'DebtorAdr'],
  dbtrBorn: ['DbtrBorn', 'IdDbtrBorn', 'DbtrBirthDate', 'DbtrBornDate'],
  dbtrBornAdr: ['DbtrBornAdr', 'IdDbtrBornAdr', 'DbtrBirthPlace'],
  crdrName: ['CrdrName', 'IdCrdrName', 'ClaimerName', 'CreditorName'],
  crdrAdr: ['CrdrAdr', 'IdCrdrAdr', 'ClaimerAdr', 'CreditorAdr'],
  crdrInn: ['CrdrINN', 'CrdrInn', 'IdCrdrINN'],
  idType: ['IdType', 'IdDocType'],
  idDocNo: ['IdDocNo'],
  idDocDate: ['IdDocDate'],
  idOrgan: ['IdOrganName', 'IdOrgan', 'IdIssuer', 'IdOrganNameFull'],
  idDeloNo: ['IdDeloNo'],
  idDebtSum: ['IdDebtSum', 'IdSum', 'DebtSum'],
  reason: ['Reason', 'EndReason', 'Basis', 'ArticleText', 'IpEndReason'],
} as const;

/** True when the bytes start (after a BOM and blanks) like an XML document. */
export function looksLikeXml(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart();
  return head.startsWith('<?xml') || /^<([A-Za-z_][\w.-]*:)?OIp[\s>]/.test(head);
}

/** The XML text in the encoding its declaration names (UTF-8 by default; windows-1251 is common). */
function decodeXml(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const declared = /encoding\s*=\s*["']([\w-]+)["']/i.exec(head)?.[1]?.toLowerCase() ?? 'utf-8';
  try {
    return new TextDecoder(declared, { fatal: false }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new BadInputError(`the XML declares an unknown encoding "${declared}"`, { details: { reason: 'xml_broken' } });
  }
}

type Node = Record<string, unknown>;

/** Depth-first, document order: the first element whose local name is one of `names` with text. */
function findText(node: unknown, names: readonly string[]): string | null {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const visit = (value: unknown): string | null => {
    if (Array.isArray(value)) {
      for (const v of value) {
        const hit = visit(v);
        if (hit !== null) return hit;
      }
      return null;
    }
    if (value === null || typeof value !== 'object') return null;
    for (const [key, child] of Object.entries(value as Node)) {
      if (wanted.has(key.toLowerCase())) {
        const text = textOf(child);
        if (text) return text;
      }
      const hit = visit(child);
      if (hit !== null) return hit;
    }
    return null;
  };
  // Preferred alias first: look the names up one by one.
  for (const name of names) {
    wanted.clear();
    wanted.add(name.toLowerCase());
    const hit = visit(node);
    if (hit !== null) return hit;
  }
  return null;
}

/** The five predefined XML entities and character references; nothing declared is ever expanded. */
const PREDEFINED: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" };
function decodePredefined(s: string): string {
  return s.replace(/&(quot|amp|lt|gt|apos|#\d{1,7}|#x[0-9a-f]{1,6});/gi, (m, name: string) => {
    if (name[0] !== '#') return PREDEFINED[name.toLowerCase()] ?? m;
    const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

function textOf(value: unknown): string | null {
  if (typeof value === 'string' || typeof value === 'number') {
    const s = decodePredefined(String(value)).replace(/\s+/g, ' ').trim();
    return s === '' ? null : s;
  }
  if (Array.isArray(value)) return textOf(value[0]);
  if (value && typeof value === 'object' && '#text' in value) return textOf((value as Node)['#text']);
  return null;
}

/** `2025-04-02`, `2025-04-02T00:00:00+03:00`, `02.04.2025` → ISO date. */
function xmlDate(raw: string | null): string | null {
  if (!raw) return null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(raw);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  return parseRuDate(raw);
}

/** `31422.56`, `2 870,00` → rubles. */
function xmlMoney(raw: string | null): number | null {
  if (!raw) return null;
  if (/^\d+(\.\d{1,2})?$/.test(raw)) return Number(raw);
  return parseFsspMoney(raw);
}

/** An FSSP document read from XML: the kind, the fields, and a plain text of what it says. */
export interface XmlDocument extends DocumentExtraction {
  text: string;
}

/**
 * Read an FSSP XML постановление. Throws `BadInputError` with `details.reason` `xml_unsafe`
 * (a DOCTYPE or ENTITY declaration) or `xml_broken` (not well-formed, or no `OIp` root).
 * @example parseFsspXml(bytes).fields.ipNumber // '65402/25/77011-ИП'
 */
export function parseFsspXml(bytes: Uint8Array): XmlDocument {
  const xml = decodeXml(bytes);
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    throw new BadInputError('the XML carries a DOCTYPE or ENTITY declaration; such files are refused (entity expansion, external resources)', { details: { reason: 'xml_unsafe' } });
  }
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new BadInputError(`the XML is not well-formed: ${valid.err.msg} (line ${valid.err.line})`, { details: { reason: 'xml_broken' } });
  }
  const parser = new XMLParser({
    ignoreAttributes: true, removeNSPrefix: true, processEntities: false, htmlEntities: false,
    parseTagValue: false, parseAttributeValue: false, trimValues: true, ignoreDeclaration: true, ignorePiTags: true,
  });
  const tree = parser.parse(xml) as Node;
  const rootKey = Object.keys(tree).find((k) => k.toLowerCase() === 'oip');
  if (!rootKey) {
    throw new BadInputError(`the XML is not an FSSP постановление: its root is <${Object.keys(tree)[0] ?? '?'}>, expected <OIp>`, { details: { reason: 'xml_broken' } });
  }
  const root = tree[rootKey];
  const get = (field: keyof typeof ALIASES) => findText(root, ALIASES[field]);

  const docName = get('docName');
  const docType = get('docType');
  const kind: DocumentKind = (docType && DOC_TYPES[docType.toUpperCase()]) || (docName ? classifyDocument(docName) : 'other');
  const ipNumber = normalizeIpNumber(get('ipNo'));
  const decisionDate = xmlDate(get('docDate'));
  const docNum = get('docNum');
  const code = get('ospCode') ?? (ipNumber ? /\/(\d{5})-/.exec(ipNumber)?.[1] : null) ?? (docNum ? /^(\d{5})\//.exec(docNum)?.[1] : null) ?? null;
  const idType = get('idType');
  const idNumber = get('idDocNo');
  const reason = get('reason');

  const fields = {
    ipNumber,
    ipDate: xmlDate(get('ipDate')) ?? (kind === 'ip_opened' ? decisionDate : null),
    department: { name: get('ospName'), address: get('ospAdr'), code },
    bailiff: get('spiName') ? { name: get('spiName') } : null,
    debtor: get('dbtrName') || get('dbtrAdr')
      ? { name: get('dbtrName'), birthDate: xmlDate(get('dbtrBorn')), birthPlace: get('dbtrBornAdr'), address: get('dbtrAdr') }
      : null,
    creditor: get('crdrName') || get('crdrAdr') ? { name: get('crdrName'), address: get('crdrAdr'), inn: get('crdrInn') } : null,
    executiveDocument: idType || idNumber ? {
      type: idType,
      number: idNumber ? normalizeDocumentNumber(idNumber) : null,
      date: xmlDate(get('idDocDate')),
      issuer: get('idOrgan'),
      caseNumber: get('idDeloNo') ?? (idType && /приказ/i.test(idType) ? idNumber : null),
    } : null,
    amount: xmlMoney(get('idDebtSum')),
    decisionDate,
    endGround: kind === 'ip_ended' || kind === 'ip_terminated' ? endGroundOf(reason ?? docName ?? '', kind) : null,
  };
  const text = [docName, ...collectTexts(root)].filter(Boolean).join('\n');
  return { kind, fields, text };
}

/** Every leaf text of the tree in document order, «Name: value» (the record's `text`). */
function collectTexts(node: unknown, key = ''): string[] {
  if (Array.isArray(node)) return node.flatMap((n) => collectTexts(n, key));
  if (node !== null && typeof node === 'object') return Object.entries(node as Node).flatMap(([k, v]) => collectTexts(v, k));
  const t = textOf(node);
  return t && key !== 'DocName' ? [`${key}: ${t}`] : [];
}
