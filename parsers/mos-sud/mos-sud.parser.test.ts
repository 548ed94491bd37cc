import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../sandbox/data/world.generator.ts';
import { generateMosSudData } from '../../sandbox/court-mos-sud/mos-sud.data.ts';
import { renderCard, renderNotFound, renderSearch } from '../../sandbox/court-mos-sud/mos-sud.pages.ts';
import { classifyMosSudPage, parseMosSudCaseCard, parseMosSudSearchResults } from './mos-sud.parser.ts';

const world = generateWorld({ seed: 12, sudrfCourts: 1, casesPerCourt: 10 });
const data = generateMosSudData(world);

describe('mos-sud.ru parsers (pages of the sandbox replica)', () => {
  it('reads every generated card into the record the data describe, once despite the hidden clones', () => {
    const statuses = new Set<string>();
    for (const c of data.cases) {
      const s = data.sections.find((x) => x.section === c.section)!;
      const html = renderCard(s, c);
      expect(html).toContain('Cудья'); // Latin C
      const r = parseMosSudCaseCard(html, { url: `https://mos-sud.ru/${c.section}/cases/details/${c.uuid}` });
      expect(r.uid).toBe(c.uid);
      expect(r.caseUid).toBe(c.uuid);
      expect(r.court).toMatchObject({ host: 'mos-sud.ru', code: c.code, section: String(c.section) });
      expect(r.caseNumber).toBe(c.caseNumber ?? c.materialNumber);
      expect(r.materialNumber).toBe(c.caseNumber ? c.materialNumber : null);
      expect(r.judge).toBe(c.judge);
      expect(r.registeredAt).toBe(c.registeredAt);
      expect(r.effectiveAt).toBe(c.effectiveAt);
      expect(r.status).toBe(c.status);
      expect(r.parties.map((p) => [p.role, p.roleNorm, p.name])).toEqual(c.parties.map((p) => [p.role, p.roleNorm, p.name]));
      expect(r.events.map((e) => e.date)).toEqual(c.steps.map((e) => e.date));
      expect(r.executionDocuments.map((d) => d.electronicId)).toEqual(c.executionDocuments.map((d) => d.electronicId));
      statuses.add(r.status);
    }
    expect(statuses.size).toBeGreaterThanOrEqual(4);
  });

  it('classifies search results, the empty answer and a 404 page; reads the result links', () => {
    const c = data.cases[0]!;
    const s = data.sections.find((x) => x.section === c.section)!;
    const page = renderSearch(c.uid, [{ s, c }]);
    expect(classifyMosSudPage(page)).toBe('search_results');
    const res = parseMosSudSearchResults(page, { url: 'https://mos-sud.ru/search?uid=x' });
    expect(res.cases.map((x) => x.url)).toEqual([`https://mos-sud.ru/${c.section}/cases/details/${c.uuid}`]);
    expect(classifyMosSudPage(renderSearch('77MS0001-01-2026-000001-01', []))).toBe('search_empty');
    expect(classifyMosSudPage(renderSearch(null, []))).toBe('unknown');
    expect(classifyMosSudPage(renderNotFound())).toBe('unknown');
    expect(() => parseMosSudCaseCard(renderNotFound())).toThrow(/no card pairs/);
  });
});
