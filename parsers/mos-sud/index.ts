/** mos-sud.ru (Moscow magistrates) and mos-gorsud.ru cards, search lists and page kinds (croc platform). */
export { parseMosSudCaseCard, parseMosSudSearchResults, classifyMosSudPage, mosSudCardIds, MOS_SUD_HOST } from './mos-sud.parser.ts';
/** The mos-sud.ru / mos-gorsud.ru parsers; bump `version` when their output changes for the same page. */
export const MOS_SUD_PARSER = { name: 'mos-sud', version: '1.0.0' } as const;
