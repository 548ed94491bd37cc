/**
 * The FSSP replica: the four answer states, the session gate, paging with region separators, each
 * search variant, and the JSONP wire format over real HTTP. Answers are read with the production
 * parser (parsers/fssp) and compared with the bank derived from the world.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFsspSearch, unwrapFsspJsonp } from '../../parsers/index.ts';
import { generateWorld } from '../data/world.generator.ts';
import { FaultBoard } from '../sandbox-state.ts';
import { startSandbox, type RunningSandbox } from '../server.ts';
import { getAs } from '../test-support/sandbox-client.ts';
import { toRuDate } from '../data/dates.ts';
import { FSSP_CAPTCHA_CHARS } from './captcha-image.ts';
import { createFsspSite, type FsspSite, type FsspSiteOptions } from './fssp.site.ts';

const world = generateWorld({ seed: 42 });

/** `is[...]` parameters → the query the real page sends (UTF-8 percent-encoded). */
function query(is: Record<string, string>, extra: Record<string, string> = {}): string {
  const base: Record<string, string> = {
    variant: '1', 'region_id][0': '-1', last_name: '', first_name: '', drtr_name: '', ip_number: '', patronymic: '',
    date: '', address: '', id_number: '', 'id_type][0': '', id_issuer: '', ...is,
  };
  const parts = [`callback=jQuery34001234_${1630000000000}`, 'system=ip', 'is%5Bextended%5D=1', 'nocache=1'];
  for (const [k, v] of Object.entries(base)) parts.push(`${encodeURIComponent(`is[${k}]`)}=${encodeURIComponent(v)}`);
  parts.push('_=1630000000001');
  for (const [k, v] of Object.entries(extra)) parts.push(`${k}=${encodeURIComponent(v)}`);
  return parts.join('&');
}

/** A browser-like client of one site object: keeps the session cookie, solves on request. */
function client(site: FsspSite) {
  let cookie: string | undefined;
  const get = async (rawQuery: string) => {
    const res = await site.handle({ method: 'GET', vhost: 'is.fssp.gov.ru', path: '/ajax_search', rawQuery, headers: cookie ? { cookie } : {}, body: Buffer.alloc(0) });
    const set = res.headers['set-cookie'];
    if (set) cookie = set.split(';')[0];
    return { res, text: res.body.toString('utf8'), parsed: parseFsspSearch(res.body.toString('utf8')) };
  };
  const sessionId = () => decodeURIComponent((cookie ?? '=').split('=')[1] ?? '');
  /** Ask `rawQuery`, solve the challenge with the sandbox's answer, return the served answer. */
  const solved = async (rawQuery: string) => {
    const first = await get(rawQuery);
    if (first.parsed.state !== 'captcha') return first;
    const answer = site.captchas.answer(sessionId());
    return get(`${rawQuery}&code=${encodeURIComponent(answer ?? '')}`);
  };
  return { get, solved, sessionId, dropCookie: () => { cookie = undefined; } };
}

function makeSite(options: FsspSiteOptions = {}, now: () => number = Date.now): FsspSite {
  return createFsspSite(options)({ world, faults: new FaultBoard(), now });
}

describe('fssp sandbox: states and session', () => {
  it('challenges the first query, refuses a wrong code with a new picture, then serves the session', async () => {
    const site = makeSite();
    const c = client(site);
    const p = site.bank.proceedings.find((x) => x.debtorKind === 'person')!;
    const q = query({ last_name: p.debtor.lastName, first_name: p.debtor.firstName, patronymic: p.debtor.middleName, date: toRuDate(p.debtor.birthDate!) });

    const challenge = await c.get(q);
    expect(challenge.parsed.state).toBe('captcha');
    const jpeg = Buffer.from(challenge.parsed.captcha!.imageBase64, 'base64');
    const meta = await sharp(jpeg).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 200, 60]);
    const answer = site.captchas.answer(c.sessionId())!;
    expect(answer).toMatch(new RegExp(`^[${FSSP_CAPTCHA_CHARS}]{5}$`));
    expect(challenge.text).toContain('id=\\"capchaVisual\\"');

    const wrong = await c.get(`${q}&code=${encodeURIComponent('  ')}`);
    expect(wrong.parsed.state).toBe('wrong_code');
    expect(wrong.parsed.captcha!.imageBase64).not.toBe(challenge.parsed.captcha!.imageBase64);
    // The new popup's form url drops the code, as the real one does.
    expect(unwrapFsspJsonp(wrong.text)!.data).not.toContain('code=');
    const newAnswer = site.captchas.answer(c.sessionId())!;

    const served = await c.get(`${q}&code=${encodeURIComponent(newAnswer)}`);
    expect(served.parsed.state).toBe('results');
    expect(served.parsed.proceedings.map((x) => x.ipNumber)).toContain(p.ipNumber);

    // Later, different queries of the same session pass without a challenge.
    const empty = await c.get(query({ last_name: 'Несуществующий', first_name: 'Человек' }));
    expect(empty.parsed.state).toBe('empty');
    expect(unwrapFsspJsonp(empty.text)!.data).toContain('По вашему запросу ничего не найдено');
    const byIp = await c.get(query({ variant: '3', ip_number: p.ipNumber }));
    expect(byIp.parsed.state).toBe('results');

    // A new session is challenged again.
    c.dropCookie();
    expect((await c.get(q)).parsed.state).toBe('captcha');
    expect(site.captchas.counters).toMatchObject({ solved: 1, wrong: 1 });
  });

  it('ends a pass after the configured time or number of queries', async () => {
    let now = 1_000_000;
    const site = makeSite({ passTtlMs: 60_000, passQueries: 3 }, () => now);
    const c = client(site);
    const q = query({ last_name: 'Иванов', first_name: 'Иван' });
    expect((await c.solved(q)).parsed.state).not.toBe('captcha');
    now += 59_000;
    expect((await c.get(q)).parsed.state).not.toBe('captcha');
    now += 2_000;
    expect((await c.get(q)).parsed.state).toBe('captcha');

    expect((await c.solved(q)).parsed.state).not.toBe('captcha'); // query 1 of 3
    await c.get(q);
    await c.get(q);
    expect((await c.get(q)).parsed.state).toBe('captcha'); // the 4th needs a new code
  });

  it('answers a query missing its required fields with err, without a challenge', async () => {
    const raw = await makeSite().handle({ method: 'GET', vhost: 'is.fssp.gov.ru', path: '/ajax_search', rawQuery: query({ last_name: 'Иванов' }), headers: {}, body: Buffer.alloc(0) });
    const env = unwrapFsspJsonp(raw.body.toString('utf8'))!;
    expect(env.err).toMatch(/Имя/);
    expect(() => parseFsspSearch(raw.body.toString('utf8'))).toThrow(/refused/);
  });

  it('accepts a birth date that is not validated (19.06.4021) and finds nothing', async () => {
    const c = client(makeSite());
    const r = await c.solved(query({ last_name: 'Иванов', first_name: 'Иван', date: '19.06.4021' }));
    expect(r.parsed.state).toBe('empty');
  });
});

describe('fssp sandbox: search variants and paging', () => {
  const site = makeSite({ pageSize: 2 });
  const c = client(site);
  const bank = site.bank;
  const ips = (rows: { ipNumber: string }[]) => rows.map((r) => r.ipNumber).sort();

  it('variant 1 (person + birth date + region) finds exactly the person\'s proceedings', async () => {
    const p = bank.proceedings.find((x) => x.debtorKind === 'person' && x.ended)!;
    const expected = bank.proceedings.filter((x) => x.debtorId === p.debtorId);
    const r = await c.solved(query({ last_name: p.debtor.lastName.toUpperCase(), first_name: p.debtor.firstName, patronymic: p.debtor.middleName, date: toRuDate(p.debtor.birthDate!), 'region_id][0': p.regionCode }));
    const all = [...r.parsed.proceedings];
    for (let page = r.parsed.nextPage; page; ) {
      const next = await c.get(query({ last_name: p.debtor.lastName, first_name: p.debtor.firstName, patronymic: p.debtor.middleName, date: toRuDate(p.debtor.birthDate!), 'region_id][0': p.regionCode }, { page: String(page) }));
      all.push(...next.parsed.proceedings);
      page = next.parsed.nextPage;
    }
    expect(ips(all)).toEqual(ips(expected));
    const row = all.find((x) => x.ipNumber === p.ipNumber)!;
    expect(row.ended).toEqual({ date: p.ended!.date, article: p.ended!.article, part: p.ended!.part, point: p.ended!.point, ground: `ст. ${p.ended!.article} ч. ${p.ended!.part} п. ${p.ended!.point}` });
    expect(row.debtRest).toBeNull();
    expect(row.executiveDocument).toEqual({ type: 'Судебный приказ', date: p.executiveDocument.date, number: p.caseNumber, issuer: p.executiveDocument.issuer });
    // Another region finds nothing.
    const other = world.courts.find((k) => k.regionCode !== p.regionCode)!.regionCode;
    expect((await c.get(query({ last_name: p.debtor.lastName, first_name: p.debtor.firstName, 'region_id][0': other }))).parsed.proceedings.filter((x) => x.ipNumber === p.ipNumber)).toEqual([]);
  });

  it('variant 3 (ИП number, and the -СД group) and the legacy form', async () => {
    const p = bank.proceedings.find((x) => x.debtRestKopecks !== null && x.debtorKind === 'person')!;
    const r = await c.solved(query({ variant: '3', ip_number: p.ipNumber }));
    expect(ips(r.parsed.proceedings)).toEqual([p.ipNumber]);
    const row = r.parsed.proceedings[0]!;
    expect(row.debtRest).toBe(p.debtRestKopecks! / 100);
    expect(row.uin).toBe(p.uin);
    expect(row.department).toEqual({ name: p.department.name, address: p.department.address, code: p.department.code });
    expect(row.bailiff).toEqual({ name: p.bailiff, phone: p.department.phone });
    expect(row.subjects[0]).toEqual({ type: p.subjects[0]!.type, amount: p.subjects[0]!.amountKopecks! / 100 });
    expect(row.uin).toMatch(new RegExp(`^322${p.department.code}${p.ipNumber.split('/')[1]}\\d{10}$`));

    const group = bank.proceedings.find((x) => x.sdNumber && bank.proceedings.filter((y) => y.sdNumber === x.sdNumber).length > 1)!;
    const sd = await c.get(query({ variant: '3', ip_number: group.sdNumber! }));
    expect(ips(sd.parsed.proceedings)).toEqual(ips(bank.proceedings.filter((y) => y.sdNumber === group.sdNumber)));
    expect(sd.parsed.proceedings.every((x) => x.sdNumber === group.sdNumber)).toBe(true);

    const bad = await site.handle({ method: 'GET', vhost: 'is.fssp.gov.ru', path: '/ajax_search', rawQuery: query({ variant: '3', ip_number: '12345-ИП' }), headers: {}, body: Buffer.alloc(0) });
    expect(unwrapFsspJsonp(bad.body.toString())!.err).toMatch(/формат/);
  });

  it('variant 4 (executive document: court order number, type 4, issuer, region)', async () => {
    const p = bank.proceedings.find((x) => x.executiveDocument.typeId === '4')!;
    const r = await c.solved(query({ variant: '4', id_number: p.executiveDocument.number, 'id_type][0': '4', id_issuer: p.executiveDocument.issuer, 'region_id][0': p.regionCode }));
    expect(ips(r.parsed.proceedings)).toEqual(ips(bank.proceedings.filter((x) => x.executiveDocument.number === p.executiveDocument.number && x.regionCode === p.regionCode)));
    const wrongType = await c.get(query({ variant: '4', id_number: p.executiveDocument.number, 'id_type][0': '1' }));
    expect(wrongType.parsed.proceedings.filter((x) => x.ipNumber === p.ipNumber)).toEqual([]);
  });

  it('variant 2 (legal entity) pages through several regions with separators', async () => {
    const expected = bank.byLegalEntity({ name: 'О' });
    expect(new Set(expected.map((x) => x.regionCode)).size).toBeGreaterThan(1);
    const first = await c.solved(query({ variant: '2', drtr_name: 'о' }));
    expect(first.parsed).toMatchObject({ state: 'results', total: expected.length, page: 1, nextPage: 2 });
    expect(first.parsed.proceedings).toHaveLength(2);
    const all = [...first.parsed.proceedings];
    let page = first.parsed.nextPage;
    const seen = [1];
    while (page) {
      const next = await c.get(query({ variant: '2', drtr_name: 'о' }, { page: String(page) }));
      expect(next.parsed.page).toBe(page);
      seen.push(page);
      all.push(...next.parsed.proceedings);
      page = next.parsed.nextPage;
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(ips(all)).toEqual(ips(expected));
    expect(all.every((x) => x.debtor.birthDate === null && x.region)).toBe(true);
    expect(new Set(all.map((x) => x.region)).size).toBeGreaterThan(1);
  });
});

describe('fssp sandbox over HTTP', () => {
  let sb: RunningSandbox;
  beforeAll(async () => { sb = await startSandbox({ world }); });
  afterAll(async () => { await sb.close(); });

  it('speaks the real JSONP wire format with the real headers; the admin route knows the answer', async () => {
    const a = await getAs(sb.port, 'is.fssp.gov.ru', `/ajax_search?${query({ last_name: 'Иванов', first_name: 'Иван' })}`);
    expect(a.status).toBe(200);
    expect(a.headers).toMatchObject({ server: 'nginx', 'x-powered-by': 'Express', 'content-type': 'text/javascript; charset=utf-8', 'x-content-type-options': 'nosniff' });
    expect(a.headers.etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]{8}"$/);
    expect(a.text).toMatch(/^\/\*\*\/ typeof jQuery34001234_1630000000000 === 'function' && jQuery34001234_1630000000000\(\{"data":"[\s\S]*","err":null\}\);$/);
    const sid = decodeURIComponent(String(a.headers['set-cookie']).split(';')[0]!.split('=')[1]!);
    const admin = await getAs(sb.port, 'is.fssp.gov.ru', `/__sandbox/fssp/captcha/${encodeURIComponent(sid)}`);
    expect(JSON.parse(admin.text).answer).toBe(sb.captchaAnswer(sid));
    const page = await getAs(sb.port, 'fssp.gov.ru', '/iss/ip?is%5Bvariant%5D=1&is%5Blast_name%5D=%D0%98');
    expect(page.headers['content-type']).toBe('text/html; charset=windows-1251');
    expect(page.text).toContain('<form class="ip_preg main-form__form" action="/iss/ip" method="get">');
    expect(page.text).toContain('Республика Башкортостан');
  });
});
