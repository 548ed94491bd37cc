/**
 * URLs of the FSSP bank search (TARGETS.md §3.1): `is.fssp.gov.ru/ajax_search` with the same
 * parameters, in the same order, as the site's own jQuery call — `is[variant]` 1 person, 2 legal
 * entity, 3 ИП number, 4 executive document — plus `code` after a challenge and `page` for pages.
 */
import type { FsspSearchInput } from '../../queues/fssp-search.payload.ts';

export const FSSP_SEARCH_HOST = 'is.fssp.gov.ru';

const VARIANT = { person: '1', legal: '2', ip: '3', document: '4' } as const;

/** «1971-03-05» → «05.03.1971». */
const ruDate = (iso: string) => iso.split('-').reverse().join('.');

/** The `path?query` of one search (without `code` and `page`), for `router.urlFor(FSSP_SEARCH_HOST, …)`. */
export function fsspSearchPath(input: FsspSearchInput, nowMs: number = Date.now()): string {
  const region = 'region' in input ? (input.region === 'all' ? '-1' : input.region) : '-1';
  const v = (k: keyof typeof fields) => fields[k];
  const fields = {
    last_name: input.kind === 'person' ? input.lastName : '',
    first_name: input.kind === 'person' ? input.firstName : '',
    drtr_name: input.kind === 'legal' ? input.name : '',
    ip_number: input.kind === 'ip' ? input.ipNumber : '',
    patronymic: input.kind === 'person' ? (input.patronymic ?? '') : '',
    date: input.kind === 'person' ? ruDate(input.birthDate) : '',
    address: input.kind === 'legal' ? (input.address ?? '') : '',
    id_number: input.kind === 'document' ? input.number : '',
    id_type: input.kind === 'document' ? input.type : '',
    id_issuer: input.kind === 'document' ? (input.issuer ?? '') : '',
  };
  // jQuery's JSONP callback name: «jQuery3400» + random digits + «_» + ms (TARGETS.md §3.1).
  const callback = `jQuery3400${String(nowMs * 7919).slice(-16).padStart(16, '0')}_${nowMs}`;
  const params: Array<[string, string]> = [
    ['callback', callback],
    ['system', 'ip'],
    ['is[extended]', '1'],
    ['nocache', '1'],
    ['is[variant]', VARIANT[input.kind]],
    ['is[region_id][0]', region],
    ['is[last_name]', v('last_name')],
    ['is[first_name]', v('first_name')],
    ['is[drtr_name]', v('drtr_name')],
    ['is[ip_number]', v('ip_number')],
    ['is[patronymic]', v('patronymic')],
    ['is[date]', v('date')],
    ['is[address]', v('address')],
    ['is[id_number]', v('id_number')],
    ['is[id_type][0]', v('id_type')],
    ['is[id_issuer]', v('id_issuer')],
    ['_', String(nowMs + 1)],
  ];
  return `/ajax_search?${params.map(([k, val]) => `${encodeURIComponent(k)}=${encodeURIComponent(val)}`).join('&')}`;
}

/** The same search with the captcha code and/or a page number appended. */
export function withCodeAndPage(url: string, options: { code?: string; page?: number }): string {
  let out = url.replace(/&(?:code|page)=[^&]*/g, '');
  if (options.page !== undefined && options.page > 1) out += `&page=${options.page}`;
  if (options.code !== undefined) out += `&code=${encodeURIComponent(options.code)}`;
  return out;
}
