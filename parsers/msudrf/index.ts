/** msudrf.ru (magistrate courts): parsers of case cards (layouts B and C), result lists and page kinds. */
export { parseMsudrfCaseCard, detectMsudrfLayout } from './case-card.parser.ts';
export { parseMsudrfSearchResults } from './search-results.parser.ts';
export { classifyMsudrfPage, MSUDRF_COUNT_RE } from './page-kind.ts';
export { isMsudrfHost, sectionOfHost, msudrfCaseId } from './msudrf-url.ts';
/** The msudrf parsers; bump `version` when their output changes for the same page. */
export const MSUDRF_PARSER = { name: 'msudrf', version: '1.0.0' } as const;
export { traceMsudrfCaseCard } from './case-card.parser.ts';
