/**
 * HTML of the mirsud.spb.ru replica (TARGETS.md §2.2), UTF-8: the empty Angular-like shell of a
 * card, the print form the API delivers (`div.case-print table.case-print__table`, titles in
 * `b.table-title`), the screen view that duplicates its labels (`section.case-info`), the access-key
 * form (`table.personal-data`), and the search page (`table.rwd-table`).
 */
import { toRuDate } from '../data/dates.ts';
import { MIRSUD_EVENT_TEXT, type MirsudCase, type MirsudSection } from './mirsud.data.ts';

/** The honest-empty wording of a search or a card the portal does not know. */
export const MIRSUD_NOT_FOUND = 'Судебные дела, удовлетворяющие запросу, не найдены';

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function layout(title: string, inner: string, head = ''): string {
  return `<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>${esc(title)}</title>
${head}
</head>
<body>
<header class="header"><a href="/" class="header__logo">Мировые судьи Санкт-Петербурга</a></header>
<main class="main">
${inner}
</main>
<footer class="footer">© Мировые судьи Санкт-Петербурга</footer>
</body>
</html>`;
}

/**
 * The card shell: no data, only the app root and a script that asks the API for a background task
 * and polls for its result (every `pollMs`; the real portal polls every 5 s), sending the XHR headers
 * the API insists on (`X-Requested-With`, `X-CSRFToken` equal to the `csrftoken` cookie).
 */
export function renderCardShell(section: number, id: string, pollMs: number): string {
  const script = `
(function () {
  var root = document.getElementById('case-app');
  var csrf = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || '';
  var headers = { 'X-Requested-With': 'XMLHttpRequest', 'X-CSRFToken': csrf, 'Accept': 'application/json' };
  function get(url) { return fetch(url, { headers: headers, credentials: 'same-origin' }).then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); }); }
  function poll(task) {
    get('/cases/api/results/?id=' + encodeURIComponent(task)).then(function (res) {
      if (!res.finished) { setTimeout(function () { poll(task); }, ${pollMs}); return; }
      root.innerHTML = res.result.html;
    }).catch(function (e) { root.innerHTML = '<p class="case-error">Ошибка загрузки: ' + e.message + '</p>'; });
  }
  get('/cases/api/detail/?id=' + encodeURIComponent(${JSON.stringify(id)}) + '&court_site_id=' + ${section})
    .then(function (res) { poll(res.id); })
    .catch(function (e) { root.innerHTML = '<p class="case-error">Ошибка загрузки: ' + e.message + '</p>'; });
})();`;
  return layout('Карточка дела', `<div id="case-app" class="case-app" data-court-site-id="${section}"><div class="loader">Загрузка…</div></div>\n<script>${script}</script>`);
}

const row = (label: string, value: string | null) => `<tr><td class="case-print__label">${esc(label)}</td><td class="case-print__value">${esc(value ?? '')}</td></tr>`;
const ru = (iso: string | null) => (iso ? toRuDate(iso) : '');

/** The data the API delivers: screen view, print form and access-key form of one case. */
export function renderCaseResult(s: MirsudSection, c: MirsudCase): string {
  const title = `Гражданское дело ${c.caseNumber}`;
  const card = [
    row('№ участка', String(s.section)),
    row('Район', s.district),
    row('Судья', c.judge),
    row('Сущность спора', c.category),
    row('УИД', c.uid),
    row('Дата поступления', ru(c.registeredAt)),
    row('Дата принятия к производству', ru(c.acceptedAt)),
    row('Статус', c.statusText),
  ].join('\n');
  const parties = c.parties.map((p) => `<tr><td>${esc(p.name)}</td><td>${esc(p.role)}</td></tr>`).join('\n');
  const events = c.steps
    .map((e) => `<tr><td>${esc(MIRSUD_EVENT_TEXT[e.step])}</td><td>${ru(e.date)}</td><td>${e.time}</td><td>${ru(e.date)}</td></tr>`)
    .join('\n');
  // The screen view repeats the labels in another markup: parsers must read the print form only.
  const screen = `<section class="case-info">
<h1 class="case-info__title">${esc(title)}</h1>
<dl class="case-info__list"><dt>Судья</dt><dd>${esc(c.judge)}</dd><dt>УИД</dt><dd>${esc(c.uid)}</dd><dt>Статус</dt><dd>${esc(c.statusText)}</dd></dl>
</section>`;
  const access = `<table class="personal-data"><tr><td>Ключ доступа участника</td><td><form action="/court-sites/access/" method="post"><input type="text" name="key"><button type="submit">Получить доступ</button></form></td></tr></table>`;
  const print = `<div class="case-print">
<table class="case-print__table">
<tr><td colspan="2"><b class="table-title">${esc(title)}</b></td></tr>
${card}
</table>
<table class="case-print__table">
<tr><td colspan="2"><b class="table-title">Стороны по делу</b></td></tr>
<tr><td><b>ФИО / наименование</b></td><td><b>Вид лица</b></td></tr>
${parties}
</table>
<table class="case-print__table">
<tr><td colspan="4"><b class="table-title">Движение дела</b></td></tr>
<tr><td><b>Описание события / Результат события</b></td><td><b>Дата события</b></td><td><b>Время события</b></td><td><b>Дата публикации</b></td></tr>
${events}
</table>
</div>`;
  return `${screen}\n${access}\n${print}`;
}

/** What the API delivers for a case it does not know. */
export function renderCaseNotFound(): string {
  return `<div class="case-print"><table class="rwd-table"><tr><td>${MIRSUD_NOT_FOUND}</td></tr></table></div>`;
}

/** `/cases/?id=…&court_site_id=…`: server-rendered list, or the honest-empty row. */
export function renderSearch(rows: MirsudCase[]): string {
  const body = rows.length
    ? rows
        .map((c) => `<tr><td data-label="Номер дела"><a href="/cases/detail/${c.section}/?id=${encodeURIComponent(c.caseNumber)}">${esc(c.caseNumber)}</a></td><td data-label="Участок">${c.section}</td><td data-label="Дата поступления">${ru(c.registeredAt)}</td><td data-label="Судья">${esc(c.judge)}</td><td data-label="Статус">${esc(c.statusText)}</td></tr>`)
        .join('\n')
    : `<tr><td colspan="5">${MIRSUD_NOT_FOUND}</td></tr>`;
  return layout('Поиск судебных дел', `<h1>Судебные дела</h1>
<table class="rwd-table">
<tr><th>Номер дела</th><th>Участок</th><th>Дата поступления</th><th>Судья</th><th>Статус</th></tr>
${body}
</table>`);
}

export function renderHome(sections: MirsudSection[]): string {
  return layout('Мировые судьи Санкт-Петербурга', `<h1>Мировые судьи Санкт-Петербурга</h1><ul class="court-sites">${sections
    .map((s) => `<li><a href="/court-sites/${s.section}/">${esc(s.name)}</a> (${esc(s.district)} район)</li>`)
    .join('')}</ul>`);
}

export function renderNotFoundPage(): string {
  return layout('Страница не найдена', '<h1>Страница не найдена</h1>');
}
