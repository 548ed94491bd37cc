/**
 * The tracking parser on hand-written answers shaped as the specification's examples
 * (tracking.pochta.ru/specification, «Единичный доступ» §2.4, «Пакетный доступ» §3.4, §4.4) and on
 * the faults the WSDL declares. Expected values are read off these documents.
 */
import { describe, expect, it } from 'vitest';
import { parsePostTracking, ruDateTime } from './post-tracking.parser.ts';

const S12 = 'http://www.w3.org/2003/05/soap-envelope';
const S11 = 'http://schemas.xmlsoap.org/soap/envelope/';

function record(o: { type: [string, string]; attr: [string, string]; date: string; index: string; place: string; sndr?: string; rcpn?: string }) {
  return `<ns3:historyRecord><ns3:AddressParameters><ns3:OperationAddress><ns3:Index>${o.index}</ns3:Index><ns3:Description>${o.place}</ns3:Description></ns3:OperationAddress>
  <ns3:CountryOper><ns3:Id>643</ns3:Id><ns3:Code2A>RU</ns3:Code2A></ns3:CountryOper></ns3:AddressParameters>
  <ns3:ItemParameters><ns3:Barcode>14102192069353</ns3:Barcode><ns3:MailType><ns3:Id>2</ns3:Id><ns3:Name>Письмо</ns3:Name></ns3:MailType><ns3:MailCtg><ns3:Id>1</ns3:Id><ns3:Name>Заказное</ns3:Name></ns3:MailCtg></ns3:ItemParameters>
  <ns3:OperationParameters><ns3:OperType><ns3:Id>${o.type[0]}</ns3:Id><ns3:Name>${o.type[1]}</ns3:Name></ns3:OperType><ns3:OperAttr><ns3:Id>${o.attr[0]}</ns3:Id><ns3:Name>${o.attr[1]}</ns3:Name></ns3:OperAttr><ns3:OperDate>${o.date}</ns3:OperDate></ns3:OperationParameters>
  <ns3:UserParameters><ns3:SendCtg><ns3:Id>2</ns3:Id><ns3:Name>Организация</ns3:Name></ns3:SendCtg>${o.sndr ? `<ns3:Sndr>${o.sndr}</ns3:Sndr>` : ''}${o.rcpn ? `<ns3:Rcpn>${o.rcpn}</ns3:Rcpn>` : ''}</ns3:UserParameters></ns3:historyRecord>`;
}
const history = (records: string) =>
  `<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S="${S12}"><S:Body><ns7:getOperationHistoryResponse xmlns:ns3="http://russianpost.org/operationhistory/data" xmlns:ns7="http://russianpost.org/operationhistory"><ns3:OperationHistoryData>${records}</ns3:OperationHistoryData></ns7:getOperationHistoryResponse></S:Body></S:Envelope>`;

const DELIVERED = history(
  [
    record({ type: ['1', 'Прием'], attr: ['1', 'Единичный'], date: '2026-01-12T11:05:00.000+03:00', index: '450083', place: 'Уфа 83', sndr: 'ООО УК ЖИЛКОМФОРТ', rcpn: 'СУДЕБНЫЙ УЧАСТОК 3' }),
    record({ type: ['8', 'Обработка'], attr: ['2', 'Прибыло в место вручения'], date: '2026-01-14T08:40:00.000+05:00', index: '450077', place: 'Уфа 77' }),
    record({ type: ['12', 'Неудачная попытка вручения'], attr: ['1', 'Временное отсутствие адресата'], date: '2026-01-14T15:10:00.000+05:00', index: '450077', place: 'Уфа 77' }),
    record({ type: ['2', 'Вручение'], attr: ['1', 'Вручение адресату'], date: '2026-01-15T10:20:00.000+05:00', index: '450077', place: 'Уфа 77' }),
  ].join(''),
);

describe('single access (getOperationHistory, SOAP 1.2)', () => {
  it('reads operations with codes, names, dates with their offset, places; state and dates', () => {
    const a = parsePostTracking(DELIVERED);
    expect(a.kind).toBe('history');
    expect(a.items).toHaveLength(1);
    const item = a.items[0]!;
    expect(item.barcode).toBe('14102192069353');
    expect(item.operations[0]).toMatchObject({ type: { id: 1, name: 'Прием' }, attr: { id: 1, name: 'Единичный' }, date: '2026-01-12T11:05:00.000+03:00', index: '450083', place: 'Уфа 83' });
    expect(item.operations[2]).toMatchObject({ type: { id: 12, name: 'Неудачная попытка вручения' }, attr: { id: 1, name: 'Временное отсутствие адресата' } });
    expect(item).toMatchObject({
      state: 'delivered', acceptedAt: '2026-01-12T11:05:00.000+03:00', deliveredAt: '2026-01-15T10:20:00.000+05:00', returnedAt: null,
      sender: 'ООО УК ЖИЛКОМФОРТ', recipient: 'СУДЕБНЫЙ УЧАСТОК 3', mailType: 'Письмо', mailCategory: 'Заказное',
    });
  });

  it('a return after the storage term: returning, then returned once handed to the sender', () => {
    const returning = history(
      [
        record({ type: ['1', 'Прием'], attr: ['1', 'Единичный'], date: '2026-01-12T11:05:00.000+03:00', index: '450083', place: 'Уфа 83' }),
        record({ type: ['8', 'Обработка'], attr: ['2', 'Прибыло в место вручения'], date: '2026-01-14T08:40:00.000+03:00', index: '450077', place: 'Уфа 77' }),
        record({ type: ['3', 'Возврат'], attr: ['1', 'Истек срок хранения'], date: '2026-02-13T09:00:00.000+03:00', index: '450077', place: 'Уфа 77' }),
      ].join(''),
    );
    expect(parsePostTracking(returning).items[0]).toMatchObject({ state: 'returning', returnedAt: '2026-02-13T09:00:00.000+03:00', returnReason: 'Истек срок хранения', deliveredAt: null });
    const back = returning.replace('</ns3:OperationHistoryData>', `${record({ type: ['2', 'Вручение'], attr: ['2', 'Вручение отправителю'], date: '2026-02-17T12:00:00.000+03:00', index: '450083', place: 'Уфа 83' })}</ns3:OperationHistoryData>`);
    expect(parsePostTracking(back).items[0]).toMatchObject({ state: 'returned', deliveredAt: null, returnedAt: '2026-02-13T09:00:00.000+03:00' });
  });

  it('an empty history (no operation yet) keeps the identifier asked for', () => {
    const a = parsePostTracking(history(''), { barcode: '11741865001806' });
    expect(a.items[0]).toMatchObject({ barcode: '11741865001806', state: 'no_data', operations: [] });
  });

  it('faults become typed errors', () => {
    const fault = (detail: string, reason: string) =>
      `<S:Envelope xmlns:S="${S12}"><S:Body><S:Fault><S:Code><S:Value>S:Receiver</S:Value></S:Code><S:Reason><S:Text xml:lang="ru">${reason}</S:Text></S:Reason><S:Detail><ns3:${detail} xmlns:ns3="http://russianpost.org/operationhistory/data">${reason}</ns3:${detail}></S:Detail></S:Fault></S:Body></S:Envelope>`;
    expect(() => parsePostTracking(fault('AuthorizationFaultReason', 'Ошибка авторизации'))).toThrow(expect.objectContaining({ code: 'auth_required' }));
    expect(() => parsePostTracking(fault('OperationHistoryFaultReason', 'Превышен суточный лимит запросов'))).toThrow(expect.objectContaining({ code: 'rate_limited' }));
    expect(() => parsePostTracking(fault('OperationHistoryFaultReason', 'Информация о заданном идентификаторе отправления отсутствует'))).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => parsePostTracking(fault('OperationHistoryFaultReason', 'Внутренняя ошибка'))).toThrow(expect.objectContaining({ code: 'server_error' }));
  });

  it('truncated or broken XML is layout drift, never an empty history', () => {
    expect(() => parsePostTracking(DELIVERED.slice(0, DELIVERED.length - 200))).toThrow(expect.objectContaining({ code: 'layout_drift' }));
    expect(() => parsePostTracking('<html><body>502 Bad Gateway</body>')).toThrow(expect.objectContaining({ code: 'layout_drift' }));
    expect(() => parsePostTracking('Service Unavailable')).toThrow(expect.objectContaining({ code: 'layout_drift' }));
    expect(() => parsePostTracking(`<S:Envelope xmlns:S="${S12}"><S:Body><foo/></S:Body></S:Envelope>`)).toThrow(/unknown SOAP answer: foo/);
  });
});

describe('batch access (getTicket / getResponseByTicket, SOAP 1.1)', () => {
  it('reads the ticket of §3.4', () => {
    const a = parsePostTracking(`<S:Envelope xmlns:S="${S11}"><S:Body><ns2:ticketResponse xmlns:ns2="http://fclient.russianpost.org/postserver" xmlns:ns3="http://fclient.russianpost.org"><value>20150917162048476CLIENTID</value></ns2:ticketResponse></S:Body></S:Envelope>`);
    expect(a).toMatchObject({ kind: 'ticket', ticket: '20150917162048476CLIENTID', items: [] });
  });

  it('reads the answer of §4.4: items, operations with local dates, a missing identifier', () => {
    const body = `<S:Envelope xmlns:S="${S11}"><S:Body><ns2:answerByTicketResponse xmlns:ns2="http://fclient.russianpost.org/postserver" xmlns:ns3="http://fclient.russianpost.org">
      <value FileName="" FileTypeID="2" FileNumber="1" RecipientID="1" DatePreparation="17.09.2015 17:20:48">
        <ns3:Item Barcode="45008378901234">
          <ns3:Operation OperTypeID="1" OperCtgID="1" OperName="Прием" DateOper="08.09.2015 17:07:00" IndexOper="450083"/>
          <ns3:Operation OperTypeID="8" OperCtgID="4" OperName="Обработка" DateOper="10.09.2015 04:42:00" IndexOper="450962"/>
        </ns3:Item>
        <ns3:Item Barcode="10725878901235">
          <ns3:Operation OperTypeID="1" OperCtgID="1" OperName="Прием" DateOper="12.09.2015 09:26:00" IndexOper="107258"/>
          <ns3:Operation OperTypeID="2" OperCtgID="8" OperName="Вручение" DateOper="16.09.2015 13:45:00" IndexOper="130203"/>
        </ns3:Item>
        <ns3:Item Barcode="RA123456789RU"><ns3:Error ErrorTypeID="12" ErrorName="Сообщение не найдено"/></ns3:Item>
      </value></ns2:answerByTicketResponse></S:Body></S:Envelope>`;
    const a = parsePostTracking(body);
    expect(a).toMatchObject({ kind: 'batch', ticketState: 'ready', preparedAt: '2015-09-17T17:20:48' });
    expect(a.items.map((i) => [i.barcode, i.state])).toEqual([['45008378901234', 'in_transit'], ['10725878901235', 'delivered'], ['RA123456789RU', 'not_found']]);
    expect(a.items[0]!.operations[1]).toEqual({ type: { id: 8, name: 'Обработка' }, attr: { id: 4, name: 'Покинуло сортировочный центр' }, date: '2015-09-10T04:42:00', index: '450962', place: null });
    expect(a.items[1]).toMatchObject({ acceptedAt: '2015-09-12T09:26:00', deliveredAt: '2015-09-16T13:45:00' });
    expect(a.items[2]!.error).toEqual({ id: 12, name: 'Сообщение не найдено' });
  });

  it('ticket states and errors of §4.3', () => {
    const err = (id: number, name: string) => `<S:Envelope xmlns:S="${S11}"><S:Body><ns2:answerByTicketResponse xmlns:ns2="http://fclient.russianpost.org/postserver"><error ErrorTypeID="${id}" ErrorName="${name}"/></ns2:answerByTicketResponse></S:Body></S:Envelope>`;
    expect(parsePostTracking(err(6, 'Ответ по билету ещё не готов')).ticketState).toBe('not_ready');
    expect(parsePostTracking(err(17, 'Время хранения ответа по билету истекло')).ticketState).toBe('expired');
    expect(() => parsePostTracking(err(3, 'Неуспешная авторизация клиента при вызове метода'))).toThrow(expect.objectContaining({ code: 'auth_required' }));
    expect(() => parsePostTracking(err(16, 'Внутренняя ошибка работы Сервиса отслеживания'))).toThrow(expect.objectContaining({ code: 'server_error' }));
  });

  it('converts DD.MM.YYYY HH:mm:ss to ISO local time', () => {
    expect(ruDateTime('16.09.2015 13:45:00')).toBe('2015-09-16T13:45:00');
    expect(ruDateTime('16.09.2015')).toBeNull();
  });
});
