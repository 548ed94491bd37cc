/**
 * mos-sud.ru (Moscow magistrates) and mos-gorsud.ru cards — the croc platform (TARGETS.md §2.3;
 * written against fixtures/real/mosgorsud/card_mos-gorsud_*.html and the sandbox replica):
 * `div.left`/`div.right` pairs («Cудья» with a Latin C), tables found by their `<h3>` title
 * («История состояний», «Исполнительные документы», «Судебные заседания…»), never by class tokens;
 * hidden mobile clones inside `div#modalTable` are skipped. Search: `div.wrapper-search-tables` (mos-sud)
 * and `table.search-form__table` (mos-gorsud).
 */
import * as cheerio from 'cheerio';
import type { Cheerio, CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { LayoutDriftError } from '../../core/errors.ts';
import type { CaseEvent, CaseParty, CourtCaseRecord, CourtSearchResult, ExecutionDocument, PageKind, ParseContext } from '../../core/records.ts';
import { findCourtUid, normalizeCaseNumber } from '../common/case-number.ts';
import { deriveCaseStatus } from '../common/case-status.ts';
import { mapColumns } from '../common/columns.ts';
import { normalizeRole } from '../common/party-role.ts';
import { findRuDate, parseRuDate, parseTime } from '../common/ru-date.ts';
import { elementText, normalizeSpace, textOrNull } from '../common/text.ts';

export const MOS_SUD_HOST = 'mos-sud.ru';
const EMPTY_RE = /ничего не найдено|не найдено ни одного/i;
const CLONES = '#modalTable';

/** Участок and card UUID from `/<участок>/cases/details/<uuid>`. */
export function mosSudCardIds(url: string | null | undefined): { section: string | null; uuid: string | null; host: string | null } {
  if (!url) return { section: null, uuid: null, host: null };
  try {
    const u = new URL(url, `https://${MOS_SUD_HOST}`);
    const m = /^\/(\d+)\/cases\/details\/([0-9a-f-]{36})/i.exec(u.pathname);
    const uuid = /\/details\/([0-9a-f-]{36})/i.exec(u.pathname)?.[1]?.toLowerCase() ?? null;
    return { section: m?.[1] ?? null, uuid, host: u.hostname.toLowerCase() };
  } catch {
    return { section: null, uuid: null, host: null };
  }
}

/** Pairs of the card, label → value element; the Latin «C» of «Cудья» is folded to Cyrillic. */
function readPairs($: CheerioAPI): Map<string, Cheerio<Element>> {
  const pairs = new Map<string, Cheerio<Element>>();
  $('div.left').each((_, el) => {
    if ($(el).closest(CLONES).length) return;
    const right = $(el).siblings('div.right').first();
    if (!right.length) return;
    const label = elementText($, el).replace(/^C/, 'С').replace(/^c/, 'с');
    if (!pairs.has(label)) pairs.set(label, right);
  });
  return pairs;
}

/** The first table after the `<h3>` titled `title` (outside the mobile clones). */
function tableAfterH3($: CheerioAPI, title: RegExp): Cheerio<Element> | null {
  const h3 = $('h3').toArray().find((h) => title.test(elementText($, h)) && !$(h).closest(CLONES).length && !$(h).closest('footer').length);
  if (!h3) return null;
  const table = $(h3).nextAll('table').first();
  return table.length ? table : null;
}

function tableRows($: CheerioAPI, table: Cheerio<Element>): { header: string[]; rows: string[][]; cells: AnyNode[][] } {
  const header = table.find('thead th, thead td').toArray().map((c) => elementText($, c));
  const trs = table.find('tbody tr').toArray();
  const cells = trs.map((tr) => $(tr).children('td').toArray());
  return { header, rows: cells.map((r) => r.map((c) => elementText($, c))), cells };
}

/** Parties from `<p class="table-bold-text">Роль</p>ФИО<br>` or `<strong>Роль: </strong>ФИО<br>`. */
function readParties($: CheerioAPI, right: Cheerio<Element> | undefined): CaseParty[] {
  if (!right) return [];
  const out: CaseParty[] = [];
  let role = '';
  for (const node of right.contents().toArray()) {
    if (node.type === 'tag' && ['p', 'strong', 'b'].includes((node as Element).name)) {
      role = elementText($, node).replace(/:\s*$/, '');
    } else if (node.type === 'text') {
      const name = normalizeSpace((node as unknown as { data: string }).data);
      if (name && role) out.push({ role, roleNorm: normalizeRole(role), name });
    }
  }
  return out;
}

/** Case card of mos-sud.ru / mos-gorsud.ru. @throws LayoutDriftError when there are no label pairs. */
export function parseMosSudCaseCard(html: string, ctx: ParseContext = {}): CourtCaseRecord {
  const $ = cheerio.load(html);
  const pairs = readPairs($);
  if (!pairs.has('Уникальный идентификатор дела') && ![...pairs.keys()].some((k) => k.startsWith('Номер'))) {
    throw new LayoutDriftError('mos-sud: no card pairs (div.left / div.right)', { selector: 'div.left + div.right' });
  }
  const get = (...labels: string[]) => {
    for (const l of labels) {
      const v = pairs.get(l);
      if (v) return textOrNull(elementText($, v.get(0)));
    }
    return null;
  };
  const numberText = get('Номер дела ~ материала', 'Номер дела', 'Номер материала', 'Номер заявления', 'Номер входящего документа') ?? '';
  const [mainRaw = '', materialRaw] = numberText.split(/\s*[∼~]\s*/);
  const events: CaseEvent[] = [];
  const history = tableAfterH3($, /^История состояний$/i);
  if (history) {
    const { header, rows } = tableRows($, history);
    const col = mapColumns(header, { date: ['Дата'], name: ['Состояние'], basis: ['Документ-основание'] });
    for (const r of rows) events.push({ name: r[col.name ?? 1] ?? '', date: parseRuDate(r[col.date ?? 0]), time: null, result: null, basis: textOrNull(r[col.basis ?? 2]) });
  }
  const sessions = tableAfterH3($, /^Судебные заседания/i);
  if (sessions) {
    const { header, rows } = tableRows($, sessions);
    const col = mapColumns(header, { when: ['Дата и время'], place: ['Зал'], name: ['Стадия'], result: ['Результат'], basis: ['Основание'] });
    for (const r of rows) {
      const when = r[col.when ?? 0] ?? '';
      events.push({ name: r[col.name ?? 2] ?? '', date: findRuDate(when), time: parseTime(when.split(' ')[1]), place: textOrNull(r[col.place ?? 1]), result: textOrNull(r[col.result ?? 3]), basis: col.basis === undefined ? null : textOrNull(r[col.basis]) });
    }
  }
  const executionDocuments: ExecutionDocument[] = [];
  const execs = tableAfterH3($, /^Исполнительные документы$/i);
  if (execs) {
    const { header, rows } = tableRows($, execs);
    const col = mapColumns(header, { title: ['Наименование и дата выдачи'], series: ['Серия и номер бланка'], eid: ['Номер документа'], status: ['Статус отправки'], recipient: ['Кому выдан'] });
    for (const r of rows) {
      const dates = [...(r[col.title ?? 0] ?? '').matchAll(/\d{2}\.\d{2}\.\d{4}/g)].map((m) => m[0]);
      executionDocuments.push({
        issuedAt: parseRuDate(dates.at(-1)),
        seriesNumber: col.series === undefined ? null : textOrNull(r[col.series]),
        electronicId: col.eid === undefined ? null : textOrNull(r[col.eid]),
        status: col.status === undefined ? null : textOrNull(r[col.status]),
        recipient: col.recipient === undefined ? null : textOrNull(r[col.recipient]),
      });
    }
  }
  const decisionText = get('Решение первой инстанции');
  const decision = {
    date: parseRuDate(get('Дата рассмотрения дела в первой инстанции')) ?? findRuDate(decisionText),
    result: decisionText ? textOrNull(decisionText.replace(/,?\s*\d{2}\.\d{2}\.\d{4}\s*$/, '')) : null,
  };
  const effectiveAt = parseRuDate(get('Дата вступления решения в силу'));
  const registeredAt = parseRuDate(get('Дата поступления', 'Дата регистрации'));
  const link = mosSudCardIds(ctx.url);
  const state = readState(html);
  const title = normalizeSpace($('title').first().text());
  const courtName = state?.name ?? title.split(' | ').find((s) => /участ|суд(?:\s|$)/i.test(s) && !/^Официальный портал/i.test(s)) ?? null;
  return {
    court: {
      name: courtName,
      host: link.host ?? MOS_SUD_HOST,
      // From the site (the card's court state), never from the UID: the UID may name another court.
      code: state?.code ?? null,
      section: link.section ?? (state?.url ? /\/(\d+)/.exec(state.url)?.[1] ?? null : null),
    },
    caseNumber: textOrNull(normalizeCaseNumber(mainRaw)),
    materialNumber: materialRaw ? textOrNull(normalizeCaseNumber(materialRaw)) : null,
    previousNumbers: [],
    uid: findCourtUid(get('Уникальный идентификатор дела')),
    caseId: null,
    caseUid: link.uuid,
    instance: null,
    category: get('Категория дела', 'Статья КоАП РФ'),
    judge: get('Судья'),
    registeredAt,
    decision,
    effectiveAt,
    status: deriveCaseStatus({ decisionResult: decision.result, decisionDate: decision.date, effectiveAt, registeredAt, events }),
    parties: readParties($, pairs.get('Стороны')),
    events,
    executionDocuments,
    template: 'mos-sud',
  };
}

/** `window.__state.court` of a card, when the page carries it. */
function readState(html: string): { code?: string; name?: string; url?: string } | null {
  const m = /window\.__state\s*=\s*(\{[\s\S]*?\});\s*<\/script>/.exec(html);
  if (!m?.[1]) return null;
  try {
    const state = JSON.parse(m[1]) as { court?: { code?: string; name?: string; url?: string } };
    return state.court ?? null;
  } catch {
    return null;
  }
}

/** What a mos-sud / mos-gorsud page is. */
export function classifyMosSudPage(html: string): PageKind {
  const $ = cheerio.load(html);
  const labels = $('div.left').toArray().map((el) => elementText($, el));
  if (labels.some((l) => l === 'Уникальный идентификатор дела' || l.startsWith('Номер дела') || l === 'Номер материала')) return 'case_card';
  if ($('div.wrapper-search-tables a.detailsLink[href*="/details/"], table.search-form__table a[href*="/details/"]').length) return 'search_results';
  if (EMPTY_RE.test($('div.wrapper-search-tables, table.search-form__table').text())) return 'search_empty';
  return 'unknown';
}

/** Search results of mos-sud (`a.detailsLink`) and mos-gorsud (`table.search-form__table`). */
export function parseMosSudSearchResults(html: string, ctx: ParseContext = {}): CourtSearchResult {
  const $ = cheerio.load(html);
  const tables = $('div.wrapper-search-tables table, table.search-form__table');
  if (!tables.length) {
    if (EMPTY_RE.test($('div.wrapper-search-tables').text())) return { total: 0, cases: [], template: 'mos-sud-search' };
    throw new LayoutDriftError('mos-sud: no search results table', { selector: 'div.wrapper-search-tables' });
  }
  const base = ctx.url ?? `https://${MOS_SUD_HOST}/`;
  const cases = tables.toArray().flatMap((t) => {
    const { header, rows, cells } = tableRows($, $(t));
    const col = mapColumns(header, { judge: ['Судья'], result: ['Решение первой инстанции'], state: ['Текущее состояние'], category: ['Категория дела'] });
    return cells.flatMap((row, i) => {
      const a = $(row).find('a[href*="/details/"]').first();
      if (!a.length) return [];
      const at = (k: number | undefined) => (k === undefined ? null : textOrNull(rows[i]?.[k]));
      const result = at(col.result) ?? at(col.state);
      return [{
        caseNumber: normalizeCaseNumber(elementText($, a.get(0))),
        url: new URL(a.attr('href') ?? '', base).toString(),
        registeredAt: null,
        judge: at(col.judge),
        decisionDate: findRuDate(result),
        result,
        category: at(col.category),
      }];
    });
  });
  return { total: cases.length, cases, template: 'mos-sud-search' };
}
