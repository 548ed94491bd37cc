import * as cheerio from 'cheerio';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorld } from '../data/index.ts';
import type { SandboxCase, SudrfCourt } from '../data/world.types.ts';
import { startSandbox, type RunningSandbox } from '../server.ts';
import { getAs } from '../test-support/sandbox-client.ts';
import { encodeCp1251Component as enc } from './html.ts';

const SEARCH = '/modules.php?name=sud_delo&name_op=r&delo_id=1540005&case_type=0&new=0&delo_table=g1_case';
const SUBMIT = '&Submit=%CD%E0%E9%F2%E8';

let sb: RunningSandbox;
const court = (template: 'old' | 'new', gated: boolean): SudrfCourt =>
  sb.world.courts.find((c) => c.template === template && c.hasSearchCaptcha === gated)!;
/** The court's civil first-instance register on one server: the ЖКХ docket and the fixed-number civil cases. */
const casesOf = (c: SudrfCourt, srv = 1): SandboxCase[] =>
  [...sb.world.cases, ...sb.world.cartotekaCases].filter((k) => k.host === c.host && k.srvNum === srv && k.cartoteka === 'civil1');
const get = (c: SudrfCourt | string, path: string) => getAs(sb.port, typeof c === 'string' ? c : c.host, path);
const search = (c: SudrfCourt, params: string, srv = 1) => get(c, `${SEARCH}&srv_num=${srv}${params}${SUBMIT}`);

beforeAll(async () => {
  sb = await startSandbox({ world: generateWorld({ seed: 42, sudrfCourts: 4, casesPerCourt: 60 }) });
});
afterAll(async () => { await sb.close(); });

describe('sudrf replica', () => {
  it('sends windows-1251 bytes with the right header and meta tag', async () => {
    const r = await get(court('old', false), '/modules.php?name=sud_delo&srv_num=1&name_op=sf&delo_id=1540005');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=windows-1251');
    expect(r.body.includes(iconv.encode('Найти', 'win1251'))).toBe(true);
    expect(r.body.includes(Buffer.from('Найти', 'utf8'))).toBe(false);
    expect(r.text).toContain('<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">');
    expect(r.text).not.toContain("name='captcha'");
  });

  for (const template of ['old', 'new'] as const) {
    it(`finds a case by CP1251-encoded number, name and UID (${template} template)`, async () => {
      const c = court(template, false);
      const target = casesOf(c)[7]!;
      const debtor = target.parties.find((p) => p.roleNorm === 'debtor')!.name;
      for (const params of [
        `&g1_case__CASE_NUMBERSS=${enc(target.caseNumber)}`,
        `&G1_PARTS__NAMESS=${enc(debtor.split(' ')[0]!.toLowerCase())}`,
        `&g1_case__JUDICIAL_UIDSS=${enc(target.uid)}`,
      ]) {
        const r = await search(c, params);
        const $ = cheerio.load(r.text);
        const links = $('a[href*="name_op=case"]').map((_, a) => $(a).attr('href')).get();
        expect(links.some((h) => h.includes(String(target.caseId))), params).toBe(true);
      }
      const byNumber = await search(c, `&g1_case__CASE_NUMBERSS=${enc(target.caseNumber)}`);
      expect(byNumber.text).toMatch(/Всего по запросу найдено [—-] (<b>)?1(<\/b>)?\./);
    });
  }

  it('answers an unknown number with the honest empty page', async () => {
    const r = await search(court('old', false), `&g1_case__CASE_NUMBERSS=${enc('2-99999/2026')}`);
    expect(r.text).toContain('Данных по запросу не обнаружено');
    expect(r.text).not.toContain('tablcont');
  });

  it('filters by registration date range', async () => {
    const c = court('old', false);
    const all = casesOf(c);
    const from = all[10]!.registeredAt;
    const to = all[30]!.registeredAt;
    const expected = all.filter((k) => k.registeredAt >= from && k.registeredAt <= to).length;
    const ru = (iso: string) => `${iso.slice(8)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
    const r = await search(c, `&g1_case__ENTRY_DATE1D=${ru(from)}&g1_case__ENTRY_DATE2D=${ru(to)}`);
    expect(r.text).toContain(`Всего по запросу найдено — ${expected}.`);
    const bad = await search(c, '&g1_case__ENTRY_DATE1D=31.02.2026');
    expect(bad.text).toContain('НЕВЕРНЫЙ ФОРМАТ ЗАПРОСА!');
  });

  for (const template of ['old', 'new'] as const) {
    it(`pages 25 rows at a time with totals (${template} template)`, async () => {
      const c = court(template, false);
      const total = casesOf(c).length;
      expect(total).toBeGreaterThan(50);
      const rowsOf = (html: string) => cheerio.load(html)(template === 'old' ? 'table#tablcont tr:has(td)' : '#resultTable tbody tr').length;
      const p1 = await search(c, '');
      expect(rowsOf(p1.text)).toBe(25);
      expect(p1.text).toMatch(/page=2/);
      const p2 = await search(c, '&page=2');
      expect(rowsOf(p2.text)).toBe(25);
      expect(p2.text.replace(/<\/?b>/g, '')).toMatch(new RegExp(`найдено [—-] ${total}\\.[\\s\\S]*?с 26\\s+по 50\\.`));
      const lastPage = Math.ceil(total / 25);
      const pl = await search(c, `&page=${lastPage}`);
      expect(rowsOf(pl.text)).toBe(total - 25 * (lastPage - 1));
    });
  }

  it('gates search behind the captcha on courts that have it, and reuses a solved pair', async () => {
    const c = court('new', true);
    const target = casesOf(c)[3]!;
    const params = `&g1_case__CASE_NUMBERSS=${enc(target.caseNumber)}`;
    const gate = await search(c, params);
    expect(gate.text).toContain('Проверочный код');
    expect(gate.text).toContain('<img src="data: image/png;base64, iVBOR');
    const $ = cheerio.load(gate.text);
    const id = $('input[name="captchaid"]').attr('value')!;
    expect($("input[name='captcha']").length).toBe(1);
    const answer = sb.captchaAnswer(id)!;
    expect(answer).toMatch(/^\d{5}$/);
    const admin = await get(c, `/__sandbox/captcha/${id}`);
    expect(JSON.parse(admin.text)).toEqual({ id, answer });

    const wrongCode = answer === '00000' ? '11111' : '00000';
    const wrong = await search(c, `${params}&captcha=${wrongCode}&captchaid=${id}`);
    expect(wrong.text).toContain('Неверно указан проверочный код с картинки.');
    expect(wrong.text).not.toContain('resultTable');
    // The wrong try burnt the id: even the right answer is refused now.
    const burnt = await search(c, `${params}&captcha=${answer}&captchaid=${id}`);
    expect(burnt.text).toContain('Неверно указан проверочный код');

    const form = await get(c, '/modules.php?name=sud_delo&srv_num=1&name_op=sf&delo_id=1540005');
    const id2 = cheerio.load(form.text)('input[name="captchaid"]').attr('value')!;
    const pair = `&captcha=${sb.captchaAnswer(id2)}&captchaid=${id2}`;
    for (let i = 0; i < 2; i++) {
      const ok = await search(c, `${params}${pair}`);
      expect(ok.text).toContain('Всего по запросу найдено - <b>1</b>');
      expect(ok.text).toContain(String(target.caseId));
    }
    // A pair belongs to its court.
    const elsewhere = await search(court('old', true), `${params}${pair}`);
    expect(elsewhere.text).toContain('Неверно указан проверочный код');
  });

  for (const template of ['old', 'new'] as const) {
    it(`renders a ${template}-template card with every event and party`, async () => {
      const c = court(template, template === 'new');
      const target = sb.world.cases
        .filter((k) => k.host === c.host)
        .sort((a, b) => b.events.length + b.parties.length - a.events.length - a.parties.length)[0]!;
      const r = await get(c, `/modules.php?name=sud_delo&srv_num=${target.srvNum}&name_op=case&case_id=${target.caseId}&case_uid=${target.caseUid}&delo_id=1540005`);
      const $ = cheerio.load(r.text);
      if (template === 'old') {
        expect($('div.casenumber').text()).toContain(`ДЕЛО № ${target.displayNumber}`);
        expect($('ul.tabs > li#tab1.sel > a').attr('onclick')).toMatch(/^index\(1, \d\)/);
        expect($('div#cont2 table#tablcont tr:has(td:not(:has(b)))').length).toBe(target.events.length);
      } else {
        expect($('div.name-instanse').text().trim()).toBe('Гражданские дела - первая инстанция');
        expect($('div.case-num').text()).toBe(`ДЕЛО № ${target.displayNumber}`);
        expect($('ul#case_bookmarks.bookmarks > li#tab_id_EventList').length).toBe(1);
        expect($('#tab_content_EventList table.law-case-table tbody tr').length).toBe(target.events.length);
        expect($('#tab_content_EventList div.mobile-lawcase-item.block-mobile').length).toBe(target.events.length);
      }
      const text = $.root().text();
      expect(text).toContain(target.uid);
      for (const e of target.events) {
        expect(text).toContain(e.name);
        expect(text).toContain(`${e.date.slice(8)}.${e.date.slice(5, 7)}.${e.date.slice(0, 4)}`);
        if (e.result) expect(text).toContain(e.result);
      }
      for (const p of target.parties) {
        expect(text).toContain(p.name);
        expect(text).toContain(p.role);
        if (p.inn) expect(text).toContain(p.inn);
      }
      for (const d of target.executionDocuments) expect(text).toContain(d.electronicId ?? d.seriesNumber!);
    });
  }

  it('answers unknown cards, unknown hosts and bad servers plausibly', async () => {
    const c = court('old', false);
    const missing = await get(c, '/modules.php?name=sud_delo&srv_num=1&name_op=case&case_id=1&case_uid=x&delo_id=1540005');
    expect(missing.status).toBe(200);
    expect(missing.text).toContain('Данных по запросу не обнаружено');
    expect((await get('nope.sudrf.ru', '/')).status).toBe(404);
    expect((await get(c, '/modules.php?name=sud_delo&srv_num=9&name_op=sf')).text).toContain('Указанный сервер СДП не найден.');
  });

  it('switches faults on and off and counts requests per host', async () => {
    const c = court('new', false);
    const k = casesOf(c)[0]!;
    const card = `/modules.php?name=sud_delo&srv_num=1&name_op=case&case_id=${k.caseId}&case_uid=${k.caseUid}&delo_id=1540005`;
    const post = (body: unknown) => getAs(sb.port, c.host, '/__sandbox/faults', 'POST', JSON.stringify(body));
    await post({ host: c.host, layoutDrift: true });
    const drifted = await get(c, card);
    expect(drifted.text).not.toContain('class="case-num"');
    expect(drifted.text).toContain(k.displayNumber);
    await post({ errorRate: 1 });
    expect((await get(court('old', false), '/')).status).toBe(503);
    await post({});
    expect((await get(c, card)).text).toContain('class="case-num"');

    await post({ host: c.host, latencyMs: 150 });
    const before = sb.stats()[c.host]!.requests;
    await Promise.all([get(c, '/'), get(c, '/'), get(c, '/')]);
    await post({});
    const after = sb.stats()[c.host]!;
    expect(after.requests).toBe(before + 3);
    expect(after.maxConcurrent).toBeGreaterThanOrEqual(2);
    expect(after.maxPerSecond).toBeGreaterThanOrEqual(3);
    const stats = JSON.parse((await get(c, '/__sandbox/stats')).text) as Record<string, { requests: number }>;
    expect(stats[c.host]!.requests).toBe(after.requests);
    const world = JSON.parse((await get(c, '/__sandbox/world')).text) as { courts: Array<{ host: string; cases: unknown[] }> };
    expect(world.courts.find((w) => w.host === c.host)!.cases).toHaveLength(sb.world.cases.filter((x) => x.host === c.host).length);
  });
});

describe('sudrf replica: what real pages show (issue #14)', () => {
  const cardPath = (k: SandboxCase) => `/modules.php?name=sud_delo&srv_num=${k.srvNum}&name_op=case&case_id=${k.caseId}&case_uid=${k.caseUid}&delo_id=1540005`;
  const post = (host: string, body: unknown) => getAs(sb.port, host, '/__sandbox/faults', 'POST', JSON.stringify(body));
  const inForce = () => sb.world.cases.find((k) => k.status === 'in_force' && k.srvNum === 1 && sb.world.courts.find((c) => c.host === k.host)!.template === 'old' && !sb.world.courts.find((c) => c.host === k.host)!.hasSearchCaptcha)!;

  it('cards carry no «Дата вступления в законную силу» row; the results list column does show the date', async () => {
    for (const k of sb.world.cases.filter((x) => x.effectiveAt).slice(0, 12)) {
      expect((await get(k.host, cardPath(k))).text).not.toContain('вступления в законную силу');
    }
    const k = inForce();
    expect(k.cardStatus).not.toBe('in_force');
    const c = sb.world.courts.find((x) => x.host === k.host)!;
    const list = await search(c, `&g1_case__CASE_NUMBERSS=${enc(k.caseNumber)}`);
    expect(list.text).toContain('Дата вступления<br>в законную силу');
    const [y, m, d] = k.effectiveAt!.split('-');
    expect(list.text).toContain(`${d}.${m}.${y}`);
  });

  it('serves the real layout variants of the old-template card on demand', async () => {
    const k = sb.world.cases.find((x) => sb.world.courts.find((c) => c.host === x.host)!.template === 'old' && x.srvNum === 1 && x.parties.length >= 2 && x.events.length >= 3)!;
    try {
      await post(k.host, { host: k.host, layoutVariant: 'movement_only' });
      const only = cheerio.load((await get(k.host, cardPath(k))).text);
      expect(only('ul.tabs')).toHaveLength(0);
      expect(only('div.casenumber').text()).toContain(k.displayNumber);
      expect(only('div#cont2 table tr')).toHaveLength(k.events.length + 2);
      expect(only('div#cont2 th').text()).toBe('ДВИЖЕНИЕ ДЕЛА');

      await post(k.host, { host: k.host, layoutVariant: 'panes_reordered' });
      const re = cheerio.load((await get(k.host, cardPath(k))).text);
      expect(re('ul.tabs li').map((_, li) => re(li).text().trim()).get().slice(0, 3)).toEqual(['ДЕЛО', 'СТОРОНЫ ПО ДЕЛУ (ТРЕТЬИ ЛИЦА)', 'ДВИЖЕНИЕ ДЕЛА']);

      await post(k.host, { host: k.host, layoutVariant: 'panes_missing' });
      expect((await get(k.host, cardPath(k))).text).not.toContain('СТОРОНЫ ПО ДЕЛУ');

      await post(k.host, { host: k.host, layoutVariant: 'name_first_parties' });
      const nf = cheerio.load((await get(k.host, cardPath(k))).text);
      const table = nf('table').filter((_, t) => nf(t).find('th').text().includes('СТОРОНЫ')).first();
      expect(table.find('tr').eq(1).find('td').first().text()).toBe('Фамилия / наименование');
      expect(table.find('tr').eq(2).find('td').eq(0).text()).toBe(k.parties[0]!.name);
      expect(table.find('tr').eq(2).find('td').eq(1).text()).toBe(k.parties[0]!.role);

      const bad = await post(k.host, { host: k.host, layoutVariant: 'sideways' });
      expect(bad.status).toBe(400);
    } finally {
      await post(k.host, {});
    }
  });

  it('answers the anti-bruteforce page, the server-choice landing and the UID search across courts', async () => {
    const c = court('old', false);
    const k = casesOf(c)[3]!;
    try {
      await post(c.host, { host: c.host, antiBruteforceRate: 1 });
      const blocked = await get(c, cardPath(k));
      expect(blocked.status).toBe(200);
      expect(blocked.text).toContain('Информация временно недоступна');
      expect(blocked.text).not.toContain(k.displayNumber);

      const multi = sb.world.courts.find((x) => x.srvNum > 1) ?? c;
      await post(c.host, {});
      await post(multi.host, { host: multi.host, serverChoice: true });
      const landing = cheerio.load((await get(multi, '/modules.php?name=sud_delo&name_op=sf&delo_id=1540005')).text);
      expect(landing('#content').text()).toContain('Выберите сервер');
      expect(landing('a[href*="srv_num="]').map((_, a) => landing(a).attr('href')).get()).toEqual(
        Array.from({ length: multi.srvNum }, (_, i) => `/modules.php?name=sud_delo&name_op=sf&delo_id=1540005&srv_num=${i + 1}`));
      // With srv_num the landing is not in the way.
      expect((await get(multi, '/modules.php?name=sud_delo&srv_num=1&name_op=sf&delo_id=1540005')).text).not.toContain('Выберите сервер');
    } finally {
      await post(c.host, {});
      await post(sb.world.courts.find((x) => x.srvNum > 1)?.host ?? c.host, {});
    }

    const uidPage = cheerio.load((await get(c, `/modules.php?name=sud_delo&name_op=r_juid&vnkod=${c.code}&srv_num=1&delo_id=1540005&case_type=0&judicial_uid=${k.uid}`)).text);
    expect(uidPage('p').first().text()).toBe('Всего по запросу найдено - 1');
    const cells = uidPage('table.law-case-table tr').eq(1).find('td');
    expect(uidPage('table.law-case-table tr').first().find('td').first().text()).toBe('Суд');
    expect(cells.eq(0).text()).toBe(c.name);
    expect(cells.eq(1).find('a').attr('href')).toMatch(new RegExp(`^http://${c.host.replaceAll('.', '\\.')}/modules\\.php\\?name=sud_delo&srv_num=\\d&name_op=case&case_id=${k.caseId}&`));
    expect((await get(c, '/modules.php?name=sud_delo&name_op=r_juid&judicial_uid=00RS0000-01-2026-000000-00')).text).toContain('Данных по запросу не обнаружено');
  });
});
