/**
 * Small helpers shared by the sudrf page templates: HTML escaping, CP1251 bytes, CP1251 query strings.
 */
import iconv from 'iconv-lite';

/** Escape text for HTML content and attribute values. */
export function esc(text: string | number | null | undefined): string {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** `YYYY-MM-DD` → `DD.MM.YYYY`; empty for null. */
export function ruDate(iso: string | null | undefined): string {
  return iso ? `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}` : '';
}

/**
 * Encode a page as windows-1251 bytes (what every sudrf server sends). Characters CP1251 lacks
 * (→, emoji…) become numeric entities, as PHP's htmlentities-based output does, never «?».
 */
export function toCp1251(html: string): Buffer {
  const safe = html.replace(/[^\u0000-\u007f]/gu, (ch) =>
    iconv.decode(iconv.encode(ch, 'win1251'), 'win1251') === ch ? ch : `&#${ch.codePointAt(0)};`);
  return iconv.encode(safe, 'win1251');
}

/** Percent-encode text as CP1251 bytes, the way sudrf forms submit Cyrillic (`Найти` → `%CD%E0%E9%F2%E8`). */
export function encodeCp1251Component(text: string): string {
  let out = '';
  for (const byte of iconv.encode(text, 'win1251')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Parse a raw query string whose values are CP1251 percent-encoded. Keys are matched
 * case-insensitively by the caller (the site mixes `G1_PARTS__NAMESS` and `g1_case__CASE_NUMBERSS`).
 * Stray UTF-8 is not guessed at: bytes are read as CP1251, as the real PHP does.
 */
export function parseCp1251Query(rawQuery: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of rawQuery.replace(/^\?/, '').split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = decodeBytes(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeBytes(pair.slice(eq + 1));
    out.set(key.toLowerCase(), value);
  }
  return out;
}

function decodeBytes(text: string): string {
  const bytes: number[] = [];
  const src = text.replace(/\+/g, ' ');
  for (let i = 0; i < src.length; i++) {
    const hex = src.slice(i + 1, i + 3);
    if (src[i] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      // Literal characters: ASCII as is; anything else re-encoded so it survives the CP1251 decode.
      for (const b of iconv.encode(src[i] as string, 'win1251')) bytes.push(b);
    }
  }
  return iconv.decode(Buffer.from(bytes), 'win1251');
}
