/**
 * Conformance of the tracking parser's code tables, state rules and field mapping against the real
 * parsed operation history in ../shared/fixtures/real/pochta (RS253346199NL, 2015, English answer,
 * as a client library's test snapshot kept it). Runs only where that folder exists. Names of people
 * in it are never written here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkPostalId } from '../../core/postal-identifiers.ts';
import type { PostalOperation } from '../../core/postal-records.ts';
import { operationAttrName, operationTypeName, parsePostTracking, summarizeOperations } from '../../parsers/index.ts';

const FILE = new URL('../../../shared/fixtures/real/pochta/tracking_RS253346199NL_jest_snapshot_parsed_operation_history_2015.snap', import.meta.url);
const exists = existsSync(fileURLToPath(FILE));

interface SnapRecord {
  typeId: number; typeName: string | null; attrId: number; attrName: string | null; date: string;
  index: string | null; place: string | null; barcode: string | null;
}

/** An independent regex reader of the snapshot: one entry per top-level `Object {` of the array. */
function readSnapshot(): SnapRecord[] {
  const text = readFileSync(FILE, 'utf8');
  const blocks = text.split(/\n {2}Object \{\n/).slice(1);
  return blocks.map((b) => {
    const op = /"operation": Object \{([\s\S]*?)\n {4}\},/.exec(b)?.[1] ?? '';
    const attr = /"operAttr": Object \{\s*"id": (\d+),(?:\s*"name": "([^"]*)",)?/.exec(op);
    const type = /"operType": Object \{\s*"id": (\d+),(?:\s*"name": "([^"]*)",)?/.exec(op);
    const address = /"operationAddress": Object \{\s*"description": "([^"]*)",(?:\s*"index": "(\d+)",)?/.exec(b);
    return {
      typeId: Number(type![1]), typeName: type![2] ?? null, attrId: Number(attr![1]), attrName: attr![2] ?? null,
      date: /"operDate": (\S+),/.exec(op)![1]!, index: address?.[2] ?? null, place: address?.[1] ?? null,
      barcode: /"barcode": "([^"]+)"/.exec(b)?.[1] ?? null,
    };
  });
}

describe.skipIf(!exists)('real operation history RS253346199NL', () => {
  const records = exists ? readSnapshot() : [];

  it('holds twelve operations ending with a delivery to the addressee', () => {
    expect(records).toHaveLength(12);
    expect(records.at(-1)).toMatchObject({ typeId: 2, attrId: 1, attrName: 'Delivery to the addressee' });
  });

  it('its identifier passes the S10 check', () => {
    expect(checkPostalId(records[0]!.barcode!)).toEqual({ ok: true, id: 'RS253346199NL', kind: 's10' });
  });

  it('the dictionary gives the names the service gave for every named type and attribute', () => {
    for (const r of records) {
      if (r.typeName) expect(operationTypeName(r.typeId, 'ENG'), `type ${r.typeId}`).toBe(r.typeName);
      if (r.attrName) expect(operationAttrName(r.typeId, r.attrId, 'ENG'), `attr ${r.typeId}.${r.attrId}`).toBe(r.attrName);
    }
  });

  it('the state rules read it as delivered on 29.05.2015, with no acceptance operation in Russia', () => {
    const ops: PostalOperation[] = records.map((r) => ({ type: { id: r.typeId, name: r.typeName }, attr: { id: r.attrId, name: r.attrName }, date: r.date, index: r.index, place: r.place }));
    expect(summarizeOperations(ops)).toEqual({ state: 'delivered', acceptedAt: null, deliveredAt: '2015-05-29T12:10:00.000Z', returnedAt: null, returnReason: null });
    // Before the last operation it lay at the delivery office (8.2 Arrival at delivery office).
    expect(summarizeOperations(ops.slice(0, -1)).state).toBe('arrived');
  });

  it('the parser maps the specification field names onto the same values (answer rebuilt in the WSDL shape)', () => {
    const xml = `<S:Envelope xmlns:S="http://www.w3.org/2003/05/soap-envelope"><S:Body><ns7:getOperationHistoryResponse xmlns:ns3="http://russianpost.org/operationhistory/data" xmlns:ns7="http://russianpost.org/operationhistory"><ns3:OperationHistoryData>${records
      .map((r) => `<ns3:historyRecord><ns3:AddressParameters><ns3:OperationAddress>${r.index ? `<ns3:Index>${r.index}</ns3:Index>` : ''}<ns3:Description>${r.place}</ns3:Description></ns3:OperationAddress></ns3:AddressParameters><ns3:ItemParameters><ns3:Barcode>${r.barcode}</ns3:Barcode></ns3:ItemParameters><ns3:OperationParameters><ns3:OperType><ns3:Id>${r.typeId}</ns3:Id>${r.typeName ? `<ns3:Name>${r.typeName}</ns3:Name>` : ''}</ns3:OperType><ns3:OperAttr><ns3:Id>${r.attrId}</ns3:Id>${r.attrName ? `<ns3:Name>${r.attrName}</ns3:Name>` : ''}</ns3:OperAttr><ns3:OperDate>${r.date}</ns3:OperDate></ns3:OperationParameters></ns3:historyRecord>`)
      .join('')}</ns3:OperationHistoryData></ns7:getOperationHistoryResponse></S:Body></S:Envelope>`;
    const item = parsePostTracking(xml, { language: 'ENG' }).items[0]!;
    expect(item.barcode).toBe('RS253346199NL');
    expect(item.operations.map((o) => [o.type.id, o.attr.id, o.date, o.index, o.place])).toEqual(records.map((r) => [r.typeId, r.attrId, r.date, r.index, r.place]));
    // Names the answer left out are filled from the dictionary (8.0 has one, 10.0 none).
    expect(item.operations[1]!.attr).toEqual({ id: 0, name: null });
    expect(item.state).toBe('delivered');
  });
});
