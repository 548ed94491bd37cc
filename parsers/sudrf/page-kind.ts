/**
 * What kind of sudrf page this is, before any parser runs, so that a captcha, a block or a
 * maintenance page is never read as «0 results» (TARGETS.md §0 «Page-state classification»).
 * Markers and their evidence:
 * - captcha_wrong: `div#error` «Неверно указан проверочный код с картинки.» — seen in
 *   listing_captcha_gate_kas (a cassation listing asked without a valid code gets exactly this
 *   page, so it means «solve a captcha and retry» either way). «Неверный код» is also accepted
 *   (assumption: wording not seen in a real page).
 * - captcha: a search form with `input[name=captchaid]` (search_form_captcha_cp1251_raw) and no results.
 * - geo_block: «Этот запрос заблокирован по соображениям безопасности» (reported by
 *   arvidsever/sudrfpractice, no saved sample).
 * - no_such_server: «Указанный сервер СДП не найден» — the court has no such `srv_num`, so a
 *   robot walking servers 1…3 stops there (assumption from public scrapers; no saved sample).
 * - rate_limited: the anti-bruteforce answer «Информация временно недоступна» (issue 14; a public
 *   msudrf client's test stubs a card with «Информация временно недоступна. Попробуйте обратиться
 *   позже.»; no saved real page here). Checked before maintenance, whose wording it contains.
 * - server_choice: a landing «Выберите сервер» with links carrying `srv_num=` (issue 14; no saved
 *   sample): robots follow the links, see {@link readSudrfServerChoices}.
 * - maintenance: «временно недоступ…», «технические работы» (assumption; no saved sample).
 * - search_empty: «Данных по запросу не обнаружено» (public scrapers; no saved sample).
 */
import * as cheerio from 'cheerio';
import type { PageKind } from '../../core/records.ts';
import { normalizeSpace } from '../common/text.ts';
import { SUDRF_NO_DATA_RE } from './search-results.parser.ts';

const GEO_BLOCK_RE = /Этот запрос заблокирован по соображениям безопасности/i;
const CAPTCHA_WRONG_RE = /Неверно указан проверочный код|Неверный (?:проверочный )?код/i;
const MAINTENANCE_RE = /временно недоступ|технически[ех] работ|профилактически[ех] работ/i;
const NO_SUCH_SERVER_RE = /Указанный сервер СДП не найден/i;
/** The anti-bruteforce answer of sudrf and msudrf hosting (see the file comment). */
export const ANTI_BRUTEFORCE_RE = /Информация\s+временно\s+недоступна/i;
const SERVER_CHOICE_RE = /Выберите\s+сервер/i;
/** `div.casenumber`, `div.case-num` (both templates) or `ul#case_bookmarks`, as raw markup. */
const CARD_MARKER_RE = /<div\b[^>]*\bclass\s*=\s*["'](?:[^"']*\s)?(?:casenumber|case-num)(?:\s[^"']*)?["']|<ul\b[^>]*\bid\s*=\s*["']case_bookmarks["']/i;
const TOTAL_RE = /Всего по запросу найдено\s*[—–-]\s*(\d+)/i;

/** Classifies a decoded sudrf page. */
export function classifySudrfPage(html: string): PageKind {
  // Fast path for the page robots see most: a card is recognised from its markup without building
  // a DOM (cheerio.load costs about a third of a card parse).
  if (CARD_MARKER_RE.test(html) && !GEO_BLOCK_RE.test(html)) return 'case_card';
  const $ = cheerio.load(html);
  $('script, style, noscript').remove();
  const text = normalizeSpace($('body').text() || $.root().text());
  if (GEO_BLOCK_RE.test(text)) return 'geo_block';
  if ($('div.casenumber, div.case-num, ul#case_bookmarks').length > 0) return 'case_card';
  const hasCaseLinks = $('a[href*="name_op=case"]').toArray().some((a) => $(a).closest('#resultTable, table#tablcont').length > 0);
  const total = TOTAL_RE.exec(text)?.[1];
  if (hasCaseLinks && total !== '0') return 'search_results';
  if (ANTI_BRUTEFORCE_RE.test(text)) return 'rate_limited';
  if (SERVER_CHOICE_RE.test(text) && $('a[href*="srv_num="]').length > 0) return 'server_choice';
  if (CAPTCHA_WRONG_RE.test(text)) return 'captcha_wrong';
  if ($('input[name="captchaid"]').length > 0) return 'captcha';
  if (SUDRF_NO_DATA_RE.test(text) || total === '0') return 'search_empty';
  if (NO_SUCH_SERVER_RE.test(text)) return 'no_such_server';
  if (MAINTENANCE_RE.test(text)) return 'maintenance';
  return 'unknown';
}

/** One database server a «Выберите сервер» landing links to. */
export interface SudrfServerChoice {
  /** `srv_num` of the link. */
  srvNum: number;
  /** The link, absolute when the page URL is known. */
  url: string;
  /** The link text, e.g. «Сервер 2» or the cartoteka's name. */
  name: string;
}

/**
 * The server links of a «Выберите сервер» landing, in page order, one per `srv_num`.
 * @example readSudrfServerChoices(html, 'https://court.sudrf.ru/modules.php?name=sud_delo') // [{ srvNum: 1, url: 'https://court.sudrf.ru/modules.php?…&srv_num=1…', name: 'Сервер 1' }, …]
 */
export function readSudrfServerChoices(html: string, pageUrl?: string | null): SudrfServerChoice[] {
  const $ = cheerio.load(html);
  const out: SudrfServerChoice[] = [];
  for (const a of $('a[href*="srv_num="]').toArray()) {
    const href = $(a).attr('href') ?? '';
    const srvNum = Number(/[?&]srv_num=(\d+)/.exec(href)?.[1]);
    if (!Number.isInteger(srvNum) || srvNum < 1 || out.some((c) => c.srvNum === srvNum)) continue;
    let url = href;
    try {
      url = pageUrl ? new URL(href, pageUrl).toString() : href;
    } catch {
      // A link the URL parser refuses is kept as written.
    }
    out.push({ srvNum, url, name: normalizeSpace($(a).text()) });
  }
  return out;
}

/**
 * The captcha of a sudrf search form: the inline PNG (`<img src="data: image/png;base64, …">`,
 * note the space after `data:`) and the hidden `captchaid`. Null when the page has none.
 */
export function extractSudrfCaptcha(html: string): { imageBase64: string; captchaId: string } | null {
  const $ = cheerio.load(html);
  const captchaId = $('input[name="captchaid"]').attr('value')?.trim();
  const src = $('img[src*="base64"]')
    .toArray()
    .map((img) => $(img).attr('src') ?? '')
    .find((s) => /^\s*data:\s*image\/[\w.+-]+\s*;\s*base64\s*,/i.test(s));
  if (!captchaId || !src) return null;
  const imageBase64 = src.slice(src.indexOf(',') + 1).replace(/\s+/g, '');
  return imageBase64 ? { imageBase64, captchaId } : null;
}
