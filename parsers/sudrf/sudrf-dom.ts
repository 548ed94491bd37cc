import type { Cheerio, CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
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
 */
export function readGrid($: CheerioAPI, table: AnyNode): Grid | null {
  let headers: string[] | null = null;
  const rows: Element[][] = [];
  for (const tr of ownRows($, table)) {
    const cells = cellsOf($, tr);
    if (cells.length === 0 || isTitleRow($, cells)) continue;
    if (!headers) {
      if (isHeaderRow($, tr, cells)) headers = cells.map((c) => elementText($, c));
      continue;
    }
    if (cells.length === headers.length) rows.push(cells);
  }
  return headers ? { headers, rows } : null;
}

/** Label/value rows `<td><b>label</b></td><td>value</td>` → [label, value cell]. */
export function readPairs($: CheerioAPI, table: AnyNode): Array<[string, Element]> {
  const pairs: Array<[string, Element]> = [];
  for (const tr of ownRows($, table)) {
    const cells = cellsOf($, tr);
    const [label, value] = cells;
    if (cells.length !== 2 || !label || !value || $(label).find('b').length === 0) continue;
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
