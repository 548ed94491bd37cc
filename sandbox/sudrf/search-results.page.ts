/**
 * Search results (`name_op=r`) in both templates, 25 rows a page.
 * Old: `fixtures/real/sudrf/search_results_kas_listing_acts.html` — «Страницы : …» links with `page=N`,
 * «Всего по запросу найдено — N. На странице записи с a по b.», `table#tablcont` with `th` headers.
 * New: `fixtures/real/sudrf/search_results_samara_oblsud_by_uid.html` — `div.lawcase-count`,
 * `div#resultTable table.law-case-table.line-hover`, card links in the `_id/_uid/_deloId` form.
 */
import type { SandboxCase, SudrfCourt } from '../data/world.types.ts';
import type { SudrfCartotekaKey } from '../data/world.types.ts';
import { cardHref } from './case-card-common.ts';
import { titleOf } from './cartotekas.ts';
import { esc, ruDate } from './html.ts';

/** Rows per results page on sudrf. */
export const PAGE_SIZE = 25;

/** One results page to render. */
export interface ResultsPage {
  /** All matching cases (the page is cut from it). */
  matches: SandboxCase[];
  /** 1-based page number, already clamped to ≥ 1. */
  page: number;
  /** The request's query string without `page=` (kept CP1251-encoded), for paging links. */
  baseQuery: string;
  /** The register searched (its title heads the list); civil first instance by default. */
  cartoteka?: SudrfCartotekaKey;
  /** The paging parameter of the court's URL form (`page`, or `_page` in the vnkod form). */
  pageParam?: 'page' | '_page';
}

function info(c: SandboxCase, sep: string): string {
  const claimants = c.parties.filter((p) => p.roleNorm === 'claimant').map((p) => esc(p.name)).join(', ');
  const debtors = c.parties.filter((p) => p.roleNorm === 'debtor').map((p) => esc(p.name)).join(', ');
  const others = c.parties.filter((p) => p.roleNorm === 'third_party').map((p) => esc(p.name)).join(', ');
  return [`КАТЕГОРИЯ: ${c.categoryChain.map(esc).join(' -&gt; ')}`, `ИСТЕЦ(ЗАЯВИТЕЛЬ): ${claimants}`, `ОТВЕТЧИК: ${debtors}`]
    .concat(others ? [`ЛИЦА: ${others}`] : []).join(sep);
}


/** Render the results block for the court's template. */
export function renderSearchResults(court: SudrfCourt, r: ResultsPage): string {
  const total = r.matches.length;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const from = (r.page - 1) * PAGE_SIZE;
  const rows = r.matches.slice(from, from + PAGE_SIZE);
  const first = rows.length ? from + 1 : 0;
  const last = from + rows.length;
  const link = (p: number): string => `./modules.php?${r.baseQuery}&${r.pageParam ?? 'page'}=${p}`;
  const title = esc(titleOf(r.cartoteka ?? 'civil1', court.urlForm));
  return court.template === 'old' ? old() : fresh();

  function old(): string {
    const nums: string[] = [];
    for (let p = 1; p <= pages; p++) nums.push(p === r.page ? `<b>${p}</b>` : `<a href= ${link(p)}>${p}</a>`);
    const next = r.page < pages
      ? ` <a href= ${link(r.page + 1)} title="Следующая страница">></a>\n\t\t\t\t\t  <a href= ${link(pages)} title="На последнюю страницу списка">>></a>`
      : '';
    const heads = ['№ дела', 'Дата<br>поступления', 'Информация по делу', 'Судья', 'Дата<br>решения', 'Решение', 'Дата вступления<br>в законную силу', 'Судебные<br>акты'];
    return `<div id='content'>
		<div id=line></div>
	<div align='center' class='title'>
		${title}		<br>
	</div>
	<div id=line></div>
	<table width="100%" border="0">
		<tr>
			<td valign="bottom" nowrap>
				Страницы : ${nums.join(' | ')}${next}			</td>
			<td align="right">
				Всего по запросу найдено — ${total}. На странице записи с ${first}				по ${last}.&nbsp;&nbsp;<img src="/images/print.gif" alt="" width="16" height="16">
			</td>
		</tr>
	</table>
	<table width="100%" border="0" cellpadding="3" cellspacing="0" id="tablcont">
		<tr>
			${heads.map((h) => `<th style="text-align: center" >${h}</th>`).join('')}		</tr>
${rows.map((c) => `			<tr valign="top">
				<td title="Для получения справки по делу, нажмите на номер дела" style="width:6%;cursor: pointer;"><a href='${cardHref(c, court.urlForm)}'>${esc(c.displayNumber)}</a><br></td>
				<td align="center" style="width:3%">&nbsp;${ruDate(c.registeredAt)}				</td>
				<td style="width:50%">${info(c, '<br />')}				</td>
				<td>${esc(c.judge)}				</td>
				<td align="center">${ruDate(c.decision.date)}				</td>
				<td>${esc(c.decision.result)}				</td>
				<td>${c.effectiveAt ? ruDate(c.effectiveAt) : '&nbsp;'}</td><td>&nbsp;</td>
			</tr>`).join('\n')}
	</table>
</div>`;
  }

  function fresh(): string {
    const paging = pages > 1
      ? Array.from({ length: pages }, (_, i) => i + 1)
        .map((p) => (p === r.page ? `<span class="current">${p}</span>` : `<a href="${esc(link(p))}" class="page-link">${p}</a>`)).join('')
        + (r.page < pages ? `<a href="${esc(link(r.page + 1))}" class="page-link next">Следующая</a>` : '')
      : '';
    return `<div class="name-instanse">
		${title}
	</div>
	<hr>
		<div class="lawcase-paging light-theme simple-pagination">${paging}</div>
	<div class="lawcase-count">
		Всего по запросу найдено - <b>${total}</b>.&nbsp;
		<span>На странице записи с <b>${first}</b> по <b>${last}</b>.</span>
	</div>
	<div id="resultTable">
		<table class="law-case-table line-hover">
			<thead>
				<tr>
					<td class="lawcase-number-td text-center">Номер дела</td>
					<td class="text-center">Дата поступления</td>
					<td class="text-center">Информация по делу</td>
					<td class="text-center">Судья</td>
					<td class="text-center">Дата решения</td>
					<td class="text-center">Решение</td>
					<td class="text-center">Дата вступления<br>в законную силу</td>
					<td class="text-center">Судебные<br>акты</td>
				</tr>
			</thead>
			<tbody>
${rows.map((c) => `				<tr>
					<td class="lawcase-number-td"><a href="${esc(cardHref(c, court.urlForm))}" class="dashed open-lawcase">${esc(c.displayNumber)}</a></td>
					<td class="text-center vert-align">${ruDate(c.registeredAt)}</td>
					<td class="vert-align">${info(c, '<br>')}</td>
					<td class="vert-align">${esc(c.judge)}</td>
					<td class="text-center vert-align">${ruDate(c.decision.date)}</td>
					<td class="vert-align">${esc(c.decision.result)}</td>
					<td class="text-center vert-align">${ruDate(c.effectiveAt)}</td>
					<td class="vert-align"></td>
				</tr>`).join('\n')}
			</tbody>
		</table>
	</div>`;
  }
}

/**
 * UID search across courts (`name_op=r_juid`), after
 * fixtures/real/sudrf/sudrf_search_rjuid_komi_11RS0020-01-2026-000655-63_cross_court_sanitized.html:
 * «Всего по запросу найдено - N», `table.law-case-table.line-hover#tablcont` whose first column is
 * «Суд» and whose card links are absolute, to each court's own host. No entry-into-force column.
 */
export function renderUidResults(rows: Array<{ courtName: string; c: SandboxCase; form?: 'primary' | 'vnkod' }>): string {
  const heads = ['Суд', 'Номер дела', 'Дата поступления', 'Информация по делу', 'Судья', 'Дата решения', 'Решение', 'Судебные акты'];
  return `<div id='content'>
<p>Всего по запросу найдено - ${rows.length}</p>
<table class="law-case-table line-hover" id="tablcont">
<tr>${heads.map((h) => `<td>${h}</td>`).join('')}</tr>
${rows.map(({ courtName, c, form }) => `<tr>
<td>${esc(courtName)}</td>
<td><a href="http://${esc(c.host)}${esc(form === 'vnkod' ? cardHref(c, form) : cardHref(c).replace(/&new=(\d+)$/, '&case_type=0&new=$1'))}">${esc(c.displayNumber)}</a></td>
<td>${ruDate(c.registeredAt)}</td><td>${info(c, '<br>')}</td><td>${esc(c.judge)}</td><td>${ruDate(c.decision.date)}</td><td>${esc(c.decision.result)}</td><td>&nbsp;</td>
</tr>`).join('\n')}
</table>
</div>`;
}
