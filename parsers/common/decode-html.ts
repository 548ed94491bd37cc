import iconv from 'iconv-lite';

/**
 * Charset rule (in this order):
 * 1. a `charset=` in the Content-Type header wins (what the server said is what it sent);
 * 2. without a header, bytes that are valid UTF-8 are UTF-8 — saved copies of sudrf pages are
 *    UTF-8 text that still carries `<meta charset="windows-1251">` (see fixtures/real/SOURCES.md),
 *    and real CP1251 Cyrillic is practically never valid UTF-8;
 * 3. else the `<meta charset>` / `http-equiv` declaration in the first 2 KB;
 * 4. else windows-1251, the courts' encoding (TARGETS.md §0).
 */
const META_SNIFF_BYTES = 2048;
const DEFAULT_CHARSET = 'windows-1251';

/**
 * Decodes a saved or fetched page to a string.
 * @param bytes raw body
 * @param contentTypeHeader e.g. `text/html; charset=windows-1251`; optional
 * @example decodeHtml(body, res.headers['content-type'])
 */
export function decodeHtml(bytes: Buffer | Uint8Array, contentTypeHeader?: string | null): string {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fromHeader = charsetFromContentType(contentTypeHeader);
  if (fromHeader && iconv.encodingExists(fromHeader)) return stripBom(iconv.decode(buf, fromHeader));
  if (isValidUtf8(buf)) return stripBom(buf.toString('utf8'));
  const fromMeta = sniffMetaCharset(buf);
  const charset = fromMeta && iconv.encodingExists(fromMeta) ? fromMeta : DEFAULT_CHARSET;
  return stripBom(iconv.decode(buf, charset));
}

/** The `charset` parameter of a Content-Type header, lower-cased, or null. */
export function charsetFromContentType(header?: string | null): string | null {
  if (!header) return null;
  const m = /charset\s*=\s*["']?([\w.:-]+)/i.exec(header);
  return m?.[1] ? m[1].toLowerCase() : null;
}

/** The charset declared by `<meta charset>` or `<meta http-equiv=Content-Type>` in the first 2 KB. */
export function sniffMetaCharset(bytes: Buffer): string | null {
  // latin1 keeps every byte as one char, so ASCII markup is readable whatever the real charset.
  const head = bytes.subarray(0, META_SNIFF_BYTES).toString('latin1');
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head);
  return m?.[1] ? m[1].toLowerCase() : null;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** True when the bytes decode as UTF-8 without a single malformed sequence. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    utf8Strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
