/** mos-sud.ru (Moscow magistrates) and mos-gorsud.ru cards, search lists and page kinds (croc platform). */
export { parseMosSudCaseCard, parseMosSudSearchResults, classifyMosSudPage, mosSudCardIds, MOS_SUD_HOST } from './mos-sud.parser.ts';
