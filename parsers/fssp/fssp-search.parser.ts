/**
 * One answer of is.fssp.gov.ru/ajax_search → {@link FsspSearchResult} (DESIGN.md §Contracts
 * `fssp-search`). Input: the JSONP body as sent, bare JSON, or the decoded HTML fragment (`data`).
 *
 * Page contract, written against the real answers in fixtures/real/fssp (2021-08-30):
 * `ajax_search_captcha_challenge` (div#captcha-popup, form#ncapcha, img#capchaVisual),
 * `ajax_search_captcha_wrong_code` (div.empty «Неверно введен код» + a new popup),
 * `ajax_search_empty` (div.empty «По вашему запросу ничего не найдено»),
 * `ajax_search_results_3rows_spb` (div.search-found-total, table.list with 8 fixed headers,
 * tr.region-title separators, a.btn-pay) and `iss_ip_results_page32_multiregion_devtools-copy`
 * (div.pagination with span.active and «Следующая»/«Предыдущая» links, finished proceedings,
 * -СД numbers). Anything else is a LayoutDriftError, never «nothing found».
 */
import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { BadInputError, LayoutDriftError } from '../../core/errors.ts';
import type { EnforcementProceeding, FsspSearchResult, ParseContext } from '../../core/records.ts';
import { parseRuDate } from '../common/ru-date.ts';
import { headerKey, normalizeSpace } from '../common/text.ts';
import {
  departmentCodeOf, normalizeIpNumber, parseEndGround, parseExecutiveDocumentLine, parseFsspMoney, parseSubjectLine,
} from './fssp-fields.ts';
import { unwrapFsspJsonp } from './jsonp.ts';

/** What an FSSP answer is, before parsing it; `unknown` = not a page this parser knows. */
export type FsspPageState = FsspSearchResult['state'] | 'unknown';

const WRONG_CODE_RE = /Неверно введен код/i;
const EMPTY_RE = /По вашему запросу ничего не найдено/i;
const TOTAL_RE = /Найдено записей:\s*(\d+)/i;

/** The eight columns in page order, each recognised by the start of its header text. */
const COLUMNS = [
  ['debtor', 'должник'],
  ['ip', 'исполнительное производство'],
  ['document', 'реквизиты исполнительного документа'],
  ['end', 'дата, причина окончания или прекращения ип'],
  ['service', 'сервис'],
  ['subject', 'предмет исполнения'],
  ['department', 'отдел судебных приставов'],
  ['bailiff', 'судебный пристав-исполнитель'],
] as const;

/** The HTML fragment of an answer (unwrapping JSONP/JSON). @throws BadInputError on a non-null `err`. */
function fragmentOf(text: string, url: string | null | undefined): string {
  let envelope;
  try {
    envelope = unwrapFsspJsonp(text);
  } catch (error) {
    throw new LayoutDriftError('FSSP answer: JSONP argument is not valid JSON', { url: url ?? undefined, cause: error, selector: 'jsonp' });
  }
  if (!envelope) return text;
  if (envelope.err !== null) {
    // Assumption (no real sample carries an error): the site refuses the query itself.
    throw new BadInputError(`FSSP refused the query: ${envelope.err}`, { url: url ?? undefined, target: 'fssp' });
  }
  return envelope.data;
}

function stateOf($: CheerioAPI): FsspPageState {
  const emptyText = normalizeSpace($('div.empty').text());
  const hasPopup = $('#captcha-popup, form#ncapcha').length > 0;
  if (WRONG_CODE_RE.test(emptyText)) return 'wrong_code';
  if (hasPopup) return 'captcha';
  if ($('table.list').length > 0) return 'results';
  if (EMPTY_RE.test(emptyText)) return 'empty';
  return 'unknown';
}

/**
 * Classifies an FSSP answer (JSONP, JSON or the HTML fragment) without reading the rows.
 * A JSONP whose `err` is set classifies as `unknown`.
 */
export function classifyFsspPage(text: string): FsspPageState {
  let html: string;
  try {
    html = fragmentOf(text, null);
  } catch {
    return 'unknown';
  }
  return stateOf(cheerio.load(html));
}

/**
 * Parses one FSSP answer.
 * @throws LayoutDriftError when the answer is none of the four states or its table is not the known one.
 * @throws BadInputError when the JSONP carries an `err` message.
 */
export function parseFsspSearch(text: string, ctx: ParseContext = {}): FsspSearchResult {
  const html = fragmentOf(text, ctx.url);
  const $ = cheerio.load(html);
  const state = stateOf($);
  const pageFromUrl = Number(/[?&]page=(\d+)/.exec(ctx.url ?? '')?.[1] ?? '1') || 1;
  const base = { total: 0, proceedings: [] as EnforcementProceeding[], page: pageFromUrl, nextPage: null };
  if (state === 'unknown') {
    throw new LayoutDriftError('FSSP answer: not a captcha, wrong-code, empty or results page', { url: ctx.url ?? undefined, selector: 'div.empty | #captcha-popup | table.list' });
  }
  if (state === 'empty') return { state, ...base };
  if (state === 'captcha' || state === 'wrong_code') {
    const src = $('img#capchaVisual').attr('src') ?? $('#captcha-popup img').first().attr('src') ?? '';
    const m = /^data:image\/[a-z]+;base64,(.+)$/s.exec(src.trim());
    if (!m?.[1]) throw new LayoutDriftError('FSSP captcha popup without a data: image', { url: ctx.url ?? undefined, selector: 'img#capchaVisual[src^=data:]' });
    return { state, ...base, captcha: { imageBase64: m[1].replace(/\s+/g, '') } };
  }
  const proceedings = readTable($, ctx);
  const totalText = TOTAL_RE.exec(normalizeSpace($('div.search-found-total').text()) || normalizeSpace($.root().text()))?.[1];
  const { page, nextPage } = readPagination($, pageFromUrl);
  return { state, total: totalText !== undefined ? Number(totalText) : proceedings.length, proceedings, page, nextPage };
}

/** The cell's lines: `<br>` splits, tags dropped, whitespace normalised, empty lines skipped. */
function cellLines($: CheerioAPI, cell: AnyNode): string[] {
  const clone = $(cell).clone();
  clone.find('script, style').remove();
  clone.find('br').replaceWith('\n');
  return clone.text().split('\n').map((s) => normalizeSpace(s)).filter((s) => s !== '');
}

function readTable($: CheerioAPI, ctx: ParseContext): EnforcementProceeding[] {
  const table = $('table.list').first();
  const headers = table.find('tr').first().find('th').toArray().map((th) => headerKey($(th).text()));
  const columnsOk = headers.length === COLUMNS.length && COLUMNS.every(([, start], i) => headers[i]?.startsWith(start));
  if (!columnsOk) {
    throw new LayoutDriftError(`FSSP results table: unexpected headers (${headers.length} columns)`, { url: ctx.url ?? undefined, selector: 'table.list tr:first-child th' });
  }
  const out: EnforcementProceeding[] = [];
  let region: string | null = null;
  // Rows may sit in an inserted <tbody> (browser DOM copies) or directly under <table> (the wire).
  for (const tr of table.find('tr').toArray() as Element[]) {
    const $tr = $(tr);
    if ($tr.find('th').length > 0) continue;
    if ($tr.hasClass('region-title')) {
      region = normalizeSpace($tr.find('h3').text() || $tr.text()) || null;
      continue;
    }
    const cells = $tr.children('td').toArray();
    if (cells.length === 0) continue;
    if (cells.length !== COLUMNS.length) {
      throw new LayoutDriftError(`FSSP results row with ${cells.length} cells (expected 8)`, { url: ctx.url ?? undefined, selector: 'table.list tr > td' });
    }
    out.push(readRow($, cells, region, ctx));
  }
  return out;
}

function readRow($: CheerioAPI, cells: AnyNode[], region: string | null, ctx: ParseContext): EnforcementProceeding {
  // The service cell (index 4) is read through its pay button: its text is only the _ipServices script.
  const [debtorCell, ipCell, docCell, endCell, , subjectCell, deptCell, bailiffCell] = cells.map((c) => cellLines($, c));
  const pay = $(cells[4] as AnyNode).find('a.btn-pay').first();

  const ipLines = ipCell ?? [];
  const ipMatch = /^(.*?)\s+от\s+(\d{1,2}\.\d{1,2}\.\d{4})/.exec(ipLines[0] ?? '');
  const ipNumber = normalizeIpNumber(ipMatch?.[1] ?? ipLines[0]) ?? normalizeIpNumber(pay.attr('data-ip'));
  if (!ipNumber) {
    throw new LayoutDriftError('FSSP results row without an ИП number', { url: ctx.url ?? undefined, selector: 'table.list td:nth-child(2)' });
  }
  const sdNumber = ipLines.slice(1).map((l) => normalizeIpNumber(l)).find((n) => n?.endsWith('-СД')) ?? null;

  const [name = '', second, ...rest] = debtorCell ?? [];
  const birthDate = parseRuDate(second);
  const placeLines = birthDate ? rest : [second, ...rest].filter((s): s is string => !!s);

  const docLines = docCell ?? [];
  const doc = parseExecutiveDocumentLine(docLines[0] ?? '');
  const issuer = docLines.length > 1 ? (docLines[docLines.length - 1] ?? null) : null;

  const endLines = endCell ?? [];
  let ended: EnforcementProceeding['ended'] = null;
  if (endLines.length > 0) {
    const date = parseRuDate(endLines[0]);
    const ground = parseEndGround(endLines.slice(date ? 1 : 0).join(' '));
    ended = { date, article: ground.article, part: ground.part, point: ground.point, ground: ground.ground };
  }

  const [deptName = null, ...deptAddress] = deptCell ?? [];
  const [bailiffName = null] = bailiffCell ?? [];
  const phone = normalizeSpace($(cells[7] as AnyNode).find('b').first().text()) || (bailiffCell?.[1] ?? null);
  const debtRestAttr = pay.attr('debt-rest');

  return {
    ipNumber,
    ipDate: parseRuDate(ipMatch?.[2]),
    sdNumber,
    debtor: { name, birthDate, birthPlace: placeLines.length > 0 ? placeLines.join(', ') : null },
    executiveDocument: { type: doc.type, date: doc.date, number: doc.number, issuer },
    extraDocuments: docLines.slice(1, -1),
    ended,
    subjects: (subjectCell ?? []).map(parseSubjectLine),
    debtRest: debtRestAttr === undefined ? null : parseFsspMoney(debtRestAttr),
    department: { name: deptName, address: deptAddress.length > 0 ? deptAddress.join(', ') : null, code: departmentCodeOf(ipNumber) },
    bailiff: { name: bailiffName, phone: phone || null },
    region,
    uin: pay.attr('data-uin')?.trim() || null,
  };
}

/** Page shown and next page from `div.pagination` (absent on a single page). */
function readPagination($: CheerioAPI, fallbackPage: number): { page: number; nextPage: number | null } {
  const box = $('div.pagination').first();
  if (box.length === 0) return { page: fallbackPage, nextPage: null };
  const active = Number(normalizeSpace(box.find('span.active').first().text()));
  const page = Number.isInteger(active) && active > 0 ? active : fallbackPage;
  const pageOf = (href: string | undefined) => Number(/[?&]page=(\d+)/.exec(href ?? '')?.[1] ?? NaN);
  const next = box.find('a').toArray().find((a) => /Следующая/i.test($(a).text()));
  if (next) return { page, nextPage: pageOf($(next).attr('href')) || null };
  const higher = box.find('a').toArray().map((a) => pageOf($(a).attr('href'))).filter((n) => n > page);
  return { page, nextPage: higher.length > 0 ? Math.min(...higher) : null };
}
