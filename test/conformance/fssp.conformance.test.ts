/**
 * Conformance of the FSSP parser (and of the sandbox's markup) against every real FSSP page in
 * ../shared/fixtures/real/fssp. Runs only where that folder exists. Facts below were read from the
 * pages (states, counts, numbers, dates, amounts, departments, regions); people's names and places
 * of birth are never written here: they are compared with a regex reader of the raw page at run time.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { LayoutDriftError } from '../../core/errors.ts';
import type { FsspSearchResult } from '../../core/records.ts';
import { classifyFsspPage, parseFsspSearch, unwrapFsspJsonp } from '../../parsers/index.ts';
import { jsonpResponse, renderCaptchaPopup, renderEmpty, renderWrongCode } from '../../sandbox/fssp/ajax-search.page.ts';

const DIR = new URL('../../../shared/fixtures/real/fssp/', import.meta.url);
const exists = existsSync(fileURLToPath(DIR));
const read = (name: string) => readFileSync(new URL(name, DIR), 'utf8');

// ---- an independent, regex-only reader of the raw rows ----
const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&nbsp;/g, ' ');
const lines = (cell: string) => decode(cell.replace(/<script[\s\S]*?<\/script>/g, '')).split(/<br\s*\/?>/i)
  .map((l) => l.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim()).filter(Boolean);
function rawRows(html: string): string[][][] {
  return [...html.matchAll(/<tr class="(?!region-title)[^"]*">([\s\S]*?)<\/tr>/g)]
    .map((m) => [...(m[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => lines(c[1] ?? '')))
    .filter((cells) => cells.length === 8);
}
const rawRegions = (html: string) => [...html.matchAll(/<tr class="region-title">\s*<td[^>]*><h3>([^<]*)<\/h3>/g)].map((m) => m[1]);
const isoOf = (ru: string | undefined) => (ru ? ru.split('.').reverse().join('-') : null);
const dataOf = (jsonp: string) => unwrapFsspJsonp(jsonp)!.data;
const requestQuery = (headersFile: string) => (read(headersFile).split('\n')[1] ?? '').replace(/^https:\/\/is\.fssp\.gov\.ru\/ajax_search\?/, '');

/** Names, birth data, departments and bailiffs of the parsed rows equal what the regex reader sees. */
function expectRowsMatchRaw(result: FsspSearchResult, html: string): void {
  const raw = rawRows(html);
  expect(result.proceedings).toHaveLength(raw.length);
  result.proceedings.forEach((p, i) => {
    const [debtor = [], , doc = [], , , , dept = [], bailiff = []] = raw[i]!;
    expect(p.debtor.name).toBe(debtor[0]);
    expect(p.debtor.birthDate).toBe(isoOf(debtor[1]));
    expect(p.debtor.birthPlace).toBe(debtor.slice(2).join(', '));
    expect(p.executiveDocument.issuer).toBe(doc[doc.length - 1]);
    expect(p.department.name).toBe(dept[0]);
    expect(p.department.address).toBe(dept.slice(1).join(', '));
    expect(p.bailiff).toEqual({ name: bailiff[0], phone: bailiff[1] });
  });
}

async function expectJpeg200x60(base64: string | undefined): Promise<void> {
  const meta = await sharp(Buffer.from(base64 ?? '', 'base64')).metadata();
  expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 200, 60]);
}

describe.skipIf(!exists)('FSSP conformance (real pages)', () => {
  it('covers every page of the folder', () => {
    const pages = readdirSync(DIR).filter((f) => /\.(jsonp|html)$/.test(f)).sort();
    expect(pages).toEqual([
      'ajax_search_captcha_challenge.decoded.html', 'ajax_search_captcha_challenge.jsonp',
      'ajax_search_captcha_wrong_code.decoded.html', 'ajax_search_captcha_wrong_code.jsonp',
      'ajax_search_empty.decoded.html', 'ajax_search_empty.jsonp',
      'ajax_search_results_3rows_spb.decoded.html', 'ajax_search_results_3rows_spb.jsonp',
      'fssp_homepage_with_iss_search_form_2021-08-28.dom.html', 'iss_ip_results_page32_multiregion_devtools-copy.html',
    ]);
  });

  it.each(['jsonp', 'decoded.html'])('captcha challenge (%s)', async (ext) => {
    const text = read(`ajax_search_captcha_challenge.${ext}`);
    expect(classifyFsspPage(text)).toBe('captcha');
    const r = parseFsspSearch(text);
    expect(r).toMatchObject({ state: 'captcha', total: 0, proceedings: [], page: 1, nextPage: null });
    await expectJpeg200x60(r.captcha?.imageBase64);
  });

  it.each(['jsonp', 'decoded.html'])('wrong code (%s)', async (ext) => {
    const r = parseFsspSearch(read(`ajax_search_captcha_wrong_code.${ext}`));
    expect(r.state).toBe('wrong_code');
    await expectJpeg200x60(r.captcha?.imageBase64);
  });

  it.each(['jsonp', 'decoded.html'])('empty (%s)', (ext) => {
    expect(parseFsspSearch(read(`ajax_search_empty.${ext}`))).toEqual({ state: 'empty', total: 0, proceedings: [], page: 1, nextPage: null });
  });

  it('results: 3 rows in Санкт-Петербург, writs, pay attributes, amounts', () => {
    const jsonp = read('ajax_search_results_3rows_spb.jsonp');
    const r = parseFsspSearch(jsonp);
    expect(parseFsspSearch(read('ajax_search_results_3rows_spb.decoded.html'))).toEqual(r);
    expect(r).toMatchObject({ state: 'results', total: 3, page: 1, nextPage: null });
    expect(r.proceedings.map((p) => [p.ipNumber, p.ipDate, p.sdNumber, p.region, p.debtRest, p.uin, p.department.code, p.ended])).toEqual([
      ['128124/17/78003-ИП', '2017-07-25', null, 'Санкт-Петербург', 50000, '32278003170128124005', '78003', null],
      ['128181/17/78003-ИП', '2017-07-25', null, 'Санкт-Петербург', 27745, '32278003170128181009', '78003', null],
      ['83850/21/78005-ИП', '2021-08-23', null, 'Санкт-Петербург', 54900, '32278005210083850002', '78005', null],
    ]);
    expect(r.proceedings.map((p) => p.executiveDocument)).toEqual([
      { type: 'Исполнительный лист', date: '2017-07-11', number: 'ФС № 018384864', issuer: 'КАЛИНИНСКИЙ РАЙОННЫЙ СУД' },
      { type: 'Исполнительный лист', date: '2017-07-11', number: 'ФС № 018384865', issuer: 'КАЛИНИНСКИЙ РАЙОННЫЙ СУД' },
      { type: 'Исполнительный лист', date: '2021-07-16', number: 'ФС № 035137007', issuer: 'КАЛИНИНСКИЙ РАЙОННЫЙ СУД' },
    ]);
    expect(r.proceedings.map((p) => p.extraDocuments)).toEqual([['Постановление о взыскании исполнительского сбора'], ['Постановление о взыскании исполнительского сбора'], []]);
    expect(r.proceedings.map((p) => p.subjects.map((s) => s.amount))).toEqual([[50000, 3500], [27745, 1942.15], [54900]]);
    expect(r.proceedings[0]!.subjects[1]!.type).toBe('Исполнительский сбор');
    expect(r.proceedings.map((p) => p.department.name)).toEqual(['Калининский РОСП', 'Калининский РОСП', 'Колпинское РОСП']);
    expect(r.proceedings.every((p) => p.bailiff.phone === '+7(812)318-20-01')).toBe(true);
    expectRowsMatchRaw(r, dataOf(jsonp));
  });

  it('results page 32 (DOM copy): paging, three regions, -СД, finished proceedings', () => {
    const html = read('iss_ip_results_page32_multiregion_devtools-copy.html');
    const r = parseFsspSearch(html);
    expect(r).toMatchObject({ state: 'results', page: 32, nextPage: null, total: 20 });
    expect(r.proceedings).toHaveLength(20);
    const regions = r.proceedings.map((p) => p.region);
    expect([...new Set(regions)]).toEqual(rawRegions(html));
    expect([...new Set(regions)]).toEqual(['Республика Башкортостан', 'Республика Бурятия', 'Республика Коми']);
    expect(regions.filter((x) => x === 'Республика Башкортостан')).toHaveLength(8);
    const ended = r.proceedings.filter((p) => p.ended);
    expect(ended.map((p) => p.ended!.ground)).toContain('ст. 46 ч. 1 п. 3');
    expect(ended.map((p) => p.ended!.ground)).toContain('ст. 46 ч. 1 п. 4');
    expect(ended.every((p) => p.debtRest === null && p.uin === null)).toBe(true);
    expect(r.proceedings.filter((p) => p.uin !== null)).toHaveLength((html.match(/class="btn-pay"/g) ?? []).length);
    expect(r.proceedings.filter((p) => p.sdNumber).length).toBe((html.match(/-СД</g) ?? []).length);
    const order = r.proceedings.find((p) => p.ipNumber === '79515/20/02016-ИП')!;
    expect(order).toMatchObject({
      ipDate: '2020-11-02', debtRest: 10220.4, uin: '32202016200079515003', ended: null,
      executiveDocument: { type: 'Судебный приказ', date: '2019-12-06', number: '2-2470/2019', issuer: 'СУДЕБНЫЙ УЧАСТОК № 2 ПО Г. БЕЛОРЕЦК РЕСПУБЛИКИ БАШКОРТОСТАН' },
      subjects: [{ type: 'Иные взыскания имущественного характера в пользу физических и юридических лиц', amount: 10220.4 }, { type: 'Исполнительский сбор', amount: 1000 }],
      department: { name: 'Белорецкое МОСП', code: '02016' },
    });
    const sd = r.proceedings.find((p) => p.ipNumber === '102021/20/02003-ИП')!;
    expect(sd.sdNumber).toBe('5965/19/02003-СД');
    expectRowsMatchRaw(r, html);
  });

  it('the home page is not an ajax_search answer: unknown and LayoutDriftError, never empty', () => {
    const html = read('fssp_homepage_with_iss_search_form_2021-08-28.dom.html');
    expect(classifyFsspPage(html)).toBe('unknown');
    expect(() => parseFsspSearch(html)).toThrow(LayoutDriftError);
  });

  it('the sandbox answers with the real markup: empty byte for byte, popups but for the picture', () => {
    const empty = readFileSync(new URL('ajax_search_empty.jsonp', DIR));
    const cb = /typeof (\S+) ===/.exec(empty.toString('utf8'))![1]!;
    expect(jsonpResponse(cb, renderEmpty(), null).body.equals(empty)).toBe(true);
    const noImage = (s: string) => s.replace(/base64,[A-Za-z0-9+/=]+/, 'base64,');
    const jpeg = Buffer.from([0xff, 0xd8]);
    expect(noImage(renderCaptchaPopup(requestQuery('ajax_search_captcha_challenge.http-headers.txt'), jpeg)))
      .toBe(noImage(dataOf(read('ajax_search_captcha_challenge.jsonp'))));
    expect(noImage(renderWrongCode(requestQuery('ajax_search_captcha_wrong_code.http-headers.txt'), jpeg)))
      .toBe(noImage(dataOf(read('ajax_search_captcha_wrong_code.jsonp'))));
  });
});
