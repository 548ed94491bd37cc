/** Issue 13 item 8: validation gaps of the API (CSV header columns, charsets, prototype keys, host names). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, openApiHarness, type ApiHarness } from './api-harness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await openApiHarness();
});
afterAll(async () => h?.close());

const court = 'oktyabrsky--ufa.sudrf.ru';
const lookupCount = async () => h.storage.conn.collection('lookups').countDocuments({});

describe('CSV header columns', () => {
  it('refuses an unknown column with 400 naming it, __proto__ and constructor included, and stores nothing', async () => {
    const before = await lookupCount();
    for (const col of ['__proto__', 'constructor', 'debtor']) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/v1/lookups/batch',
        headers: { ...bearer(h.tokens.submit), 'content-type': 'text/csv' },
        payload: `court,number,${col}\r\n${court},2-11/2025,x\r\n`,
      });
      expect(res.statusCode, col).toBe(400);
      expect(res.json().error.message).toContain(`unknown column(s) "${col}"`);
      expect(res.json().error.message).toMatch(/expected columns from court, number, uid, caseId, caseUid, section, mode, clientKey/);
    }
    expect(await lookupCount()).toBe(before);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('accepts the documented columns of fssp.search (every variant) and clientKey', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/lookups/batch?type=fssp.search',
      headers: { ...bearer(h.tokens.submit), 'content-type': 'text/csv' },
      payload: 'kind,ipNumber,clientKey\r\nip,102021/20/02003-ИП,csv-fssp-1\r\n',
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().created).toBe(1);
  });

  it('refuses an unknown ?type= of a CSV batch with one clear sentence', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/lookups/batch?type=nope.nothing',
      headers: { ...bearer(h.tokens.submit), 'content-type': 'text/csv' },
      payload: `court,number\r\n${court},2-12/2025\r\n`,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/type: unknown lookup type "nope\.nothing"/);
  });
});

describe('declared charset', () => {
  it('answers 415 to a body declared as UTF-16 or windows-1251 (JSON and CSV) and stores nothing', async () => {
    const before = await lookupCount();
    const json = JSON.stringify({ type: 'court.case', input: { court, number: '2-13/2025' } });
    for (const [ct, url, payload] of [
      ['application/json; charset=utf-16', '/v1/lookups', json],
      ['application/json; charset="UTF-16LE"', '/v1/lookups', json],
      ['text/csv; charset=windows-1251', '/v1/lookups/batch', `court,number\r\n${court},2-14/2025\r\n`],
    ] as const) {
      const res = await h.app.inject({ method: 'POST', url, headers: { ...bearer(h.tokens.submit), 'content-type': ct }, payload });
      expect(res.statusCode, ct).toBe(415);
      expect(res.json().error).toMatchObject({ code: 'unsupported_media_type' });
      expect(res.json().error.message).toMatch(/send the body as UTF-8/);
    }
    expect(await lookupCount()).toBe(before);
    const ok = await h.app.inject({ method: 'POST', url: '/v1/lookups', headers: { ...bearer(h.tokens.submit), 'content-type': 'application/json; charset=UTF-8' }, payload: json });
    expect(ok.statusCode).toBe(201);
  });
});

describe('prototype keys in JSON', () => {
  it('refuses __proto__, constructor and prototype anywhere with a message that says so', async () => {
    const before = await lookupCount();
    const bodies: Array<[string, string]> = [
      ['__proto__', `{"type":"court.case","input":{"court":"${court}","number":"2-15/2025","__proto__":{"polluted":1}}}`],
      ['__proto__', `{"__proto__":{"x":1},"type":"court.case","input":{"court":"${court}","number":"2-16/2025"}}`],
      ['constructor', `{"type":"court.case","input":{"court":"${court}","number":"2-17/2025","constructor":{"prototype":{"y":1}}}}`],
      ['prototype', `[{"type":"court.case","input":{"court":"${court}","number":"2-18/2025","prototype":1}}]`],
    ];
    for (const [key, payload] of bodies) {
      const url = payload.startsWith('[') ? '/v1/lookups/batch' : '/v1/lookups';
      const res = await h.app.inject({ method: 'POST', url, headers: { ...bearer(h.tokens.submit), 'content-type': 'application/json' }, payload });
      expect(res.statusCode, payload).toBe(400);
      expect(res.json().error.message).toContain(`the key "${key}"`);
      expect(res.json().error.message).not.toMatch(/not valid JSON/i);
    }
    expect(await lookupCount()).toBe(before);
    // Deep nesting is walked without recursion: a 4xx, never a 500.
    const deep = await h.app.inject({ method: 'POST', url: '/v1/lookups', headers: { ...bearer(h.tokens.submit), 'content-type': 'application/json' }, payload: `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}` });
    expect(deep.statusCode).toBe(400);
    // Broken JSON is still named as such.
    const broken = await h.app.inject({ method: 'POST', url: '/v1/lookups', headers: { ...bearer(h.tokens.submit), 'content-type': 'application/json' }, payload: '{"type":' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.message).toMatch(/not valid JSON/);
  });
});

describe('court host names through the API', () => {
  it('refuses labels of 70 and 300 characters and a leading hyphen with 400, storing nothing', async () => {
    const before = await lookupCount();
    for (const host of [`${'a'.repeat(70)}.bkr.sudrf.ru`, `${'b'.repeat(300)}.sudrf.ru`, '-x.bkr.sudrf.ru']) {
      const res = await h.app.inject({ method: 'POST', url: '/v1/lookups', headers: bearer(h.tokens.submit), payload: { type: 'court.case', input: { court: host, number: '2-19/2025' } } });
      expect(res.statusCode, host).toBe(400);
      expect(res.json().error.message).toMatch(/input\.court: malformed court host/);
    }
    expect(await lookupCount()).toBe(before);
  });
});
