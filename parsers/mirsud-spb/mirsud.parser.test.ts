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
    expect(() => parseMirsudCaseCard('<div id="case-app"></div>')).toThrow(/no print form \(no table\.case-print__table\) and no rendered case block/);
    const c = data.cases[3]!;
    const list = renderSearch([c]);
    expect(classifyMirsudPage(list)).toBe('search_results');
    const res = parseMirsudSearchResults(list, { url: 'https://mirsud.spb.ru/cases/?id=x' });
    expect(res.cases[0]).toMatchObject({ caseNumber: c.caseNumber, registeredAt: c.registeredAt, judge: c.judge });
    expect(res.cases[0]!.url).toBe(`https://mirsud.spb.ru/cases/detail/${c.section}/?id=${encodeURIComponent(c.caseNumber)}`);
    expect(parseMirsudSearchResults(renderSearch([])).total).toBe(0);
  });
});

/**
 * A rendered screen view written by hand after the markup of a real rendered mirsud.spb.ru card
 * (Angular DOM: labels `b.table-title` + `span.table-list`, rows `div.table-row` with `hidden-lg`
 * phone copies, an empty «:» history row); names and numbers invented, no print form.
 */
const SCREEN_VIEW = `<main ng-controller="CaseDetailCtrl"><div class="case-view">
<section class="bredcrumbs-and-title"><h1 class="title ng-binding">Гражданское дело 2-777/2026-12</h1></section>
<section class="case-info"><div class="col-lg-6 case-info__block"><h2 class="subtitle">Основные сведения</h2>
 <div class="col-lg-12"><b class="table-title">№ участка</b><span class="list table-list"> 12 </span></div>
 <div class="col-lg-12"><b class="table-title">Судья</b><span class="list table-list">
   Образцова Анна Петровна </span></div>
 <div class="col-lg-12"><b class="table-title">Сущность спора</b><span class="list table-list">О взыскании платы за жилую площадь и коммунальные платежи</span></div>
 <div class="col-lg-12"><b class="table-title">УИД</b><span class="list table-list">78MS0012-01-2026-000777-01</span></div>
 <div class="col-lg-12"><b class="table-title">Дата поступления</b><span class="list table-list">03.03.2026</span></div>
 <div class="col-lg-12"><b class="table-title">Статус</b><span class="list table-list">Судебный приказ</span></div>
</div>
<div class="col-lg-6 case-info__block"><article class="about-sides"><h2 class="subtitle">Сведения о сторонах по делу</h2>
 <div class="row visible-lg"><div class="col-lg-6"><b class="table-title">ФИО</b></div><div class="col-lg-6"><b class="table-title">Вид лица</b></div></div>
 <div class="row table-row"><div class="col-xs-12 hidden-lg"><b class="table-title">ФИО</b></div><div class="col-lg-6">ООО "Тестовая УК"</div>
   <div class="col-xs-12 hidden-lg"><b class="table-title">Вид лица</b></div><div class="col-lg-6">Истец</div></div>
 <div class="row table-row"><div class="col-xs-12 hidden-lg"><b class="table-title">ФИО</b></div><div class="col-lg-6">Пробная Ольга Ивановна</div>
   <div class="col-xs-12 hidden-lg"><b class="table-title">Вид лица</b></div><div class="col-lg-6">Ответчик</div></div>
</article></div></section>
<section class="full-case-info"><h2 class="subtitle">Сведения о движении дела</h2>
 <div class="row table-row"><div class="col-xs-12 hidden-lg">Регистрация поступившего заявления о выдаче судебного приказа:</div>
   <div class="col-xs-12 col-lg-2">03.03.2026</div><div class="col-xs-12 col-lg-2">09:15</div>
   <div class="col-xs-12 col-lg-6 visible-lg">Регистрация поступившего заявления о выдаче судебного приказа</div>
   <div class="col-xs-12 hidden-lg">Опубликовано:</div><div class="col-xs-12 col-lg-2">04.03.2026</div></div>
 <div class="row table-row"><div class="col-xs-12 hidden-lg">:</div><div class="col-xs-12 col-lg-2">03.03.2026</div><div class="col-xs-12 col-lg-2">09:15</div>
   <div class="col-xs-12 col-lg-6 visible-lg"></div></div>
 <div class="row table-row"><div class="col-xs-12 hidden-lg">Решение вопроса о принятии заявления / Заявление принято:</div>
   <div class="col-xs-12 col-lg-2">05.03.2026</div><div class="col-xs-12 col-lg-2">10:00</div>
   <div class="col-xs-12 col-lg-6 visible-lg">Решение вопроса о принятии заявления / Заявление принято</div></div>
 <div class="row table-row"><div class="col-xs-12 hidden-lg">Вынесение судебного приказа:</div>
   <div class="col-xs-12 col-lg-2">10.03.2026</div><div class="col-xs-12 col-lg-2">11:30</div>
   <div class="col-xs-12 col-lg-6 visible-lg">Вынесение судебного приказа</div></div>
</section></div></main>`;

describe('mirsud.spb.ru rendered screen view (no print form)', () => {
  const url = 'https://mirsud.spb.ru/cases/detail/12/?id=2-777%2F2026-12';
  it('is a case card and reads the fields, parties and movement by their labels', () => {
    expect(classifyMirsudPage(SCREEN_VIEW)).toBe('case_card');
    const r = parseMirsudCaseCard(SCREEN_VIEW, { url });
    expect(r).toMatchObject({
      caseNumber: '2-777/2026-12', uid: '78MS0012-01-2026-000777-01', judge: 'Образцова Анна Петровна', registeredAt: '2026-03-03',
      category: 'О взыскании платы за жилую площадь и коммунальные платежи', status: 'order_issued',
      decision: { date: '2026-03-10', result: 'Судебный приказ' },
    });
    expect(r.court).toMatchObject({ section: '12', code: '78MS0012' });
    expect(r.parties.map((p) => [p.roleNorm, p.name])).toEqual([['claimant', 'ООО "Тестовая УК"'], ['debtor', 'Пробная Ольга Ивановна']]);
    expect(r.events).toEqual([
      { name: 'Регистрация поступившего заявления о выдаче судебного приказа', result: null, date: '2026-03-03', time: '09:15', basis: null, publishedAt: '2026-03-04' },
      { name: 'Решение вопроса о принятии заявления', result: 'Заявление принято', date: '2026-03-05', time: '10:00', basis: null, publishedAt: null },
      { name: 'Вынесение судебного приказа', result: null, date: '2026-03-10', time: '11:30', basis: null, publishedAt: null },
    ]);
  });
});
