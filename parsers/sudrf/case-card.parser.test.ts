import { describe, expect, it } from 'vitest';
import { LayoutDriftError } from '../../core/errors.ts';
import { parseSudrfCaseCard } from './case-card.parser.ts';
import { newCard, newResults, oldCard } from './testing/synthetic-pages.ts';

const URL_OLD = 'https://test--enskaya.sudrf.ru/modules.php?name=sud_delo&srv_num=1&name_op=case&case_id=4242&case_uid=aaaa-bbbb&delo_id=1540005';

describe('parseSudrfCaseCard — old template', () => {
  const card = parseSudrfCaseCard(oldCard({ withExec: true }), { url: URL_OLD });

  it('reads the header, the ids and the «ДЕЛО» pane', () => {
    expect(card.template).toBe('sudrf-old');
    expect(card.court).toEqual({ name: 'Тестовый районный суд Энской области', host: 'test--enskaya.sudrf.ru', code: '99RS0001' });
    expect(card.caseNumber).toBe('2-101/2026');
    expect(card.materialNumber).toBe('М-55/2026');
    expect(card.previousNumbers).toEqual(['2-77/2025', '9-12/2025', 'М-9/2025']);
    expect(card.uid).toBe('99RS0001-01-2026-000101-11');
    expect(card.caseId).toBe('4242');
    expect(card.caseUid).toBe('aaaa-bbbb');
    expect(card.instance).toBe('Гражданские дела - первая инстанция');
    expect(card.category).toBe('Жилищные споры → о взыскании платы за жилое помещение');
    expect(card.judge).toBe('Петрова Анна Сергеевна');
    expect(card.registeredAt).toBe('2026-01-10');
    expect(card.decision).toEqual({ date: '2026-02-02', result: 'Вынесен СУДЕБНЫЙ ПРИКАЗ' });
    expect(card.effectiveAt).toBe('2026-02-20');
    expect(card.status).toBe('in_force');
  });

  it('finds panes by their title although the tabs are in another order', () => {
    expect(card.parties).toEqual([
      { role: 'ВЗЫСКАТЕЛЬ', roleNorm: 'claimant', name: 'ООО "УК Жилсервис"', inn: '7700000001', kpp: '770001001', ogrn: '1027700000001', ogrnip: null },
      { role: 'ДОЛЖНИК', roleNorm: 'debtor', name: 'Иванов Иван Иванович', inn: null, kpp: null, ogrn: null, ogrnip: null },
      { role: 'ТРЕТЬЕ ЛИЦО', roleNorm: 'third_party', name: 'ИП Сидоров Сидор Сидорович', inn: null, kpp: null, ogrn: null, ogrnip: '304770000000001' },
    ]);
    expect(card.events).toHaveLength(3);
    expect(card.events[1]).toEqual({ name: 'Передача материалов судье', date: '2026-01-11', time: '14:00', place: 'Кабинет №1', result: null, basis: null, note: 'Срок до 20.01.2026', publishedAt: '2026-01-12' });
    expect(card.events[2]).toMatchObject({ date: '2026-02-02', time: null, result: 'Заявление удовлетворено', basis: 'Иск удовлетворен' });
  });

  it('reads the execution documents', () => {
    expect(card.executionDocuments).toEqual([
      { issuedAt: '2026-02-21', seriesNumber: 'ФС № 000000001', electronicId: null, status: 'Выдан', recipient: 'Взыскатель' },
      { issuedAt: '2026-02-22', seriesNumber: null, electronicId: '99RS0001#2-101/2026#1', status: 'Направлен', recipient: 'ОСП по Энскому району' },
    ]);
  });

  it('maps event columns by header text, whatever their order', () => {
    const shuffled = oldCard({ eventsHeader: ['Наименование события', 'Дата', 'Время', 'Место проведения', 'Результат события', 'Основание для выбранного результата события', 'Примечание', 'Дата размещения'].reverse() });
    // Cells stay in the original order, so under reversed headers «name» is the last cell.
    const events = parseSudrfCaseCard(shuffled, {}).events;
    expect(events[0]?.name).toBe('11.01.2026');
    expect(events[0]?.publishedAt).toBeNull();
  });

  it('without a URL has no host and no site ids, and falls back to the counter code', () => {
    const c = parseSudrfCaseCard(oldCard(), {});
    expect(c.court.host).toBeNull();
    expect(c.caseId).toBeNull();
    expect(c.executionDocuments).toEqual([]);
  });
});

describe('parseSudrfCaseCard — new template', () => {
  const card = parseSudrfCaseCard(newCard(), { url: 'https://test.sudrf.ru/modules.php?name=sud_delo&name_op=case&_id=99&_uid=cccc&_deloId=41' });

  it('reads the header and the case pane, not the print copy', () => {
    expect(card.template).toBe('sudrf-new');
    expect(card.caseNumber).toBe('2а-15/2026');
    expect(card.materialNumber).toBe('М-3/2026');
    expect(card.uid).toBe('99RS0002-01-2026-000015-22');
    expect(card.court.code).toBe('99RS0002'); // no counter on the page: from the UID
    expect(card.caseId).toBe('99');
    expect(card.caseUid).toBe('cccc');
    expect(card.instance).toBe('Гражданские и административные дела');
    expect(card.category).toBe('3.025 - Гл. 22 КАС РФ');
    expect(card.judge).toBe('Смирнов С. С.');
    expect(card.decision).toEqual({ date: null, result: null });
    expect(card.status).toBe('accepted');
  });

  it('skips the mobile copies and maps shuffled columns', () => {
    expect(card.events.map((e) => [e.name, e.date, e.time])).toEqual([
      ['Регистрация административного искового заявления', '2026-03-05', '10:01'],
      ['Передача материалов судье', '2026-03-06', '11:30'],
      ['Решение вопроса о принятии к производству', '2026-03-12', '12:00'],
    ]);
    expect(card.parties.map((p) => [p.roleNorm, p.name, p.ogrn, p.ogrnip])).toEqual([
      ['claimant', 'Иванов Иван Иванович', null, null],
      ['debtor', 'ООО "УК Жилсервис"', '1027700000001', null],
      ['other', 'ИП Сидоров С. С.', null, '304770000000001'],
    ]);
  });
});

describe('parseSudrfCaseCard — drift', () => {
  it('throws LayoutDriftError naming the selector on a foreign page', () => {
    expect(() => parseSudrfCaseCard('<html><body><p>Главная страница</p></body></html>', {})).toThrowError(LayoutDriftError);
    try {
      parseSudrfCaseCard(newResults(), {});
    } catch (e) {
      expect((e as LayoutDriftError).selector).toBe('div.casenumber | div.case-num');
      expect((e as LayoutDriftError).code).toBe('layout_drift');
    }
  });
  it('reads a card without its «ДЕЛО» pane from the panes it shows; drifts, naming them, when none is left', () => {
    const html = oldCard().replace(/<div id="cont1">[\s\S]*?<\/table><\/div>/, '');
    const card = parseSudrfCaseCard(html, {});
    expect(card.uid).toBeNull();
    expect(card.events).toHaveLength(3);
    expect(card.registeredAt).toBe(card.events[0]!.date);
    const bare = html.replace(/<div id="cont\d+">[\s\S]*?<\/table><\/div>/g, '');
    expect(() => parseSudrfCaseCard(bare, {})).toThrowError(/none of the «ДЕЛО», «ДВИЖЕНИЕ ДЕЛА» or «СТОРОНЫ» panes/);
  });
  it('throws when the events table lost its name column', () => {
    const html = oldCard({ eventsHeader: ['Событие X', 'Когда', 'Время', 'Место', 'Итог', 'Основание', 'Примечание', 'Размещено'] });
    expect(() => parseSudrfCaseCard(html, {})).toThrowError(LayoutDriftError);
  });
});

describe('parseSudrfCaseCard — entry into force shown by the movement', () => {
  const row = '<tr><td width="50%"><b>Дата вступления в законную силу</b></td><td>20.02.2026</td></tr>';
  const lastEvent = '<td>03.02.2026</td></tr>';
  it('takes the date of a dated «… вступило в законную силу» event when the card has no such row', () => {
    const base = oldCard();
    expect(base).toContain(row);
    const noRow = base.replace(row, '');
    expect(parseSudrfCaseCard(noRow, {})).toMatchObject({ effectiveAt: null, effectiveAtSource: null, status: 'order_issued' });
    const event = '<tr>' + ['Решение вступило в законную силу', '05.03.2026', '', '', '', '', '', '06.03.2026'].map((c) => `<td>${c}</td>`).join('') + '</tr>';
    const card = parseSudrfCaseCard(noRow.replace(lastEvent, lastEvent + event), {});
    expect(card).toMatchObject({ effectiveAt: '2026-03-05', effectiveAtSource: 'shown', status: 'in_force' });
  });
});
