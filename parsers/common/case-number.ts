import { normalizeSpace } from './text.ts';

/** The parts of a displayed case number. */
export interface CaseNumberParts {
  /** Current number without previous numbers or material part: «2-5/2026», «8Г-2430/2026 [88-4097/2026]». */
  caseNumber: string | null;
  /** Numbers in parentheses after the current one: «(2-13/2025; 2-2935/2024;)». */
  previousNumbers: string[];
  /** Material number after «~»: «М-7523/2025». */
  materialNumber: string | null;
}

/**
 * Splits a sudrf display number.
 * @example splitCaseNumber('ДЕЛО № 2-5/2026 (2-13/2025; 2-2935/2024;) ~ М-2773/2024')
 *   // → { caseNumber: '2-5/2026', previousNumbers: ['2-13/2025', '2-2935/2024'], materialNumber: 'М-2773/2024' }
 * The cassation form «8Г-2430/2026 [88-4097/2026]» is kept whole: the bracketed part is the
 * court's own second number of the same proceeding, shown that way in lists and cards alike.
 */
export function splitCaseNumber(raw: string | null | undefined): CaseNumberParts {
  let text = normalizeSpace(raw).replace(/^ДЕЛО\s*/i, '').replace(/^№\s*/, '');
  let materialNumber: string | null = null;
  const tilde = text.indexOf('~');
  if (tilde >= 0) {
    materialNumber = normalizeCaseNumber(text.slice(tilde + 1)) || null;
    text = text.slice(0, tilde);
  }
  const previousNumbers: string[] = [];
  text = text.replace(/\(([^)]*)\)/g, (_m, inner: string) => {
    for (const part of inner.split(/[;,]/)) {
      const n = normalizeCaseNumber(part);
      if (n) previousNumbers.push(n);
    }
    return ' ';
  });
  const caseNumber = normalizeCaseNumber(text) || null;
  return { caseNumber, previousNumbers, materialNumber };
}

/**
 * Whitespace normalised, and Latin look-alikes in the index prefix turned Cyrillic
 * (`M-` → `М-`, `2a-` → `2а-`, `8G-` → `8Г-`), as OCR and some courts write them (DOMAIN.md §2.1).
 */
export function normalizeCaseNumber(raw: string): string {
  return normalizeSpace(raw)
    .replace(/^M(?=-)/, 'М')
    .replace(/^(\d{1,2})a(?=-)/, '$1а')
    .replace(/^(\d{1,2})A(?=-)/, '$1А')
    .replace(/^(\d{1,2})G(?=-)/, '$1Г');
}

/** The court UID (УИД) format; a masked one (`68RS0№-27`) does not match. */
export const COURT_UID_RE = /\b\d{2}[A-Z]{2}\d{4}-\d{2}-\d{4}-\d{6}-\d{2}\b/;

/** The UID inside a text, or null. */
export function findCourtUid(text: string | null | undefined): string | null {
  return COURT_UID_RE.exec(normalizeSpace(text))?.[0] ?? null;
}
