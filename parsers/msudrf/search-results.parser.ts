/**
 * The results list of a magistrate site search (TARGETS.md §2.1; no saved real page, built from the
 * description): `div.case-count` «Найдено дел: <b>N</b>», paging `ul.paging` with
 * `pageNum_Recordset1=N` (0-based), `table#tablcont.tablcont` with columns `Номер дела | Дата
 * поступления | Информация по делу | Судья | Дата решения | Решение | Судебные акты`. A case shows
 * once per party (duplicate rows); the list here keeps ONE row per card (`case_id`), in page order.
 * `total` is the site's count (rows, duplicates included).
 */
import * as cheerio from 'cheerio';
import { LayoutDriftError } from '../../core/errors.ts';
import type { CourtSearchResult, CourtSearchRow, ParseContext } from '../../core/records.ts';
import { mapColumns } from '../common/columns.ts';
import { parseRuDate } from '../common/ru-date.ts';
import { elementText, normalizeSpace, textOrNull } from '../common/text.ts';
import { absoluteUrl } from '../sudrf/sudrf-url.ts';
import { msudrfCaseId } from './msudrf-url.ts';
import { MSUDRF_COUNT_RE } from './page-kind.ts';

const COLUMNS = {
  effectiveAt: ['Дата вступления в законную силу', 'Дата вступления'],
  number: ['Номер дела', '№ дела'],
  registeredAt: ['Дата поступления'],
  info: ['Информация по делу'],
  judge: ['Судья'],
  decisionDate: ['Дата решения'],
  result: ['Решение'],
} as const;

/** Parses a results page; an empty answer gives `{ total: 0, cases: [] }`. */
export function parseMsudrfSearchResults(html: string, ctx: ParseContext = {}): CourtSearchResult {
  const $ = cheerio.load(html);
  const count = MSUDRF_COUNT_RE.exec(normalizeSpace($('div.case-count').text()));
  const tableEl = $('table#tablcont, table.tablcont').filter((_, t) => $(t).find('a[href*="op=cs"]').length > 0).first();
  if (!count && tableEl.length === 0) {
    if (/Данных по запросу не обнаружено/i.test($.root().text())) return { total: 0, cases: [], page: 1, nextPage: null, template: 'msudrf' };
    throw new LayoutDriftError('not a msudrf results list: no div.case-count and no table#tablcont with card links', { selector: 'div.case-count, table#tablcont' });
  }
  const trs = tableEl.find('tr').toArray();
  const headerRow = trs.find((tr) => $(tr).children('th').length > 0) ?? trs[0];
  const headers = headerRow ? $(headerRow).children('th, td').toArray().map((c) => elementText($, c)) : [];
  const col = mapColumns(headers, COLUMNS);
  const seen = new Set<string>();
  const cases: CourtSearchRow[] = [];
  for (const tr of trs) {
    const link = $(tr).find('a[href*="op=cs"]').first();
    if (link.length === 0) continue;
    const cells = $(tr).children('td').toArray().map((c) => elementText($, c));
    const href = link.attr('href') ?? '';
    const caseId = msudrfCaseId(href, ctx.url);
    const key = caseId ?? href;
    if (seen.has(key)) continue; // the same case again, seen through its other party
    seen.add(key);
    const get = (i: number | undefined) => (i === undefined ? null : textOrNull(cells[i]));
    cases.push({
      caseNumber: textOrNull(link.text()) ?? get(col.number) ?? '',
      url: absoluteUrl(href, ctx.url),
      registeredAt: parseRuDate(get(col.registeredAt)),
      judge: get(col.judge),
      decisionDate: parseRuDate(get(col.decisionDate)),
      result: get(col.result),
      effectiveAt: parseRuDate(get(col.effectiveAt)),
      category: /Категория:\s*(.+)$/i.exec(get(col.info) ?? '')?.[1] ?? null,
      caseId,
      caseUid: null,
    });
  }
  const active = $('ul.paging li.active').first();
  const pageNo = Number(normalizeSpace(active.text())) || 1;
  const next = $('ul.paging').first().find('a[href*="pageNum_Recordset1="]').toArray()
    .map((a) => Number(/pageNum_Recordset1=(\d+)/.exec($(a).attr('href') ?? '')?.[1]))
    .filter((n) => Number.isFinite(n) && n + 1 > pageNo)
    .sort((a, b) => a - b)[0];
  return {
    total: count ? Number(count[1]) : cases.length,
    cases,
    page: pageNo,
    // 1-based like `page`; the link's own value is `nextPage - 1`.
    nextPage: next === undefined ? null : next + 1,
    template: 'msudrf',
  };
}
