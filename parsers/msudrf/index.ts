/** msudrf.ru (magistrate courts): parsers of case cards (layouts B and C), result lists and page kinds. */
export { parseMsudrfCaseCard, detectMsudrfLayout } from './case-card.parser.ts';
export { parseMsudrfSearchResults } from './search-results.parser.ts';
export { classifyMsudrfPage, MSUDRF_COUNT_RE } from './page-kind.ts';
export { isMsudrfHost, sectionOfHost, msudrfCaseId } from './msudrf-url.ts';
export { traceMsudrfCaseCard } from './case-card.parser.ts';
