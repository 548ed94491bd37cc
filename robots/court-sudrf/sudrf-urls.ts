import { encodeQuery } from '../runtime/url-encoding.ts';

/** Civil cases, first instance: the cartoteka of court orders and ЖКХ suits (TARGETS.md §1.3). */
export const CIVIL_FIRST_INSTANCE = { deloId: '1540005', table: 'g1_case' } as const;

export interface SudrfSearchQuery {
  number?: string;
  uid?: string;
  partyName?: string;
  /** Registration date range, `DD.MM.YYYY`. */
  registeredFrom?: string;
  registeredTo?: string;
  page?: number;
  /** Database server of the court (1…3 on big courts); each case lives on one. Default 1. */
  srvNum?: number;
}

/**
 * Path and query of a primary-template search (`name_op=r`), values CP1251-percent-encoded as the
 * site expects (TARGETS.md §1.2, page `search_form_captcha_cp1251_raw.html`).
 */
export function sudrfSearchPath(q: SudrfSearchQuery, captcha?: { answer: string; captchaId: string }): string {
  const { deloId, table } = CIVIL_FIRST_INSTANCE;
  const params: Array<[string, string]> = [
    ['name', 'sud_delo'],
    ['srv_num', String(q.srvNum ?? 1)],
    ['name_op', 'r'],
    ['delo_id', deloId],
    ['case_type', '0'],
    ['new', '0'],
    ['delo_table', table],
    ['g1_case__CASE_NUMBERSS', q.number ?? ''],
    ['g1_case__JUDICIAL_UIDSS', q.uid ?? ''],
    ['G1_PARTS__NAMESS', q.partyName ?? ''],
    ['g1_case__ENTRY_DATE1D', q.registeredFrom ?? ''],
    ['g1_case__ENTRY_DATE2D', q.registeredTo ?? ''],
  ];
  if (q.page && q.page > 1) params.push(['page', String(q.page)]);
  if (captcha) params.push(['captcha', captcha.answer], ['captchaid', captcha.captchaId]);
  params.push(['Submit', 'Найти']);
  return `/modules.php?${encodeQuery(params)}`;
}

/** Path of a case card by the site's own ids (cards are never captcha-gated). */
export function sudrfCardPath(caseId: string, caseUid: string, srvNum = 1): string {
  const { deloId } = CIVIL_FIRST_INSTANCE;
  return `/modules.php?${encodeQuery([
    ['name', 'sud_delo'],
    ['srv_num', String(srvNum)],
    ['name_op', 'case'],
    ['case_id', caseId],
    ['case_uid', caseUid],
    ['delo_id', deloId],
  ])}`;
}

/** Path of the search form (`name_op=sf`), which carries a fresh captcha on courts that gate search. */
export function sudrfSearchFormPath(srvNum = 1): string {
  const { deloId } = CIVIL_FIRST_INSTANCE;
  return `/modules.php?${encodeQuery([
    ['name', 'sud_delo'],
    ['srv_num', String(srvNum)],
    ['name_op', 'sf'],
    ['delo_id', deloId],
  ])}`;
}
