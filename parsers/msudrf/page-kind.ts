/**
 * What kind of magistrate-site page this is, before any parser runs (TARGETS.md §0, §2.1):
 * - captcha: the kcaptcha gate, detected by `form#kcaptchaForm` (not by the word «captcha»;
 *   real: `kcaptcha_gate_perm_59MS0002_puppeteer-dom.html`). A gate that says the code was wrong
 *   is still `captcha` here: the robot's answer is the same (solve the new image).
 * - case_card: `div.lawcase-content` with `ul#tabs` and `div#contentt` (both layouts).
 * - search_results: `div.case-count` «Найдено дел: N» with N > 0 and card links in `table#tablcont`.
 * - search_empty: «Найдено дел: 0» or «Данных по запросу не обнаружено».
 * - rate_limited: the anti-bruteforce answer «Информация временно недоступна» (same hosting as sudrf;
 *   checked before maintenance, whose wording it contains).
 * - geo_block / maintenance: the sudrf wordings (same hosting).
 */
import * as cheerio from 'cheerio';
import type { PageKind } from '../../core/records.ts';
import { normalizeSpace } from '../common/text.ts';
import { ANTI_BRUTEFORCE_RE } from '../sudrf/page-kind.ts';

const GEO_BLOCK_RE = /Этот запрос заблокирован по соображениям безопасности/i;
const MAINTENANCE_RE = /временно недоступ|технически[ех] работ|профилактически[ех] работ/i;
const NO_DATA_RE = /Данных по запросу не обнаружено/i;
/** «Найдено дел: <b>423</b>». */
export const MSUDRF_COUNT_RE = /Найдено\s+дел\s*:\s*(\d+)/i;

/** Classifies a decoded msudrf page. */
export function classifyMsudrfPage(html: string): PageKind {
  const $ = cheerio.load(html);
  $('script, style, noscript').remove();
  const text = normalizeSpace($('body').text() || $.root().text());
  if (GEO_BLOCK_RE.test(text)) return 'geo_block';
  if ($('form#kcaptchaForm').length > 0) return 'captcha';
  if ($('div.lawcase-content').length > 0 && $('div#contentt').length > 0) return 'case_card';
  const total = MSUDRF_COUNT_RE.exec(normalizeSpace($('div.case-count').text()))?.[1];
  const links = $('table#tablcont a[href*="op=cs"], table.tablcont a[href*="op=cs"]').length;
  if (total !== undefined && total !== '0' && links > 0) return 'search_results';
  if (total === '0' || NO_DATA_RE.test(text)) return 'search_empty';
  if (ANTI_BRUTEFORCE_RE.test(text)) return 'rate_limited';
  if (MAINTENANCE_RE.test(text)) return 'maintenance';
  return 'unknown';
}
