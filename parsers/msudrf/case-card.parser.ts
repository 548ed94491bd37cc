/**
 * Case cards of the magistrate sites on `*.msudrf.ru` (TARGETS.md §2.1), both layouts:
 * - B (`case_typeB_okt6ros_61MS0033_2-1478-2026_civil.dom.html`, `case_typeB_5mo_50MS0005_5-969-2026_koap`):
 *   labels `<td><h2>…</h2></td>`, events and parties with a `<thead>` of `<td><h2>`; column order
 *   differs by region, so columns are mapped by header text.
 * - C (Ryazan court order, TARGETS.md §2.1, no saved sample): labels `<td><b>…</b>`, values ending
 *   `&nbsp;`, an events header row of `<b>` cells (4–5 columns), parties transposed (one column per
 *   participant), often no UID.
 * Shell: `div.lawcase-content > h2` «Дело № …», `ul#tabs > li` tab names, `div#contentt > div.tab-content`.
 * The court's code comes from the counter (`ssid=`) or the UID, the участок from the host, and
 * `caseId` from the URL (`case_id`), which keys the record when the card shows no UID.
 */
import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { LayoutDriftError } from '../../core/errors.ts';
import type { CaseEvent, CaseParty, CourtCaseRecord, ParseContext } from '../../core/records.ts';
import { findCourtUid, splitCaseNumber } from '../common/case-number.ts';
import { deriveCaseStatus } from '../common/case-status.ts';
import { mapColumns } from '../common/columns.ts';
import { normalizeRole } from '../common/party-role.ts';
import { findRuDate, parseRuDate, parseTime } from '../common/ru-date.ts';
import { elementText, headerKey, textOrNull } from '../common/text.ts';
import { hostOf } from '../sudrf/sudrf-url.ts';
import { TRACE_LOAD_OPTIONS, TraceCollector, type ParseTrace } from '../common/trace.ts';
import { msudrfCaseId, sectionOfHost } from './msudrf-url.ts';

/** Which layout a card uses: C if labels are `<b>` in cells, B if `<h2>` in non-colspan cells. */
export function detectMsudrfLayout(html: string | CheerioAPI): 'B' | 'C' | null {
  const $ = typeof html === 'string' ? cheerio.load(html) : html;
  if ($('div#contentt td > b').length > 0) return 'C';
  if ($('div#contentt td:not([colspan]) > h2').length > 0) return 'B';
  return null;
}

const EVENT_COLUMNS = {
  name: ['Наименование события', 'Событие'],
  publishedAt: ['Дата размещения'],
  date: ['Дата события', 'Дата'],
  time: ['Время события', 'Время'],
  place: ['Место проведения'],
  basis: ['Основание для выбранного результата', 'Основание'],
  result: ['Результат события', 'Результат'],
  judge: ['Судья'],
} as const;

const PARTY_COLUMNS = {
  role: ['Процессуальный статус', 'Вид лица'],
  name: ['Сторона по делу', 'Фамилия / наименование', 'Лицо, участвующее в деле', 'ФИО'],
  inn: ['ИНН'],
} as const;

/**
 * Events that mark the arrival of the claim. Not «Регистрация судебного приказа»: that is the
 * order's registration, dated with the order (msudrf_typeB_5mo_…_cancelled: arrived 11.02, order
 * and its registration 13.02.2026).
 */
const ARRIVAL_EVENT = /^(?:регистрация\s+(?:иска|заявлени|поступивш|материал|дела)|поступлени)/i;

/** Parses a msudrf card (either layout) into the common court-case record. */
export function parseMsudrfCaseCard(html: string, ctx: ParseContext = {}): CourtCaseRecord {
  return readCard(cheerio.load(html), html, ctx);
}

/**
 * The same parse with where each field was read (issue 19 §2); element paths valid in the
 * JavaScript-off page the offline renderer draws.
 */
export function traceMsudrfCaseCard(html: string, ctx: ParseContext = {}): { record: CourtCaseRecord; trace: ParseTrace } {
  const tr = new TraceCollector();
  const record = readCard(cheerio.load(html, TRACE_LOAD_OPTIONS), html, ctx, tr);
  return { record, trace: tr.trace };
}

function readCard($: CheerioAPI, html: string, ctx: ParseContext, tr?: TraceCollector): CourtCaseRecord {
  const shell = $('div.lawcase-content').first();
  const headingNode = shell.children('h2').get(0) ?? shell.find('h2').get(0);
  const heading = elementText($, headingNode);
  const numberMatch = /(?:ДЕЛО|МАТЕРИАЛ)\s*№\s*(.+)$/i.exec(heading);
  const panes = $('div#contentt > div.tab-content').toArray();
  if (!numberMatch || panes.length === 0) {
    throw new LayoutDriftError('not a msudrf case card: no «Дело №» heading in div.lawcase-content or no div#contentt panes', { selector: 'div.lawcase-content > h2, div#contentt > div.tab-content' });
  }
  const layout = detectMsudrfLayout($);
  if (!layout) throw new LayoutDriftError('msudrf card of unknown layout (labels neither <h2> nor <b>)', { selector: 'div#contentt td > b, div#contentt td > h2' });
  const tabs = $('ul#tabs > li').toArray().map((li) => headerKey(elementText($, li)));
  const paneOf = (re: RegExp): Element | undefined => {
    const i = tabs.findIndex((t) => re.test(t));
    return i >= 0 ? panes[i] : undefined;
  };
  const labelCells = new Map<string, Element>();
  const fields = labelled(readFields($, paneOf(/^дело$/) ?? panes[0]!, labelCells));
  const eventCells: Array<Record<string, Element | undefined>> = [];
  const events = readEvents($, paneOf(/движение/), eventCells);
  // Criminal cards have «ЛИЦА» (the accused, with the outcome per person) besides «СТОРОНЫ».
  const partyPanes = tabs.map((t, i) => ({ t, pane: panes[i] })).filter((x) => /стороны|лица|участники/.test(x.t) && x.pane);
  const parties = partyPanes.flatMap((x) => readParties($, x.pane, /^лица$/.test(x.t) ? 'ЛИЦА' : ''));

  const number = splitCaseNumber(numberMatch[1]);
  const host = hostOf(ctx.url);
  const uid = findCourtUid(fields.get('uid')) ?? null;
  const ssid = /ssid=(\d{2}[A-Z]{2}\d{4})/.exec(html)?.[1] ?? null;
  const registeredAt = parseRuDate(fields.get('registeredAt'))
    ?? events.find((e) => ARRIVAL_EVENT.test(e.name))?.date ?? null;
  const decision = readDecision(fields, events, partyPanes.map((x) => personOutcome($, x.pane)).find((o) => o.result || o.date));
  // The «Дата вступления в законную силу» row where the card has one (msudrf_typeB_anadyr_…), else such an event.
  const effectiveAt = findRuDate(fields.get('effectiveAt'))
    ?? events.filter((e) => /вступ\S*\s+в\s+законную\s+силу/i.test(e.name) && e.date).at(-1)?.date ?? null;
  const record: CourtCaseRecord = {
    court: {
      name: textOrNull($('span#court_name').first().text()) ?? textOrNull($('title').first().text()),
      host,
      code: ssid ?? uid?.slice(0, 8) ?? null,
      section: sectionOfHost(host),
    },
    caseNumber: number.caseNumber,
    materialNumber: number.materialNumber,
    previousNumbers: number.previousNumbers,
    uid,
    caseId: msudrfCaseId(ctx.url),
    caseUid: null,
    instance: null,
    category: fields.get('category') ?? null,
    judge: fields.get('judge') ?? null,
    registeredAt,
    decision,
    effectiveAt,
    effectiveAtSource: effectiveAt ? 'shown' : null,
    status: 'unknown',
    parties,
    events,
    executionDocuments: [],
    template: `msudrf-${layout}`,
  };
  record.status = deriveCaseStatus({ decisionResult: decision.result, decisionDate: decision.date, effectiveAt, registeredAt, events });
  if (tr) {
    const cellOf = (field: CardField) => labelCells.get(labelled(new Map([...labelCells.keys()].map((k) => [k, k]))).get(field) ?? '');
    tr.at('caseNumber', headingNode, heading);
    for (const f of ['uid', 'category', 'judge'] as const) {
      if (record[f]) tr.at(f, cellOf(f), elementText($, cellOf(f)), `no «${f}» row in the «ДЕЛО» pane`);
      else tr.notLocated(f, `no «${f}» row in the «ДЕЛО» pane`);
    }
    events.forEach((_e, i) => {
      const c = eventCells[i] ?? {};
      tr.at(`events[${i}].name`, c.name, elementText($, c.name));
      tr.at(`events[${i}].date`, c.date, elementText($, c.date));
      if (elementText($, c.result)) tr.at(`events[${i}].result`, c.result, elementText($, c.result));
    });
    if (fields.get('registeredAt') && registeredAt) tr.at('registeredAt', cellOf('registeredAt'), fields.get('registeredAt'));
    else if (registeredAt) {
      const i = events.findIndex((e) => ARRIVAL_EVENT.test(e.name));
      tr.at('registeredAt', eventCells[i]?.date, elementText($, eventCells[i]?.date), 'no arrival event');
    } else tr.notLocated('registeredAt', 'no «Дата поступления» row and no arrival event');
    if (effectiveAt && findRuDate(fields.get('effectiveAt'))) tr.at('effectiveAt', cellOf('effectiveAt'), fields.get('effectiveAt'));
    else if (effectiveAt) tr.rule('effectiveAt', 'the date of the last event «вступило в законную силу»', ['events']);
    else tr.notLocated('effectiveAt', 'the card shows no «Дата вступления в законную силу» and no such event');
    if (findRuDate(fields.get('decisionDate')) || fields.get('decisionResult')) {
      for (const [path, f] of [['decision.date', 'decisionDate'], ['decision.result', 'decisionResult']] as const) {
        if (fields.get(f)) tr.at(path, cellOf(f), fields.get(f));
        else tr.notLocated(path, `no «${f}» row in the «ДЕЛО» pane`);
      }
    } else if (decision.result || decision.date) {
      tr.rule('decision.result', 'the latest outcome among the events («Принято решение: …», msudrf OUTCOMES), or the per-person outcome', ['events']);
      tr.rule('decision.date', 'the date of that event', ['events']);
    } else for (const f of ['decision.date', 'decision.result']) tr.notLocated(f, 'no decision row and no outcome event');
    tr.rule('status', 'derived from the decision, the entry into force and the events (parsers/common/case-status.ts deriveCaseStatus)', ['decision.result', 'decision.date', 'effectiveAt', 'registeredAt', 'events']);
    if (record.caseId) tr.rule('caseId', 'read from the query string of the page URL (case_id), not from the page');
    else tr.notLocated('caseId', 'the page URL names no case_id');
  }
  return record;
}

/**
 * Labels of the «ДЕЛО» pane by meaning; exact or prefix match, first alias first. Civil and court-
 * order cards (msudrf_typeB_10sah_…) and КоАП cards (msudrf_typeB_anadyr_…, case_typeB_5mo_…_koap)
 * word them differently.
 */
const CARD_LABELS = {
  uid: ['Уникальный идентификатор дела', 'УИД'],
  registeredAt: ['Дата поступления', 'Дата регистрации'],
  category: ['Категория дела', 'Категория', 'Сущность спора'],
  judge: ['Председательствующий судья', 'Передано в производство судье', 'Судья', 'Мировой судья'],
  decisionDate: ['Дело рассмотрено (выдан приказ)', 'Дата рассмотрения', 'Дата вынесения постановления', 'Дата вынесения решения', 'Дата вынесения', 'Дата решения'],
  decisionResult: ['Результат рассмотрения', 'Результат'],
  effectiveAt: ['Дата вступления в законную силу', 'Дата вступления'],
} as const;
type CardField = keyof typeof CARD_LABELS;

/** The pane's label → value map re-keyed by meaning (see CARD_LABELS). */
function labelled(raw: Map<string, string>): Map<CardField, string> {
  const labels = [...raw.keys()];
  const index = mapColumns(labels, CARD_LABELS, { allowSubstring: false });
  const out = new Map<CardField, string>();
  for (const [field, i] of Object.entries(index) as Array<[CardField, number]>) out.set(field, raw.get(labels[i]!)!);
  return out;
}

/** Label → value of the «ДЕЛО» pane; labels lower-cased, section rows (colspan) skipped. */
function readFields($: CheerioAPI, pane: Element, valueCells?: Map<string, Element>): Map<string, string> {
  const out = new Map<string, string>();
  for (const tr of $(pane).find('tr').toArray()) {
    const cells = $(tr).children('td').toArray();
    if (cells.length < 2 || $(cells[0]).attr('colspan')) continue;
    const label = headerKey(elementText($, cells[0]));
    const value = textOrNull(elementText($, cells[1]));
    if (label && value && !out.has(label)) {
      out.set(label, value);
      valueCells?.set(label, cells[1]!);
    }
  }
  return out;
}

/** Rows of a table as header texts + data rows: the `<thead>` (B) or the first all-`<b>` row (C). */
function table($: CheerioAPI, pane: Element | undefined): { headers: string[]; rows: string[][]; rowCells: Element[][] } {
  if (!pane) return { headers: [], rows: [], rowCells: [] };
  const trs = $(pane).find('tr').toArray();
  const cellsOf = (tr: Element) => $(tr).children('td, th').toArray();
  const isHeader = (tr: Element) => {
    const cells = cellsOf(tr);
    return cells.length > 1 && cells.every((c) => $(c).children('h2, b').length > 0 || $(c).is('th'));
  };
  const h = trs.findIndex(isHeader);
  if (h < 0) return { headers: [], rows: [], rowCells: [] };
  const headers = cellsOf(trs[h]!).map((c) => elementText($, c));
  const rowCells = trs.slice(h + 1)
    .map((tr) => cellsOf(tr))
    .filter((cells) => cells.length > 1 && !$(cells[0]).attr('colspan'));
  const rows = rowCells.map((cells) => cells.map((c) => elementText($, c)));
  return { headers, rows, rowCells };
}

/** The events; `cells`, when given, receives each kept event's cells by field (same order). */
function readEvents($: CheerioAPI, pane: Element | undefined, cells?: Array<Record<string, Element | undefined>>): CaseEvent[] {
  const { headers, rows, rowCells } = table($, pane);
  const col = mapColumns(headers, EVENT_COLUMNS);
  if (col.name === undefined) return [];
  const get = (row: string[], i: number | undefined) => (i === undefined ? null : textOrNull(row[i]));
  const events = rows.map((row) => ({
    name: get(row, col.name) ?? '',
    date: parseRuDate(get(row, col.date)),
    time: parseTime(get(row, col.time)),
    place: get(row, col.place),
    result: get(row, col.result),
    basis: get(row, col.basis),
    // Type C's «Судья» column: «Решение принял: ФИО».
    note: get(row, col.judge),
    publishedAt: parseRuDate(get(row, col.publishedAt)),
  }));
  const kept = events.map((e, i) => ({ e, i })).filter((x) => x.e.name);
  if (cells) for (const { i } of kept) cells.push(Object.fromEntries(Object.entries(col).map(([k, c]) => [k, c === undefined ? undefined : rowCells[i]![c]])));
  return kept.map((x) => x.e);
}

/**
 * The outcome a criminal card prints per accused («Дата рассмотрения дела в отношении лица»,
 * «Результат в отношении лица»; the sudrf criminal card card_oldtpl_leninsky_ufa_1-151-2026 shows
 * the same columns), for a card whose «ДЕЛО» pane has no result.
 */
function personOutcome($: CheerioAPI, pane: Element | undefined): CourtCaseRecord['decision'] {
  const { headers, rows } = table($, pane);
  const col = mapColumns(headers, { date: ['Дата рассмотрения дела в отношении лица'], result: ['Результат в отношении лица'] });
  const row = rows.find((r) => (col.result !== undefined && textOrNull(r[col.result])) || (col.date !== undefined && textOrNull(r[col.date])));
  if (!row) return { date: null, result: null };
  return { date: col.date === undefined ? null : parseRuDate(row[col.date]), result: col.result === undefined ? null : textOrNull(row[col.result]) };
}

/** Parties of one pane; a table without a role column gets `defaultRole` (the «ЛИЦА» pane: the accused). */
function readParties($: CheerioAPI, pane: Element | undefined, defaultRole = ''): CaseParty[] {
  if (!pane) return [];
  // Type C: transposed — a row per attribute, a column per participant.
  const byLabel = new Map<string, string[]>();
  for (const tr of $(pane).find('tr').toArray()) {
    const cells = $(tr).children('td').toArray();
    if (cells.length < 2 || $(cells[0]).children('b').length === 0 || $(cells[1]).children('b').length > 0) continue;
    byLabel.set(headerKey(elementText($, cells[0])), cells.slice(1).map((c) => elementText($, c)));
  }
  const find = (aliases: readonly string[]) => [...byLabel].find(([k]) => aliases.some((a) => k.startsWith(headerKey(a))))?.[1];
  const roles = find(PARTY_COLUMNS.role);
  const names = find(PARTY_COLUMNS.name);
  if (roles && names) {
    const inns = find(PARTY_COLUMNS.inn) ?? [];
    return names.map((name, i) => party(roles[i] ?? '', name, inns[i])).filter((p): p is CaseParty => p !== null);
  }
  const { headers, rows } = table($, pane);
  const col = mapColumns(headers, PARTY_COLUMNS);
  if (col.name === undefined) return [];
  return rows.map((r) => party(col.role === undefined ? defaultRole : r[col.role] ?? '', r[col.name!] ?? '', col.inn === undefined ? undefined : r[col.inn]))
    .filter((p): p is CaseParty => p !== null);
}

function party(role: string, name: string, inn?: string): CaseParty | null {
  const n = textOrNull(name);
  if (!n) return null;
  const r = textOrNull(role) ?? '';
  return { role: r, roleNorm: normalizeRole(r), name: n, inn: textOrNull(inn) };
}

/** Outcomes of a court-order docket, from «Принято решение: …» results (latest wins). */
const OUTCOMES: ReadonlyArray<readonly [RegExp, string]> = [
  [/отмене\s+судебного\s+приказа/i, 'Судебный приказ отменен'],
  [/возвращении\s+заявления/i, 'Заявление возвращено'],
  [/отказано\s+в\s+принятии|отказе\s+в\s+принятии/i, 'Отказано в принятии заявления'],
  [/(?:^|:\s*)судебный\s+приказ\s*$/i, 'Судебный приказ'],
];

/**
 * Type C prints the decision; criminal cards print it per accused; otherwise (type B) the latest
 * outcome among the events is taken.
 */
function readDecision(fields: Map<CardField, string>, events: CaseEvent[], perPerson?: CourtCaseRecord['decision']): CourtCaseRecord['decision'] {
  const printedDate = findRuDate(fields.get('decisionDate'));
  const printedResult = fields.get('decisionResult') ?? null;
  if (printedDate || printedResult) return { date: printedDate ?? perPerson?.date ?? null, result: printedResult ?? perPerson?.result ?? null };
  if (perPerson) return perPerson;
  let out: CourtCaseRecord['decision'] = { date: null, result: null };
  for (const e of events) {
    const hit = OUTCOMES.find(([re]) => re.test(e.result ?? ''));
    if (hit) out = { date: e.date, result: hit[1] };
  }
  return out;
}
