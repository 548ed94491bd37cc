/**
 * Facts read by hand off the real pages of ../shared/fixtures/real/EXPECTED.json, beyond the facts
 * listed there: row counts, roles, INNs, undated rows, absent values (null where the page shows
 * nothing). Same check syntax as EXPECTED.json (expected-facts.ts). Typed from the pages, never
 * from parser output. No person's full name is written here (organisations and courts only).
 */
/** Facts read by hand off the pages of EXPECTED.json (file → facts; URL and kind as there). */
export const MORE_FACTS: Record<string, Record<string, unknown>> = {
  'msudrf/case_typeC_57riz_62MS0068_2-347-2026_court_order_gas_debt.dom.html': {
    template: 'msudrf-C', 'court.host': '57.riz.msudrf.ru', uid: null, registeredAt: null, effectiveAt: null,
    'events.length': 2, 'parties.length': 2,
    events: [{ name: 'Ознакомление с материалами', date: null, result: 'contains:Судебный приказ' }],
    parties: [{ role: 'Взыскатель', roleNorm: 'claimant' }, { role: 'Должник', roleNorm: 'debtor' }],
  },
  'mirsud/case_78MS0098-01-2026-003970-97_court_order_print-section.excerpt.html': {
    'court.host': 'mirsud.spb.ru', 'court.section': '98', 'court.code': '78MS0098', 'decision.date': '2026-08-21', 'decision.result': 'contains:Судебный приказ',
    effectiveAt: null, 'parties.length': 2, category: 'contains:ЖИЛИЩНОГО',
    parties: [{ role: 'Истец', name: 'ООО "Дом. Северная Столица"' }, { role: 'Ответчик', roleNorm: 'debtor' }],
    events: [{ name: 'Решение вопроса о принятии заявления', result: 'Заявление принято', date: '2026-08-14', time: '10:31' }, { name: 'Сдача дела в канцелярию', date: '2026-08-21' }],
  },
  'msudrf/magistrate_results_sanitized.html': {
    'cases.length': 3,
    cases: [{ caseNumber: '2-775/2026', registeredAt: '2026-06-01', decisionDate: '2026-06-09', url: 'startsWith:https://1.riz.msudrf.ru/modules.php' }, { caseNumber: '9-452/2026', decisionDate: null, result: null }],
  },
  'sudrf/search_results_leninsky_tyumen_sanitized.html': {
    'cases.length': 3,
    cases: [{ caseNumber: '9-542/2026', registeredAt: '2026-02-06', decisionDate: null, effectiveAt: null, url: 'startsWith:https://leninsky--tmn.sudrf.ru/modules.php', caseId: '239595346' }],
  },
  'msudrf/msudrf_typeB_6sam_63MS0006_2-1257-2026_court_order_utilities.dom.html': {
    template: 'msudrf-B', registeredAt: null, effectiveAt: null, 'events.length': 3, 'parties.length': 2,
    parties: [{ role: 'Взыскатель', inn: '6316186232' }],
    events: [{ name: 'Запрос идентификаторов должника', date: null, result: 'contains:Судебный приказ' }],
  },
  'msudrf/msudrf_typeB_10sah_65MS0010_9-2297-2026_refused.dom.html': {
    uid: null, effectiveAt: null, 'events.length': 3, 'parties.length': 2, parties: [{ role: 'Взыскатель', inn: '7725850061' }],
  },
  'msudrf/msudrf_typeB_10sah_65MS0010_9-2228-2026_returned.dom.html': {
    uid: null, effectiveAt: null, 'events.length': 4, 'parties.length': 2,
    parties: [{ role: 'Взыскатель', inn: '6506009129' }],
    events: [{ name: 'Сдача в архив', date: null, publishedAt: '2026-07-17' }, { name: 'Запрос идентификаторов должника', result: 'contains:возвращении заявления' }],
  },
  'msudrf/msudrf_typeB_5mo_50MS0005_2-231-2026_court_order_cancelled.dom.html': {
    category: 'contains:коммунальные платежи', 'events.length': 5, 'parties.length': 2, parties: [{ role: 'Взыскатель', inn: '5012091227' }],
    events: [{ name: 'Окончание производства', date: '2026-02-25' }, { name: 'Сдача в архив', date: null }],
  },
  'msudrf/msudrf_typeB_sakha45yak_14MS0054_2-370-4520_civil_decided_2011.dom.html': {
    uid: null, registeredAt: null, effectiveAt: null, 'parties.length': 2, parties: [{ role: 'Истец' }, { role: 'Ответчик', roleNorm: 'debtor' }],
    events: [{ name: 'Ознакомление с материалами', date: '2011-04-29' }],
  },
  'msudrf/msudrf_typeB_95mo_50MS0095_2-1244-2026_civil_decided_with_act.dom.html': {
    category: 'contains:Иные исковые дела', effectiveAt: null, 'events.length': 5, 'parties.length': 2,
    parties: [{ role: 'Материальный истец', roleNorm: 'claimant' }, { role: 'Ответчик', roleNorm: 'debtor' }],
    events: [{ name: 'Ознакомление с материалами', date: null, result: 'contains:принятии к производству' }],
  },
  'msudrf/msudrf_typeB_1zasvrn_73MS0001_2-1623-2026_civil_two_defendants_pending.dom.html': {
    registeredAt: null, 'decision.date': null, effectiveAt: null, status: 'accepted', 'events.length': 4,
    parties: [{ role: 'Материальный истец', roleNorm: 'claimant' }],
  },
  'msudrf/msudrf_typeB_anadyr_87MS0001_5-374-2026_koap_in_force.dom.html': {
    effectiveAtSource: 'shown', registeredAt: null, 'events.length': 3, 'parties.length': 1,
    parties: [{ role: 'Лицо, в отношении которого ведется производство по делу', roleNorm: 'other' }],
    events: [{ name: 'Подготовка к рассмотрению', date: null, result: 'contains:назначении времени и места' }, { name: 'Административное наказание', date: '2026-08-18' }],
  },
  'msudrf/msudrf_typeC_adg1adg_01MS0022_2-5693-2024_court_order_alimony_archived.dom.html': {
    template: 'msudrf-C', uid: null, registeredAt: null, status: 'order_issued', 'events.length': 5, 'parties.length': 2,
    events: [{ name: 'Обращение к исполнению', date: null }, { name: 'Сдача в архив', date: null }],
  },
  'msudrf/msudrf_typeC_maikop1adg_01MS0001_2-2138-2026_court_order_debtor_listed_first.dom.html': {
    template: 'msudrf-C', uid: null, registeredAt: null, status: 'order_issued', 'events.length': 5,
    parties: [{ role: 'Должник', roleNorm: 'debtor' }, { role: 'Взыскатель', name: 'ООО ПКО "Финэква"' }],
    'parties.0.role': 'Должник',
  },
  'msudrf/msudrf_typeC_sovchel2_74MS0002_2-1978-2026_civil_pending.dom.html': {
    template: 'msudrf-C', 'decision.date': null, status: 'accepted', 'events.length': 3,
    parties: [{ role: 'Материальный истец', roleNorm: 'claimant' }, { role: 'Ответчик', roleNorm: 'debtor' }],
    events: [{ name: 'Ознакомление с материалами', date: null, result: 'contains:принятии к производству' }],
  },
  'sudrf/sudrf_oldtpl_leninsky_tyumen_2-3891-2026_card_movement_sanitized.html': {
    materialNumber: 'М-1817/2026', uid: null, registeredAt: '2026-03-02', 'decision.date': '2026-05-06', status: 'decided', 'parties.length': 0,
    events: [{ name: 'Изготовлено мотивированное решение в окончательной форме', date: '2026-05-20', time: '12:38', publishedAt: '2026-05-23' }],
  },
  'sudrf/sudrf_oldtpl_syktyvkar_2-1725-2021_civil_decided_prev_numbers_sanitized.html': {
    materialNumber: 'М-9968/2020', 'previousNumbers.length': 1, 'parties.length': 3, effectiveAt: null,
    parties: [{ role: 'ОТВЕТЧИК', name: 'Министерство науки и высшего образования РФ' }],
    events: [{ name: 'Судебное заседание', date: '2021-05-28', result: 'Вынесено решение' }],
  },
  'sudrf/sudrf_search_rjuid_komi_11RS0020-01-2026-000655-63_cross_court_sanitized.html': {
    'cases.length': 3,
    cases: [
      { caseNumber: '12-56/2026', courtName: 'Усть-Вымский районный суд Республики Коми', decisionDate: '2026-04-06', result: 'Направлено по подведомственности', url: 'contains:uwsud.komi.sudrf.ru' },
      { caseNumber: '12-879/2026', courtName: 'Сыктывкарский городской суд Республики Коми', url: 'contains:case_id=38789069' },
    ],
  },
  'sudrf/sudrf_search_rjuid_spb_78RS0001-01-2026-002203-86_cross_court_sanitized.html': {
    'cases.length': 2,
    cases: [{ caseNumber: '12-538/2026', courtName: 'Василеостровский районный суд города Санкт-Петербурга', url: 'contains:case_id=958679833' }, { caseNumber: '12-1156/2026', courtName: 'Кировский районный суд города Санкт-Петербурга' }],
  },
  'sudrf/card_oldtpl_syktyvkar_2-7212-2025_civil.html': {
    'court.name': 'Сыктывкарский городской суд Республики Коми', materialNumber: 'М-5922/2025', effectiveAt: null, status: 'decided',
    executionDocuments: [
      { issuedAt: '2025-08-21', seriesNumber: 'ФС № 049373812', status: 'Выдан', recipient: 'Взыскатель' },
      { issuedAt: '2025-10-10', electronicId: '11RS0001#2-7212/2025#4', recipient: 'Василеостровский районный отдел судебных приставов' },
    ],
  },
  'msudrf/case_typeB_okt6ros_61MS0033_2-1478-2026_civil.dom.html': {
    registeredAt: null, 'decision.date': null, status: 'accepted', 'events.length': 5, 'parties.length': 0,
  },
  'msudrf/case_typeB_5mo_50MS0005_5-969-2026_koap.content-excerpt.html': {
    'events.length': 1, 'parties.length': 1, 'decision.date': null, effectiveAt: null,
    parties: [{ role: 'Лицо, в отношении которого ведется производство по делу' }],
    events: [{ name: 'Подготовка к рассмотрению', date: null, publishedAt: '2026-08-06' }],
  },
};
