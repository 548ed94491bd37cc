/**
 * URLs of a magistrate site (TARGETS.md §2.1). Cyrillic values are CP1251 percent-encoded, as the
 * sites expect; `Submit=%CD%E0%E9%F2%E8` is «Найти».
 */
import { encodeQuery } from '../runtime/url-encoding.ts';

/** The card: `/modules.php?name=sud_delo&op=cs&case_id=<int>&delo_id=1540005`. */
export function msudrfCardPath(caseId: string | number): string {
  return `/modules.php?name=sud_delo&op=cs&case_id=${encodeURIComponent(String(caseId))}&delo_id=1540005`;
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
}

const ru = (iso?: string) => (iso ? `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}` : '');

/** The direct search (works inside a session that passed the gate). */
export function msudrfSearchPath(q: MsudrfSearchQuery): string {
  const params: Array<[string, string]> = [
    ['name', 'sud_delo'], ['srv_num', '1'], ['name_op', 'r'], ['delo_id', '1540005'], ['case_type', '0'], ['new', '0'],
    ['G1_PARTS__NAMESS', q.partyName ?? ''],
    ['g1_case__CASE_NUMBERSS', q.caseNumber ?? ''],
    ['g1_case__JUDICIAL_UIDSS', q.uid ?? ''],
    ['g1_case__ENTRY_DATE1D', ru(q.registeredFrom)],
    ['g1_case__ENTRY_DATE2D', ru(q.registeredTo)],
    ['Submit', 'Найти'],
  ];
  const query = encodeQuery(params);
  return `/modules.php?${query}${q.pageIndex ? `&pageNum_Recordset1=${q.pageIndex}` : ''}`;
}
