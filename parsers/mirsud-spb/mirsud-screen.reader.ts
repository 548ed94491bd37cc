/**
 * The screen view of a mirsud.spb.ru card as the browser renders it (Angular, `main
 * ng-controller="CaseDetailCtrl"`): `h1.title` «Гражданское дело N», label/value pairs
 * `div.case-info__block b.table-title + span.table-list`, parties `article.about-sides
 * div.table-row` (name, role), movement `section.full-case-info div.table-row` (date, time,
 * «Описание события / Результат события», publication date). Read when a page has no print form.
 * Written against a rendered soroka24 DOM snapshot of mirsud.spb.ru (case_mirsud_78MS0124-…,
 * public repository confuoko/soroka24, not saved here); the `hidden-lg` cells are the phone
 * copies of labels and are skipped.
 */
import type { CheerioAPI } from 'cheerio';
import type { CaseEvent, CaseParty } from '../../core/records.ts';
import { normalizeRole } from '../common/party-role.ts';
import { parseRuDate, parseTime } from '../common/ru-date.ts';
import { elementText, textOrNull } from '../common/text.ts';

/** What a mirsud card shows, from either view. */
export interface MirsudCardContent {
  title: string;
  fields: Map<string, string>;
  parties: CaseParty[];
  events: CaseEvent[];
}

/** Splits «Вынесение судебного приказа / Судебный приказ» into the event and its result. */
export function splitEventText(text: string): { name: string; result: string | null } {
  const [name = '', ...rest] = text.split(' / ');
  return { name: name.trim(), result: textOrNull(rest.join(' / ')) };
}

/** The rendered screen view, or null when the page has none (no `section.case-info` pairs). */
export function readMirsudScreenView($: CheerioAPI): MirsudCardContent | null {
  const fields = new Map<string, string>();
  for (const b of $('section.case-info .case-info__block b.table-title').toArray()) {
    const value = $(b).nextAll('span.table-list, span.list').first();
    if (!value.length) continue;
    const label = elementText($, b);
    const text = elementText($, value.get(0));
    if (label && text && !fields.has(label)) fields.set(label, text);
  }
  const title = elementText($, $('h1.title').first().get(0));
  if (fields.size === 0 || !/дело\s+\S+/i.test(title)) return null;

  const visible = (row: Parameters<CheerioAPI>[0]) => $(row).children('div').toArray().filter((d) => !$(d).hasClass('hidden-lg'));
  const parties: CaseParty[] = $('article.about-sides div.table-row').toArray().flatMap((row) => {
    const [nameCell, roleCell] = visible(row);
    const name = textOrNull(elementText($, nameCell));
    const role = textOrNull(elementText($, roleCell)) ?? '';
    return name ? [{ role, roleNorm: normalizeRole(role), name }] : [];
  });
  const events: CaseEvent[] = $('section.full-case-info div.table-row').toArray().flatMap((row) => {
    const cells = visible(row);
    // Cells by their width class: two col-lg-2 (date, time), the col-lg-6 text, a last col-lg-2 (published).
    const text = cells.find((c) => $(c).hasClass('col-lg-6'));
    const small = cells.filter((c) => $(c).hasClass('col-lg-2')).map((c) => elementText($, c));
    const { name, result } = splitEventText(elementText($, text));
    if (!name) return []; // the portal renders empty history rows («:»)
    return [{ name, result, date: parseRuDate(small[0]), time: parseTime(small[1]), basis: null, publishedAt: parseRuDate(small[2]) }];
  });
  return { title, fields, parties, events };
}
