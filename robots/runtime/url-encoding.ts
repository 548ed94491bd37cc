import iconv from 'iconv-lite';

/**
 * Builds a query string whose values are percent-encoded in `charset` (sudrf and msudrf expect
 * CP1251: «Найти» → `%CD%E0%E9%F2%E8`). Order is kept; keys are ASCII.
 */
export function encodeQuery(params: ReadonlyArray<readonly [string, string]>, charset = 'win1251'): string {
  return params.map(([k, v]) => `${encodeURIComponent(k)}=${percentEncode(v, charset)}`).join('&');
}

function percentEncode(value: string, charset: string): string {
  const bytes = iconv.encode(value, charset);
  let out = '';
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.~]/.test(ch) ? ch : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
