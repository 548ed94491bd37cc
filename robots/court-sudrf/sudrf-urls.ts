import { encodeQuery } from '../runtime/url-encoding.ts';

/**
 * One cartoteka (case register) of a sudrf court. Primary-form ids from TARGETS.md §1.3 (delo_id
 * 1540005, 5, 41, 42, 1500001, 1502001, 1610001 all appear in the real cartoteka menu of
 * `card_oldtpl_leninsky_kirov_5-174-2026_koap.html`; `delo_id=5&new=5` there too). The vnkod
 * (new UI) triple `_deloId/case__case_type/_new`: the real Samara KAS appeal (33а-647/2026) is
 * `1540005/0/5`; for the others the new UI is assumed to use the primary pair.
 */
export interface SudrfCartoteka {
  key: 'civil1' | 'civil2' | 'kas1' | 'kas2' | 'koap' | 'koap2' | 'material';
  deloId: string;
  newId: string;
  /** Table prefix of the primary form's fields (`g1_case__CASE_NUMBERSS`, `G1_PARTS__NAMESS`). */
  table: string;
  /** `[_deloId, case__case_type, _new]` of the vnkod form. */
  vnkod: [string, string, string];
}

/** Every cartoteka searched, in the order tried when the number's shape says nothing. */
export const SUDRF_CARTOTEKAS: readonly SudrfCartoteka[] = [
  { key: 'civil1', deloId: '1540005', newId: '0', table: 'g1_case', vnkod: ['1540005', '0', '0'] },
  { key: 'civil2', deloId: '5', newId: '5', table: 'g2_case', vnkod: ['1540005', '0', '5'] },
  { key: 'kas1', deloId: '41', newId: '0', table: 'p1_case', vnkod: ['41', '0', '0'] },
  { key: 'kas2', deloId: '42', newId: '0', table: 'p2_case', vnkod: ['1540005', '0', '5'] },
  { key: 'koap', deloId: '1500001', newId: '0', table: 'adm_case', vnkod: ['1500001', '0', '0'] },
  { key: 'koap2', deloId: '1502001', newId: '0', table: 'adm1_case', vnkod: ['1502001', '0', '0'] },
  { key: 'material', deloId: '1610001', newId: '0', table: 'm_case', vnkod: ['1610001', '0', '0'] },
];

/** Civil cases, first instance: the cartoteka of court orders and ЖКХ suits (TARGETS.md §1.3). */
export const CIVIL_FIRST_INSTANCE = SUDRF_CARTOTEKAS[0] as SudrfCartoteka;

const byKey = (k: SudrfCartoteka['key']) => SUDRF_CARTOTEKAS.find((c) => c.key === k) as SudrfCartoteka;

/**
 * The cartotekas to search for a number: the ones its prefix names first (TARGETS.md §1.3: 2 and М
 * civil, 11/33 civil appeal, 2а KAS, 11а/33а KAS appeal, 5 КоАП, 12 КоАП complaints, 3/4/6/8/13/14/15
 * materials), then every other one, so a number is "not found" only after all were searched.
 */
export function cartotekasForNumber(number: string | undefined): SudrfCartoteka[] {
  const prefix = (number ?? '').split('-')[0]?.toLowerCase() ?? '';
  const first: Array<SudrfCartoteka['key']> =
    prefix === '2' || prefix === '9' || prefix === 'м' ? ['civil1']
      : prefix === '11' || prefix === '33' ? ['civil2']
        : prefix === '2а' ? ['kas1', 'civil1']
          : prefix === '11а' || prefix === '33а' ? ['kas2']
            : prefix === '5' ? ['koap']
              : prefix === '12' ? ['koap2']
                : /^(3|4|6|8|13|13а|14|15)$/.test(prefix) ? ['material'] : [];
  const head = first.map(byKey);
  return [...head, ...SUDRF_CARTOTEKAS.filter((c) => !head.includes(c))];
}

/** Which URL form a court answers: `primary` (`delo_id`, `g1_case__…`) or `vnkod` (new UI). */
export type SudrfUrlForm = { form: 'primary' } | { form: 'vnkod'; vnkod: string };

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
  /** Default civil first instance. */
  cartoteka?: SudrfCartoteka;
  /** Default primary. */
  urlForm?: SudrfUrlForm;
}

/**
 * Path and query of a search (`name_op=r`), values CP1251-percent-encoded as the site expects:
 * primary form (TARGETS.md §1.2, page `search_form_captcha_cp1251_raw.html`) or the vnkod form
 * (TARGETS.md §1.2; field names as in the real Samara new-UI search link).
 */
export function sudrfSearchPath(q: SudrfSearchQuery, captcha?: { answer: string; captchaId: string }): string {
  const k = q.cartoteka ?? CIVIL_FIRST_INSTANCE;
  const form = q.urlForm ?? { form: 'primary' };
  let params: Array<[string, string]>;
  if (form.form === 'vnkod') {
    const [deloId, caseType, newId] = k.vnkod;
    params = [
      ['name', 'sud_delo'], ['name_op', 'r'], ['_page', String(q.page ?? 1)], ['vnkod', form.vnkod], ['srv_num', String(q.srvNum ?? 1)],
      ['_deloId', deloId], ['case__case_type', caseType], ['_new', newId], ['case__vnkod', form.vnkod], ['case__num_build', '1'],
      ['process-type', `${deloId}_${caseType}_${newId}`],
      ['case__case_numberss', q.number ?? ''], ['case__judicial_uidss', q.uid ?? ''], ['part__namess', q.partyName ?? ''],
      ['case__entry_date1d', q.registeredFrom ?? ''], ['case__entry_date2d', q.registeredTo ?? ''],
    ];
  } else {
    const t = k.table;
    const parts = `${t.replace(/_case$/, '').toUpperCase()}_PARTS__NAMESS`;
    params = [
      ['name', 'sud_delo'], ['srv_num', String(q.srvNum ?? 1)], ['name_op', 'r'], ['delo_id', k.deloId], ['case_type', '0'], ['new', k.newId],
      ['delo_table', t], [`${t}__CASE_NUMBERSS`, q.number ?? ''], [`${t}__JUDICIAL_UIDSS`, q.uid ?? ''], [parts, q.partyName ?? ''],
      [`${t}__ENTRY_DATE1D`, q.registeredFrom ?? ''], [`${t}__ENTRY_DATE2D`, q.registeredTo ?? ''],
    ];
    if (q.page && q.page > 1) params.push(['page', String(q.page)]);
  }
  if (captcha) params.push(['captcha', captcha.answer], ['captchaid', captcha.captchaId]);
  params.push(['Submit', 'Найти']);
  return `/modules.php?${encodeQuery(params)}`;
}

/** Path of a case card by the site's own ids (cards are never captcha-gated), in the court's URL form. */
export function sudrfCardPath(caseId: string, caseUid: string, srvNum = 1, cartoteka: SudrfCartoteka = CIVIL_FIRST_INSTANCE, urlForm: SudrfUrlForm = { form: 'primary' }): string {
  if (urlForm.form === 'vnkod') {
    const [deloId, caseType, newId] = cartoteka.vnkod;
    return `/modules.php?${encodeQuery([
      ['name', 'sud_delo'], ['name_op', 'case'], ['_id', caseId], ['_uid', caseUid], ['_deloId', deloId], ['_caseType', caseType], ['_new', newId], ['srv_num', String(srvNum)],
    ])}`;
  }
  return `/modules.php?${encodeQuery([
    ['name', 'sud_delo'], ['srv_num', String(srvNum)], ['name_op', 'case'], ['case_id', caseId], ['case_uid', caseUid], ['delo_id', cartoteka.deloId],
  ])}`;
}

/** Path of the search form (`name_op=sf`), which carries a fresh captcha on courts that gate search. */
export function sudrfSearchFormPath(srvNum = 1, cartoteka: SudrfCartoteka = CIVIL_FIRST_INSTANCE): string {
  return `/modules.php?${encodeQuery([
    ['name', 'sud_delo'], ['srv_num', String(srvNum)], ['name_op', 'sf'], ['delo_id', cartoteka.deloId],
  ])}`;
}
