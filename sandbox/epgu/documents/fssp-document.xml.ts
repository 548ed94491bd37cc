/**
 * An FSSP document as the electronic XML постановление FSSP sends parties (root `OIp` in the
 * namespace `http://www.fssprus.ru/namespace/order/2017/2`, the proceeding in a nested `IP`),
 * the form the EPGU replica delivers beside a PDF print form. Element names: the ones issue 14 §3
 * lists (DocType, DocName, DocDate, IpNo, DbtrName, DbtrAdr, DebtorType, IdType, IdDocNo,
 * IdDocDate, IdDeloNo, IdDebtSum, IdDebtText) plus OspName/OspAdr/SpiName/CrdrName/CrdrAdr/
 * DbtrBorn/DbtrBornAdr/IpRiseDate/Reason for what the list leaves out. UTF-8, or windows-1251
 * when asked (both occur).
 */
import type { FsspDocumentKind, FsspDocumentSpec } from './fssp-document.types.ts';
import { DEFAULT_TERMINATION_GROUND, documentNumberOf, titleOfKind } from './fssp-document.text.ts';

/** The DocType codes known from issue 14; other kinds go without one (a reader goes by DocName). */
const DOC_TYPE: Partial<Record<FsspDocumentKind, string>> = {
  ip_opened: 'O_IP_RES_REOPEN',
  ip_ended: 'O_IP_ACT_END_END',
  ip_terminated: 'O_IP_ACT_END_STOP',
  ip_refused: 'O_IP_ACT_REOPEN_CANCEL',
};

/** Kinds FSSP sends as XML with a known DocType (the replica delivers XML + PDF only for these). */
export const XML_KINDS: readonly FsspDocumentKind[] = Object.keys(DOC_TYPE) as FsspDocumentKind[];

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The XML bytes of one document. */
export function renderFsspXml(spec: FsspDocumentSpec, options: { encoding?: 'utf-8' | 'windows-1251' } = {}): Buffer {
  const el = (name: string, value: string | number | null | undefined, indent = '  ') =>
    value === null || value === undefined || value === '' ? '' : `${indent}<fssp:${name}>${escape(String(value))}</fssp:${name}>\n`;
  const e = spec.executiveDocument;
  const [title, subtitle] = titleOfKind(spec.kind);
  const name = `${title[0]}${title.slice(1).toLowerCase()} ${subtitle}`;
  const ground = spec.kind === 'ip_ended' ? spec.endGround ?? 'ст. 46 ч. 1 п. 3' : spec.kind === 'ip_terminated' ? spec.endGround ?? DEFAULT_TERMINATION_GROUND : null;
  const ip = '    ';
  const encoding = options.encoding ?? 'utf-8';
  const xml = `<?xml version="1.0" encoding="${encoding}"?>\n` +
    '<fssp:OIp xmlns:fssp="http://www.fssprus.ru/namespace/order/2017/2" xmlns:fssp22="http://www.fssp.gov.ru/namespace/order_fssp/2022/1">\n' +
    el('DocType', DOC_TYPE[spec.kind]) + el('DocName', name) + el('DocDate', spec.decisionDate) + el('DocNum', documentNumberOf(spec)) +
    el('OspName', spec.department.name) + el('OspAdr', spec.department.address) + el('OspCode', spec.department.code) +
    el('SpiName', spec.bailiff) + el('Reason', ground ? `${ground} Федерального закона № 229-ФЗ` : null) +
    '  <fssp:IP>\n' +
    (spec.kind === 'ip_refused' ? '' : el('IpNo', spec.ipNumber, ip) + el('IpRiseDate', spec.ipDate, ip)) +
    el('IdType', e.type, ip) + el('IdDocNo', e.number, ip) + el('IdDocDate', e.date, ip) + el('IdOrganName', e.issuer, ip) +
    el('IdDeloNo', e.caseNumber ?? (/приказ/i.test(e.type) ? e.number : null), ip) +
    el('IdDebtSum', spec.amount.toFixed(2), ip) + el('IdDebtText', spec.subject ?? 'Задолженность по оплате жилищно-коммунальных услуг', ip) +
    el('DebtorType', spec.debtor.birthDate ? '2' : '1', ip) + el('DbtrName', spec.debtor.name, ip) + el('DbtrBorn', spec.debtor.birthDate, ip) +
    el('DbtrBornAdr', spec.debtor.birthPlace, ip) + el('DbtrAdr', spec.debtor.address, ip) +
    el('CrdrName', spec.creditor.name, ip) + el('CrdrINN', spec.creditor.inn, ip) + el('CrdrAdr', spec.creditor.address, ip) +
    '  </fssp:IP>\n</fssp:OIp>\n';
  return encoding === 'utf-8' ? Buffer.from(xml, 'utf8') : encodeCp1251(xml);
}

/** windows-1251 bytes (Node has no encoder for it; the Cyrillic block maps by offset). */
function encodeCp1251(text: string): Buffer {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c >= 0x410 && c <= 0x44f) out.push(c - 0x410 + 0xc0);
    else if (c === 0x401) out.push(0xa8);
    else if (c === 0x451) out.push(0xb8);
    else if (c === 0x2116) out.push(0xb9);
    else if (c === 0xab) out.push(0xab);
    else if (c === 0xbb) out.push(0xbb);
    else out.push(0x3f);
  }
  return Buffer.from(out);
}
