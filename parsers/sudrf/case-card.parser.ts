/**
 * sudrf case card → CourtCaseRecord, for both page templates (TARGETS.md §1.4):
 * - old: `div.title`, `div.casenumber`, tabs `ul.tabs > li#tabN`, panes `div#contN` with
 *   `table#tablcont` (card_oldtpl_*, card_3kas_*);
 * - new: `div.name-instanse`, `div.case-num`, tabs `ul#case_bookmarks > li#tab_id_X`, panes
 *   `div#tab_content_X` with `table.law-case-table`; the `div.mobile-lawcase-item` copies of
 *   every row and the hidden print version are skipped (card_newtpl_*).
 * Panes are identified by their title text (or the new template's tab id), never by position.
 */
import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import type { AnyNode } from 'domhandler';
import type { CaseEvent, CaseParty, CourtCaseRecord, ExecutionDocument, ParseContext } from '../../core/records.ts';
import { LayoutDriftError } from '../../core/errors.ts';
import { findCourtUid, splitCaseNumber } from '../common/case-number.ts';
import { deriveCaseStatus } from '../common/case-status.ts';
import { findRuDate, parseRuDate } from '../common/ru-date.ts';
import { elementText, normalizeSpace, textOrNull } from '../common/text.ts';
import { emptyCaseFields, looksLikeCaseTable, readCaseFields, readEvents, readExecutionDocuments, readParties, type CaseFields, type RowCells } from './card-sections.ts';
import { TRACE_LOAD_OPTIONS, TraceCollector, type ParseTrace } from '../common/trace.ts';
import type { Element } from 'domhandler';
import { readSudrfAppeals } from './appeals.reader.ts';
import { hostOf, sudrfCaseIds } from './sudrf-url.ts';

type PaneKind = 'case' | 'events' | 'parties' | 'execution' | 'other';

/** One tab of a card: its title, what it holds and its main table. */
interface Pane {
  label: string;
  kind: PaneKind;
  table: AnyNode | undefined;
}

/** Tab ids of the new template («tab_id_EventList») say what a pane is regardless of its label. */
const NEW_TAB_KINDS: Record<string, PaneKind> = { Case: 'case', EventList: 'events', PersonList: 'parties' };

function kindOfLabel(label: string): PaneKind {
  const l = normalizeSpace(label).toUpperCase();
  if (/^(ДЕЛО|ПРОИЗВОДСТВО)$/.test(l)) return 'case';
  if (/ДВИЖЕНИЕ ДЕЛА|^СЛУШАНИЯ$/.test(l)) return 'events';
  if (/ИСПОЛНИТЕЛЬН/.test(l)) return 'execution';
  if (/^СТОРОНЫ|^ЛИЦА$|^УЧАСТНИКИ$/.test(l)) return 'parties';
  return 'other';
}

function oldPanes($: CheerioAPI): Pane[] {
  const panes: Pane[] = [];
  const seen = new Set<string>();
  // Tab labels, when the page has tabs; the card's own list is the first `ul.tabs` (the acts pane has its own).
  const tabLabels = new Map<string, string>();
  $('ul.tabs').first().children('li').each((_i, li) => {
    const n = /^tab(\d+)$/.exec($(li).attr('id') ?? '')?.[1];
    if (n) tabLabels.set(n, elementText($, li));
  });
  $('div[id^="cont"]').each((_i, div) => {
    const n = /^cont(\d+)$/.exec($(div).attr('id') ?? '')?.[1];
    if (!n || seen.has(n)) return;
    seen.add(n);
    // `table#tablcont` on served pages; a plain first table in sanitized transcriptions.
    const table = $(div).find('table#tablcont').toArray()[0] ?? $(div).find('table').toArray()[0];
    const title = table ? elementText($, $(table).find('th').toArray()[0]) : '';
    const label = tabLabels.get(n) ?? title;
    // The cassation card labels its case tab «ПРОИЗВОДСТВО» but titles the table «ДЕЛО»: either will do.
    let kind = kindOfLabel(label);
    if (kind === 'other') kind = kindOfLabel(title);
    if (kind === 'other' && table && looksLikeCaseTable($, table)) kind = 'case';
    panes.push({ label, kind, table });
  });
  return panes;
}

function newPanes($: CheerioAPI): Pane[] {
  const labels = new Map<string, string>();
  $('ul#case_bookmarks > li').each((_i, li) => {
    const key = /^tab_id_(.+)$/.exec($(li).attr('id') ?? '')?.[1];
    if (key) labels.set(key, elementText($, li));
  });
  return $('div[id^="tab_content_"]')
    .toArray()
    .map((div) => {
      const key = ($(div).attr('id') ?? '').replace(/^tab_content_/, '');
      const label = labels.get(key) ?? key;
      // The desktop table; `div.mobile-lawcase-item` holds a per-row copy for phones.
      const table = $(div)
        .find('table.law-case-table')
        .toArray()
        .find((t) => $(t).closest('.mobile-lawcase-item').length === 0);
      const kind = NEW_TAB_KINDS[key] ?? kindOfLabel(label);
      return { label, kind, table };
    });
}

/** Which template a card page is, or null when it is neither. */
export function detectCardTemplate($: CheerioAPI): 'sudrf-old' | 'sudrf-new' | null {
  if ($('ul#case_bookmarks').length > 0 || $('div.case-num').length > 0) return 'sudrf-new';
  if ($('div.casenumber').length > 0) return 'sudrf-old';
  return null;
}

/** Court code: the counter's `ssid`, else a `vnkod` in the page, else the UID prefix. */
function courtCode(html: string, uid: string | null): string | null {
  const re = (name: string) => new RegExp(`${name}(?:=|%3D)(\\d{2}[A-Z]{2}\\d{4})\\b`);
  return re('ssid').exec(html)?.[1] ?? re('vnkod').exec(html)?.[1] ?? uid?.slice(0, 8) ?? null;
}

const REGISTRATION_EVENT = /^Регистрация/i;
/** «Вступило в законную силу», «Решение вступило в законную силу» as an event or its result. */
const IN_FORCE_EVENT = /вступ\S*\s+в\s+законную\s+силу/i;
/** Event results that are the decision itself («Вынесено решение по делу», «… заочное решение …»). */
const DECISION_RESULT = /вынесено\s+(?:заочное\s+)?решение|вынесен\s+приговор|вынесено\s+постановление|производство\s+по\s+делу\s+прекращено/i;

/** The last event whose result is the decision, for a card without its «ДЕЛО» pane. */
function decisionFromEvents(events: CaseEvent[]): CourtCaseRecord['decision'] {
  const hit = events.filter((e) => DECISION_RESULT.test(e.result ?? '')).at(-1);
  return { date: hit?.date ?? null, result: hit?.result ?? null };
}

/**
 * Parses a sudrf case card (either template).
 * @throws LayoutDriftError with the selector that missed when the page is not a card.
 * @example parseSudrfCaseCard(decodeHtml(body), { url: 'https://syktsud--komi.sudrf.ru/modules.php?…&case_id=1&case_uid=…' })
 */
export function parseSudrfCaseCard(html: string, ctx: ParseContext = {}): CourtCaseRecord {
  return readCard(cheerio.load(html), html, ctx);
}

/**
 * The same parse, with where each field was read (issue 19 §2): element paths valid in a browser
 * that parsed the page with JavaScript off (the offline renderer), rules for derived fields.
 * @throws what {@link parseSudrfCaseCard} throws.
 */
export function traceSudrfCaseCard(html: string, ctx: ParseContext = {}): { record: CourtCaseRecord; trace: ParseTrace } {
  const trace = new TraceCollector();
  const record = readCard(cheerio.load(html, TRACE_LOAD_OPTIONS), html, ctx, trace);
  return { record, trace: trace.trace };
}

function readCard($: CheerioAPI, html: string, ctx: ParseContext, tr?: TraceCollector): CourtCaseRecord {
  const template = detectCardTemplate($);
  if (!template) {
    throw new LayoutDriftError('sudrf card: neither template recognised (no case number header)', {
      selector: 'div.casenumber | div.case-num',
      url: ctx.url ?? undefined,
    });
  }
  const numberNode = $(template === 'sudrf-old' ? 'div.casenumber' : 'div.case-num').toArray()[0];
  const numberText = elementText($, numberNode);
  const number = splitCaseNumber(numberText);
  if (!number.caseNumber) {
    throw new LayoutDriftError('sudrf card: empty case number header', { selector: 'div.casenumber | div.case-num', url: ctx.url ?? undefined });
  }
  const panes = template === 'sudrf-old' ? oldPanes($) : newPanes($);
  const casePane = panes.find((p) => p.kind === 'case' && p.table);
  // A card may show only some tabs (the movement tab alone: sudrf_oldtpl_leninsky_tyumen_…):
  // read what is there; drift only when none of the case, events or parties panes is present.
  if (!casePane?.table && !panes.some((p) => (p.kind === 'events' || p.kind === 'parties') && p.table)) {
    throw new LayoutDriftError('sudrf card: none of the «ДЕЛО», «ДВИЖЕНИЕ ДЕЛА» or «СТОРОНЫ» panes found', {
      selector: template === 'sudrf-old' ? 'div#contN table («ДЕЛО» | «ДВИЖЕНИЕ ДЕЛА» | «СТОРОНЫ»)' : 'div#tab_content_Case|EventList|PersonList table.law-case-table',
      url: ctx.url ?? undefined,
    });
  }
  const fieldCells: Partial<Record<keyof CaseFields, Element>> = {};
  const fields = casePane?.table ? readCaseFields($, casePane.table, fieldCells) : emptyCaseFields();

  const events: CaseEvent[] = [];
  const parties: CaseParty[] = [];
  const executionDocuments: ExecutionDocument[] = [];
  const eventCells: RowCells[] = [];
  const partyCells: RowCells[] = [];
  for (const pane of panes) {
    if (!pane.table) continue;
    if (pane.kind === 'events') events.push(...readEvents($, pane.table, pane.label, tr && ((c) => eventCells.push(c))));
    if (pane.kind === 'parties') parties.push(...readParties($, pane.table, pane.label, tr && ((c) => partyCells.push(c))));
    if (pane.kind === 'execution') executionDocuments.push(...readExecutionDocuments($, pane.table));
  }

  // «Номер по предыдущей регистрации» «9-1693/2025 ~ М-9111/2025»: both numbers identified this case.
  const previousNumbers = [...number.previousNumbers];
  if (fields.previousRegistration) {
    const prev = splitCaseNumber(fields.previousRegistration);
    for (const n of [prev.caseNumber, ...prev.previousNumbers, prev.materialNumber]) {
      // The intake material the header already shows after «~» is not a previous number (sudrf_oldtpl_syktyvkar_2-1725-2021_…).
      if (n && !previousNumbers.includes(n) && n !== number.materialNumber) previousNumbers.push(n);
    }
  }

  const uid = findCourtUid(fields.uid);
  // Without the «ДЕЛО» pane the movement says when the case came in and when it was decided.
  const decision = casePane
    ? { date: parseRuDate(fields.decisionDate), result: fields.decisionResult }
    : decisionFromEvents(events);
  // The «Дата вступления в законную силу» row, else a dated movement event saying so (shown either way).
  const effectiveAt = findRuDate(fields.effectiveAt)
    ?? events.filter((e) => IN_FORCE_EVENT.test(`${e.name} ${e.result ?? ''}`) && e.date).at(-1)?.date ?? null;
  const registeredAt = parseRuDate(fields.registeredAt) ?? (casePane ? null : events.find((e) => REGISTRATION_EVENT.test(e.name))?.date ?? null);
  // A writ issued is not read as «in force»: real cards show writs days after the decision
  // (immediate execution, card_oldtpl_syktyvkar_2-7212-2025: decided 18.08, writ 21.08.2025).
  const ids = sudrfCaseIds(ctx.url);
  const instanceText = template === 'sudrf-old' ? $('div.title').toArray()[0] : $('div.name-instanse').toArray()[0];
  if (tr) {
    const fieldAt = (path: string, field: keyof CaseFields, value: unknown) =>
      value == null ? tr.notLocated(path, casePane ? `no «${field}» row in the «ДЕЛО» pane` : 'the card shows no «ДЕЛО» pane') : tr.at(path, fieldCells[field], fields[field]);
    const title = $('title').first().toArray()[0];
    tr.at('court.name', title, $(title).text(), 'the page has no <title>');
    tr.at('caseNumber', numberNode, numberText);
    tr.at('instance', instanceText, elementText($, instanceText), 'no instance header');
    fieldAt('uid', 'uid', uid);
    fieldAt('category', 'category', fields.category);
    fieldAt('judge', 'judge', fields.judge);
    for (const f of ['caseId', 'caseUid'] as const) {
      if (ids[f]) tr.rule(f, 'read from the query string of the page URL (case_id / case_uid), not from the page');
      else tr.notLocated(f, 'the page URL names no case_id / case_uid');
    }
    events.forEach((_e, i) => {
      const c = eventCells[i] ?? {};
      tr.at(`events[${i}].name`, c.name, elementText($, c.name));
      tr.at(`events[${i}].date`, c.date, elementText($, c.date));
      if (elementText($, c.result)) tr.at(`events[${i}].result`, c.result, elementText($, c.result));
    });
    parties.forEach((_p, i) => {
      const c = partyCells[i] ?? {};
      tr.at(`parties[${i}].name`, c.name, elementText($, c.name));
      if (c.role) tr.at(`parties[${i}].role`, c.role, elementText($, c.role));
      else tr.rule(`parties[${i}].role`, 'the table has no role column: the pane title is the role');
    });
    // The fields below may come from the «ДЕЛО» pane or, without it, from the movement events.
    const fromEvent = (path: string, i: number, cell: 'date' | 'result', rule: string) => {
      const c = eventCells[i]?.[cell];
      tr.at(path, c, elementText($, c), rule);
    };
    if (casePane) {
      fieldAt('decision.date', 'decisionDate', decision.date);
      fieldAt('decision.result', 'decisionResult', decision.result);
    } else {
      const i = events.findLastIndex((e) => DECISION_RESULT.test(e.result ?? ''));
      if (i >= 0) {
        fromEvent('decision.result', i, 'result', 'no decision event');
        fromEvent('decision.date', i, 'date', 'no decision event');
      } else for (const f of ['decision.date', 'decision.result']) tr.notLocated(f, 'no «ДЕЛО» pane and no event whose result is the decision');
    }
    if (registeredAt && fields.registeredAt) tr.at('registeredAt', fieldCells.registeredAt, fields.registeredAt);
    else if (registeredAt) fromEvent('registeredAt', events.findIndex((e) => REGISTRATION_EVENT.test(e.name)), 'date', 'no registration event');
    else tr.notLocated('registeredAt', 'no «Дата поступления» row and no registration event');
    if (effectiveAt && findRuDate(fields.effectiveAt)) tr.at('effectiveAt', fieldCells.effectiveAt, fields.effectiveAt);
    else if (effectiveAt) {
      const i = events.findLastIndex((e) => IN_FORCE_EVENT.test(`${e.name} ${e.result ?? ''}`) && e.date);
      fromEvent('effectiveAt', i, 'date', 'no in-force event');
    } else tr.notLocated('effectiveAt', 'the card shows no «Дата вступления в законную силу» and no event «вступило в законную силу»');
    tr.rule('status', 'derived from the decision, the entry into force and the events (parsers/common/case-status.ts deriveCaseStatus)', ['decision.result', 'decision.date', 'effectiveAt', 'registeredAt', 'events']);
  }

  return {
    court: {
      name: textOrNull($('title').first().text()),
      host: hostOf(ctx.url),
      code: courtCode(html, uid),
    },
    caseNumber: number.caseNumber,
    materialNumber: number.materialNumber,
    previousNumbers,
    uid,
    caseId: ids.caseId,
    caseUid: ids.caseUid,
    instance: textOrNull(elementText($, instanceText)),
    category: fields.category,
    judge: fields.judge,
    registeredAt,
    decision,
    effectiveAt,
    effectiveAtSource: effectiveAt ? 'shown' : null,
    status: deriveCaseStatus({ decisionResult: decision.result, decisionDate: decision.date, effectiveAt, registeredAt, events }),
    parties,
    events,
    executionDocuments,
    // The «ОБЖАЛОВАНИЕ» tab: whether the decision was appealed, and how that ended (case-finality).
    ...withAppeals(readSudrfAppeals($)),
    template,
  };
}

const withAppeals = (appeals: ReturnType<typeof readSudrfAppeals>) => (appeals.length > 0 ? { appeals } : {});
