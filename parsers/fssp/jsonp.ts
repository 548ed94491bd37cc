/**
 * The is.fssp.gov.ru `ajax_search` wire format (fixtures `fssp/ajax_search_*.jsonp`, byte-exact):
 * `/**\/ typeof <cb> === 'function' && <cb>({"data":"<html…>","err":null});`. A bare JSON object
 * `{"data":…,"err":…}` (no callback) is accepted too; anything else is treated as the HTML fragment.
 */

/** The payload of one answer. */
export interface FsspEnvelope {
  /** The HTML fragment the page inserts. */
  data: string;
  /** The site's error message, or null (always null in every real answer seen). */
  err: string | null;
  /** The JSONP callback name, or null for bare JSON / HTML. */
  callback: string | null;
}

const JSONP_RE = /^\s*(?:\/\*\*\/)?\s*typeof\s+([\w$.]+)\s*===\s*['"]function['"]\s*&&\s*([\w$.]+)\(([\s\S]*)\)\s*;?\s*$/;

/**
 * Unwraps JSONP or JSON; returns null when `text` is neither (then it is an HTML fragment).
 * @throws SyntaxError when the text looks like JSONP but its argument is not valid JSON.
 */
export function unwrapFsspJsonp(text: string): FsspEnvelope | null {
  const m = JSONP_RE.exec(text);
  let json: string;
  let callback: string | null = null;
  if (m) {
    callback = m[1] ?? null;
    json = m[3] ?? '';
  } else if (/^\s*\{\s*"(?:data|err)"/.test(text)) {
    json = text;
  } else {
    return null;
  }
  const value = JSON.parse(json) as { data?: unknown; err?: unknown };
  const data = typeof value.data === 'string' ? value.data : '';
  const err = value.err === null || value.err === undefined || value.err === '' ? null : String(value.err);
  return { data, err, callback };
}
