/**
 * Traced parses (issue 19 §2): the record a parser returns for a captured page together with where
 * on the page it read each field. Portals without a traced parser answer null: their pictures say
 * the values were not located rather than guess.
 */
import type { CourtCaseRecord } from '../core/records.ts';
import { decodeHtml } from './common/decode-html.ts';
import type { ParseTrace } from './common/trace.ts';
import { detectCardTemplate, traceSudrfCaseCard } from './sudrf/case-card.parser.ts';
import { hostOf } from './sudrf/sudrf-url.ts';
import { traceMsudrfCaseCard } from './msudrf/case-card.parser.ts';
import { isMsudrfHost } from './msudrf/msudrf-url.ts';
import * as cheerio from 'cheerio';

export interface TracedParse {
  /** Which traced parser read the page. */
  parser: string;
  record: CourtCaseRecord;
  trace: ParseTrace;
}

/**
 * The traced parse of a captured page, or null when no traced parser reads pages of its kind (not
 * a sudrf or msudrf case card, or a card the parser refuses: the error stays the lookup's, not the picture's).
 * @example traceCapturedPage(body, 'text/html; charset=windows-1251', 'https://oktyabrsky--ufa.sudrf.ru/modules.php?…')
 */
export function traceCapturedPage(body: Buffer, contentType: string | null, url: string | null): TracedParse | null {
  const host = hostOf(url);
  if (isMsudrfHost(host)) {
    try {
      return { parser: 'msudrf-case-card', ...traceMsudrfCaseCard(decodeHtml(body, contentType), { url }) };
    } catch {
      // Not a card (the kcaptcha gate, a results list): no traced parser reads it.
      return null;
    }
  }
  if (host !== null && host !== 'sudrf.ru' && !host.endsWith('.sudrf.ru')) return null;
  const html = decodeHtml(body, contentType);
  if (!detectCardTemplate(cheerio.load(html))) return null;
  try {
    return { parser: 'sudrf-case-card', ...traceSudrfCaseCard(html, { url }) };
  } catch {
    return null;
  }
}
