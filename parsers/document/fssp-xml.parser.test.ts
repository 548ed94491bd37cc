import { describe, expect, it } from 'vitest';
import { looksLikeXml, parseFsspXml } from './fssp-xml.parser.ts';

const NS = 'http://www.fssprus.ru/namespace/order/2017/2';
/** Typed by hand: a minimal окончание (O_IP_ACT_END_END) with the proceeding nested in IP. */
const ENDED = `<?xml version="1.0" encoding="UTF-8"?>
<f:OIp xmlns:f="${NS}"><f:DocType>O_IP_ACT_END_END</f:DocType><f:DocName>Постановление об окончании исполнительного производства</f:DocName>
<f:DocDate>2025-10-01</f:DocDate><f:Reason>п. 4 ч. 1 ст. 46</f:Reason>
<f:IP><f:IpNo>1/25/02016-ИП</f:IpNo><f:IdType>Судебный приказ</f:IdType><f:IdDocNo>2-1/2025</f:IdDocNo><f:IdDebtSum>100.5</f:IdDebtSum>
<f:DbtrName>ПЕТРОВ П. П.</f:DbtrName></f:IP></f:OIp>`;

function reason(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return (error as { details?: { reason?: string } }).details?.reason;
  }
  return 'no error';
}

describe('parseFsspXml', () => {
  it('reads the kind, the nested IP and the ground', () => {
    const got = parseFsspXml(Buffer.from(ENDED));
    expect(got.kind).toBe('ip_ended');
    expect(got.fields).toMatchObject({
      ipNumber: '1/25/02016-ИП', decisionDate: '2025-10-01', amount: 100.5, endGround: 'ст. 46 ч. 1 п. 4',
      department: { code: '02016' }, debtor: { name: 'ПЕТРОВ П. П.' },
      executiveDocument: { type: 'Судебный приказ', number: '2-1/2025', caseNumber: '2-1/2025' },
    });
  });

  it.each([
    ['O_IP_RES_REOPEN', 'ip_opened'], ['O_IP_ACT_RETURN', 'ip_ended'], ['O_IP_ACT_END_STOP', 'ip_terminated'], ['O_IP_ACT_REOPEN_CANCEL', 'ip_refused'],
  ])('maps DocType %s to %s', (code, kind) => {
    expect(parseFsspXml(Buffer.from(ENDED.replace('O_IP_ACT_END_END', code))).kind).toBe(kind);
  });

  it('refuses a DOCTYPE with an external entity (XXE) without reading it', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE OIp [<!ENTITY x SYSTEM "file:///etc/passwd">]><OIp xmlns="${NS}"><DbtrName>&x;</DbtrName></OIp>`;
    expect(reason(() => parseFsspXml(Buffer.from(xxe)))).toBe('xml_unsafe');
  });

  it('refuses XML that is not well-formed, and XML that is not an OIp', () => {
    expect(reason(() => parseFsspXml(Buffer.from(ENDED.slice(0, 300))))).toBe('xml_broken');
    expect(reason(() => parseFsspXml(Buffer.from('<?xml version="1.0"?><Invoice><Sum>1</Sum></Invoice>')))).toBe('xml_broken');
  });

  it('decodes only the predefined entities and character references', () => {
    const got = parseFsspXml(Buffer.from(ENDED.replace('ПЕТРОВ П. П.', 'ООО &quot;ВОДА&quot; &amp; &#171;К&#xBB; &x;')));
    expect(got.fields.debtor?.name).toBe('ООО "ВОДА" & «К» &x;');
  });

  it('detects XML by its start, with a BOM or without a declaration', () => {
    expect(looksLikeXml(Buffer.from(`\uFEFF${ENDED}`))).toBe(true);
    expect(looksLikeXml(Buffer.from(`<OIp xmlns="${NS}"/>`))).toBe(true);
    expect(looksLikeXml(Buffer.from('%PDF-1.7'))).toBe(false);
  });
});
