import type { Cheerio, CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { mapColumns } from '../common/columns.ts';
import { elementText } from '../common/text.ts';

/** A table read as a header row and the data rows below it (cells as DOM nodes). */
export interface Grid {
  headers: string[];
  rows: Element[][];
}

/** Rows of this table only: nested tables (complaint movement inside «ОБЖАЛОВАНИЕ») are not ours. */
export function ownRows($: CheerioAPI, table: AnyNode): Element[] {
  return $(table)
    .find('tr')
    .toArray()
    .filter((tr) => $(tr).closest('table')[0] === table);
}

function cellsOf($: CheerioAPI, tr: Element): Element[] {
  return $(tr).children('td, th').toArray();
}

/** A pane title row: one `th` spanning the table («ДВИЖЕНИЕ ДЕЛА»). */
function isTitleRow($: CheerioAPI, cells: Element[]): boolean {
  return cells.length === 1 && $(cells[0]).is('th');
}

/**
 * A header row: inside `<thead>` (new template), all `th` (old results list), or every cell
 * holding only bold text (old card: `<td><b>Дата</b></td>`).
 */
function isHeaderRow($: CheerioAPI, tr: Element, cells: Element[]): boolean {
  if (cells.length < 2) return false;
  if ($(tr).parent().is('thead')) return true;
  if (cells.every((c) => $(c).is('th'))) return true;
  return cells.every((c) => {
    const bold = normalize($(c).find('b').first().text());
    return bold !== '' && normalize($(c).text()).startsWith(bold);
  });
}

function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Reads a list table: the first header row found, then every later row with as many cells as
 * the header. Rows of another width (separators, notes) are skipped. Null when no header row.
 * A header row is styled (thead, th, bold) — or, where `aliases` are given, the first row whose
 * plain cells name at least two known columns exactly or by prefix (sanitized transcriptions and
 * r_juid lists write their headers as plain `<td>`: sudrf_search_rjuid_komi_…, sudrf_oldtpl_leninsky_tyumen_…).
 */
export function readGrid($: CheerioAPI, table: AnyNode, aliases?: Readonly<Record<string, readonly string[]>>): Grid | null {
  const trs = ownRows($, table).map((tr) => ({ tr, cells: cellsOf($, tr) })).filter((r) => r.cells.length > 0 && !isTitleRow($, r.cells));
  let at = trs.findIndex((r) => isHeaderRow($, r.tr, r.cells));
  if (at < 0 && aliases) {
    at = trs.findIndex((r) => r.cells.length > 1
      && Object.keys(mapColumns(r.cells.map((c) => elementText($, c)), aliases, { allowSubstring: false })).length >= 2);
  }
  if (at < 0) return null;
  const headers = trs[at]!.cells.map((c) => elementText($, c));
  const rows = trs.slice(at + 1).map((r) => r.cells).filter((cells) => cells.length === headers.length);
  return { headers, rows };
}

/**
 * Label/value rows `<td><b>label</b></td><td>value</td>` → [label, value cell]. With
 * `plainLabels`, a two-cell row whose first cell is plain text counts as well (sanitized cards:
 * sudrf_oldtpl_syktyvkar_2-1725-2021_…).
 */
export function readPairs($: CheerioAPI, table: AnyNode, plainLabels = false): Array<[string, Element]> {
  const pairs: Array<[string, Element]> = [];
  for (const tr of ownRows($, table)) {
    const cells = cellsOf($, tr);
    const [label, value] = cells;
    if (cells.length !== 2 || !label || !value) continue;
    if ($(label).find('b').length === 0 && !(plainLabels && $(label).is('td') && $(label).children().length === 0)) continue;
    pairs.push([elementText($, label), value]);
  }
  return pairs;
}

/** The text of cell `index` of a row, or '' when the column is absent. */
export function cellAt($: CheerioAPI, row: Element[], index: number | undefined): string {
  return index === undefined ? '' : elementText($, row[index]);
}

/** First element of a selection, for passing to the readers above. */
export function firstNode(sel: Cheerio<AnyNode>): AnyNode | undefined {
  return sel.toArray()[0];
}
