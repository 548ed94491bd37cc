/**
 * The complaints of a sudrf card («ОБЖАЛОВАНИЕ РЕШЕНИЙ, ОПРЕДЕЛЕНИЙ (ПОСТ.)»): one «ЖАЛОБА № N» block
 * each, label rows («Вид жалобы (представления)», «Дата рассмотрения жалобы», «Результат обжалования»)
 * and a nested «ДВИЖЕНИЕ ЖАЛОБЫ» table. Read by labels over the rows in document order, so it holds
 * for the full card (card_oldtpl_syktyvkar_2-7212-2025_civil.html, 2-3671-2025) and the sanitized one
 * without the movement (sudrf_oldtpl_leninsky_tyumen_2-3891-2026_card_movement_sanitized.html).
 * Pure; whether an appeal keeps a decision from entering into force is scheduler/case-finality.ts's call.
 */
import type { CheerioAPI } from 'cheerio';
import type { CaseAppeal } from '../../core/records.ts';
import { findRuDate } from '../common/ru-date.ts';
import { normalizeSpace } from '../common/text.ts';

const BLOCK = /^ЖАЛОБА\s*№\s*\d+/i;

/** The card's complaints, in page order; `[]` when the card has none. */
export function readSudrfAppeals($: CheerioAPI): CaseAppeal[] {
  const appeals: Array<CaseAppeal & { returned: boolean }> = [];
  let current: (CaseAppeal & { returned: boolean }) | null = null;
  $('tr').each((_, tr) => {
    const row = $(tr);
    if (row.find('table').length > 0) return; // a wrapper row around the nested movement table
    const cells = row.children('td, th').map((__, td) => normalizeSpace($(td).text())).get();
    if (cells.length === 0) return;
    if (cells.length === 1 && BLOCK.test(cells[0]!)) {
      current = { kind: null, filedAt: null, decidedAt: null, result: null, returned: false };
      appeals.push(current);
      return;
    }
    const a = current as (CaseAppeal & { returned: boolean }) | null;
    if (!a) return;
    const [label, value = ''] = cells;
    if (/^Вид жалобы/i.test(label!)) a.kind = value || null;
    else if (/^Дата рассмотрения жалобы/i.test(label!)) a.decidedAt = findRuDate(value);
    else if (/^Результат обжалования/i.test(label!)) a.result = value || null;
    else if (/^Регистрация жалобы/i.test(label!)) a.filedAt = findRuDate(value) ?? a.filedAt;
    else if (/^Направлено в вышестоящ/i.test(label!)) a.filedAt ??= findRuDate(value);
    if (cells.some((c) => /ВОЗВРАЩЕНА|ОТОЗВАНА/.test(c))) a.returned = true;
  });
  return appeals.map(({ returned, ...a }) => (returned && !a.result ? { ...a, result: 'Жалоба (предст.) ВОЗВРАЩЕНА' } : a));
}
