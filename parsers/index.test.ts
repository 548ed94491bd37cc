import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { describeError } from '../core/errors.ts';
import { classifyPage, parsePage, parserOfSavedPage, parserOfTag, parserTag, portalFor } from './index.ts';
import { newResults, oldCard } from './sudrf/testing/synthetic-pages.ts';

describe('parsePage', () => {
  it('decodes CP1251 bytes and parses a card of a sudrf host', () => {
    const bytes = iconv.encode(oldCard(), 'windows-1251');
    const card = parsePage('court-case', bytes, { url: 'https://test.sudrf.ru/modules.php?case_id=1', contentType: 'text/html; charset=windows-1251' });
    expect(card.caseNumber).toBe('2-101/2026');
    expect(card.parties[1]?.name).toBe('Иванов Иван Иванович');
  });
  it('parses search results with no URL (unknown host → sudrf)', () => {
    expect(parsePage('court-search', Buffer.from(newResults(), 'utf8')).cases[0]?.caseNumber).toBe('2-9/2026');
    expect(portalFor(null).name).toBe('sudrf');
    expect(portalFor('https://oblsud--sam.sudrf.ru/').name).toBe('sudrf');
  });
  it('classifies pages and exposes a version', () => {
    expect(classifyPage(iconv.encode(oldCard(), 'windows-1251'))).toBe('case_card');
  });
  it('names each portal\'s parser with its own name and a semver version', () => {
    const hosts = { sudrf: 'https://test--spb.sudrf.ru/', msudrf: 'https://1.spb.msudrf.ru/', 'mirsud-spb': 'https://mirsud.spb.ru/', 'mos-sud': 'https://mos-sud.ru/' };
    for (const [name, url] of Object.entries(hosts)) {
      const parser = parserOfSavedPage('court-case', url);
      expect(parser.name).toBe(name);
      expect(parser.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(parserOfTag(parserTag(parser))).toEqual(parser);
    }
    expect(parserOfSavedPage('fssp-search').name).toBe('fssp-search');
    expect(parserOfTag('post-tracking-1.0.0')).toEqual({ name: 'post-tracking', version: '1.0.0' });
    expect(parserOfTag('test')).toBeNull();
  });
});

describe('parsePage on pages that are no record', () => {
  const errorOf = (kind: 'court-case' | 'court-search', html: string, url: string) => {
    try {
      parsePage(kind, Buffer.from(html, 'utf8'), { url });
    } catch (error) {
      return describeError(error);
    }
    throw new Error('parsed');
  };
  // Hand-written after the wording of issue 14; no real page of these kinds is saved.
  it('answers the anti-bruteforce page as rate limited (retryable, with a wait), on sudrf and msudrf', () => {
    const html = '<html><body><main>Информация временно недоступна. Попробуйте обратиться позже.</main></body></html>';
    for (const url of ['https://court.sudrf.ru/modules.php?name=sud_delo&name_op=case', 'https://5.mo.msudrf.ru/modules.php?name=sud_delo&op=cs&case_id=1']) {
      const e = errorOf('court-case', html, url);
      expect(e).toMatchObject({ code: 'rate_limited', kind: 'retryable' });
      expect(e.message).toMatch(/Информация временно недоступна/);
      expect(e.details?.retryAfterMs).toBeGreaterThan(0);
    }
  });
  it('answers a server-choice landing with its server links', () => {
    const html = '<html><body>Выберите сервер: <a href="/modules.php?name=sud_delo&srv_num=1">1</a> <a href="/modules.php?name=sud_delo&srv_num=2">2</a></body></html>';
    const e = errorOf('court-search', html, 'https://court.sudrf.ru/modules.php?name=sud_delo');
    expect(e.code).toBe('server_choice');
    expect(e.message).toMatch(/srv_num=1, srv_num=2/);
    expect((e.details?.servers as Array<{ url: string }>).map((s) => s.url)).toEqual([
      'https://court.sudrf.ru/modules.php?name=sud_delo&srv_num=1', 'https://court.sudrf.ru/modules.php?name=sud_delo&srv_num=2',
    ]);
  });
  it('answers an honest empty page as not found for a card and as an empty list for a search', () => {
    const html = '<html><body><form id="calform"></form>Данных по запросу не обнаружено</body></html>';
    expect(errorOf('court-case', html, 'https://court.sudrf.ru/modules.php?name=sud_delo&name_op=case')).toMatchObject({ code: 'not_found' });
    expect(parsePage('court-search', Buffer.from(html), { url: 'https://court.sudrf.ru/modules.php?name=sud_delo&name_op=r' })).toMatchObject({ total: 0, cases: [] });
  });
  it('keeps layout drift, naming what is missing, for a page nobody recognises', () => {
    const e = errorOf('court-case', '<html><body><p>Новости суда</p></body></html>', 'https://court.sudrf.ru/');
    expect(e.code).toBe('layout_drift');
    expect(e.message).toMatch(/div\.casenumber|case number header/);
  });
});
