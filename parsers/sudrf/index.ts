/** sudrf.ru (ГАС «Правосудие», federal courts): parsers of case cards, search results and page kinds. */
export { parseSudrfCaseCard, detectCardTemplate } from './case-card.parser.ts';
export { parseSudrfSearchResults, SUDRF_NO_DATA_RE } from './search-results.parser.ts';
export { classifySudrfPage, extractSudrfCaptcha, readSudrfServerChoices, ANTI_BRUTEFORCE_RE } from './page-kind.ts';
export type { SudrfServerChoice } from './page-kind.ts';
export { readExecutionDocuments, readEvents, readParties, readCaseFields } from './card-sections.ts';
export { sudrfCaseIds, absoluteUrl, hostOf } from './sudrf-url.ts';
/** The sudrf parsers (cards and search results); bump `version` when their output changes for the same page. */
export const SUDRF_PARSER = { name: 'sudrf', version: '1.1.0' } as const;
export { traceSudrfCaseCard } from './case-card.parser.ts';
