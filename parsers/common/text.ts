import type { CheerioAPI } from 'cheerio';
import type { AnyNode } from 'domhandler';

/**
 * Collapses every run of whitespace (incl. NBSP, tabs, newlines, zero-width spaces) to one space
 * and trims. `&nbsp;` is everywhere on sudrf pages, inside values and labels alike.
 */
export function normalizeSpace(text: string | null | undefined): string {
  if (!text) return '';
  return text.replace(/[\u00a0\u2007\u202f\u200b\ufeff]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** `normalizeSpace`, with an empty result turned into null. */
export function textOrNull(text: string | null | undefined): string | null {
  const t = normalizeSpace(text);
  return t === '' ? null : t;
}

/**
 * Text of an element with `<br>` read as a line break (so «A&nbsp;→<br>B» reads «A → B» and
 * «Дата<br>поступления» reads «Дата поступления»), whitespace normalised.
 */
export function elementText($: CheerioAPI, el: AnyNode | undefined | null): string {
  if (!el) return '';
  const clone = $(el).clone();
  clone.find('br').replaceWith(' ');
  clone.find('script, style').remove();
  return normalizeSpace(clone.text());
}

/** Header-matching key: lower case, ё→е, whitespace normalised. */
export function headerKey(text: string): string {
  return normalizeSpace(text).toLowerCase().replace(/ё/g, 'е');
}
