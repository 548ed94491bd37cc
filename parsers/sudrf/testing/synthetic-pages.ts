/**
 * Small synthetic sudrf pages for unit tests: the structure of the real templates
 * (card_oldtpl_*, card_newtpl_*, search_results_*) with invented people and numbers.
 */

const oldPane = (n: number, title: string, rows: string) =>
  `<div id="cont${n}"><table id="tablcont"><tr><th colspan="10">${title}</th></tr>${rows}</table></div>`;
const b = (labels: string[]) => `<tr>${labels.map((l) => `<td align="center"><b>${l}</b></td>`).join('')}</tr>`;
const r = (cells: string[]) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
const kv = (label: string, value: string) => `<tr><td width="50%"><b>${label}</b></td><td>${value}</td></tr>`;

/** Old-template card: tabs in a different order from the usual, a court order in force. */
export function oldCard(opts: { eventsHeader?: string[]; withExec?: boolean } = {}): string {
  const eventsHeader = opts.eventsHeader ?? ['Наименование события', 'Дата', 'Время', 'Место проведения', 'Результат события', 'Основание для выбранного результата события', 'Примечание', 'Дата размещения&nbsp;<span class="tooltipShow">Информация о размещении</span>'];
  const tabs = ['ДЕЛО', 'СТОРОНЫ ПО ДЕЛУ (ТРЕТЬИ ЛИЦА)', 'ДВИЖЕНИЕ ДЕЛА', ...(opts.withExec ? ['ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ'] : [])];
  return `<html><head><meta charset="windows-1251"><title>Тестовый районный суд Энской области</title></head><body>
<img src="//counter.sudrf.ru/cnt.php?ssid=99RS0001&amp;show=1">
<div id="content"><div class="title">Гражданские дела - первая инстанция</div>
<div class="casenumber">ДЕЛО № 2-101/2026 (2-77/2025;) ~ М-55/2026</div>
<ul class="tabs">${tabs.map((t, i) => `<li id="tab${i + 1}" class="nonsel"><a href="#">&nbsp;${t}&nbsp;</a></li>`).join('')}</ul>
<div class="contentt">
${oldPane(1, 'ДЕЛО', `<tr></tr>${kv('Уникальный идентификатор дела', '<a href="/modules.php?name=sud_delo&amp;name_op=r_juid&amp;judicial_uid=99RS0001-01-2026-000101-11"><u>99RS0001-01-2026-000101-11</u></a>')}
${kv('Дата поступления', '10.01.2026')}${kv('Категория дела', 'Жилищные споры&nbsp;→<br>о взыскании платы за жилое помещение')}
${kv('Судья', 'Петрова Анна Сергеевна')}${kv('Дата рассмотрения', '02.02.2026')}${kv('Результат рассмотрения', 'Вынесен СУДЕБНЫЙ ПРИКАЗ')}
${kv('Дата вступления в законную силу', '20.02.2026')}${kv('Номер по предыдущей регистрации', '<a href="/modules.php?name=sud_delo&amp;name_op=case&amp;case_id=1&amp;case_uid=x">9-12/2025 ~ М-9/2025</a>')}`)}
${oldPane(2, 'СТОРОНЫ ПО ДЕЛУ (ТРЕТЬИ ЛИЦА)', `${b(['Вид лица, участвующего в деле', 'Фамилия / наименование', 'ИНН', 'КПП', 'ОГРН', 'ОГРНИП'])}
${r(['ВЗЫСКАТЕЛЬ', 'ООО "УК Жилсервис"', '7700000001', '770001001', '1027700000001', ''])}
${r(['ДОЛЖНИК', 'Иванов Иван Иванович', '', '', '', ''])}
${r(['ТРЕТЬЕ ЛИЦО', 'ИП Сидоров Сидор Сидорович', '', '', '', '304770000000001'])}`)}
${oldPane(3, 'ДВИЖЕНИЕ ДЕЛА', `${b(eventsHeader)}
${r(['Регистрация заявления о вынесении судебного приказа', '10.01.2026', '09:15', '', '', '', '', '11.01.2026'])}
${r(['Передача материалов судье', '11.01.2026', '14:00', 'Кабинет №1', '', '', 'Срок до 20.01.2026', '12.01.2026'])}
${r(['Вынесен судебный приказ', '02.02.2026', '', '', 'Заявление удовлетворено', 'Иск удовлетворен', '', '03.02.2026'])}`)}
${opts.withExec ? oldPane(4, 'ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ', `${b(['Дата выдачи', 'Серия, номер бланка', 'Номер электронного ИД', 'Статус', 'Кому выдан / направлен'])}
${r(['21.02.2026', 'ФС № 000000001', '', 'Выдан', 'Взыскатель'])}${r(['22.02.2026', '', '99RS0001#2-101/2026#1', 'Направлен', 'ОСП по Энскому району'])}`) : ''}
</div></div></body></html>`;
}

const thead = (labels: string[]) => `<thead class="vert-align"><tr class="text-center">${labels.map((l) => `<td class="vert-align">${l}</td>`).join('')}</tr></thead>`;
const mobile = (pairs: Array<[string, string]>) =>
  `<div class="mobile-lawcase-item block-mobile"><table class="law-case-table"><tbody>${pairs.map(([l, v]) => kv(l, v)).join('')}</tbody></table></div>`;

/** New-template card: columns in another order, mobile copies and a print copy to skip. */
export function newCard(): string {
  return `<html><head><title>Тестовый городской суд</title></head><body><div id="search_results">
<div class="name-instanse">Гражданские и административные дела</div><div class="container" id="case_window">
<div class="case-num">ДЕЛО № 2а-15/2026 ~ М-3/2026</div>
<ul id="case_bookmarks" class="bookmarks"><li id="tab_id_Case" class="active">Дело</li><li id="tab_id_EventList">Движение дела</li><li id="tab_id_PersonList">Лица</li></ul>
<div class="lawcase-tab-content" id="tab_content_Case"><table class="law-case-table"><tbody>
${kv('Уникальный идентификатор дела', '99RS0002-01-2026-000015-22')}${kv('Дата поступления', '05.03.2026')}
${kv('Категория', '3.025 - Гл. 22 КАС РФ')}${kv('Председательствующий судья', 'Смирнов С. С.')}</tbody></table></div>
<div class="lawcase-tab-content none" id="printVersionBodyCase"><table class="law-case-table"><tbody>${kv('Судья', 'Печатная Копия')}</tbody></table></div>
<div class="lawcase-tab-content" id="tab_content_EventList"><table class="law-case-table non-list none-mobile">
${thead(['Дата события', 'Время события', 'Зал судебного заседания', 'Наименование события', 'Результат события', 'Дата размещения'])}<tbody>
${r(['05.03.2026', '10:01', '', ' Регистрация административного искового заявления', '', '05.03.2026'])}
${r(['06.03.2026', '11:30', '', 'Передача материалов судье', '', '06.03.2026'])}
${r(['12.03.2026', '12:00', '', 'Решение вопроса о принятии к производству', 'Административное исковое заявление принято к производству', '13.03.2026'])}
</tbody></table>${mobile([['Наименование события', 'Передача материалов судье'], ['Дата события', '06.03.2026']])}</div>
<div class="lawcase-tab-content" id="tab_content_PersonList"><table class="law-case-table non-list none-mobile">
${thead(['Процессуальный статус лица, участвующего в деле', 'Лицо, участвующее в деле (ФИО, наименование)', 'ИНН', 'КПП', 'ОГРН / ОГРНИП'])}<tbody>
${r(['АДМИНИСТРАТИВНЫЙ ИСТЕЦ', 'Иванов Иван Иванович', '', '', ''])}
${r(['АДМИНИСТРАТИВНЫЙ ОТВЕТЧИК', 'ООО "УК Жилсервис"', '7700000001', '', '1027700000001'])}
${r(['ЗАИНТЕРЕСОВАННОЕ ЛИЦО', 'ИП Сидоров С. С.', '', '', '304770000000001'])}
</tbody></table>${mobile([['Процессуальный статус лица, участвующего в деле', 'АДМИНИСТРАТИВНЫЙ ИСТЕЦ']])}</div>
</div></div></body></html>`;
}

const resultRow = (href: string, num: string, cells: string[]) =>
  `<tr><td><a href='${href}'>${num}</a><br></td>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;

/** Old-template results: 3 of 60 rows shown, page 2 of 3, columns shuffled. */
export function oldResults(): string {
  const link = (n: number) => `/modules.php?name=sud_delo&srv_num=1&name_op=case&case_id=${n}&case_uid=0000000${n}-aaaa-bbbb-cccc-000000000000&delo_id=1540005`;
  const page = (n: number, title = '') => `<a href= ./modules.php?name=sud_delo&srv_num=1&name_op=r&page=${n}&delo_id=1540005${title ? ` title="${title}"` : ''}>${n}</a>`;
  return `<html><body><div class="title">Гражданские дела</div><table><tr><td>Страницы : ${page(1)} | <b>2</b> | ${page(3)} ${page(3, 'Следующая страница')}</td>
<td align="right">Всего по запросу найдено — 60. На странице записи с 26 по 50.</td></tr></table>
<table id="tablcont"><tr><th>№ дела</th><th>Дата<br>поступления</th><th>Судья</th><th>Информация по делу</th><th>Дата<br>решения</th><th>Решение</th><th>Дата вступления<br>в законную силу</th><th>Судебные<br>акты</th></tr>
${resultRow(link(1), '2-1/2026 ~ М-1/2026', ['&nbsp;10.01.2026', 'Петрова А. С.', 'КАТЕГОРИЯ: Жилищные споры&nbsp;&rarr; о взыскании платы<br />ИСТЕЦ(ЗАЯВИТЕЛЬ): ООО "УК Жилсервис"<br />ОТВЕТЧИК: Иванов И. И.', '02.02.2026', 'Иск УДОВЛЕТВОРЕН', '10.03.2026', ''])}
${resultRow(link(2), '2-2/2026', ['11.01.2026', 'Петрова А. С.', 'КАТЕГОРИЯ: Прочие', '', '', '', "<a href='/modules.php?name=sud_delo&name_op=doc&number=5'>акт</a>"])}
${resultRow(link(3), '2-3/2026', ['12.01.2026', '', '', '', '', '', ''])}
</table></body></html>`;
}

/** New-template results with the phone copy and an acts link pointing at the card. */
export function newResults(total = 1): string {
  const href = '/modules.php?name=sud_delo&amp;name_op=case&amp;_id=777&amp;_uid=11111111-2222-3333-4444-555555555555&amp;_deloId=1540005&amp;_new=0&amp;srv_num=1';
  return `<html><body><div id="search_results"><div class="name-instanse">Гражданские дела</div>
<div class="lawcase-count">Всего по запросу найдено - <b>${total}</b>.&nbsp;<span>На странице записи с <b>1</b> по <b>1</b>.</span></div>
<div id="resultTable"><table class="law-case-table line-hover">${thead(['Номер дела', 'Дата поступления', 'Информация по делу', 'Судья', 'Дата решения', 'Решение', 'Дата вступления<br>в законную силу', 'Судебные<br>акты'])}<tbody>
<tr><td><a href="${href}" class="dashed open-lawcase">2-9/2026 (2-8/2025;)</a></td><td>01.02.2026</td><td>КАТЕГОРИЯ: Иски о взыскании<br>ИСТЕЦ(ЗАЯВИТЕЛЬ): Иванов Иван Иванович</td><td>Смирнов С. С.</td><td></td><td></td><td></td>
<td><a href="${href}&amp;_doc=1" class="doc">акт</a></td></tr></tbody></table></div>
<div id="resultMob"><div class="mobile-lawcase-card"><a href="${href}">2-9/2026 (2-8/2025;)</a></div></div></div></body></html>`;
}

/** A search form gated by a captcha (the shape of search_form_captcha_cp1251_raw). */
export function captchaForm(): string {
  return `<html><body><form id="calform"><input name="name_op" value="r"><table><tr><td>Проверочный код</td><td>
<input name='captcha' id='captcha' type='text'><img src="data: image/png;base64, iVBORw0KGgo
AAAANSUhEUg==" style="border: 1px solid"><input name="captchaid" type="hidden" value="testcaptchaid01"></td></tr></table></form></body></html>`;
}
