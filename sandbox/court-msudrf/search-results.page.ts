/**
 * Search on a magistrate site (TARGETS.md §2.1): `name_op=r&srv_num=1&delo_id=1540005&case_type=0
 * &new=0&G1_PARTS__NAMESS=<cp1251>&g1_case__CASE_NUMBERSS=…&g1_case__JUDICIAL_UIDSS=…
 * &g1_case__ENTRY_DATE1D=DD.MM.YYYY&g1_case__ENTRY_DATE2D=…&Submit=…`, and its results list:
 * `div.case-count` «Найдено дел: <b>N</b>», `ul.paging` with `pageNum_Recordset1=N` (0-based),
 * `table#tablcont.tablcont` with one row per party of each case (so a case shows up twice).
 * N counts the rows, as the list does (assumption: no saved sample of this page).
 */
import { fromRuDate } from '../data/dates.ts';
import { esc, ruDate } from '../sudrf/html.ts';
import type { MsudrfCase } from './msudrf.data.ts';

/** Rows per page of the results list. */
export const MSUDRF_PAGE_SIZE = 20;

/** A parsed search query; `ok: false` when a date is malformed. */
export type MsudrfQuery =
  | { ok: true; name: string | null; number: string | null; uid: string | null; from: string | null; to: string | null }
  | { ok: false };

/** Reads the search fields from a decoded query (keys lower-cased). */
export function readMsudrfQuery(q: Map<string, string>): MsudrfQuery {
  const text = (k: string) => (q.get(k) ?? '').trim() || null;
  const date = (k: string): string | null | undefined => {
    const v = text(k);
    return v === null ? null : fromRuDate(v) ?? undefined;
  };
  const from = date('g1_case__entry_date1d');
  const to = date('g1_case__entry_date2d');
  if (from === undefined || to === undefined) return { ok: false };
  return { ok: true, name: text('g1_parts__namess'), number: text('g1_case__case_numberss'), uid: text('g1_case__judicial_uidss'), from, to };
}

/** One list row: a case seen through one of its parties. */
export interface MsudrfRow {
  c: MsudrfCase;
  party: MsudrfCase['parties'][number];
}

/** Cases of one court matching the query, one row per party (the site's join duplicates them). */
export function searchMsudrfCases(cases: MsudrfCase[], q: Extract<MsudrfQuery, { ok: true }>): MsudrfRow[] {
  const name = q.name?.toLowerCase().replace(/ё/g, 'е') ?? null;
  const rows: MsudrfRow[] = [];
  for (const c of cases) {
    if (q.number && c.caseNumber !== q.number) continue;
    if (q.uid && c.uid.toUpperCase() !== q.uid.toUpperCase()) continue;
    if (q.from && c.registeredAt < q.from) continue;
    if (q.to && c.registeredAt > q.to) continue;
    const hit = c.parties.filter((p) => !name || p.name.toLowerCase().replace(/ё/g, 'е').includes(name));
    if (hit.length === 0) continue;
    // The join of cases and parties: every party of a matching case becomes a row.
    for (const party of c.parties) rows.push({ c, party });
  }
  return rows;
}

/** The results page (module output) for page `pageNo` (0-based). */
export function renderMsudrfResults(rows: MsudrfRow[], pageNo: number, baseQuery: string): string {
  const pages = Math.max(1, Math.ceil(rows.length / MSUDRF_PAGE_SIZE));
  const slice = rows.slice(pageNo * MSUDRF_PAGE_SIZE, (pageNo + 1) * MSUDRF_PAGE_SIZE);
  const head = ['Номер дела', 'Дата поступления', 'Информация по делу', 'Судья', 'Дата решения', 'Решение', 'Судебные акты']
    .map((h) => `<th>${esc(h)}</th>`).join('');
  const body = slice.map(({ c, party }) => `<tr>
	<td><a href="/modules.php?name=sud_delo&amp;op=cs&amp;case_id=${c.caseId}&amp;delo_id=1540005">${esc(c.caseNumber)}</a></td>
	<td>${ruDate(c.registeredAt)}</td>
	<td>${esc(party.role)}: ${esc(party.name)}<br>Категория: ${esc(c.category)}</td>
	<td>${esc(c.judge)}</td>
	<td>${ruDate(c.decision.date)}</td>
	<td>${esc(c.decision.result ?? '')}</td>
	<td></td>
</tr>`).join('\n');
  const paging = pages > 1
    ? `<ul class="paging">${Array.from({ length: pages }, (_, i) => i === pageNo
      ? `<li class="active"><span>${i + 1}</span></li>`
      : `<li><a href="/modules.php?${esc(baseQuery)}&amp;pageNum_Recordset1=${i}">${i + 1}</a></li>`).join('')}</ul>`
    : '';
  return `<div id="search_results">
	<div class="case-count">Найдено дел: <b>${rows.length}</b></div>
	${paging}
	<table id="tablcont" class="tablcont" width="100%"><tr>${head}</tr>
${body}
	</table>
	${paging}
</div>`;
}

/** The honest empty answer. */
export function renderMsudrfEmpty(): string {
  return `<div id="search_results"><div class="case-count">Найдено дел: <b>0</b></div><div align="center">Данных по запросу не обнаружено</div></div>`;
}
