/** sudrf.ru (ГАС «Правосудие», federal courts): parsers of case cards, search results and page kinds. */
export { parseSudrfCaseCard, detectCardTemplate } from './case-card.parser.ts';
export { parseSudrfSearchResults, SUDRF_NO_DATA_RE } from './search-results.parser.ts';
export { classifySudrfPage, extractSudrfCaptcha, readSudrfServerChoices, ANTI_BRUTEFORCE_RE } from './page-kind.ts';
export type { SudrfServerChoice } from './page-kind.ts';
export { readExecutionDocuments, readEvents, readParties, readCaseFields } from './card-sections.ts';
export { sudrfCaseIds, absoluteUrl, hostOf } from './sudrf-url.ts';
export { traceSudrfCaseCard } from './case-card.parser.ts';
