/**
 * The sudrf replica's cartotekas and URL forms (issue 15 §3): each court answers one form, the other
 * gets the empty answer; each register serves its own cases under its own title. Expected numbers
 * and titles written by hand from the world's rule (world.types.ts `cartotekaCases`).
 */
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorld } from '../data/index.ts';
import type { SudrfCourt } from '../data/world.types.ts';
import { startSandbox, type RunningSandbox } from '../server.ts';
import { getAs } from '../test-support/sandbox-client.ts';
import { encodeCp1251Component as enc } from './html.ts';

let sb: RunningSandbox;
let primary: SudrfCourt;
let vnkod: SudrfCourt;
const get = (c: SudrfCourt, path: string) => getAs(sb.port, c.host, path);
const NO_DATA = 'Данных по запросу не обнаружено';

beforeAll(async () => {
  sb = await startSandbox({ world: generateWorld({ seed: 42, sudrfCourts: 6, casesPerCourt: 60 }) });
  primary = sb.world.courts[0]!;
  vnkod = sb.world.courts[5]!;
});
afterAll(async () => { await sb.close(); });

/** A primary-form search of register `deloId`/`newId` with field prefix `table`. */
const primarySearch = (deloId: string, newId: string, table: string, number: string) =>
  `/modules.php?name=sud_delo&srv_num=1&name_op=r&delo_id=${deloId}&case_type=0&new=${newId}&delo_table=${table}&${table}__CASE_NUMBERSS=${enc(number)}&Submit=%CD%E0%E9%F2%E8`;
/** A vnkod-form search of the register `triple` (`_deloId/case__case_type/_new`). */
const vnkodSearch = (code: string, triple: [string, string, string], number: string, pair = '') =>
  `/modules.php?name=sud_delo&name_op=r&_page=1&vnkod=${code}&srv_num=1&_deloId=${triple[0]}&case__case_type=${triple[1]}&_new=${triple[2]}&case__vnkod=${code}&case__num_build=1&case__case_numberss=${enc(number)}${pair}&Submit=%CD%E0%E9%F2%E8`;

async function solvedPair(c: SudrfCourt): Promise<string> {
  const form = await get(c, '/modules.php?name=sud_delo&srv_num=1&name_op=sf&delo_id=1540005');
  const id = cheerio.load(form.text)('input[name="captchaid"]').attr('value')!;
  return `&captcha=${sb.captchaAnswer(id)}&captchaid=${id}`;
}

describe('sudrf cartotekas and URL forms', () => {
  it('gives court 0 the primary form and court 5 the vnkod form, whose search form names case__ fields and the court code', async () => {
    expect([primary.urlForm, vnkod.urlForm]).toEqual(['primary', 'vnkod']);
    const $p = cheerio.load((await get(primary, '/modules.php?name=sud_delo&srv_num=1&name_op=sf&delo_id=1500001')).text);
    expect($p("input[name='adm_case__CASE_NUMBERSS']").length).toBe(1);
    expect($p('input[name="delo_id"]').attr('value')).toBe('1500001');
    const $v = cheerio.load((await get(vnkod, '/modules.php?name=sud_delo&srv_num=1&name_op=sf&delo_id=1540005')).text);
    expect($v("input[name='case__case_numberss']").length).toBe(1);
    expect($v('input[name="vnkod"]').attr('value')).toBe(vnkod.code);
    expect($v('input[name="delo_id"]').length).toBe(0);
  });

  it('serves each register its own cases under its title on a primary court; another register finds nothing', async () => {
    const koap = cheerio.load((await get(primary, primarySearch('1500001', '0', 'adm_case', '5-7001/2026'))).text);
    expect(koap('div.title').first().text().trim()).toBe('Дела об административных правонарушениях - первая инстанция');
    const href = koap('table#tablcont a[href*="name_op=case"]').attr('href')!;
    expect(href).toContain('delo_id=1500001');
    const card = cheerio.load((await get(primary, href)).text);
    expect(card('div.casenumber').text().trim()).toBe('ДЕЛО № 5-7001/2026');
    expect(card('div.title').text().trim()).toBe('Дела об административных правонарушениях - первая инстанция');
    // The same number asked in the civil register, or the card asked as a civil one: nothing.
    expect((await get(primary, primarySearch('1540005', '0', 'g1_case', '5-7001/2026'))).text).toContain(NO_DATA);
    expect((await get(primary, href.replace('delo_id=1500001', 'delo_id=1540005'))).text).toContain(NO_DATA);
    const appeal = cheerio.load((await get(primary, primarySearch('5', '5', 'g2_case', '33-7001/2026'))).text);
    expect(appeal('div.title').first().text().trim()).toBe('Гражданские дела - апелляция');
    const material = await get(primary, primarySearch('1610001', '0', 'm_case', 'М-7001/2026'));
    expect(material.text).toContain('Производство по материалам');
    expect(material.text).toContain('М-7001/2026');
  });

  it('answers a court only in its own form: the other form gets the empty answer, searches and cards alike', async () => {
    // vnkod asked of the primary court.
    expect((await get(primary, vnkodSearch(primary.code, ['1540005', '0', '0'], '2-7001/2026'))).text).toContain(NO_DATA);
    // primary asked of the vnkod court (past its captcha), then the vnkod form: found, with vnkod card links.
    expect((await get(vnkod, primarySearch('1540005', '0', 'g1_case', '2-7051/2026') + (await solvedPair(vnkod)))).text).toContain(NO_DATA);
    const found = cheerio.load((await get(vnkod, vnkodSearch(vnkod.code, ['1540005', '0', '0'], '2-7051/2026', await solvedPair(vnkod)))).text);
    const href = found('#resultTable a.open-lawcase').attr('href')!;
    expect(href).toMatch(/name_op=case&_id=\d+&_uid=[0-9a-f-]+&_deloId=1540005&_caseType=0&_new=0&srv_num=1$/);
    expect(cheerio.load((await get(vnkod, href)).text)('div.case-num').text().trim()).toBe('ДЕЛО № 2-7051/2026');
    const id = /_id=(\d+)/.exec(href)![1];
    const uid = /_uid=([0-9a-f-]+)/.exec(href)![1];
    expect((await get(vnkod, `/modules.php?name=sud_delo&srv_num=1&name_op=case&case_id=${id}&case_uid=${uid}&delo_id=1540005`)).text).toContain(NO_DATA);
  });

  it('keeps civil and КАС appeals in one register in the vnkod form, titled as the real Samara card', async () => {
    for (const number of ['33-7051/2026', '33а-7051/2026']) {
      const $ = cheerio.load((await get(vnkod, vnkodSearch(vnkod.code, ['1540005', '0', '5'], number, await solvedPair(vnkod)))).text);
      expect($('div.name-instanse').text().trim()).toBe('Гражданские и административные дела - апелляция');
      expect($('#resultTable a.open-lawcase').text().trim()).toBe(number);
    }
  });

  it('pages the vnkod form with `_page`, as its search link starts', async () => {
    const total = [...sb.world.cases, ...sb.world.cartotekaCases].filter((c) => c.host === vnkod.host && c.srvNum === 1 && c.cartoteka === 'civil1').length;
    expect(total).toBeGreaterThan(25);
    const p1 = await get(vnkod, vnkodSearch(vnkod.code, ['1540005', '0', '0'], '', await solvedPair(vnkod)));
    expect(p1.text).toContain('_page=2');
    const p2 = await get(vnkod, vnkodSearch(vnkod.code, ['1540005', '0', '0'], '', await solvedPair(vnkod)).replace('_page=1', '_page=2'));
    expect(p2.text.replace(/<\/?b>/g, '')).toMatch(new RegExp(`найдено - ${total}\\.[\\s\\S]*?с 26 по ${Math.min(50, total)}\\.`));
  });

  it('counts searches per court and register', async () => {
    const before = (await (await fetch(`${sb.url}/__sandbox/sudrf/searches`)).json() as Record<string, Record<string, number>>)[primary.host] ?? {};
    await get(primary, primarySearch('41', '0', 'p1_case', '2а-7001/2026'));
    const after = (await (await fetch(`${sb.url}/__sandbox/sudrf/searches`)).json() as Record<string, Record<string, number>>)[primary.host]!;
    expect((after.kas1 ?? 0) - (before.kas1 ?? 0)).toBe(1);
    expect(after.koap ?? 0).toBe(before.koap ?? 0);
  });
});
