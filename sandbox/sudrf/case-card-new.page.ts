/**
 * Case card, new ("mobile") template. Page contract:
 * `fixtures/real/sudrf/card_newtpl_blagoveshchensk_2-5-2026_civil.html` — `div.name-instanse` (sic),
 * `div.case-num`, `ul#case_bookmarks.bookmarks > li#tab_id_<X>`, panes `div#tab_content_<X>.lawcase-tab-content`,
 * `table.law-case-table` with a `thead`, and every event / party repeated in `div.mobile-lawcase-item.block-mobile`.
 */
import type { SandboxCase, SandboxWorld, SudrfCourt } from '../data/world.types.ts';
import { caseRows } from './case-card-common.ts';
import { titleOf } from './cartotekas.ts';
import { esc, ruDate } from './html.ts';

const TD = (v: string | null | undefined, cls = 'vert-align'): string => `<td class="${cls}">${esc(v)}</td>`;
const HELP = '&nbsp;<span class="tooltipShow"><img src="/images/help.gif"><span>Информация о размещении событий в движении дела предоставляется на основе сведений, хранящихся в учетной системе судебного делопроизводства</span></span>';

function thead(cols: string[]): string {
  return `<thead class="vert-align"><tr class="text-center">${cols.map((c) => `<td class="vert-align">${c}</td>`).join('')}</tr></thead>`;
}

/** The `#search_results` content of a new-template card. */
export function renderCaseCardNew(world: SandboxWorld, court: SudrfCourt, c: SandboxCase): string {
  const uidLink = `<a class="dashed" href="/modules.php?name=sud_delo&amp;name_op=r&amp;srv_num=1&amp;token=judicial_uid&amp;case__judicial_uidss=${esc(c.uid)}&amp;_ord=asc">${esc(c.uid)}</a>`;
  const panes: Array<{ id: string; label: string; html: string }> = [];
  panes.push({
    id: 'Case',
    label: 'Дело',
    html: `<table class="law-case-table"><tbody>${caseRows(world, court, c, uidLink)
      .map((r) => `<tr><td><b>${r.label}</b></td><td>${r.valueHtml}</td></tr>\n`).join('')}</tbody></table>`,
  });
  const eventCols = ['Наименование события', 'Дата', 'Время слушания', 'Место проведения', 'Результат события',
    'Основание для выбранного результата события', 'Примечание', `Дата размещения${HELP}`];
  panes.push({
    id: 'EventList',
    label: 'Движение дела',
    html: `<table class="law-case-table list none-mobile">${thead(eventCols)}<tbody>`
      + c.events.map((e) => `<tr><td class="vert-align "> ${esc(e.name)}</td>${TD(ruDate(e.date), 'vert-align text-center')}${TD(e.time, 'vert-align text-center')}${TD(e.place, 'vert-align text-center')}<td class="vert-align ">${e.result ? ` ${esc(e.result)}` : ''}</td><td class="vert-align ">${e.basis ? ` ${esc(e.basis)}` : ''}</td>${TD(e.note, 'vert-align ')}${TD(ruDate(e.publishedAt), 'vert-align text-center')}</tr>\n`).join('')
      + `</tbody></table>`
      + c.events.map((e) => `<div class="mobile-lawcase-item block-mobile"><h2>${ruDate(e.date)} ${esc(e.time)}</h2><ul><li><b> ${esc(e.name)}</b></li>${e.result ? `Результат:<li><b> ${esc(e.result)}</b></li>` : ''}</ul></div>`).join(''),
  });
  const partyCols = ['Вид лица, участвующего в деле', 'Фамилия / наименование', 'ИНН', 'КПП', 'ОГРН', 'ОГРНИП'];
  panes.push({
    id: 'PersonList',
    label: 'Стороны',
    html: `<table class="law-case-table list none-mobile">${thead(partyCols)}<tbody>`
      + c.parties.map((p) => `<tr>${TD(p.role)}${TD(p.name)}${TD(p.inn)}${TD(p.kpp)}${TD(p.ogrn)}${TD(p.ogrnip)}</tr>`).join('')
      + `</tbody></table>`
      + c.parties.map((p) => `<div class="mobile-lawcase-item block-mobile"><table class="law-case-table"><tbody>`
        + [p.role, p.name, p.inn, p.kpp, p.ogrn, p.ogrnip].map((v, i) => `<tr><td><b>${partyCols[i]}</b></td><td>${esc(v)}</td></tr>\n`).join('')
        + `</tbody></table></div>`).join(''),
  });
  if (c.executionDocuments.length > 0) {
    // Assumption: no saved new-template card has this tab; id and columns follow the old template's tab.
    const cols = ['Дата выдачи', 'Серия, номер бланка', 'Номер электронного ИД', 'Статус', 'Кому выдан / направлен'];
    panes.push({
      id: 'ExecutionList',
      label: 'Исполнительные листы',
      html: `<table class="law-case-table list none-mobile">${thead(cols)}<tbody>`
        + c.executionDocuments.map((d) => `<tr>${TD(ruDate(d.issuedAt))}${TD(d.seriesNumber)}${TD(d.electronicId)}${TD(d.status)}${TD(d.recipient)}</tr>`).join('')
        + `</tbody></table>`,
    });
  }
  const tabs = panes.map((p, i) => `<li id="tab_id_${p.id}"${i === 0 ? ' class="active"' : ''}>${p.label}</li>`).join('');
  const conts = panes.map((p, i) =>
    `<div class="lawcase-tab-content" id="tab_content_${p.id}"${i === 0 ? '' : ' style="display: none;"'}>${p.html}</div>`).join('\n');
  return `<div class="name-instanse">
		${esc(titleOf(c.cartoteka, court.urlForm))}	</div>
	<hr>
	<div class="container" id="case_window">
		<div class="case-num">ДЕЛО № ${esc(c.displayNumber)}</div>
		<ul id="case_bookmarks" class="bookmarks">
			${tabs}
		</ul>
		<div class="clr sp15"></div>
${conts}
		<div style="text-align: right;"><a class="serviceLinks showPrintVersionCase" href="#"><img src="images/print.gif" alt="Печать карточки"></a></div>
		<div class="outputArea publishInfo">опубликовано ${ruDate(c.registeredAt)} ${esc(c.events[0]?.time ?? '09:00')}</div>
	</div>`;
}
