import { describe, expect, it } from 'vitest';
import { LayoutDriftError } from '../../core/errors.ts';
import { parseSudrfSearchResults } from './search-results.parser.ts';
import { newResults, oldCard, oldResults } from './testing/synthetic-pages.ts';

describe('parseSudrfSearchResults — old template', () => {
  const res = parseSudrfSearchResults(oldResults(), { url: 'https://test.sudrf.ru/modules.php?name=sud_delo&name_op=r&page=2' });
  it('reads the total, every row and the paging', () => {
    expect(res.template).toBe('sudrf-old');
    expect(res.total).toBe(60);
    expect(res.cases).toHaveLength(3);
    expect(res.page).toBe(2);
    expect(res.nextPage).toBe(3);
  });
  it('maps shuffled columns by header text and makes URLs absolute', () => {
    expect(res.cases[0]).toEqual({
      caseNumber: '2-1/2026',
      url: 'https://test.sudrf.ru/modules.php?name=sud_delo&srv_num=1&name_op=case&case_id=1&case_uid=00000001-aaaa-bbbb-cccc-000000000000&delo_id=1540005',
      registeredAt: '2026-01-10',
      judge: 'Петрова А. С.',
      decisionDate: '2026-02-02',
      result: 'Иск УДОВЛЕТВОРЕН',
      effectiveAt: '2026-03-10',
      category: 'Жилищные споры → о взыскании платы',
      caseId: '1',
      caseUid: '00000001-aaaa-bbbb-cccc-000000000000',
    });
    expect(res.cases[2]).toMatchObject({ caseNumber: '2-3/2026', judge: null, decisionDate: null, category: null });
  });
});

describe('parseSudrfSearchResults — new template', () => {
  it('reads one row, skipping the acts link and the phone copy', () => {
    const res = parseSudrfSearchResults(newResults(), { url: 'https://test.sudrf.ru/modules.php?name=sud_delo&name_op=r' });
    expect(res.template).toBe('sudrf-new');
    expect(res.total).toBe(1);
    expect(res.cases).toHaveLength(1);
    expect(res.cases[0]).toMatchObject({ caseNumber: '2-9/2026', caseId: '777', caseUid: '11111111-2222-3333-4444-555555555555', registeredAt: '2026-02-01', judge: 'Смирнов С. С.', category: 'Иски о взыскании', result: null });
    expect(res.nextPage).toBeNull();
  });
  it('computes the next page from «с a по b» when there are no paging links', () => {
    expect(parseSudrfSearchResults(newResults(40), {}).nextPage).toBe(2);
  });
});

describe('parseSudrfSearchResults — empty and drift', () => {
  it('an honest «Данных по запросу не обнаружено» is total 0', () => {
    const res = parseSudrfSearchResults('<html><body><form id="calform"></form><div>Данных по запросу не обнаружено</div></body></html>', {});
    expect(res).toMatchObject({ total: 0, cases: [], nextPage: null });
  });
  it('a page without results and without the empty marker is drift, not 0', () => {
    expect(() => parseSudrfSearchResults('<html><body><div id="error">Что-то другое</div></body></html>', {})).toThrowError(LayoutDriftError);
  });
  it('a case card is not a results page', () => {
    expect(() => parseSudrfSearchResults(oldCard(), {})).toThrowError(/case card/);
  });
  it('a results table that lost its header row is drift', () => {
    const html = oldResults().replace(/<tr><th>№ дела[\s\S]*?<\/tr>/, '');
    expect(() => parseSudrfSearchResults(html, {})).toThrowError(LayoutDriftError);
  });
});
