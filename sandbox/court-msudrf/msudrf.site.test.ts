/**
 * The msudrf replica, request by request: the kcaptcha gate (once per session, a new image per
 * `/captcha.php`, wrong and right answers), both card layouts read back by the msudrf parser into
 * the data they were drawn from, and the results list with its duplicate rows and paging.
 */
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyMsudrfPage, parseMsudrfCaseCard, parseMsudrfSearchResults } from '../../parsers/index.ts';
import { generateWorld } from '../data/world.generator.ts';
import { FaultBoard } from '../sandbox-state.ts';
import type { SiteRequest } from '../site.ts';
import { encodeCp1251Component } from '../sudrf/html.ts';
import { msudrfSite, type MsudrfSite } from './msudrf.site.ts';

let site: MsudrfSite;
beforeAll(() => {
  const world = generateWorld({ seed: 11, sudrfCourts: 2, casesPerCourt: 10 });
  site = msudrfSite({ world, faults: new FaultBoard(), now: () => Date.now() });
});

async function get(host: string, pathAndQuery: string, sid?: string, method = 'GET', body = '') {
  const [path, rawQuery = ''] = pathAndQuery.split('?') as [string, string?];
  const req: SiteRequest = { method, vhost: host, path, rawQuery, headers: sid ? { cookie: `PHPSESSID=${sid}` } : {}, body: Buffer.from(body) };
  const res = await site.handle(req);
  const cookie = /PHPSESSID=([a-z0-9]+)/.exec(res.headers['set-cookie'] ?? '')?.[1];
  return { ...res, html: iconv.decode(res.body, 'win1251'), sid: cookie ?? sid };
}

/** Opens a session on `host` and passes its gate with the answer the site knows. */
async function passedSession(host: string): Promise<string> {
  const first = await get(host, '/modules.php?name=sud_delo&op=hl');
  await get(host, '/captcha.php', first.sid);
  const answer = site.sessions.answerOf(host, first.sid!)!;
  const ok = await get(host, '/modules.php?name=sud_delo&op=hl', first.sid, 'POST', `captcha-response=${answer}`);
  expect(classifyMsudrfPage(ok.html)).not.toBe('captcha');
  return first.sid!;
}

describe('msudrf replica: the kcaptcha gate', () => {
  const gated = () => site.data.courts.find((c) => c.hasGate)!;

  it('gates the first modules.php request of a session, sets a cookie, and keeps gating until answered', async () => {
    const host = gated().host;
    const c = site.data.cases.find((k) => k.host === host)!;
    const first = await get(host, `/modules.php?name=sud_delo&op=cs&case_id=${c.caseId}&delo_id=1540005`);
    expect(first.headers['content-type']).toBe('text/html; charset=windows-1251');
    expect(first.sid).toBeTruthy();
    expect(classifyMsudrfPage(first.html)).toBe('captcha');
    expect(first.html).toContain('<img src="/captcha.php"');
    expect(first.html).toContain('name="captcha-response"');
    const again = await get(host, `/modules.php?name=sud_delo&op=cs&case_id=${c.caseId}&delo_id=1540005`, first.sid);
    expect(classifyMsudrfPage(again.html)).toBe('captcha');
  });

  it('draws a new image and a new answer on every /captcha.php request', async () => {
    const host = gated().host;
    const { sid } = await get(host, '/modules.php?name=sud_delo');
    const a = await get(host, '/captcha.php', sid);
    const answerA = site.sessions.answerOf(host, sid!);
    const b = await get(host, '/captcha.php', sid);
    const answerB = site.sessions.answerOf(host, sid!);
    expect(a.headers['content-type']).toBe('image/png');
    expect(a.body.subarray(1, 4).toString()).toBe('PNG');
    expect(a.body.equals(b.body)).toBe(false);
    expect(answerA).toMatch(/^[23456789abcdegikpqsvxyz]{5,6}$/);
    expect(answerB).not.toBe(answerA);
  });

  it('refuses a wrong answer with a new gate, accepts the right one and serves the content in the POST answer', async () => {
    const host = gated().host;
    const c = site.data.cases.find((k) => k.host === host)!;
    const url = `/modules.php?name=sud_delo&op=cs&case_id=${c.caseId}&delo_id=1540005`;
    const { sid } = await get(host, url);
    await get(host, '/captcha.php', sid);
    const wrong = await get(host, url, sid, 'POST', 'captcha-response=zzzzzz');
    expect(classifyMsudrfPage(wrong.html)).toBe('captcha');
    expect(wrong.html).toContain('Неверно введен код');
    await get(host, '/captcha.php', sid);
    const right = await get(host, url, sid, 'POST', `captcha-response=${site.sessions.answerOf(host, sid!)}`);
    expect(classifyMsudrfPage(right.html)).toBe('case_card');
    // The session stays verified: the next request goes straight to the content.
    expect(classifyMsudrfPage((await get(host, url, sid)).html)).toBe('case_card');
  });

  it('serves a court without the gate directly', async () => {
    const open = site.data.courts.find((c) => !c.hasGate)!;
    const c = site.data.cases.find((k) => k.host === open.host)!;
    const page = await get(open.host, `/modules.php?name=sud_delo&op=cs&case_id=${c.caseId}&delo_id=1540005`);
    expect(classifyMsudrfPage(page.html)).toBe('case_card');
  });
});

describe('msudrf replica: cards of both layouts read back by the parser', () => {
  for (const layout of ['B', 'C'] as const) {
    it(`layout ${layout}: every case of one court parses to the data it was drawn from`, async () => {
      const court = site.data.courts.find((c) => c.layout === layout && c.hasGate)!;
      const sid = await passedSession(court.host);
      const cases = site.data.cases.filter((c) => c.host === court.host);
      const statuses = new Set<string>();
      for (const c of cases) {
        const url = `http://${court.host}/modules.php?name=sud_delo&op=cs&case_id=${c.caseId}&delo_id=1540005`;
        const page = await get(court.host, url.replace(`http://${court.host}`, ''), sid);
        const r = parseMsudrfCaseCard(page.html, { url });
        expect(r.template).toBe(`msudrf-${layout}`);
        expect(r.court).toMatchObject({ host: court.host, code: court.code, section: String(court.section), name: court.name });
        expect(r).toMatchObject({ caseNumber: c.caseNumber, caseId: String(c.caseId), judge: c.judge, category: c.category, registeredAt: c.registeredAt });
        expect(r.uid).toBe(c.uidShown ? c.uid : null);
        expect(r.status).toBe(c.status);
        expect(r.decision.date).toBe(c.decision.date);
        expect(r.effectiveAt).toBe(c.effectiveAt);
        expect(r.events.map((e) => [e.name, e.date, e.result])).toEqual(c.events.map((e) => [e.name, e.date, e.result]));
        expect(r.parties.map((p) => [p.role, p.roleNorm, p.name])).toEqual(c.parties.map((p) => [p.role, p.roleNorm, p.name]));
        statuses.add(r.status);
      }
      expect(statuses.size).toBeGreaterThan(1);
    });
  }
});

describe('msudrf replica: search results', () => {
  it('lists a case once per party, pages by pageNum_Recordset1, and the parser keeps one row per card', async () => {
    const court = site.data.courts.find((c) => c.hasGate)!;
    const sid = await passedSession(court.host);
    const cases = site.data.cases.filter((c) => c.host === court.host);
    const q = `name=sud_delo&srv_num=1&name_op=r&delo_id=1540005&case_type=0&new=0&G1_PARTS__NAMESS=&Submit=${encodeCp1251Component('Найти')}`;
    const first = await get(court.host, `/modules.php?${q}`, sid);
    expect(classifyMsudrfPage(first.html)).toBe('search_results');
    const base = `http://${court.host}/modules.php?${q}`;
    const p1 = parseMsudrfSearchResults(first.html, { url: base });
    expect(p1.total).toBe(cases.length * 2);
    expect(p1.cases).toHaveLength(10); // 20 rows = 10 cases × 2 parties
    expect(p1.nextPage).toBe(2);
    const second = parseMsudrfSearchResults((await get(court.host, `/modules.php?${q}&pageNum_Recordset1=1`, sid)).html, { url: base });
    const ids = [...p1.cases, ...second.cases].map((r) => r.caseId);
    expect(new Set(ids).size).toBe(Math.min(cases.length, 20));
    expect(p1.cases[0]!.url).toMatch(new RegExp(`^http://${court.host.replace(/\./g, '\\.')}/modules\\.php\\?name=sud_delo&op=cs&case_id=\\d+&delo_id=1540005$`));
  });

  it('finds by a debtor name in CP1251 and answers an honest empty list for nobody', async () => {
    const court = site.data.courts.find((c) => c.layout === 'C')!;
    const sid = await passedSession(court.host);
    const c = site.data.cases.find((k) => k.host === court.host)!;
    const lastName = c.debtor.lastName;
    const page = await get(court.host, `/modules.php?name=sud_delo&name_op=r&delo_id=1540005&G1_PARTS__NAMESS=${encodeCp1251Component(lastName)}`, sid);
    const r = parseMsudrfSearchResults(page.html, { url: `http://${court.host}/` });
    const expected = site.data.cases.filter((k) => k.host === court.host && k.parties.some((p) => p.name.includes(lastName)));
    expect(r.cases.map((x) => x.caseNumber).sort()).toEqual(expected.map((k) => k.caseNumber).sort());
    const none = await get(court.host, `/modules.php?name=sud_delo&name_op=r&delo_id=1540005&G1_PARTS__NAMESS=${encodeCp1251Component('Несуществующий')}`, sid);
    expect(classifyMsudrfPage(none.html)).toBe('search_empty');
  });
});

describe('msudrf replica: what real layout-B pages show (issue #14)', () => {
  it('layout B parties: role first, six columns as the real civil cards; name first on demand; the parser reads both', async () => {
    const world = generateWorld({ seed: 11, sudrfCourts: 2, casesPerCourt: 10 });
    const faults = new FaultBoard();
    const own = msudrfSite({ world, faults, now: () => Date.now() });
    const court = own.data.courts.find((c) => c.layout === 'B' && !c.hasGate) ?? own.data.courts.find((c) => c.layout === 'B')!;
    const c = own.data.cases.find((k) => k.host === court.host && k.decision.date)!;
    const open = async () => {
      let sid: string | undefined;
      if (court.hasGate) {
        const first = await own.handle({ method: 'GET', vhost: court.host, path: '/modules.php', rawQuery: 'name=sud_delo&op=hl', headers: {}, body: Buffer.alloc(0) });
        sid = /PHPSESSID=([a-z0-9]+)/.exec(first.headers['set-cookie'] ?? '')![1]!;
        await own.handle({ method: 'GET', vhost: court.host, path: '/captcha.php', rawQuery: '', headers: { cookie: `PHPSESSID=${sid}` }, body: Buffer.alloc(0) });
        await own.handle({ method: 'POST', vhost: court.host, path: '/modules.php', rawQuery: 'name=sud_delo&op=hl', headers: { cookie: `PHPSESSID=${sid}` }, body: Buffer.from(`captcha-response=${own.sessions.answerOf(court.host, sid)}`) });
      }
      const res = await own.handle({ method: 'GET', vhost: court.host, path: '/modules.php', rawQuery: `name=sud_delo&op=cs&case_id=${c.caseId}&delo_id=1540005`, headers: sid ? { cookie: `PHPSESSID=${sid}` } : {}, body: Buffer.alloc(0) });
      return iconv.decode(res.body, 'win1251');
    };
    const url = `http://${court.host}/modules.php?name=sud_delo&op=cs&case_id=${c.caseId}&delo_id=1540005`;
    const plain = await open();
    expect(plain).toContain('<td class="vert-align"><h2>Процессуальный статус лица, участвующего в деле</h2></td><td class="vert-align"><h2>Лицо, участвующее в деле (ФИО, наименование)</h2></td><td class="vert-align"><h2>Требования (встречные требования)</h2></td><td class="vert-align"><h2>ИНН</h2></td><td class="vert-align"><h2>КПП</h2></td><td class="vert-align"><h2>ОГРН/ОГРИП</h2></td>');
    expect(plain).toContain('<td><h2>Дело рассмотрено (выдан приказ)</h2></td>');
    const want = c.parties.map((p) => [p.roleNorm, p.name]);
    expect(parseMsudrfCaseCard(plain, { url }).parties.map((p) => [p.roleNorm, p.name])).toEqual(want);

    faults.set({ host: court.host, layoutVariant: 'name_first_parties' });
    const nameFirst = await open();
    expect(nameFirst).toContain('<td class="vert-align"><h2>Сторона по делу (ФИО, наименование)</h2></td><td class="vert-align"><h2>Процессуальный статус лица, участвующего в деле</h2></td>');
    expect(parseMsudrfCaseCard(nameFirst, { url }).parties.map((p) => [p.roleNorm, p.name])).toEqual(want);

    faults.set({ host: court.host, antiBruteforceRate: 1 });
    expect(await open()).toContain('Информация временно недоступна');
  });
});
