/**
 * Conformance of the sudrf parsers against the real pages in ../shared/fixtures/real/sudrf.
 * Runs only where that folder exists. The expectations below are facts read from each page
 * (numbers, UIDs, dates, roles, results of institutions); people's names are never written here:
 * they are compared with a small regex reader of the raw HTML at run time, which also counts the
 * event, party and execution-document rows independently of cheerio.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import type { CourtCaseRecord, PartyRoleNorm } from '../../core/records.ts';
import { LayoutDriftError } from '../../core/errors.ts';
import {
  classifySudrfPage, decodeHtml, extractSudrfCaptcha, parsePage, parseSudrfCaseCard, parseSudrfSearchResults, readExecutionDocuments,
} from '../../parsers/index.ts';

const REAL = new URL('../../../shared/fixtures/real/', import.meta.url);
const SUDRF = new URL('sudrf/', REAL);
const exists = existsSync(fileURLToPath(SUDRF));

const read = (name: string) => decodeHtml(readFileSync(new URL(name, SUDRF)));

// ---- an independent, regex-only reader of the raw tables ----
const decodeEntities = (s: string) =>
  s.replace(/&nbsp;/g, ' ').replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&rarr;/g, '→');
const strip = (s: string) => decodeEntities(s.replace(/<br\s*\/?>/gi, ' ').replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim();
/** The HTML from `start` to the end of the first table that follows it. */
function sliceTable(html: string, start: number): string {
  return html.slice(start, html.indexOf('</table>', start));
}
/** Data rows (cells stripped) of a table slice, without title rows (`th`) and the header row. */
function rawRows(slice: string, headerRows: number): string[][] {
  const rows = [...slice.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => m[1] ?? '').filter((r) => !/<th[\s>]/.test(r));
  return rows.slice(headerRows).map((r) => [...r.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => strip(c[1] ?? '')));
}
/** Old template: the tables titled by a `th` matching `title`. */
function oldTables(html: string, title: RegExp): string[][][] {
  const re = new RegExp(`<th[^>]*>\\s*(?:${title.source})\\s*</th>`, 'g');
  return [...html.matchAll(re)].map((m) => rawRows(sliceTable(html, m.index ?? 0), 1));
}
/** New template: the desktop table of `div#tab_content_<key>` (its first table). */
function newTable(html: string, key: string): string[][] {
  const at = html.indexOf(`id="tab_content_${key}"`);
  return at < 0 ? [] : rawRows(sliceTable(html, at), 1);
}
const ddmmyyyy = (iso: string | null) => (iso ? iso.split('-').reverse().join('.') : '');
/** The judge as the «ДЕЛО» table writes it, read by regex. */
function rawJudge(html: string): string | null {
  const m = /<b>\s*(?:Судья|Председательствующий судья|Докладчик)\s*<\/b>\s*<\/td>\s*<td[^>]*>([^<]*)</.exec(html);
  return m?.[1] ? strip(m[1]) : null;
}

interface CardFacts {
  file: string;
  template: 'sudrf-old' | 'sudrf-new';
  courtName: string | null;
  code: string;
  caseNumber: string;
  materialNumber: string | null;
  previousNumbers: string[];
  uid: string;
  instance: string | null;
  registeredAt: string;
  decision: { date: string | null; result: string | null };
  status: CourtCaseRecord['status'];
  roles: Array<[string, PartyRoleNorm]>;
  events: number;
  executionDocuments: number;
  /** Some event exactly as its row shows it (fields not listed are not checked). */
  someEvent?: Partial<CourtCaseRecord['events'][number]>;
  category?: string;
}

const R: Record<string, [string, PartyRoleNorm]> = {
  ist: ['ИСТЕЦ', 'claimant'], otv: ['ОТВЕТЧИК', 'debtor'], pred: ['ПРЕДСТАВИТЕЛЬ', 'representative'],
};
const SYKT = 'Сыктывкарский городской суд Республики Коми';

const CARDS: CardFacts[] = [
  {
    file: 'card_oldtpl_syktyvkar_2-7212-2025_civil.html', template: 'sudrf-old', courtName: SYKT, code: '11RS0001',
    caseNumber: '2-7212/2025', materialNumber: 'М-5922/2025', previousNumbers: [], uid: '11RS0001-01-2025-011255-03',
    instance: 'Гражданские дела - первая инстанция', registeredAt: '2025-07-22',
    decision: { date: '2025-08-18', result: 'Иск (заявление, жалоба) УДОВЛЕТВОРЕН' }, status: 'decided',
    roles: [R.ist!, R.otv!, R.pred!], events: 8, executionDocuments: 4,
    someEvent: { name: 'Судебное заседание', date: '2025-08-18', time: '10:00', place: 'Пушкина 22 Кабинет №710', result: 'Вынесено заочное решение по делу', basis: 'Иск (заявление, жалоба) УДОВЛЕТВОРЕН', publishedAt: '2025-07-25' },
  },
  {
    file: 'card_oldtpl_syktyvkar_2-3671-2025_civil.html', template: 'sudrf-old', courtName: SYKT, code: '11RS0001',
    caseNumber: '2-3671/2025', materialNumber: 'М-1440/2025', previousNumbers: [], uid: '11RS0001-01-2025-002795-66',
    instance: 'Гражданские дела - первая инстанция', registeredAt: '2025-02-24',
    decision: { date: '2025-04-11', result: 'Иск (заявление, жалоба) УДОВЛЕТВОРЕН' }, status: 'decided',
    roles: [R.pred!, R.ist!, R.pred!, ['ТРЕТЬЕ ЛИЦО', 'third_party'], R.otv!, R.pred!, ['ПРОКУРОР', 'other']], events: 10, executionDocuments: 2,
    someEvent: { name: 'Рассмотрение исправленных материалов, поступивших в суд', date: '2025-03-10', time: '09:43', result: 'Иск (заявление, жалоба) принят к производству' },
  },
  {
    file: 'card_oldtpl_leninsky_kirov_5-174-2026_koap.html', template: 'sudrf-old', courtName: 'Ленинский районный суд г. Кирова', code: '43RS0001',
    caseNumber: '5-174/2026', materialNumber: null, previousNumbers: ['5-78/2026'], uid: '43RS0001-01-2026-000667-40',
    instance: 'Дела об административных правонарушениях - первая инстанция', registeredAt: '2026-04-15',
    decision: { date: '2026-06-05', result: 'Вынесено постановление о назначении административного наказания (п.1 ч.1 ст.29.9 КоАП РФ)' }, status: 'decided',
    roles: [['ПРИВЛЕКАЕМОЕ ЛИЦО', 'other'], ['Представитель', 'representative'], ['Представитель', 'representative']], events: 7, executionDocuments: 0,
    someEvent: { name: 'Рассмотрение дела по существу', date: '2026-05-06', time: '13:30', place: '105', result: 'Рассмотрение отложено', basis: 'Прочие основания' },
  },
  {
    file: 'card_oldtpl_leninsky_ufa_1-151-2026_criminal.html', template: 'sudrf-old', courtName: 'Ленинский районный суд г. Уфы Республики Башкортостан',
    code: '03RS0004', caseNumber: '1-151/2026', materialNumber: null, previousNumbers: [], uid: '03RS0003-01-2026-003803-62',
    instance: 'Уголовные дела - первая инстанция', registeredAt: '2026-04-22',
    decision: { date: '2026-05-06', result: 'Уголовное дело ПРЕКРАЩЕНО назначена мера уголовно-правового характера - СУДЕБНЫЙ ШТРАФ (ст. 25.1 УПК РФ)' }, status: 'decided',
    roles: [['ЛИЦА', 'other'], ['Защитник (адвокат)', 'other'], ['Прокурор', 'other']], events: 5, executionDocuments: 1,
    someEvent: { name: 'Судебное заседание', date: '2026-05-06', time: '10:00', place: 'Зал №1', result: 'Производство по делу прекращено' },
  },
  {
    file: 'card_oldtpl_vs_komi_33-4818-2025_civil_appeal.html', template: 'sudrf-old', courtName: 'Верховный Суд Республики Коми', code: '11OS0000',
    caseNumber: '33-4818/2025', materialNumber: null, previousNumbers: [], uid: '11RS0001-01-2025-011255-03',
    instance: 'Гражданские дела - апелляция', registeredAt: '2025-09-17',
    decision: { date: '2025-10-06', result: 'РЕШЕНИЕ оставлено БЕЗ ИЗМЕНЕНИЯ' }, status: 'decided',
    roles: [R.ist!, R.otv!, R.pred!], events: 5, executionDocuments: 0,
    someEvent: { name: 'Судебное заседание', date: '2025-09-25', time: '15:00', place: 'зал №1', result: 'Объявлен перерыв' },
  },
  {
    file: 'card_3kas_8G-2430-2026_cassation.html', template: 'sudrf-old', courtName: 'Третий кассационный суд общей юрисдикции', code: '78KJ0003',
    caseNumber: '8Г-2430/2026 [88-4097/2026]', materialNumber: null, previousNumbers: [], uid: '11RS0001-01-2025-011255-03',
    instance: 'Гражданские дела - кассация', registeredAt: '2026-02-03',
    decision: { date: '2026-03-02', result: 'АПЕЛЛЯЦИОННОЕ ОПРЕДЕЛЕНИЕ ОТМЕНЕНО - с направлением на новое рассмотрение' }, status: 'decided',
    roles: [R.ist!, R.otv!, R.pred!], events: 1, executionDocuments: 0,
    someEvent: { name: 'Судебное заседание', date: '2026-03-02', time: '10:00', place: '103', publishedAt: '2026-02-05' },
  },
  {
    file: 'card_newtpl_blagoveshchensk_2-5-2026_civil.html', template: 'sudrf-new', courtName: 'Благовещенский городской суд Амурской области', code: '28RS0004',
    caseNumber: '2-5/2026', materialNumber: 'М-7523/2025', previousNumbers: [], uid: '28RS0004-01-2025-018120-67',
    instance: 'Гражданские дела - первая инстанция', registeredAt: '2025-12-15', decision: { date: null, result: null }, status: 'accepted',
    roles: [R.ist!, R.otv!, R.pred!, R.pred!, R.pred!], events: 7, executionDocuments: 0,
    someEvent: { name: 'Судебное заседание', date: '2026-01-28', time: '14:00', place: '301', result: 'Производство по делу приостановлено', publishedAt: '2026-01-12' },
  },
  {
    file: 'card_newtpl_zavolzhsky_ulyanovsk_2-5-2026_civil_with_claims_tab.html', template: 'sudrf-new', courtName: 'Заволжский районный суд г. Ульяновска',
    code: '73RS0004', caseNumber: '2-5/2026', materialNumber: 'М-2773/2024', previousNumbers: ['2-13/2025', '2-2935/2024'], uid: '73RS0004-01-2024-005087-98',
    instance: 'Гражданские и административные дела', registeredAt: '2024-07-22', decision: { date: null, result: null }, status: 'accepted',
    roles: [R.ist!, R.otv!, R.pred!], events: 9, executionDocuments: 0, category: '2.213 - Иски о взыскании сумм по договору займа',
    someEvent: { name: 'Судебное заседание', date: '2024-09-06', time: '11:00', result: 'Заседание отложено', basis: 'ИНЫЕ ПРИЧИНЫ', publishedAt: '2024-08-27' },
  },
  {
    file: 'card_newtpl_samara_oblsud_33a-647-2026_kas_appeal.html', template: 'sudrf-new', courtName: 'Самарский областной суд', code: '63OS0000',
    caseNumber: '33а-647/2026', materialNumber: null, previousNumbers: ['33а-11786/2025'], uid: '63RS0042-01-2025-002452-47',
    instance: 'Гражданские и административные дела - апелляция', registeredAt: '2025-11-10',
    decision: { date: '2026-01-13', result: 'РЕШЕНИЕ оставлено БЕЗ ИЗМЕНЕНИЯ' }, status: 'decided',
    roles: [['АДМИНИСТРАТИВНЫЙ ИСТЕЦ', 'claimant'], ['АДВОКАТ', 'other'], ['АДМИНИСТРАТИВНЫЙ ОТВЕТЧИК', 'debtor'], ['АДМИНИСТРАТИВНЫЙ ОТВЕТЧИК', 'debtor'], ['АДМИНИСТРАТИВНЫЙ ОТВЕТЧИК', 'debtor'], ['АДМИНИСТРАТИВНЫЙ ИСТЕЦ', 'claimant']],
    events: 6, executionDocuments: 0,
    someEvent: { name: 'Судебное заседание', date: '2026-01-13', time: '10:00', place: null, result: 'Вынесено решение', publishedAt: '2025-12-10' },
  },
];

describe.skipIf(!exists)('sudrf conformance: every real case card', () => {
  it('covers every card file in the folder', () => {
    const files = readdirSync(fileURLToPath(SUDRF)).filter((f) => /^card_.*\.html$/.test(f)).sort();
    expect(CARDS.map((c) => c.file).sort()).toEqual(files);
  });

  describe.each(CARDS)('$file', (facts) => {
    const html = read(facts.file);
    const url = `https://court.sudrf.ru/modules.php?name=sud_delo&srv_num=1&name_op=case&case_id=101&case_uid=00000000-0000-0000-0000-000000000101&delo_id=1540005`;
    const card = parsePage('court-case', readFileSync(new URL(facts.file, SUDRF)), { url });

    it('reads the header, the ids and the «ДЕЛО» pane', () => {
      expect(card.template).toBe(facts.template);
      expect(card.court).toEqual({ name: facts.courtName, host: 'court.sudrf.ru', code: facts.code });
      expect([card.caseNumber, card.materialNumber, card.previousNumbers]).toEqual([facts.caseNumber, facts.materialNumber, facts.previousNumbers]);
      expect(card.uid).toBe(facts.uid);
      expect([card.caseId, card.caseUid]).toEqual(['101', '00000000-0000-0000-0000-000000000101']);
      expect(card.instance).toBe(facts.instance);
      expect(card.registeredAt).toBe(facts.registeredAt);
      expect(card.decision).toEqual(facts.decision);
      expect(card.effectiveAt).toBeNull(); // none of these pages shows an entry-into-force date
      expect(card.status).toBe(facts.status);
      if (facts.category) expect(card.category).toBe(facts.category);
      else expect(card.category === null || card.category.length > 5).toBe(true);
      const judge = rawJudge(html);
      expect(judge).toBeTruthy();
      expect(card.judge).toBe(judge);
    });

    it('reads every party with its role, row by row as the raw table shows it', () => {
      expect(card.parties.map((p) => [p.role, p.roleNorm])).toEqual(facts.roles);
      const raw = facts.template === 'sudrf-old'
        ? oldTables(html, /СТОРОНЫ[^<]*|ЛИЦА|УЧАСТНИКИ/).flat()
        : newTable(html, 'PersonList');
      expect(card.parties).toHaveLength(raw.length);
      card.parties.forEach((p, i) => {
        expect(p.name).not.toBe('');
        expect(raw[i]).toContain(p.name);
        if (p.inn) expect(raw[i]).toContain(p.inn);
        if (p.ogrn) expect(raw[i]).toContain(p.ogrn);
      });
    });

    it('reads every event with its date, as many as the raw table has rows', () => {
      const raw = facts.template === 'sudrf-old' ? oldTables(html, /ДВИЖЕНИЕ ДЕЛА|СЛУШАНИЯ/).flat() : newTable(html, 'EventList');
      expect(raw.length).toBe(facts.events);
      expect(card.events).toHaveLength(facts.events);
      card.events.forEach((e, i) => {
        expect(e.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(raw[i]).toContain(e.name);
        expect(raw[i]).toContain(ddmmyyyy(e.date));
        if (e.time) expect(raw[i]).toContain(e.time);
        if (e.result) expect(raw[i]).toContain(e.result);
      });
      if (facts.someEvent) expect(card.events).toContainEqual(expect.objectContaining(facts.someEvent));
    });

    it('reads the execution documents where the card has them', () => {
      const raw = oldTables(html, /ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ/).flat();
      expect(raw.length).toBe(facts.executionDocuments);
      expect(card.executionDocuments).toHaveLength(facts.executionDocuments);
      card.executionDocuments.forEach((d, i) => {
        expect(raw[i]).toContain(ddmmyyyy(d.issuedAt));
        expect(d.seriesNumber ?? d.electronicId).toBeTruthy();
      });
    });
  });

  it('execution documents of 2-7212/2025 and 2-3671/2025 carry the blank and the electronic id', () => {
    const a = parseSudrfCaseCard(read('card_oldtpl_syktyvkar_2-7212-2025_civil.html'), {});
    expect(a.executionDocuments[0]).toEqual({ issuedAt: '2025-08-21', seriesNumber: 'ФС № 049373812', electronicId: null, status: 'Выдан', recipient: 'Взыскатель' });
    expect(a.executionDocuments[1]).toEqual({ issuedAt: '2025-10-10', seriesNumber: null, electronicId: '11RS0001#2-7212/2025#4', status: 'Выдан', recipient: 'Василеостровский районный отдел судебных приставов' });
    const b = parseSudrfCaseCard(read('card_oldtpl_syktyvkar_2-3671-2025_civil.html'), {});
    expect(b.executionDocuments.map((d) => [d.seriesNumber, d.electronicId])).toEqual([[null, '11RS0001#2-3671/2025#1'], ['ФС № 049371974', null]]);
    const defendant = b.parties.find((p) => p.roleNorm === 'debtor');
    expect([defendant?.inn, defendant?.ogrn]).toEqual(['7801291202', '1157847344830']);
  });

  it('the previous-registration excerpt gives both previous numbers', () => {
    const card = parseSudrfCaseCard(read('previous_registration_khimki_excerpt.html'), {});
    expect([card.caseNumber, card.materialNumber, card.uid, card.registeredAt, card.status]).toEqual(['2-4461/2026', 'М-2633/2026', '50RS0048-01-2025-013535-76', '2026-04-10', 'received']);
    expect(card.previousNumbers).toEqual(['9-1693/2025', 'М-9111/2025']);
    expect(card.court.code).toBe('50RS0048');
  });

  it('the execution-documents excerpt reads all five rows', () => {
    const $ = cheerio.load(read('execution_documents_tab_excerpt.html'));
    const docs = readExecutionDocuments($, $('table').toArray()[0]!);
    expect(docs.map((d) => [d.issuedAt, d.status])).toEqual([
      ['2025-08-21', 'Выдан'], ['2025-08-22', 'Направлен'], ['2025-08-23', 'Возвращен'], ['2025-08-21', 'Выдан'], ['2025-08-22', 'Направлен'],
    ]);
    expect(docs.map((d) => d.electronicId)).toEqual([null, null, null, '11RS0001#2-7212/2025#4', '11RS0001#2-7212/2025#5']);
    expect(docs[1]).toMatchObject({ seriesNumber: 'ФС № 049373813', recipient: 'УФК по Республике Коми' });
  });
});

describe.skipIf(!exists)('sudrf conformance: search results and other pages', () => {
  it('old-template cassation listing: total, 25 rows, paging, every row as its link shows', () => {
    const name = 'search_results_kas_listing_acts.html';
    const html = read(name);
    const res = parseSudrfSearchResults(html, { url: 'https://2kas.sudrf.ru/modules.php?name=sud_delo&srv_num=1&name_op=r' });
    const rawNumbers = [...html.matchAll(/name_op=case[^>]*>([^<]+)<\/a>/g)].map((m) => strip(m[1] ?? ''));
    expect(rawNumbers).toHaveLength(25);
    expect([res.template, res.total, res.page, res.nextPage]).toEqual(['sudrf-old', 530, 1, 2]);
    expect(res.cases.map((c) => c.caseNumber)).toEqual(rawNumbers);
    expect(res.cases[0]).toMatchObject({
      caseNumber: '8Г-15211/2026 [88-14715/2026]', caseId: '18223875', caseUid: '3128af6a-aafd-43ab-a873-18c4f46b860e',
      url: 'https://2kas.sudrf.ru/modules.php?name=sud_delo&srv_num=1&name_op=case&case_id=18223875&case_uid=3128af6a-aafd-43ab-a873-18c4f46b860e&new=2800001&delo_id=2800001',
      registeredAt: '2026-04-28', decisionDate: '2026-05-14', result: 'Жалоба / представление ОСТАВЛЕНО БЕЗ УДОВЛЕТВОРЕНИЯ', effectiveAt: null,
      category: 'Споры, связанные с имущественными правами → Иски о взыскании сумм по договору займа, кредитному договору',
    });
    for (const c of res.cases) {
      expect(c.registeredAt).toMatch(/^2026-\d{2}-\d{2}$/);
      expect(c.judge).toBeTruthy();
      expect(c.caseId).toMatch(/^\d+$/);
    }
  });

  it('new-template results by UID: one row with the vnkod-style link ids', () => {
    const res = parsePage('court-search', readFileSync(new URL('search_results_samara_oblsud_by_uid.html', SUDRF)), { url: 'https://oblsud--sam.sudrf.ru/modules.php?name=sud_delo&name_op=r' });
    expect([res.template, res.total, res.cases.length, res.nextPage]).toEqual(['sudrf-new', 1, 1, null]);
    expect(res.cases[0]).toMatchObject({
      caseNumber: '33а-647/2026', caseId: '45090185', caseUid: '70f25bb3-b647-4795-a592-61e457a42ea7',
      registeredAt: '2025-11-10', decisionDate: '2026-01-13', result: 'РЕШЕНИЕ оставлено БЕЗ ИЗМЕНЕНИЯ', effectiveAt: null,
    });
    expect(res.cases[0]?.url).toMatch(/^https:\/\/oblsud--sam\.sudrf\.ru\/modules\.php\?name=sud_delo&name_op=case&_id=45090185&/);
    expect(res.cases[0]?.category).toMatch(/^3\.025 - Гл\. 22 КАС РФ/);
  });

  it.each([
    ['listing_captcha_gate_kas.html', 'captcha_wrong'],
    ['search_form_captcha_cp1251_raw.html', 'captcha'],
    ['search_results_kas_listing_acts.html', 'search_results'],
    ['search_results_samara_oblsud_by_uid.html', 'search_results'],
    ...CARDS.map((c) => [c.file, 'case_card'] as const),
  ] as const)('%s is classified %s', (file, kind) => {
    expect(classifySudrfPage(read(file))).toBe(kind);
  });

  it('the raw CP1251 captcha form decodes and yields the captcha of its labelled image', () => {
    const html = read('search_form_captcha_cp1251_raw.html');
    expect(html).not.toContain('\ufffd');
    expect(cheerio.load(html)('title').text().trim()).toBe('Санкт-Петербургский городской суд');
    const captcha = extractSudrfCaptcha(html);
    expect(captcha?.captchaId).toBe('v3ruvq66jtumpc886v4g0fp6o7');
    const png = readFileSync(new URL('captcha/90299_sankt-peterburgsky--spb_sudrf_ru_1_v3ruvq66jtumpc886v4g0fp6o7.png', SUDRF));
    expect(Buffer.from(captcha?.imageBase64 ?? '', 'base64').equals(png)).toBe(true);
  });

  it('pages that are not of the kind asked for raise LayoutDriftError, never an empty record', () => {
    for (const f of ['listing_captcha_gate_kas.html', 'search_form_captcha_cp1251_raw.html', 'search_results_kas_listing_acts.html']) {
      expect(() => parseSudrfCaseCard(read(f), {}), f).toThrowError(LayoutDriftError);
    }
    for (const f of ['listing_captcha_gate_kas.html', 'search_form_captcha_cp1251_raw.html', 'card_oldtpl_leninsky_kirov_5-174-2026_koap.html', 'card_newtpl_blagoveshchensk_2-5-2026_civil.html']) {
      expect(() => parseSudrfSearchResults(read(f), {}), f).toThrowError(LayoutDriftError);
    }
  });
});
