import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../sandbox/data/world.generator.ts';
import { generateMirsudData } from '../../sandbox/court-mirsud-spb/mirsud.data.ts';
import { renderCaseNotFound, renderCaseResult, renderSearch } from '../../sandbox/court-mirsud-spb/mirsud.pages.ts';
import { parsePage } from '../index.ts';
import { classifyMirsudPage, parseMirsudCaseCard, parseMirsudSearchResults } from './mirsud.parser.ts';

const world = generateWorld({ seed: 11, sudrfCourts: 1, casesPerCourt: 10 });
const data = generateMirsudData(world);
const wrap = (inner: string) => `<html><body><div id="case-app">${inner}</div></body></html>`;

describe('mirsud.spb.ru parsers (pages of the sandbox replica)', () => {
  it('reads every generated print form into the record the data describe', () => {
    const statuses = new Set<string>();
    for (const c of data.cases) {
      const s = data.sections.find((x) => x.section === c.section)!;
      const url = `https://mirsud.spb.ru/cases/detail/${c.section}/?id=${encodeURIComponent(c.caseNumber)}`;
      const r = parseMirsudCaseCard(wrap(renderCaseResult(s, c)), { url });
      expect(r.caseNumber).toBe(c.caseNumber);
      expect(r.uid).toBe(c.uid);
      expect(r.court).toMatchObject({ host: 'mirsud.spb.ru', code: c.code, section: String(c.section) });
      expect(r.judge).toBe(c.judge);
      expect(r.registeredAt).toBe(c.registeredAt);
      expect(r.effectiveAt).toBe(c.effectiveAt);
      expect(r.decision.date).toBe(c.issuedAt);
      expect(r.status).toBe(c.status);
      expect(r.parties.map((p) => [p.roleNorm, p.name])).toEqual(c.parties.map((p) => [p.roleNorm, p.name]));
      expect(r.events.map((e) => e.date)).toEqual(c.steps.map((e) => e.date));
      statuses.add(r.status);
    }


    expect(statuses.size).toBeGreaterThanOrEqual(4);
  });

  it('takes the участок from the link, not from the code digits', () => {
    const c = data.cases[0]!;
    const s = data.sections.find((x) => x.section === c.section)!;
    expect(s.code.slice(4)).not.toBe(String(c.section).padStart(4, '0'));
    const r = parsePage('court-case', Buffer.from(wrap(renderCaseResult(s, c))), { url: `https://mirsud.spb.ru/cases/detail/${c.section}/?id=x` });
    expect(r.court.section).toBe(String(c.section));
    expect(r.template).toBe('mirsud-spb-print');
  });

  it('classifies the empty shell, the honest empty answer and search lists', () => {
    expect(classifyMirsudPage('<div id="case-app"><div class="loader">Загрузка…</div></div>')).toBe('unknown');
    expect(classifyMirsudPage(wrap(renderCaseNotFound()))).toBe('search_empty');
    expect(() => parseMirsudCaseCard('<div id="case-app"></div>')).toThrow(/no print form \(no table\.case-print__table\)/);
    const c = data.cases[3]!;
    const list = renderSearch([c]);
    expect(classifyMirsudPage(list)).toBe('search_results');
    const res = parseMirsudSearchResults(list, { url: 'https://mirsud.spb.ru/cases/?id=x' });
    expect(res.cases[0]).toMatchObject({ caseNumber: c.caseNumber, registeredAt: c.registeredAt, judge: c.judge });
    expect(res.cases[0]!.url).toBe(`https://mirsud.spb.ru/cases/detail/${c.section}/?id=${encodeURIComponent(c.caseNumber)}`);
    expect(parseMirsudSearchResults(renderSearch([])).total).toBe(0);
  });
});
