/**
 * HTML of the mos-sud.ru replica (TARGETS.md §2.3; markup after the mos-gorsud cards in
 * fixtures/real/mosgorsud, same croc platform): `div.row` left/right pairs (token order of the row
 * classes varies), «Cудья» with a Latin C, «История состояний» under an `<h3>`, no sessions tab for
 * court orders, «Исполнительные документы» once issued, and hidden mobile clones in `div#modalTable`.
 * Assumption: the card carries its court in `window.__state.court` like the directory pages do.
 */
import { toRuDate } from '../data/dates.ts';
import { MOS_SUD_STATES, type MosSudCase, type MosSudData, type MosSudSection } from './mos-sud.data.ts';

export const MOS_SUD_SEARCH_EMPTY = 'По вашему запросу ничего не найдено';

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
const ru = (iso: string | null) => (iso ? toRuDate(iso) : '');

function layout(title: string, inner: string, state: unknown): string {
  return `<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="UTF-8" />
<title>
 ${esc(title)}
</title>
<script>window.ditCaptchaEnabled = true; window.useRecaptcha = true;</script>
<script>window.__state = ${JSON.stringify(state).replace(/</g, '\\u003c')};</script>
</head>
<body>
<div class="wrapper">
${inner}
</div>
<footer class="footer"><h3 class="footer__column-title">Общая информация</h3></footer>
</body>
</html>`;
}

function courtState(s: MosSudSection) {
  return { url: `/${s.section}`, name: s.name, alias: `ms${s.section}`, courtFullNameWithMunicipal: s.name, id: s.id, code: s.code, rsCourtId: s.district, canceledAt: null };
}

/** `/rs/<n>`: the district's участки as JSON in `window.__state`. */
export function renderDirectory(data: MosSudData, n: number): string {
  const courts = data.sections.filter((s) => s.district === n).map(courtState);
  const district = data.districts.find((d) => d.n === n);
  return layout(`Мировые судьи района ${district?.name ?? ''}`, `<h1>Мировые судьи района ${esc(district?.name ?? '')}</h1><div id="courts-app"></div>`, { courts });
}

function pair(label: string, value: string, i: number): string {
  // The real pages write `row` and sometimes `row row_card` / `row_card row`: never rely on the order.
  const cls = i % 3 === 0 ? 'row' : i % 3 === 1 ? 'row row_card' : 'row_card row';
  return `<div class="${cls}">\n <div class="left"> ${esc(label)}\n </div>\n <div class="right"> ${value}\n </div>\n</div>\n`;
}

function table(head: string[], rows: string[][], cls = 'custom_table margin-top-0 mainTable'): string {
  return `<table class="${cls}">\n<thead class="hidden-xs"><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>\n<tbody>\n${rows
    .map((r) => `<tr>${r.map((c) => `<td>\n ${c}\n </td>`).join('')}</tr>`)
    .join('\n')}\n</tbody>\n</table>`;
}

/** `/<участок>/cases/details/<uuid>`: the server-rendered card. */
export function renderCard(s: MosSudSection, c: MosSudCase): string {
  const number = c.caseNumber ?? c.materialNumber;
  const title = c.caseNumber
    ? `Информация по делу № ${c.caseNumber} | Гражданские дела | Участок мирового судьи № ${s.section}`
    : `Информация по первичному документу № ${c.materialNumber} | Гражданские дела | Участок мирового судьи № ${s.section}`;
  const last = c.steps.at(-1)!;
  const rows: Array<[string, string]> = [
    ['Уникальный идентификатор дела', `<div class="copy">\n ${esc(c.uid)}\n <i class="copy__copy active"><div class="hint">Скопировать в буфер обмена</div></i>\n</div>`],
    c.caseNumber ? ['Номер дела ~ материала', `${esc(c.caseNumber)}\n ∼ ${esc(c.materialNumber)}`] : ['Номер материала', esc(c.materialNumber)],
    ['Дата поступления', ru(c.registeredAt)],
    ['Стороны', c.parties.map((p) => `<p class="table-bold-text">${p.role}</p>${esc(p.name)}<br>`).join('')],
    ['Cудья', esc(c.judge)], // Latin «C», as the portal writes it
    ['Категория дела', esc(c.category)],
    ['Текущее состояние', `${esc(MOS_SUD_STATES[last.step].state)}, ${ru(last.date)}`],
  ];
  if (c.issuedAt) {
    rows.push(['Дата рассмотрения дела в первой инстанции', ru(c.issuedAt)]);
    rows.push(['Решение первой инстанции', `Вынесен судебный приказ, ${ru(c.issuedAt)}`]);
  }
  if (c.effectiveAt) rows.push(['Дата вступления решения в силу', ru(c.effectiveAt)]);
  const history = table(['Дата', 'Состояние', 'Документ-основание'], c.steps.map((e) => [ru(e.date), esc(MOS_SUD_STATES[e.step].state), esc(MOS_SUD_STATES[e.step].basis)]));
  const execs = c.executionDocuments.length
    ? `<h3>Исполнительные документы</h3>\n${table(
        ['Наименование и дата выдачи', 'Предмет исполнения', 'Серия и номер бланка', 'Номер документа', 'Статус отправки', 'Кому выдан'],
        c.executionDocuments.map((d) => [`${esc(d.title)}, ${ru(d.issuedAt)}`, esc(d.subject), '', esc(d.electronicId), esc(d.status), esc(d.recipient)]),
      )}`
    : '';
  const docs = table(['Дата документа', 'Вид документа', 'Текст документа'], [[ru(c.registeredAt), 'Заявление о вынесении судебного приказа', ''], ...(c.issuedAt ? [[ru(c.issuedAt), 'Судебный приказ', '']] : [])]);
  // Mobile clones: the same tables again, hidden; a parser that reads every table counts twice.
  const clones = `<div id="modalTable" class="modal hidden" style="display:none">\n<h3>История состояний</h3>\n${history}\n${execs}\n</div>`;
  const inner = `<h1 class=" top-bar__print ">\n Информация по ${c.caseNumber ? 'делу' : 'первичному документу'} № ${esc(number)}\n</h1>
<div class="case-detail">
<div class="detail-cart">
<div class="card-sud">
${rows.map(([l, v], i) => pair(l, v, i)).join('\n')}
</div>
</div>
<div class="tablist white-mode">
<ul class="tablist__tabs"><li data-tab="tab-1" class="tablist__tab active">Движение дела</li><li data-tab="tab-3" class="tablist__tab">Документы</li></ul>
<ul class="tablist__panels">
<li data-tab="tab-1" id="state-history" class="tablist__panel active">
<h3>История состояний</h3>
${history}
<h3>История местонахождения</h3>
${table(['Дата', 'Местонахождение', 'Комментарий'], [[ru(c.registeredAt), 'У судьи', '']])}
</li>
<li data-tab="tab-3" id="act-documents" class="tablist__panel">
<h3>Документы из описи</h3>
${docs}
${execs}
</li>
</ul>
</div>
</div>
${clones}`;
  return layout(title, inner, { court: courtState(s) });
}

/** Fields of the portal's search form (`/search?formType=shortForm|fullForm&…`), as the URL carries them. */
export const MOS_SUD_SEARCH_FIELDS = ['courtAlias', 'uid', 'caseNumber', 'participant', 'caseDateFrom', 'caseDateTo'] as const;
export type MosSudSearchFields = Partial<Record<(typeof MOS_SUD_SEARCH_FIELDS)[number] | 'formType', string>>;

/**
 * `/search[?…]`: the form, and the results when a search was made — by `uid` (the UID form) or by
 * the form's fields (`fields`: formType, courtAlias, caseNumber, participant, caseDateFrom/To).
 */
export function renderSearch(uid: string | null, found: Array<{ s: MosSudSection; c: MosSudCase }>, fields?: MosSudSearchFields): string {
  const value = (name: string) => esc(fields?.[name as keyof MosSudSearchFields] ?? (name === 'uid' ? uid ?? '' : ''));
  const form = `<form id="case-index-search-form" action="/search" method="get">
<input type="hidden" name="formType" value="${value('formType') || 'shortForm'}">
<input type="text" name="courtAlias" value="${value('courtAlias')}" placeholder="Суд">
<input type="text" name="uid" value="${value('uid')}" placeholder="Уникальный идентификатор дела">
<input type="text" name="caseNumber" value="${value('caseNumber')}" placeholder="Номер дела, материала">
<input type="text" name="participant" value="${value('participant')}" placeholder="Участник процесса">
<input type="text" name="caseDateFrom" value="${value('caseDateFrom')}" placeholder="Дата поступления с">
<input type="text" name="caseDateTo" value="${value('caseDateTo')}" placeholder="Дата поступления по">
<button type="submit" id="case-index-search-form-btn">Найти</button>
</form>`;
  let results = '';
  if (uid !== null || fields) {
    results = found.length
      ? `<div class="wrapper-search-tables">\n${searchTable(found)}\n</div>\n`
      : `<div class="wrapper-search-tables"><p class="search-empty">${MOS_SUD_SEARCH_EMPTY}</p></div>`;
  }
  return layout('Поиск по делам', `<h1>Поиск по делам</h1>\n${form}\n${results}`, { search: { uid, ...fields } });
}

/**
 * The results table as the portal draws it (fixtures/real/mosgorsud/search_mos-gorsud_participant.html):
 * `table.search-form__table.no-border`, `th` headers, one `tr.linked-row[data-href]` per case with the
 * number in `td.sticky-column … div.case-number div.copy nobr a.table-link`, parties as
 * `p.table-bold-text` role + names. Columns this replica has no data for stay empty.
 */
function searchTable(found: Array<{ s: MosSudSection; c: MosSudCase }>): string {
  const head = ['№ дела', 'Стороны', 'Текущее состояние', 'Категория дела', 'Судья', 'Список дел', 'Решение первой инстанции', 'Решение апелляционной инстанции'];
  const cell = (html: string) => `<td> <div class="table-row-wrap "> <div class="table-row-content "> ${html} </div> </div> </td>`;
  const rows = found.map(({ s, c }) => {
    const href = `/${s.section}/cases/details/${c.uuid}`;
    const num = `<div class="case-number"> <div class="copy"> <nobr><a target="_blank" class="table-link" href="${href}">${esc(c.caseNumber ?? c.materialNumber)}</a> </nobr> <i class="copy__copy active"> <div class="hint"> Скопировать в буфер обмена </div> </i> </div>${c.caseNumber && c.materialNumber ? ` ∼ <nobr>${esc(c.materialNumber)}</nobr>` : ''} </div>`;
    return `<tr data-href="${href}" class="linked-row"> <td class="sticky-column"> <div class="table-row-wrap "> <div class="table-row-content "> ${num} </div> </div> </td> `
      + [
        c.parties.map((p) => `<p class="table-bold-text">${p.role}</p>${esc(p.name)}`).join(''),
        esc(MOS_SUD_STATES[c.steps.at(-1)!.step].state),
        esc(c.category),
        esc(c.judge),
        esc(s.name),
        c.issuedAt ? `Вынесен судебный приказ, ${ru(c.issuedAt)}` : '',
        '',
      ].map(cell).join(' ') + ' </tr>';
  });
  return `<table class="search-form__table no-border"> <thead> <tr> ${head.map((h, i) => `<th${i === 0 ? ' class="sticky-column"' : ''}>${h}</th>`).join(' ')} </tr> </thead> <tbody> ${rows.join('\n')} </tbody> </table>`;
}

export function renderNotFound(): string {
  return layout('Страница не найдена', '<h1>Страница не найдена</h1><p class="error-404">404</p>', {});
}
