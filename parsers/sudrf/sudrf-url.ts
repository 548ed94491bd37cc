/** URL helpers for sudrf links: ids, absolute URLs, hosts. Pure string work, no I/O. */

/** Parses a URL, tolerating relative links (resolved against `base`) and junk (→ null). */
export function safeUrl(href: string | null | undefined, base?: string | null): URL | null {
  if (!href) return null;
  try {
    return base ? new URL(href.trim(), base) : new URL(href.trim());
  } catch {
    return null;
  }
}

/** `href` made absolute against `base`; as written when there is no usable base. */
export function absoluteUrl(href: string, base?: string | null): string {
  return safeUrl(href, base)?.toString() ?? href.trim();
}

/** Host of a URL, lower-cased, or null. */
export function hostOf(url: string | null | undefined): string | null {
  return safeUrl(url)?.hostname.toLowerCase() || null;
}

/**
 * sudrf card ids from a link: primary form `case_id`/`case_uid`, "vnkod" form `_id`/`_uid`.
 * Relative links are fine (a dummy base is used).
 */
export function sudrfCaseIds(href: string | null | undefined): { caseId: string | null; caseUid: string | null } {
  const url = safeUrl(href, 'http://sudrf.invalid/');
  if (!url) return { caseId: null, caseUid: null };
  const q = url.searchParams;
  return {
    caseId: q.get('case_id') || q.get('_id') || null,
    caseUid: q.get('case_uid') || q.get('_uid') || null,
  };
}

/** A numeric query parameter (`page`, `_page`), or null. */
export function numericParam(href: string | null | undefined, ...names: string[]): number | null {
  const url = safeUrl(href, 'http://sudrf.invalid/');
  if (!url) return null;
  for (const name of names) {
    const v = url.searchParams.get(name);
    if (v && /^\d+$/.test(v)) return Number(v);
  }
  return null;
}

/**
 * The URL form a court's search form asks for: the new UI names its fields `case__case_numberss`
 * and carries the court code in a `vnkod` input; the primary form names them by register (`g1_case__CASE_NUMBERSS`, the real saved form `g2_case__…`).
 * Null when the page is no search form.
 */
export function readSudrfUrlForm(html: string): { form: 'primary' } | { form: 'vnkod'; vnkod: string } | null {
  if (/name=["']?case__case_numberss/i.test(html)) {
    const m = /name=["']?(?:case__)?vnkod["']?[^>]*value=["']?([0-9]{2}[A-Z]{2}[0-9]{4})/i.exec(html);
    return m ? { form: 'vnkod', vnkod: m[1] as string } : null;
  }
  return /name=["']?[a-z0-9]+_case__CASE_NUMBERSS/i.test(html) ? { form: 'primary' } : null;
}
