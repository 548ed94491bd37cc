/**
 * The replica's SOAP answers, in the shapes of the specification's examples (single access §2.4,
 * batch access §3.4, §4.4) and of the JAX-WS faults the WSDL declares. Built as XML trees, not
 * string templates.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { operationAttrName, operationTypeName } from '../../parsers/post-tracking/operation-codes.ts';
import { NS_FC, NS_FC_SERVER, NS_OH, NS_OH_DATA } from './post-tracking.wsdl.ts';
import type { SandboxLetter, SandboxOperation } from './post-tracking.data.ts';

export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';
export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: true });
const XML_DECL = "<?xml version='1.0' encoding='UTF-8'?>";

const envelope12 = (body: unknown) => XML_DECL + builder.build({ 'S:Envelope': { '@_xmlns:S': SOAP12_NS, 'S:Body': body } });
const envelope11 = (body: unknown) => builder.build({ 'S:Envelope': { '@_xmlns:S': SOAP11_NS, 'S:Body': body } });

const ruName = (type: number) => operationTypeName(type) ?? 'Операция';
const pad = (n: number) => String(n).padStart(2, '0');
/** `2026-01-15T10:20:00` → `15.01.2026 10:20:00` (batch answers' local time). */
const ruDateTime = (local: string) => `${local.slice(8, 10)}.${local.slice(5, 7)}.${local.slice(0, 4)} ${local.slice(11, 19)}`;

function historyRecord(letter: SandboxLetter, op: SandboxOperation) {
  const attrName = operationAttrName(op.type, op.attr);
  return {
    'ns3:AddressParameters': {
      'ns3:OperationAddress': { 'ns3:Index': op.index, 'ns3:Description': op.place },
      'ns3:MailDirect': { 'ns3:Id': 643, 'ns3:Code2A': 'RU', 'ns3:Code3A': 'RUS', 'ns3:NameRU': 'Российская Федерация', 'ns3:NameEN': 'Russian Federation' },
      'ns3:CountryOper': { 'ns3:Id': 643, 'ns3:Code2A': 'RU', 'ns3:Code3A': 'RUS', 'ns3:NameRU': 'Российская Федерация', 'ns3:NameEN': 'Russian Federation' },
    },
    'ns3:FinanceParameters': { 'ns3:Payment': 0, 'ns3:Value': 0, 'ns3:MassRate': 6700, 'ns3:InsrRate': 0, 'ns3:AirRate': 0, 'ns3:Rate': 0 },
    'ns3:ItemParameters': {
      'ns3:Barcode': letter.barcode, 'ns3:ValidRuType': 'true', 'ns3:ValidEnType': 'false', 'ns3:ComplexItemName': `${letter.mailType} ${letter.mailCategory.toLowerCase()}`,
      'ns3:MailRank': { 'ns3:Id': 0, 'ns3:Name': 'Без разряда' }, 'ns3:PostMark': { 'ns3:Id': 0, 'ns3:Name': 'Без отметки' },
      'ns3:MailType': { 'ns3:Id': 2, 'ns3:Name': letter.mailType }, 'ns3:MailCtg': { 'ns3:Id': 1, 'ns3:Name': letter.mailCategory }, 'ns3:Mass': 21,
    },
    'ns3:OperationParameters': {
      'ns3:OperType': { 'ns3:Id': op.type, 'ns3:Name': ruName(op.type) },
      'ns3:OperAttr': attrName ? { 'ns3:Id': op.attr, 'ns3:Name': attrName } : { 'ns3:Id': op.attr },
      'ns3:OperDate': `${op.local}.000${op.offset}`,
    },
    'ns3:UserParameters': { 'ns3:SendCtg': { 'ns3:Id': 2, 'ns3:Name': 'Организация' }, 'ns3:Sndr': letter.sender, 'ns3:Rcpn': letter.recipient },
  };
}

/** getOperationHistoryResponse with the operations that have happened. */
export function historyAnswer(letter: SandboxLetter, ops: SandboxOperation[]): string {
  return envelope12({
    'ns7:getOperationHistoryResponse': {
      '@_xmlns:ns2': 'http://russianpost.org/sms-info/data', '@_xmlns:ns3': NS_OH_DATA, '@_xmlns:ns4': SOAP11_NS,
      '@_xmlns:ns5': 'http://www.russianpost.org/custom-duty-info/data', '@_xmlns:ns6': 'http://www.russianpost.org/RTM/DataExchangeESPP/Data', '@_xmlns:ns7': NS_OH,
      'ns3:OperationHistoryData': ops.length ? { 'ns3:historyRecord': ops.map((op) => historyRecord(letter, op)) } : '',
    },
  });
}

/** A SOAP 1.2 fault with one of the WSDL's fault elements as its detail. */
export function fault12(detail: 'AuthorizationFaultReason' | 'OperationHistoryFaultReason', reason: string): string {
  return envelope12({
    'S:Fault': {
      '@_xmlns:ns4': SOAP11_NS,
      'S:Code': { 'S:Value': 'S:Receiver' },
      'S:Reason': { 'S:Text': { '@_xml:lang': 'ru', '#text': reason } },
      'S:Detail': { [`ns3:${detail}`]: { '@_xmlns:ns3': NS_OH_DATA, '#text': reason } },
    },
  });
}

/** A SOAP 1.1 fault (batch service). */
export function fault11(reason: string): string {
  return envelope11({ 'S:Fault': { faultcode: 'S:Server', faultstring: reason } });
}

/** ticketResponse with a ticket or an error. */
export function ticketAnswer(value: { ticket: string } | { error: [number, string] }): string {
  const inner = 'ticket' in value ? { value: value.ticket } : { error: { '@_ErrorTypeID': value.error[0], '@_ErrorName': value.error[1] } };
  return envelope11({ 'ns2:ticketResponse': { '@_xmlns:ns2': NS_FC_SERVER, '@_xmlns:ns3': NS_FC, ...inner } });
}

/** answerByTicketResponse: an error, or the items with their operations (an unknown identifier gets error 12). */
export function batchAnswer(value: { error: [number, string] } | { preparedAt: Date; items: Array<{ barcode: string; ops: SandboxOperation[] | null }> }): string {
  if ('error' in value) {
    return envelope11({ 'ns2:answerByTicketResponse': { '@_xmlns:ns2': NS_FC_SERVER, '@_xmlns:ns3': NS_FC, error: { '@_ErrorTypeID': value.error[0], '@_ErrorName': value.error[1] } } });
  }
  const msk = new Date(value.preparedAt.getTime() + 3 * 3600_000);
  const prepared = `${pad(msk.getUTCDate())}.${pad(msk.getUTCMonth() + 1)}.${msk.getUTCFullYear()} ${pad(msk.getUTCHours())}:${pad(msk.getUTCMinutes())}:${pad(msk.getUTCSeconds())}`;
  return envelope11({
    'ns2:answerByTicketResponse': {
      '@_xmlns:ns2': NS_FC_SERVER, '@_xmlns:ns3': NS_FC,
      value: {
        '@_FileName': '', '@_FileTypeID': 2, '@_FileNumber': 1, '@_RecipientID': 1, '@_DatePreparation': prepared,
        'ns3:Item': value.items.map((it) => ({
          '@_Barcode': it.barcode,
          ...(it.ops === null
            ? { 'ns3:Error': { '@_ErrorTypeID': 12, '@_ErrorName': 'Сообщение не найдено' } }
            : { 'ns3:Operation': it.ops.map((op) => ({ '@_OperTypeID': op.type, '@_OperCtgID': op.attr, '@_OperName': ruName(op.type), '@_DateOper': ruDateTime(op.local), '@_IndexOper': op.index })) }),
        })),
      },
    },
  });
}
