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
  if (CAPTCHA_WRONG_RE.test(text)) return 'captcha_wrong';
  if ($('input[name="captchaid"]').length > 0) return 'captcha';
  if (SUDRF_NO_DATA_RE.test(text) || total === '0') return 'search_empty';
  if (NO_SUCH_SERVER_RE.test(text)) return 'no_such_server';
  if (MAINTENANCE_RE.test(text)) return 'maintenance';
  return 'unknown';
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
