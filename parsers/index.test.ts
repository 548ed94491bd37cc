import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { classifyPage, parsePage, PARSER_VERSION, portalFor } from './index.ts';
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
    expect(PARSER_VERSION).toMatch(/^sudrf-\d+\.\d+\.\d+$/);
  });
});
