/**
 * The kind of an FSSP document from its title (DESIGN.md `document.kind`): постановление о
 * возбуждении / об отказе в возбуждении / об окончании / о прекращении ИП, об удовлетворении или
 * об отказе в удовлетворении заявления (ходатайства), уведомление о ходе ИП. Pure.
 */
import type { DocumentFields } from '../../core/records.ts';
import { normalizeOcrText } from './ocr-text.normalize.ts';

/** DESIGN.md `document.kind`. */
export type DocumentKind = 'ip_opened' | 'ip_ended' | 'ip_terminated' | 'ip_refused' | 'motion_granted' | 'motion_refused' | 'progress_notice' | 'other';

/** Kind plus fields of one document. */
export interface DocumentExtraction {
  kind: DocumentKind;
  fields: DocumentFields;
}

/** The opening words of the body: «Судебный пристав-исполнитель …». */
export const BAILIFF_TITLE = String.raw`Судебн\S*\s+пристав\S*[- ]?\s?исполнител\S*`;

/**
 * Title phrases, most specific first: both refusals contain the granted/opened phrase. The short
 * prepositions are not required — OCR of scans reads «об» as «00» or «о6» — and within the title
 * the noun phrase alone is unambiguous.
 */
const KIND_RULES: Array<[DocumentKind, RegExp]> = [
  ['motion_refused', /отказе\s+в\s+удовлетворении/i],
  ['ip_refused', /отказе\s+в\s+возбуждении/i],
  ['motion_granted', /удовлетворении\s+(?:заявлени|ходатайств|жалоб)/i],
  ['ip_terminated', /прекращении\s+(?:исполнительного|ИП(?![\p{L}]))/iu],
  ['ip_ended', /окончании\s+(?:исполнительного|ИП(?![\p{L}])|и\s+возвращении)/iu],
  ['ip_opened', /возбуждении\s+(?:исполнительного|ИП(?![\p{L}]))/iu],
  ['progress_notice', /уведомлени\S*\s+о\s+ходе/i],
];

/** «П О С Т А Н О В Л Е Н И Е» → «ПОСТАНОВЛЕНИЕ» (titles set with letter spacing). */
export function joinSpacedLetters(text: string): string {
  return text.replace(/(?<![\p{L}])(?:\p{L} ){4,}\p{L}(?![\p{L}])/gu, (m) => m.replace(/ /g, ''));
}

/** The kind of document from its title (the part before the body starts). */
export function classifyDocument(text: string): DocumentKind {
  const flat = joinSpacedLetters(normalizeOcrText(text)).replace(/\s+/g, ' ');
  const bodyAt = flat.search(new RegExp(`${BAILIFF_TITLE}\\s+(?!\\s*$)`, 'i'));
  const title = bodyAt > 0 ? flat.slice(0, bodyAt) : flat.slice(0, 600);
  for (const [kind, re] of KIND_RULES) if (re.test(title)) return kind;
  // A title the header swallowed (OCR merged lines): the first 400 characters of the body.
  const body = flat.slice(Math.max(0, bodyAt), Math.max(0, bodyAt) + 400);
  if (/постановлени/i.test(title)) for (const [kind, re] of KIND_RULES) if (re.test(body)) return kind;
  return 'other';
}
