/**
 * mirsud.spb.ru (St Petersburg magistrates, TARGETS.md §2.2): the print form of a card
 * (`div.case-print table.case-print__table`, tables titled by `b.table-title`), the search list
 * (`table.rwd-table`) and page kinds. Written against the sandbox replica built from TARGETS §2.2
 * (no real page saved). The screen view (`section.case-info`) and `table.personal-data` are ignored.
 */
import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import type { AnyNode } from 'domhandler';
import { LayoutDriftError } from '../../core/errors.ts';
import type { CaseEvent, CaseParty, CourtCaseRecord, CourtSearchResult, PageKind, ParseContext } from '../../core/records.ts';
import { findCourtUid, normalizeCaseNumber } from '../common/case-number.ts';
import { deriveCaseStatus } from '../common/case-status.ts';
import { mapColumns } from '../common/columns.ts';
import { normalizeRole } from '../common/party-role.ts';
import { parseRuDate, parseTime } from '../common/ru-date.ts';
import { elementText, textOrNull } from '../common/text.ts';
import { readMirsudScreenView, splitEventText, type MirsudCardContent } from './mirsud-screen.reader.ts';

export const MIRSUD_HOST = 'mirsud.spb.ru';
const NOT_FOUND_RE = /Судебные дела, удовлетворяющие запросу, не найдены/;
const PRINT_TABLES = 'div.case-print table.case-print__table';

/** Участок and case number from a card link `/cases/detail/<участок>/?id=<no>`. */
export function mirsudCardIds(url: string | null | undefined): { section: string | null; number: string | null } {
  if (!url) return { section: null, number: null };
  try {
    const u = new URL(url, `https://${MIRSUD_HOST}`);
    const m = /\/cases\/detail\/(\d+)\/?$/.exec(u.pathname);
    return { section: m?.[1] ?? null, number: u.searchParams.get('id') };
  } catch {
    return { section: null, number: null };
  }
}

/** A print-form table with its title: a `b.table-title` row inside (sandbox) or the `div.case-print__header` before it (real). */
interface PrintTable {
  t: AnyNode;
  title: string;
}

function printTables($: CheerioAPI): PrintTable[] {
  return $(PRINT_TABLES).toArray().map((t) => {
    const inner = elementText($, $(t).find('b.table-title').first().get(0));
    const before = elementText($, $(t).prevAll('div.case-print__header').first().get(0));
    return { t, title: inner || before };
  });
}

/**
 * The case title «Гражданское дело 2-2976/2026-98»: `div.case-print__title` (real print form,
 * case_78MS0098-01-2026-003970-97_court_order_print-section) or a table title «… дело N» (sandbox).
 */
function caseTitle($: CheerioAPI, tables: PrintTable[]): string | null {
  const real = elementText($, $('div.case-print .case-print__title, div.case-print__title').first().get(0));
  if (/дело\s+\S+/i.test(real)) return real;
  return tables.find((x) => /дело\s+\S+/i.test(x.title))?.title ?? null;
}

/** What a mirsud page is: a card with its print form, an honest empty answer, a result list, or unknown. */
export function classifyMirsudPage(html: string): PageKind {
  const $ = cheerio.load(html);
  if (($(PRINT_TABLES).length && caseTitle($, printTables($))) || readMirsudScreenView($)) return 'case_card';
  if (NOT_FOUND_RE.test($('table.rwd-table').text())) return 'search_empty';
  if ($('table.rwd-table a[href*="/cases/detail/"]').length) return 'search_results';
  return 'unknown';
}

/** Header texts (thead `th` or a first row of `<b>` cells) and data rows of a print table. */
function gridOf($: CheerioAPI, table: AnyNode): { header: string[]; data: string[][] } {
  const trs = $(table).find('tr').toArray()
    .map((tr) => ({ tr, cells: $(tr).children('td, th').toArray() }))
    .filter((r) => r.cells.length > 1);
  const isHeader = (r: (typeof trs)[number]) => $(r.tr).parent().is('thead')
    || r.cells.every((c) => $(c).is('th') || $(c).children('b').length > 0);
  const h = trs.findIndex(isHeader);
  const text = (r: (typeof trs)[number]) => r.cells.map((c) => elementText($, c));
  if (h < 0) return { header: [], data: trs.map(text) };
  return { header: text(trs[h]!), data: trs.slice(h + 1).map(text) };
}

/** The print form (`div.case-print`), or null when the page has none. */
function readPrintForm($: CheerioAPI): MirsudCardContent | null {
  const tables = printTables($);
  const title = caseTitle($, tables);
  if (!title || tables.length === 0) return null;
  const fields = new Map<string, string>();
  let parties: CaseParty[] = [];
  let events: CaseEvent[] = [];
  // Tables are told apart by their headers, never by position.
  for (const { t } of tables) {
    const { header, data } = gridOf($, t);
    if (header.some((h) => /Вид лица/i.test(h))) {
      const col = mapColumns(header, { role: ['Вид лица'], name: ['ФИО', 'Наименование'] });
      parties = data.map((r) => {
        const role = r[col.role ?? 1] ?? '';
        return { role, roleNorm: normalizeRole(role), name: r[col.name ?? 0] ?? '' };
      }).filter((p) => p.name);
    } else if (header.some((h) => /Дата события/i.test(h))) {
      const col = mapColumns(header, { publishedAt: ['Дата публикации'], date: ['Дата события'], time: ['Время события'], name: ['Описание события'] });
      events = data.map((r) => ({
        ...splitEventText(r[col.name ?? 0] ?? ''),
        date: parseRuDate(r[col.date ?? 1]),
        time: parseTime(r[col.time ?? 2]),
        basis: null,
        publishedAt: col.publishedAt === undefined ? null : parseRuDate(r[col.publishedAt]),
      })).filter((e) => e.name);
    } else if (header.length === 0) {
      for (const r of data) if (r.length === 2 && r[0] && !fields.has(r[0])) fields.set(r[0].replace(/:$/, ''), r[1] ?? '');
    }
  }
  return { title, fields, parties, events };
}

/**
 * Parses a mirsud card: its print form, else the rendered screen view (mirsud-screen.reader.ts).
 * @throws LayoutDriftError naming both when the page has neither.
 */
export function parseMirsudCaseCard(html: string, ctx: ParseContext = {}): CourtCaseRecord {
  const $ = cheerio.load(html);
  const content = readPrintForm($) ?? readMirsudScreenView($);
  if (!content) {
    const why = $(PRINT_TABLES).length === 0 ? 'no table.case-print__table' : 'no case title «… дело N»';
    throw new LayoutDriftError(`mirsud: no print form (${why}) and no rendered case block (section.case-info b.table-title)`, { selector: `${PRINT_TABLES}, div.case-print__title, section.case-info` });
  }
  const { title, fields, parties, events } = content;
  const get = (label: string) => textOrNull(fields.get(label));

  const link = mirsudCardIds(ctx.url);
  const section = link.section ?? get('№ участка');
  const uid = findCourtUid(get('УИД'));
  const caseNumber = normalizeCaseNumber(/дело\s+(\S+)/i.exec(title)?.[1] ?? link.number ?? '');
  // «Вынесение судебного приказа» (real) or «Вынесение судебного приказа / Судебный приказ» (sandbox).
  const issued = events.filter((e) => /вынесени[ея]\s+судебн\S*\s+приказ/i.test(e.name)).at(-1);
  const inForce = events.find((e) => /вступил\S*\s+в\s+законную\s+силу/i.test(e.name));
  const registeredAt = parseRuDate(get('Дата поступления'));
  const decision = { date: issued?.date ?? null, result: issued ? (issued.result ?? 'Судебный приказ') : null };
  const effectiveAt = inForce?.date ?? null;
  return {
    court: {
      name: section ? `Судебный участок № ${section} Санкт-Петербурга` : null,
      host: MIRSUD_HOST,
      // The UID carries the court code (78MSnnnn); the участок comes from the link, never from the UID.
      code: uid ? uid.slice(0, 8) : null,
      section,
    },
    caseNumber: caseNumber || null,
    materialNumber: null,
    previousNumbers: [],
    uid,
    caseId: null,
    caseUid: null,
    instance: textOrNull(title.replace(/\s+\S+$/, '')),
    category: get('Сущность спора'),
    judge: get('Судья'),
    registeredAt,
    decision,
    effectiveAt,
    effectiveAtSource: effectiveAt ? 'shown' : null,
    status: deriveCaseStatus({
      decisionResult: decision.result,
      decisionDate: decision.date,
      effectiveAt,
      registeredAt,
      // The «Статус» row («Судебный приказ») says what the events may not.
      events: [...events, { name: get('Статус') }],
    }),
    parties,
    events,
    executionDocuments: [],
    template: 'mirsud-spb-print',
  };
}

/** Parses `/cases/?…` results (`table.rwd-table`); the honest-empty row gives total 0. */
export function parseMirsudSearchResults(html: string, ctx: ParseContext = {}): CourtSearchResult {
  const $ = cheerio.load(html);
  const table = $('table.rwd-table').first();
  if (!table.length) throw new LayoutDriftError('mirsud: no table.rwd-table', { selector: 'table.rwd-table' });
  if (NOT_FOUND_RE.test(table.text())) return { total: 0, cases: [], template: 'mirsud-spb-search' };
  const header = table.find('tr').first().children('th, td').toArray().map((c) => elementText($, c));
  const col = mapColumns(header, { registeredAt: ['Дата поступления'], judge: ['Судья'], result: ['Статус'] });
  const base = ctx.url ?? `https://${MIRSUD_HOST}/`;
  const cases = table.find('tr').toArray().flatMap((tr) => {
    const a = $(tr).find('a[href*="/cases/detail/"]').first();
    if (!a.length) return [];
    const cells = $(tr).children('td').toArray().map((c) => elementText($, c));
    const at = (i: number | undefined) => (i === undefined ? null : textOrNull(cells[i]));
    return [{
      caseNumber: normalizeCaseNumber(elementText($, a.get(0))),
      url: new URL(a.attr('href') ?? '', base).toString(),
      registeredAt: parseRuDate(at(col.registeredAt)),
      judge: at(col.judge),
      decisionDate: null,
      result: at(col.result),
    }];
  });
  return { total: cases.length, cases, template: 'mirsud-spb-search' };
}
