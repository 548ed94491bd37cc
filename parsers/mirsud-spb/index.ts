/** mirsud.spb.ru (St Petersburg magistrates): print-form card, search list, page kinds. */
export { parseMirsudCaseCard, parseMirsudSearchResults, classifyMirsudPage, mirsudCardIds, MIRSUD_HOST } from './mirsud.parser.ts';
/** The mirsud.spb.ru parsers; bump `version` when their output changes for the same page. */
export const MIRSUD_SPB_PARSER = { name: 'mirsud-spb', version: '1.0.0' } as const;
