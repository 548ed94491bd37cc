/**
 * `konveyer parse post-tracking <file>` run as a user would (the real CLI in a child process), on
 * hand-written answers shaped as the specification's examples: single and batch answers → JSON with
 * the contract fields; a fault, a truncated answer → `{error:{code,message}}` and exit 2.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = new URL('../../bin/konveyer.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'konveyer-parse-post-'));

async function parse(name: string, body: string): Promise<{ code: number; out: Record<string, unknown> }> {
  const file = join(dir, name);
  writeFileSync(file, body);
  try {
    const { stdout } = await run(process.execPath, [bin, 'parse', 'post-tracking', file], { encoding: 'utf8' });
    return { code: 0, out: JSON.parse(stdout) };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, out: JSON.parse(e.stdout) };
  }
}

const SINGLE = `<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S="http://www.w3.org/2003/05/soap-envelope"><S:Body><ns7:getOperationHistoryResponse xmlns:ns3="http://russianpost.org/operationhistory/data" xmlns:ns7="http://russianpost.org/operationhistory"><ns3:OperationHistoryData>
<ns3:historyRecord><ns3:AddressParameters><ns3:OperationAddress><ns3:Index>111555</ns3:Index><ns3:Description>Москва 555</ns3:Description></ns3:OperationAddress></ns3:AddressParameters><ns3:ItemParameters><ns3:Barcode>RS253346199NL</ns3:Barcode></ns3:ItemParameters><ns3:OperationParameters><ns3:OperType><ns3:Id>1</ns3:Id><ns3:Name>Прием</ns3:Name></ns3:OperType><ns3:OperAttr><ns3:Id>1</ns3:Id><ns3:Name>Единичный</ns3:Name></ns3:OperAttr><ns3:OperDate>2015-07-09T18:08:00.000+03:00</ns3:OperDate></ns3:OperationParameters></ns3:historyRecord>
<ns3:historyRecord><ns3:AddressParameters><ns3:OperationAddress><ns3:Index>663300</ns3:Index><ns3:Description>Норильск Почтамт</ns3:Description></ns3:OperationAddress></ns3:AddressParameters><ns3:ItemParameters><ns3:Barcode>RS253346199NL</ns3:Barcode></ns3:ItemParameters><ns3:OperationParameters><ns3:OperType><ns3:Id>2</ns3:Id><ns3:Name>Вручение</ns3:Name></ns3:OperType><ns3:OperAttr><ns3:Id>1</ns3:Id><ns3:Name>Вручение адресату</ns3:Name></ns3:OperAttr><ns3:OperDate>2015-07-14T12:40:00.000+07:00</ns3:OperDate></ns3:OperationParameters></ns3:historyRecord>
</ns3:OperationHistoryData></ns7:getOperationHistoryResponse></S:Body></S:Envelope>`;

describe('konveyer parse post-tracking', () => {
  it('a single-access answer: items with operations, state and dates, and the parser', async () => {
    const { code, out } = await parse('single.xml', SINGLE);
    expect(code).toBe(0);
    expect(out.parser).toEqual({ name: 'post-tracking', version: '1.0.0' });
    expect(out.items).toEqual([expect.objectContaining({
      barcode: 'RS253346199NL', state: 'delivered', acceptedAt: '2015-07-09T18:08:00.000+03:00', deliveredAt: '2015-07-14T12:40:00.000+07:00', returnedAt: null,
      operations: [
        expect.objectContaining({ type: { id: 1, name: 'Прием' }, attr: { id: 1, name: 'Единичный' }, date: '2015-07-09T18:08:00.000+03:00', index: '111555', place: 'Москва 555' }),
        expect.objectContaining({ type: { id: 2, name: 'Вручение' }, attr: { id: 1, name: 'Вручение адресату' }, index: '663300', place: 'Норильск Почтамт' }),
      ],
    })]);
  });

  it('a batch answer: one item per identifier', async () => {
    const { code, out } = await parse('batch.xml', `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><ns2:answerByTicketResponse xmlns:ns2="http://fclient.russianpost.org/postserver" xmlns:ns3="http://fclient.russianpost.org"><value DatePreparation="17.09.2015 17:20:48"><ns3:Item Barcode="14102192069353"><ns3:Operation OperTypeID="1" OperCtgID="1" OperName="Прием" DateOper="12.09.2015 09:26:00" IndexOper="107258"/><ns3:Operation OperTypeID="3" OperCtgID="4" OperName="Возврат" DateOper="16.09.2015 13:45:00" IndexOper="130203"/></ns3:Item><ns3:Item Barcode="RA123456789RU"><ns3:Error ErrorTypeID="12" ErrorName="Сообщение не найдено"/></ns3:Item></value></ns2:answerByTicketResponse></S:Body></S:Envelope>`);
    expect(code).toBe(0);
    expect((out.items as Array<Record<string, unknown>>).map((i) => [i.barcode, i.state, i.returnedAt, i.returnReason])).toEqual([
      ['14102192069353', 'returning', '2015-09-16T13:45:00', 'Отказ адресата'],
      ['RA123456789RU', 'not_found', null, null],
    ]);
  });

  it('a fault and a truncated answer: {error:{code,message}}, exit 2', async () => {
    const fault = await parse('fault.xml', `<S:Envelope xmlns:S="http://www.w3.org/2003/05/soap-envelope"><S:Body><S:Fault><S:Code><S:Value>S:Receiver</S:Value></S:Code><S:Reason><S:Text xml:lang="ru">Ошибка авторизации</S:Text></S:Reason><S:Detail><ns3:AuthorizationFaultReason xmlns:ns3="http://russianpost.org/operationhistory/data">Ошибка авторизации</ns3:AuthorizationFaultReason></S:Detail></S:Fault></S:Body></S:Envelope>`);
    expect(fault.code).toBe(2);
    expect(fault.out).toEqual({ error: { code: 'auth_required', message: expect.stringMatching(/Ошибка авторизации/) } });
    const cut = await parse('cut.xml', SINGLE.slice(0, 700));
    expect(cut.code).toBe(2);
    expect(cut.out).toEqual({ error: { code: 'layout_drift', message: expect.stringMatching(/broken or truncated XML/) } });
  });
});
