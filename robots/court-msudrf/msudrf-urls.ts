/**
 * URLs of a magistrate site (TARGETS.md §2.1). Cyrillic values are CP1251 percent-encoded, as the
 * sites expect; `Submit=%CD%E0%E9%F2%E8` is «Найти».
 */
import { encodeQuery } from '../runtime/url-encoding.ts';

/** The card: `/modules.php?name=sud_delo&op=cs&case_id=<int>&delo_id=1540005`. */
export function msudrfCardPath(caseId: string | number): string {
  return `/modules.php?name=sud_delo&op=cs&case_id=${encodeURIComponent(String(caseId))}&delo_id=1540005`;
}

/**
 * The cartotekas a magistrate court files cases in (TARGETS.md §1.3): `delo_id`, the table prefix
 * of the search fields and the party-name field, and the case-number prefixes filed there.
 */
export const MSUDRF_CARTOTEKAS = {
  civil: { deloId: '1540005', table: 'g1_case', partyField: 'G1_PARTS__NAMESS', numberPrefixes: ['2', 'М', '9', '13'] },
  admin: { deloId: '1500001', table: 'adm_case', partyField: 'adm_parts__NAMESS', numberPrefixes: ['5'] },
  criminal: { deloId: '1540006', table: 'u1_case', partyField: 'U1_DEFENDANT__NAMESS', numberPrefixes: ['1'] },
} as const;
export type MsudrfCartoteka = keyof typeof MSUDRF_CARTOTEKAS;

/**
 * The cartoteka of a case number by its prefix («5-969/2026» → admin, «1-12/2026» → criminal);
 * civil for every other number (court orders and ЖКХ claims: «2-», «9-», «М-»).
 */
export function cartotekaOfNumber(caseNumber: string | null | undefined): MsudrfCartoteka {
  const prefix = /^\s*([0-9А-ЯA-Z]+)\s*-/i.exec(caseNumber ?? '')?.[1]?.toUpperCase();
  if (prefix === '5') return 'admin';
  if (prefix === '1') return 'criminal';
  return 'civil';
}

/** What a search may ask for; dates ISO `YYYY-MM-DD`. */
export interface MsudrfSearchQuery {
  partyName?: string;
  caseNumber?: string;
  uid?: string;
  registeredFrom?: string;
  registeredTo?: string;
  /** 0-based page (`pageNum_Recordset1`). */
  pageIndex?: number;
  /** Which cartoteka to search; civil when absent. */
  cartoteka?: MsudrfCartoteka;
}

const ru = (iso?: string) => (iso ? `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}` : '');

/** The direct search (works inside a session that passed the gate). */
export function msudrfSearchPath(q: MsudrfSearchQuery): string {
  const { deloId, table, partyField } = MSUDRF_CARTOTEKAS[q.cartoteka ?? 'civil'];
  const params: Array<[string, string]> = [
    ['name', 'sud_delo'], ['srv_num', '1'], ['name_op', 'r'], ['delo_id', deloId], ['case_type', '0'], ['new', '0'],
    [partyField, q.partyName ?? ''],
    [`${table}__CASE_NUMBERSS`, q.caseNumber ?? ''],
    [`${table}__JUDICIAL_UIDSS`, q.uid ?? ''],
    [`${table}__ENTRY_DATE1D`, ru(q.registeredFrom)],
    [`${table}__ENTRY_DATE2D`, ru(q.registeredTo)],
    ['Submit', 'Найти'],
  ];
  const query = encodeQuery(params);
  return `/modules.php?${query}${q.pageIndex ? `&pageNum_Recordset1=${q.pageIndex}` : ''}`;
}
