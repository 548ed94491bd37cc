/**
 * The `name_op=r` query of one cartoteka, read from the CP1251 query:
 * number exact (number, material or display form), party name by case-insensitive substring,
 * UID exact, registration date range inclusive. Aliases of the "vnkod" new UI are accepted too.
 */
import { fromRuDate } from '../data/dates.ts';
import type { SandboxCase } from '../data/world.types.ts';

/** A parsed search, or the reason it is malformed. */
export type CaseQuery =
  | { ok: true; number: string; name: string; uid: string; from: string | null; to: string | null }
  | { ok: false; reason: string };

const pick = (q: Map<string, string>, ...keys: string[]): string => {
  for (const k of keys) {
    const v = q.get(k.toLowerCase());
    if (v !== undefined && v.trim() !== '') return v.trim();
  }
  return '';
};

/** Read the search fields from a parsed query (keys lower-cased); `table` is the register's field prefix in the primary form (`g1_case`, `adm_case`). */
export function readCaseQuery(q: Map<string, string>, table = 'g1_case'): CaseQuery {
  const t = table;
  const parts = `${t.replace(/_case$/, '')}_PARTS__NAMESS`;
  const fromText = pick(q, `${t}__ENTRY_DATE1D`, 'case__entry_date1d');
  const toText = pick(q, `${t}__ENTRY_DATE2D`, 'case__entry_date2d');
  const from = fromText ? fromRuDate(fromText) : null;
  const to = toText ? fromRuDate(toText) : null;
  if ((fromText && !from) || (toText && !to)) return { ok: false, reason: 'date' };
  return {
    ok: true,
    number: pick(q, `${t}__CASE_NUMBERSS`, 'case__case_numberss'),
    name: pick(q, parts, 'parts__namess', 'part__namess'),
    uid: pick(q, `${t}__JUDICIAL_UIDSS`, 'case__judicial_uidss'),
    from,
    to,
  };
}

/** Filter a court's cases (already restricted to one server) by the query; newest registration first. */
export function searchCases(cases: SandboxCase[], query: Extract<CaseQuery, { ok: true }>): SandboxCase[] {
  const name = query.name.toLocaleLowerCase('ru');
  return cases
    .filter((c) => !query.number || c.caseNumber === query.number || c.materialNumber === query.number
      || c.displayNumber === query.number || c.previousNumbers.includes(query.number))
    .filter((c) => !query.uid || c.uid === query.uid)
    .filter((c) => !name || c.parties.some((p) => p.name.toLocaleLowerCase('ru').includes(name)))
    .filter((c) => (!query.from || c.registeredAt >= query.from) && (!query.to || c.registeredAt <= query.to))
    .sort((a, b) => (a.registeredAt === b.registeredAt ? b.caseId - a.caseId : a.registeredAt < b.registeredAt ? 1 : -1));
}
