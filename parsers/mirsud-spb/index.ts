/** mirsud.spb.ru (St Petersburg magistrates): print-form card, search list, page kinds. */
export { parseMirsudCaseCard, parseMirsudSearchResults, classifyMirsudPage, mirsudCardIds, MIRSUD_HOST } from './mirsud.parser.ts';
