/** The FSSP parser on pages made by the sandbox, its field rules, and its refusals (layout drift). */
import { describe, expect, it } from 'vitest';
import { BadInputError, LayoutDriftError } from '../../core/errors.ts';
import { generateWorld } from '../../sandbox/data/world.generator.ts';
import { jsonpResponse, renderCaptchaPopup, renderEmpty, renderResults, renderWrongCode } from '../../sandbox/fssp/ajax-search.page.ts';
import { deriveProceedings } from '../../sandbox/fssp/fssp.data.ts';
import {
  classifyFsspPage, normalizeIpNumber, parseEndGround, parseExecutiveDocumentLine, parseFsspMoney, parseFsspSearch, parseSubjectLine,
} from './index.ts';

const list = deriveProceedings(generateWorld({ seed: 42 }));
const jsonp = (html: string) => jsonpResponse('jQuery34001_1', html, null).body.toString('utf8');

describe('FSSP field rules', () => {
  it('normalises ИП numbers, grounds, money, documents and subjects', () => {
    expect(normalizeIpNumber('79515/20/02016-IP')).toBe('79515/20/02016-ИП');
    expect(normalizeIpNumber(' 5965/19/02003-СД ')).toBe('5965/19/02003-СД');
    expect(normalizeIpNumber('1234/19/02/03')).toBe('1234/19/02/03');
    expect(normalizeIpNumber('2-2470/2019')).toBeNull();
    expect(parseEndGround('ст. 46 ч. 1 п. 3')).toEqual({ article: '46', part: '1', point: '3', ground: 'ст. 46 ч. 1 п. 3' });
    expect(parseEndGround('ст.46 ч.1 п.4').ground).toBe('ст. 46 ч. 1 п. 4');
    expect(parseEndGround('ст. 43 ч. 2 п. 4')).toMatchObject({ article: '43', part: '2', point: '4' });
    expect(parseEndGround('')).toEqual({ article: null, part: null, point: null, ground: null });
    expect(parseFsspMoney('10220.40')).toBe(10220.4);
    expect(parseFsspMoney('12 345,67 руб.')).toBe(12345.67);
    expect(parseFsspMoney('n/a')).toBeNull();
    expect(parseExecutiveDocumentLine('Исполнительный лист от 22.03.2016 № ВС062695050')).toEqual({ type: 'Исполнительный лист', date: '2016-03-22', number: 'ВС № 062695050' });
    expect(parseExecutiveDocumentLine('Судебный приказ от 06.12.2019 № 2-2470/2019')).toEqual({ type: 'Судебный приказ', date: '2019-12-06', number: '2-2470/2019' });
    expect(parseSubjectLine('Исполнительский сбор: 13563.19')).toEqual({ type: 'Исполнительский сбор', amount: 13563.19 });
    expect(parseSubjectLine('Госпошлина, присужденная судом')).toEqual({ type: 'Госпошлина, присужденная судом', amount: null });
  });
});

describe('parseFsspSearch on sandbox pages', () => {
  it('reads every field of a results page back to the bank rows', () => {
    const rows = list.slice(0, 20);
    const r = parseFsspSearch(jsonp(renderResults({ rows, total: list.length, page: 2, pages: 15, rawQuery: 'callback=x&system=ip&_=1&page=2' })));
    expect(r).toMatchObject({ state: 'results', total: list.length, page: 2, nextPage: 3 });
    expect(r.proceedings).toHaveLength(20);
    r.proceedings.forEach((p, i) => {
      const s = rows[i]!;
      expect(p).toEqual({
        ipNumber: s.ipNumber, ipDate: s.ipDate, sdNumber: s.sdNumber,
        debtor: { name: s.debtor.name, birthDate: s.debtor.birthDate, birthPlace: s.debtor.birthPlace },
        executiveDocument: { type: s.executiveDocument.type, date: s.executiveDocument.date, number: s.executiveDocument.number, issuer: s.executiveDocument.issuer },
        extraDocuments: s.extraDocuments,
        ended: s.ended ? { ...s.ended, ground: `ст. ${s.ended.article} ч. ${s.ended.part} п. ${s.ended.point}` } : null,
        subjects: s.subjects.map((x) => ({ type: x.type, amount: x.amountKopecks === null ? null : x.amountKopecks / 100 })),
        debtRest: s.debtRestKopecks === null ? null : s.debtRestKopecks / 100,
        department: { name: s.department.name, address: s.department.address, code: s.department.code },
        bailiff: { name: s.bailiff, phone: s.department.phone },
        region: s.regionTitle,
        uin: s.debtRestKopecks === null ? null : s.uin,
      });
    });
  });

  it('knows the last page and the four states', () => {
    const last = parseFsspSearch(jsonp(renderResults({ rows: list.slice(0, 3), total: 43, page: 3, pages: 3, rawQuery: 'system=ip' })));
    expect([last.page, last.nextPage]).toEqual([3, null]);
    const jpeg = Buffer.from('jpeg-bytes');
    expect(parseFsspSearch(jsonp(renderCaptchaPopup('system=ip', jpeg)))).toMatchObject({ state: 'captcha', captcha: { imageBase64: jpeg.toString('base64') } });
    expect(parseFsspSearch(jsonp(renderWrongCode('system=ip', jpeg))).state).toBe('wrong_code');
    expect(parseFsspSearch(renderEmpty()).state).toBe('empty');
    expect(classifyFsspPage(jsonp(renderEmpty()))).toBe('empty');
  });

  it('refuses what it does not know instead of reporting nothing found', () => {
    const page = renderResults({ rows: list.slice(0, 2), total: 2, page: 1, pages: 1, rawQuery: 'system=ip' });
    expect(() => parseFsspSearch(page.replace('Сервис', 'Оплата'))).toThrow(LayoutDriftError);
    expect(() => parseFsspSearch(page.replace(/<td class="">[^<]*<\/td>/, ''))).toThrow(/cells/);
    expect(() => parseFsspSearch('<div class="iss">Технические работы</div>')).toThrow(LayoutDriftError);
    expect(() => parseFsspSearch("/**/ typeof cb === 'function' && cb({\"data\":")).toThrow(LayoutDriftError);
    expect(() => parseFsspSearch(jsonpResponse('cb', '', 'Неверный тип поиска').body.toString())).toThrow(BadInputError);
    expect(classifyFsspPage('<html><body>maintenance</body></html>')).toBe('unknown');
    expect(() => parseFsspSearch(renderCaptchaPopup('q', Buffer.alloc(0)).replace(/src="[^"]*"/, 'src="/captcha.jpg"'))).toThrow(/data: image/);
  });
});
