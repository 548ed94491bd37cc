/** Text helpers shared by every parser: decoding, whitespace, dates, roles, numbers, status. */
export { decodeHtml, charsetFromContentType, sniffMetaCharset, isValidUtf8 } from './decode-html.ts';
export { normalizeSpace, textOrNull, elementText, headerKey } from './text.ts';
export { parseRuDate, findRuDate, parseTime } from './ru-date.ts';
export { normalizeRole } from './party-role.ts';
export { splitCaseNumber, normalizeCaseNumber, findCourtUid, COURT_UID_RE } from './case-number.ts';
export type { CaseNumberParts } from './case-number.ts';
export { deriveCaseStatus, withListedEffectiveAt } from './case-status.ts';
export type { CaseStatusInput } from './case-status.ts';
export { mapColumns } from './columns.ts';
export { errorForPageKind, ANTI_BRUTEFORCE_RETRY_MS } from './page-kind-error.ts';
export type { PageKindErrorContext } from './page-kind-error.ts';
export { parserTag, parserOfTag, type ParserRef } from './parser-ref.ts';
export { TraceCollector, elementPath, TRACE_LOAD_OPTIONS } from './trace.ts';
export type { FieldTrace, ParseTrace, ElementTrace, RuleTrace, NotLocatedTrace } from './trace.ts';
