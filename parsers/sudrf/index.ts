/** sudrf.ru (ГАС «Правосудие», federal courts): parsers of case cards, search results and page kinds. */
export { parseSudrfCaseCard, detectCardTemplate } from './case-card.parser.ts';
export { parseSudrfSearchResults, SUDRF_NO_DATA_RE } from './search-results.parser.ts';
export { classifySudrfPage, extractSudrfCaptcha } from './page-kind.ts';
export { readExecutionDocuments, readEvents, readParties, readCaseFields } from './card-sections.ts';
export { sudrfCaseIds, absoluteUrl, hostOf } from './sudrf-url.ts';
