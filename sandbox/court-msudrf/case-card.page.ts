/**
 * Case cards of the magistrate sites (TARGETS.md §2.1), both layouts in one shell:
 * `div.content.lawcase-content > h2` «Дело № …», `ul#tabs.bookmarks.lawcase`, `div#contentt >
 * div.tab-content` panes with `table.tablcont`.
 * - B (real: `case_typeB_okt6ros_61MS0033_2-1478-2026_civil.dom.html`): labels `<td><h2>…</h2></td>`,
 *   «Дело рассмотрено (выдан приказ)» / «Результат рассмотрения» rows once decided, events with a
 *   `<thead>` of `<td><h2>` in the region's column order, parties one per row with the role first:
 *   «Процессуальный статус…» | «Лицо, участвующее в деле (ФИО, наименование)» | «Требования (встречные
 *   требования)» | ИНН | КПП | «ОГРН/ОГРИП» (msudrf_typeB_6sam…, 5mo…, 10sah…, 1zasvrn…). With the
 *   `name_first_parties` layout variant: «Сторона по делу (ФИО, наименование)» before the role, as the
 *   Anadyr card (msudrf_typeB_anadyr_87MS0001_5-374-2026_koap_in_force.dom.html) prints it.
 * - C (Ryazan court order, described in TARGETS.md §2.1, no saved sample): a section row
 *   `<td colspan="2"><h2>ОСНОВНЫЕ СВЕДЕНИЯ</h2>`, labels `<td><b>…</b>`, values ending `&nbsp;`,
 *   an events header row of `<b>` (4–5 columns by region), parties transposed (one column each).
 */
import type { CourtLayoutVariant } from '../sandbox-state.ts';
import { esc, ruDate } from '../sudrf/html.ts';
import type { MsudrfCase, MsudrfCourt, MsudrfEvent } from './msudrf.data.ts';

/** The card's module output for `c` in its court's layout. */
export function renderMsudrfCard(court: MsudrfCourt, c: MsudrfCase, variant: CourtLayoutVariant = 'none'): string {
  const panes = court.layout === 'B' ? cardB(court, c, variant === 'name_first_parties') : cardC(court, c);
  return `<div class="content lawcase-content">
	<h2>${court.layout === 'B' ? 'Дело' : 'ДЕЛО'} № ${esc(c.caseNumber)}</h2>
	<ul id="tabs" class="bookmarks lawcase">
		<li class="active"><span>ДЕЛО</span></li>
		<li><span>ДВИЖЕНИЕ ДЕЛА</span></li>
		<li><span>${court.layout === 'B' ? 'СТОРОНЫ' : 'СТОРОНЫ ПО ДЕЛУ (ТРЕТЬИ ЛИЦА)'}</span></li>
	</ul>
	<div id="contentt">
${panes.map((p, i) => `		<div class="tab-content"${i > 0 ? ' style="display: none;"' : ''}>${p}</div>`).join('\n')}
	</div>
</div>`;
}

function eventCell(column: string, e: MsudrfEvent, layout: 'B' | 'C'): string {
  const nb = layout === 'C' ? '&nbsp;' : '';
  switch (column) {
    case 'Наименование события': return esc(e.name) + nb;
    case 'Дата события': return ruDate(e.date) + nb;
    case 'Время события': return esc(e.time ?? '') + nb;
    case 'Результат события': return esc(e.result ?? '') + nb;
    case 'Судья': return e.judge ? `Решение принял: ${esc(e.judge)}${nb}` : nb;
    case 'Дата размещения': return ruDate(e.publishedAt) + nb;
    default: return nb;
  }
}

function cardB(court: MsudrfCourt, c: MsudrfCase, nameFirst: boolean): string[] {
  const rows: Array<[string, string]> = [
    ['Уникальный идентификатор дела', c.uid],
    ['Дата поступления', ruDate(c.registeredAt)],
    ['Категория', c.category],
    ['Председательствующий судья', c.judge],
  ];
  if (c.decision.date) rows.push(['Дело рассмотрено (выдан приказ)', ruDate(c.decision.date)]);
  if (c.decision.result) rows.push(['Результат рассмотрения', c.decision.result]);
  const main = `<table width="100%" class="tablcont"><tbody>${rows
    .map(([k, v]) => `<tr>\n\t<td><h2>${esc(k)}</h2></td>\n\t<td>${esc(v)}</td>\n</tr>`).join('')}</tbody></table>`;
  const head = court.eventColumns.map((h) => `<td class="vert-align"><h2>${esc(h)}</h2></td>`).join('');
  const body = c.events.map((e) => `<tr>${court.eventColumns.map((h) => `<td class="vert-align">${eventCell(h, e, 'B')}</td>`).join('')}</tr>`).join('');
  const events = `<table width="100%" class="tablcont"><thead class="vert-align"><tr class="text-center">${head}</tr></thead><tbody>${body}</tbody></table>`;
  const cell = (v: string | null | undefined) => `<td class="vert-align">${esc(v ?? '')}</td>`;
  const partyHead = (nameFirst
    ? ['Сторона по делу (ФИО, наименование)', 'Процессуальный статус лица, участвующего в деле', 'ИНН']
    : ['Процессуальный статус лица, участвующего в деле', 'Лицо, участвующее в деле (ФИО, наименование)', 'Требования (встречные требования)', 'ИНН', 'КПП', 'ОГРН/ОГРИП'])
    .map((h) => `<td class="vert-align"><h2>${esc(h)}</h2></td>`).join('');
  const parties = `<table width="100%" class="tablcont"><thead class="vert-align"><tr class="text-center">${partyHead}</tr></thead><tbody>${c.parties
    .map((p) => nameFirst
      ? `<tr>${cell(p.name)}${cell(p.role)}${cell(p.inn)}</tr>`
      : `<tr>${cell(p.role)}${cell(p.name)}${cell('')}${cell(p.inn)}${cell(p.kpp)}${cell(p.ogrn ?? p.ogrnip)}</tr>`).join('')}</tbody></table>`;
  return [main, events, parties];
}

function cardC(court: MsudrfCourt, c: MsudrfCase): string[] {
  const rows: Array<[string, string]> = [];
  if (c.uidShown) rows.push(['Уникальный идентификатор дела', c.uid]);
  rows.push(['Дата поступления', ruDate(c.registeredAt)], ['Категория', c.category], ['Председательствующий судья', c.judge]);
  rows.push(['Дело рассмотрено (выдан приказ)', ruDate(c.decision.date)], ['Результат рассмотрения', c.decision.result ?? '']);
  const main = `<table width="100%" class="tablcont"><tbody><tr><td colspan="2" align="center"><h2>ОСНОВНЫЕ СВЕДЕНИЯ</h2></td></tr>${rows
    .map(([k, v]) => `<tr><td width="40%"><b>${esc(k)}</b></td><td>${esc(v)}&nbsp;</td></tr>`).join('')}</tbody></table>`;
  const n = court.eventColumns.length;
  const head = `<tr>${court.eventColumns.map((h) => `<td align="center"><b>${esc(h)}</b></td>`).join('')}</tr>`;
  const body = c.events.map((e) => `<tr>${court.eventColumns.map((h) => `<td>${eventCell(h, e, 'C')}</td>`).join('')}</tr>`).join('');
  const events = `<table width="100%" class="tablcont"><tbody><tr><td colspan="${n}" align="center"><h2>ДВИЖЕНИЕ ДЕЛА</h2></td></tr>${head}${body}</tbody></table>`;
  const transposed: Array<[string, (p: MsudrfCase['parties'][number]) => string]> = [
    ['Вид лица, участвующего в деле', (p) => p.role],
    ['Лицо, участвующее в деле (ФИО, наименование)', (p) => p.name],
    ['ИНН', (p) => p.inn ?? ''],
  ];
  const parties = `<table width="100%" class="tablcont"><tbody><tr><td colspan="${c.parties.length + 1}" align="center"><h2>СТОРОНЫ ПО ДЕЛУ</h2></td></tr>${transposed
    .map(([label, get]) => `<tr><td><b>${esc(label)}</b></td>${c.parties.map((p) => `<td>${esc(get(p))}&nbsp;</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  return [main, events, parties];
}
