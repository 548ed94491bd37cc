/** FSSP bank of enforcement proceedings (is.fssp.gov.ru/ajax_search): search answers and field rules. */
export { parseFsspSearch, classifyFsspPage, type FsspPageState } from './fssp-search.parser.ts';
export {
  normalizeIpNumber, departmentCodeOf, parseEndGround, parseFsspMoney, parseExecutiveDocumentLine, parseSubjectLine,
  IP_NUMBER_RE, IP_NUMBER_LEGACY_RE, type EndGround, type ExecutiveDocumentLine,
} from './fssp-fields.ts';
export { unwrapFsspJsonp, type FsspEnvelope } from './jsonp.ts';
/** The FSSP search parser (was tagged `fssp-search-1`); bump `version` when its output changes for the same answer. */
export const FSSP_PARSER = { name: 'fssp-search', version: '1.0.0' } as const;
