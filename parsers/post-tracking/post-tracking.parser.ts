/**
 * Russian Post tracking SOAP answers → {@link PostTrackingAnswer} (DESIGN.md §Contracts
 * `post-tracking`). Written against the service specification (tracking.pochta.ru/specification:
 * «Единичный доступ» §2.2–2.4, «Пакетный доступ» §3.2–4.4, and the WSDL of rtm34 and fc):
 *
 * - single access, SOAP 1.2: `getOperationHistoryResponse` (ns http://russianpost.org/operationhistory)
 *   › `OperationHistoryData` › `historyRecord`* (ns …/operationhistory/data), each with
 *   AddressParameters (OperationAddress {Index, Description}, DestinationAddress, CountryOper),
 *   ItemParameters (Barcode, MailType, MailCtg), OperationParameters (OperType {Id, Name},
 *   OperAttr {Id, Name}, OperDate with offset), UserParameters (Sndr, Rcpn);
 * - batch access, SOAP 1.1 (ns http://fclient.russianpost.org/postserver): `ticketResponse` › `value`
 *   (the ticket) or `error` {ErrorTypeID, ErrorName}; `answerByTicketResponse` › `value`
 *   {DatePreparation} › `Item`* {Barcode} › `Operation`* {OperTypeID, OperCtgID, OperName, DateOper
 *   "DD.MM.YYYY HH:mm:ss", IndexOper} or `Error` {ErrorTypeID, ErrorName}; or a top-level `error`
 *   (6 not ready, 17 expired, 3 authorization, 2/18/21 bad request, 16 internal).
 * - SOAP faults (either version): AuthorizationFault → auth_required; OperationHistoryFault with a
 *   daily-limit text → rate_limited, with an unknown-identifier text → not_found.
 * XML that does not parse (truncated, broken) or an envelope of any other shape is layout drift.
 * Pure: no I/O, no clock.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AuthRequiredError, BadInputError, LayoutDriftError, NotFoundError, RateLimitedError, ServerError } from '../../core/errors.ts';
import type { PostalItemRecord, PostalOperation, PostTrackingAnswer } from '../../core/postal-records.ts';
import { summarizeOperations } from './item-state.ts';
import { operationAttrName, operationTypeName } from './operation-codes.ts';

/** Recorded in `source.parserVersion` and the `parser` field of `konveyer parse`. */
export const POST_TRACKING_PARSER = { name: 'post-tracking', version: '1.0.0' } as const;

/** What the parser may be told about the answer (no I/O). */
export interface PostTrackingParseContext {
  /** The identifier asked for: fills `barcode` of a single-access answer with no operations. */
  barcode?: string | null;
  /** Language the names were asked in (the dictionary fills missing names in it). Default RUS. */
  language?: 'RUS' | 'ENG';
}

type Node = Record<string, unknown>;

const ARRAYS = new Set(['historyRecord', 'Item', 'Operation']);
const xml = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ARRAYS.has(name),
});

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const child = (n: unknown, name: string): Node | undefined => (isNode(n) && isNode(n[name]) ? (n[name] as Node) : undefined);
/** Text of an element: a bare string, or `#text` of one with attributes. */
function text(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (isNode(v) && typeof v['#text'] === 'string') return (v['#text'] as string).trim() || null;
  return null;
}
const attr = (n: Node | undefined, name: string): string | null => {
  const v = n?.[`@_${name}`];
  return typeof v === 'string' && v.trim() ? v.trim() : null;
};
const intOf = (s: string | null): number | null => (s !== null && /^-?\d+$/.test(s) ? Number(s) : null);

/**
 * Parses one SOAP answer of the tracking service.
 * @throws AuthRequiredError, RateLimitedError (daily limit), NotFoundError, BadInputError, ServerError for faults and errors the service reports;
 *         LayoutDriftError for XML that is broken, truncated or of an unknown shape.
 */
export function parsePostTracking(body: string, ctx: PostTrackingParseContext = {}): PostTrackingAnswer {
  const source = body.replace(/^\uFEFF/, '').trim();
  if (!source.startsWith('<')) throw new LayoutDriftError('not an XML answer of the tracking service', { selector: 'Envelope', details: { start: source.slice(0, 80) } });
  const valid = XMLValidator.validate(source);
  if (valid !== true) {
    throw new LayoutDriftError(`broken or truncated XML: ${valid.err.msg}`, { selector: 'Envelope', details: { line: valid.err.line, col: valid.err.col, length: source.length } });
  }
  const doc = xml.parse(source) as Node;
  const envelope = child(doc, 'Envelope');
  const soapBody = child(envelope, 'Body');
  if (!soapBody) throw new LayoutDriftError('no SOAP Envelope/Body in the answer', { selector: 'Envelope > Body' });
  const fault = child(soapBody, 'Fault');
  if (fault) throw faultError(fault);
  const language = ctx.language ?? 'RUS';
  const history = child(soapBody, 'getOperationHistoryResponse');
  if (history) return { kind: 'history', items: [readHistory(history, ctx.barcode ?? null, language)], ticket: null, ticketState: null, preparedAt: null };
  const ticket = child(soapBody, 'ticketResponse');
  if (ticket) {
    const err = child(ticket, 'error');
    if (err) throw batchError(err);
    const value = text(ticket.value);
    if (!value) throw new LayoutDriftError('ticketResponse without a ticket value', { selector: 'ticketResponse > value' });
    return { kind: 'ticket', items: [], ticket: value, ticketState: null, preparedAt: null };
  }
  const answer = child(soapBody, 'answerByTicketResponse');
  if (answer) return readBatch(answer, language);
  throw new LayoutDriftError(`unknown SOAP answer: ${Object.keys(soapBody).filter((k) => !k.startsWith('@_')).join(', ') || 'empty Body'}`, { selector: 'Body > *' });
}

function readHistory(response: Node, barcode: string | null, language: 'RUS' | 'ENG'): PostalItemRecord {
  const data = response.OperationHistoryData;
  if (data === undefined) throw new LayoutDriftError('getOperationHistoryResponse without OperationHistoryData', { selector: 'OperationHistoryData' });
  const records = isNode(data) && Array.isArray(data.historyRecord) ? (data.historyRecord as unknown[]).filter(isNode) : [];
  const operations: PostalOperation[] = [];
  let sender: string | null = null;
  let recipient: string | null = null;
  let mailType: string | null = null;
  let mailCategory: string | null = null;
  let seenBarcode: string | null = null;
  for (const rec of records) {
    const params = child(rec, 'OperationParameters');
    const type = intOf(text(child(params, 'OperType')?.Id));
    const date = text(params?.OperDate);
    if (type === null || !date) throw new LayoutDriftError('historyRecord without OperType/Id or OperDate', { selector: 'historyRecord > OperationParameters' });
    const attrNode = child(params, 'OperAttr');
    const attrId = intOf(text(attrNode?.Id));
    const address = child(rec, 'AddressParameters');
    const opAddress = child(address, 'OperationAddress');
    operations.push({
      type: { id: type, name: text(child(params, 'OperType')?.Name) ?? operationTypeName(type, language) },
      attr: { id: attrId, name: text(attrNode?.Name) ?? (attrId === null ? null : operationAttrName(type, attrId, language)) },
      date,
      index: text(opAddress?.Index),
      place: text(opAddress?.Description),
      destinationIndex: text(child(address, 'DestinationAddress')?.Index),
      country: text(child(address, 'CountryOper')?.Code2A),
    });
    const item = child(rec, 'ItemParameters');
    seenBarcode ??= text(item?.Barcode);
    mailType = text(child(item, 'MailType')?.Name) ?? mailType;
    mailCategory = text(child(item, 'MailCtg')?.Name) ?? mailCategory;
    const user = child(rec, 'UserParameters');
    sender = text(user?.Sndr) ?? sender;
    recipient = text(user?.Rcpn) ?? recipient;
  }
  const id = seenBarcode ?? barcode;
  if (!id) throw new LayoutDriftError('history answer names no identifier and none was given', { selector: 'ItemParameters > Barcode' });
  return { barcode: id, operations, ...summarizeOperations(operations), sender, recipient, mailType, mailCategory, error: null };
}

function readBatch(answer: Node, language: 'RUS' | 'ENG'): PostTrackingAnswer {
  const err = child(answer, 'error');
  if (err) {
    const id = intOf(attr(err, 'ErrorTypeID'));
    if (id === 6) return { kind: 'batch', items: [], ticket: null, ticketState: 'not_ready', preparedAt: null };
    if (id === 17) return { kind: 'batch', items: [], ticket: null, ticketState: 'expired', preparedAt: null };
    throw batchError(err);
  }
  const value = child(answer, 'value');
  if (!value) throw new LayoutDriftError('answerByTicketResponse without value or error', { selector: 'answerByTicketResponse > value' });
  const items: PostalItemRecord[] = [];
  for (const it of Array.isArray(value.Item) ? (value.Item as unknown[]).filter(isNode) : []) {
    const barcode = attr(it, 'Barcode');
    if (!barcode) throw new LayoutDriftError('batch Item without Barcode', { selector: 'Item[Barcode]' });
    const itemError = child(it, 'Error');
    const operations: PostalOperation[] = [];
    for (const op of Array.isArray(it.Operation) ? (it.Operation as unknown[]).filter(isNode) : []) {
      const type = intOf(attr(op, 'OperTypeID'));
      const date = ruDateTime(attr(op, 'DateOper'));
      if (type === null || !date) throw new LayoutDriftError(`batch Operation of ${barcode} without OperTypeID or a DateOper DD.MM.YYYY HH:mm:ss`, { selector: 'Operation[OperTypeID][DateOper]' });
      const attrId = intOf(attr(op, 'OperCtgID'));
      operations.push({
        // OperName is the operation's name; the attribute's comes from the dictionary.
        type: { id: type, name: attr(op, 'OperName') ?? operationTypeName(type, language) },
        attr: { id: attrId, name: attrId === null ? null : operationAttrName(type, attrId, language) },
        date,
        index: attr(op, 'IndexOper'),
        place: null,
      });
    }
    const error = itemError ? { id: intOf(attr(itemError, 'ErrorTypeID')) ?? 0, name: attr(itemError, 'ErrorName') ?? '' } : null;
    const summary = summarizeOperations(operations);
    items.push({
      barcode, operations, ...summary,
      state: error && operations.length === 0 ? (error.id === 12 ? 'not_found' : summary.state) : summary.state,
      sender: null, recipient: null, mailType: null, mailCategory: null, error,
    });
  }
  return { kind: 'batch', items, ticket: null, ticketState: 'ready', preparedAt: ruDateTime(attr(value, 'DatePreparation')) };
}

/** «08.09.2015 17:07:00» → «2015-09-08T17:07:00» (local time; the batch answer gives no offset). */
export function ruDateTime(s: string | null): string | null {
  const m = s ? /^(\d{2})\.(\d{2})\.(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(s) : null;
  return m ? `${m[3]}-${m[2]}-${m[1]}T${m[4]}:${m[5]}:${m[6] ?? '00'}` : null;
}

const LIMIT_RE = /лимит|превышено\s+(?:допустимое|максимальное)\s+количество\s+запросов|limit/i;
const UNKNOWN_RE = /не\s+найден|отсутству|not\s+found|no\s+information/i;

/** A SOAP 1.2 (`Reason/Text`, `Detail`) or 1.1 (`faultstring`, `detail`) fault as the farm's typed error. */
function faultError(fault: Node): Error {
  const reason = text(child(fault, 'Reason')?.Text) ?? text(fault.faultstring) ?? '';
  const detail = child(fault, 'Detail') ?? child(fault, 'detail') ?? {};
  const detailName = Object.keys(detail).find((k) => !k.startsWith('@_') && k !== '#text') ?? null;
  const detailText = detailName ? (text(detail[detailName]) ?? '') : '';
  const message = [reason, detailText].filter((s, i, all) => s && all.indexOf(s) === i).join(': ') || 'SOAP fault without a reason';
  const details = { fault: detailName, reason };
  if (detailName === 'AuthorizationFaultReason' || /авторизац|authoriz/i.test(message)) return new AuthRequiredError(`tracking service refused the login: ${message}`, { target: 'post-tracking', details });
  if (LIMIT_RE.test(message)) return new RateLimitedError(`tracking service daily limit reached: ${message}`, 0, { target: 'post-tracking', details: { ...details, dailyLimit: true } });
  if (detailName === 'LanguageFaultReason') return new BadInputError(`tracking service refused the language: ${message}`, { target: 'post-tracking', details });
  if (UNKNOWN_RE.test(message)) return new NotFoundError(`tracking service has no such item: ${message}`, { target: 'post-tracking', details });
  return new ServerError(`tracking service fault: ${message}`, { target: 'post-tracking', details });
}

/** A batch `error` {ErrorTypeID, ErrorName} (spec §3.3, §4.3) as the farm's typed error. */
function batchError(err: Node): Error {
  const id = intOf(attr(err, 'ErrorTypeID'));
  const name = attr(err, 'ErrorName') ?? '';
  const details = { errorTypeId: id, errorName: name };
  const message = `tracking batch error ${id ?? '?'}: ${name}`;
  if (id === 3) return new AuthRequiredError(message, { target: 'post-tracking', details });
  if (LIMIT_RE.test(name)) return new RateLimitedError(message, 0, { target: 'post-tracking', details: { ...details, dailyLimit: true } });
  if (id === 2 || id === 18 || id === 20 || id === 21 || id === 22) return new BadInputError(message, { target: 'post-tracking', details });
  return new ServerError(message, { target: 'post-tracking', details });
}
