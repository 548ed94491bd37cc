/**
 * sudrf search results → CourtSearchResult, both templates (TARGETS.md §1.4):
 * - old: «Всего по запросу найдено — 530. На странице записи с 1 по 25.», `table#tablcont` with
 *   `th` headers, paging links `page=N` (search_results_kas_listing_acts);
 * - new: `div.lawcase-count` «Всего по запросу найдено - 1», `div#resultTable
 *   table.law-case-table` with `thead` headers, the `div#resultMob` phone copy skipped
 *   (search_results_samara_oblsud_by_uid).
 * Rows are anchored on the case links `a[href*="name_op=case"]`; columns are found by header text.
 * An honest «Данных по запросу не обнаружено» page is a result with total 0, not drift.
 */
import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { CourtSearchResult, CourtSearchRow, ParseContext } from '../../core/records.ts';
import { LayoutDriftError } from '../../core/errors.ts';
import { splitCaseNumber } from '../common/case-number.ts';
import { mapColumns } from '../common/columns.ts';
import { parseRuDate } from '../common/ru-date.ts';
import { elementText, normalizeSpace, textOrNull } from '../common/text.ts';
import { cellAt, readGrid } from './sudrf-dom.ts';
import { absoluteUrl, numericParam, sudrfCaseIds } from './sudrf-url.ts';

const RESULT_COLUMNS = {
  effectiveAt: ['Дата вступления в законную силу', 'вступлени'],
  registeredAt: ['Дата поступления', 'поступлени'],
  decisionDate: ['Дата решения'],
  caseNumber: ['№ дела', 'Номер дела', '№ п/п дела'],
  info: ['Информация по делу', 'Категория'],
  judge: ['Судья'],
  result: ['Решение'],
} as const;

/** «Всего по запросу найдено — 530» / «… - 1» (dash of any kind). */
const TOTAL_RE = /Всего по запросу найдено\s*[—–-]\s*(\d+)/i;
/** «На странице записи с 1 по 25». */
const RANGE_RE = /На странице записи с\s*(\d+)\s*по\s*(\d+)/i;
/** The honest empty answer (seen by several public sudrf scrapers; no saved sample here). */
export const SUDRF_NO_DATA_RE = /Данных по запросу не (?:обнаружено|найдено)/i;

/** Case links of the results table: not the acts column (`_doc=`) and not the phone copy. */
function caseLinks($: CheerioAPI): Element[] {
  return $('a[href*="name_op=case"]')
    .toArray()
    .filter((a) => !/[?&]_doc=/.test($(a).attr('href') ?? '') && $(a).closest('#resultMob, .mobile-lawcase-card').length === 0)
    .filter((a) => $(a).closest('tr').length > 0);
}

/** The `КАТЕГОРИЯ: …` line of the «Информация по делу» cell. */
function categoryOf($: CheerioAPI, cell: AnyNode | undefined): string | null {
  if (!cell) return null;
  const html = $(cell).html() ?? '';
  for (const line of html.split(/<br\s*\/?>/i)) {
    const text = normalizeSpace(cheerio.load(`<p>${line}</p>`)('p').text());
    const m = /^КАТЕГОРИЯ:\s*(.+)$/i.exec(text);
    if (m?.[1]) return m[1];
  }
  return null;
}

/**
 * Parses a sudrf search results page (either template).
 * @throws LayoutDriftError when the page is neither results nor an honest empty answer.
 */
export function parseSudrfSearchResults(html: string, ctx: ParseContext = {}): CourtSearchResult {
  const $ = cheerio.load(html);
  const template = $('div#resultTable, div.lawcase-count').length > 0 ? 'sudrf-new' : 'sudrf-old';
  const bodyText = normalizeSpace($('body').text());
  const totalMatch = TOTAL_RE.exec(bodyText);
  if ($('div.casenumber, div.case-num').length > 0) {
    throw new LayoutDriftError('sudrf search: this is a case card, not a results list', { selector: 'div.casenumber | div.case-num', url: ctx.url ?? undefined });
  }
  const links = caseLinks($);

  if (links.length === 0) {
    if (SUDRF_NO_DATA_RE.test(bodyText) || totalMatch?.[1] === '0') {
      return { total: 0, cases: [], page: 1, nextPage: null, template };
    }
    throw new LayoutDriftError('sudrf search: no case links and no «Всего по запросу найдено»/«Данных по запросу не обнаружено»', {
      selector: 'a[href*="name_op=case"]',
      url: ctx.url ?? undefined,
    });
  }

  const firstRow = $(links[0]).closest('tr');
  const table = firstRow.closest('table').toArray()[0];
  const grid = table ? readGrid($, table, RESULT_COLUMNS) : null;
  if (!table || !grid) {
    throw new LayoutDriftError('sudrf search: results table has no header row', { selector: 'table#tablcont | table.law-case-table > thead', url: ctx.url ?? undefined });
  }
  const col = mapColumns(grid.headers, RESULT_COLUMNS);
  // r_juid lists across courts lead with a «Суд» column (sudrf_search_rjuid_komi_…): exact match
  // only, so that «Судья» and «Судебные акты» are never taken for it.
  const courtCol = grid.headers.findIndex((h) => /^суд$/i.test(h.trim()));
  if (col.caseNumber === undefined) {
    throw new LayoutDriftError('sudrf search: no «№ дела» column', { selector: 'results header «№ дела»', url: ctx.url ?? undefined, details: { headers: grid.headers } });
  }

  const cases: CourtSearchRow[] = [];
  const seenRows = new Set<AnyNode>();
  for (const link of links) {
    const tr = $(link).closest('tr').toArray()[0];
    if (!tr || seenRows.has(tr) || $(tr).closest('table').toArray()[0] !== table) continue;
    seenRows.add(tr);
    const row = $(tr).children('td, th').toArray();
    const href = $(link).attr('href') ?? '';
    const ids = sudrfCaseIds(href);
    cases.push({
      caseNumber: splitCaseNumber(elementText($, link)).caseNumber ?? elementText($, link),
      url: absoluteUrl(href, ctx.url),
      registeredAt: parseRuDate(cellAt($, row, col.registeredAt)),
      judge: textOrNull(cellAt($, row, col.judge)),
      decisionDate: parseRuDate(cellAt($, row, col.decisionDate)),
      result: textOrNull(cellAt($, row, col.result)),
      effectiveAt: parseRuDate(cellAt($, row, col.effectiveAt)),
      ...(courtCol >= 0 ? { courtName: textOrNull(cellAt($, row, courtCol)) } : {}),
      category: categoryOf($, col.info === undefined ? undefined : row[col.info]),
      caseId: ids.caseId,
      caseUid: ids.caseUid,
    });
  }

  const total = totalMatch?.[1] ? Number(totalMatch[1]) : cases.length;
  const { page, nextPage } = paging($, bodyText, total, ctx.url);
  return { total, cases, page, nextPage, template };
}

/**
 * Current page: the bold number of the «Страницы :» pager (old), else `page`/`_page` in the URL, else 1.
 * Next page: the «Следующая страница» link, else the smallest linked page above the current one,
 * else current + 1 when «с a по b» ends before the total (the new template pages by script).
 */
function paging($: CheerioAPI, bodyText: string, total: number, url?: string | null): { page: number; nextPage: number | null } {
  // Old pager «Страницы : 1 | <b>2</b> | 3»: the current page is the bold, unlinked number.
  const pager = $('td')
    .toArray()
    .find((td) => $(td).find('td').length === 0 && /Страницы\s*:/.test($(td).text()));
  const pagerBold = pager ? $(pager).find('b').toArray().map((el) => normalizeSpace($(el).text())).find((t) => /^\d+$/.test(t)) : undefined;
  const page = pagerBold ? Number(pagerBold) : (numericParam(url, 'page', '_page') ?? 1);
  const linked = $('a[href*="page="]')
    .toArray()
    .map((a) => ({ n: numericParam($(a).attr('href'), 'page', '_page'), next: /Следующая/i.test($(a).attr('title') ?? '') }))
    .filter((l): l is { n: number; next: boolean } => l.n !== null);
  const explicit = linked.find((l) => l.next)?.n;
  if (explicit !== undefined && explicit > page) return { page, nextPage: explicit };
  const above = linked.map((l) => l.n).filter((n) => n > page);
  if (above.length > 0) return { page, nextPage: Math.min(...above) };
  const range = RANGE_RE.exec(bodyText);
  if (range?.[2] && Number(range[2]) < total) return { page, nextPage: page + 1 };
  return { page, nextPage: null };
}
