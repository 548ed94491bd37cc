/**
 * The legal time limits of the court-order procedure (приказное производство), each with its
 * source (DOMAIN.md §1.1, §1.5). "N дней" of ГПК count working days only (ст.107 ч.3, since
 * 451-ФЗ of 2019); a term counted from an event starts the next day; a last day on a day off moves
 * to the next working day (ст.108 ч.2). Months are calendar months (ГПК ст.108 ч.1).
 */
import type { ProductionCalendar } from '../core/calendar/index.ts';

export type DeadlineRuleId = 'return_or_refuse' | 'issue_order' | 'copy_to_debtor' | 'postal_storage' | 'objections' | 'decision_appeal';

/** One time limit: `days` counted in working days when `workingDays`, else calendar days (or `months`). */
export interface DeadlineRule {
  rule: DeadlineRuleId;
  days: number;
  /** Calendar months instead of days (appeal of a decision); `days` is then 0. */
  months?: number;
  workingDays: boolean;
  /** What the term is counted from. */
  from: string;
  source: string;
}

export const DEADLINE_RULES: Readonly<Record<DeadlineRuleId, DeadlineRule>> = Object.freeze({
  return_or_refuse: {
    rule: 'return_or_refuse', days: 3, workingDays: true, from: 'receipt of the application',
    source: 'ГПК РФ ст.125 ч.1, ч.3 (возвращение / отказ в принятии — в течение трёх дней); ст.107 ч.3',
  },
  issue_order: {
    rule: 'issue_order', days: 5, workingDays: true, from: 'receipt of the application',
    source: 'ГПК РФ ст.126 ч.1 (приказ выносится в течение пяти дней со дня поступления заявления); ст.107 ч.3',
  },
  copy_to_debtor: {
    rule: 'copy_to_debtor', days: 5, workingDays: true, from: 'the order',
    source: 'ГПК РФ ст.128 (копия приказа высылается должнику в пятидневный срок со дня вынесения); ст.107 ч.3',
  },
  postal_storage: {
    rule: 'postal_storage', days: 7, workingDays: false, from: 'dispatch of the copy',
    source: 'Правила оказания услуг почтовой связи (Приказ Минцифры №382 от 17.04.2023): «судебное» хранится 7 дней; возврат за истечением срока = получение (ГК РФ ст.165.1; ППВС №62 от 27.12.2016 п.30–34)',
  },
  objections: {
    rule: 'objections', days: 10, workingDays: true, from: 'receipt of the copy by the debtor',
    source: 'ГПК РФ ст.128 (возражения в течение десяти дней со дня получения приказа), ст.129, ст.130; ППВС №62 п.32–34; ст.107 ч.3',
  },
  decision_appeal: {
    rule: 'decision_appeal', days: 0, months: 1, workingDays: false, from: 'the decision in its final form',
    source: 'ГПК РФ ст.321 ч.2 (апелляция — в течение месяца), ст.209 ч.1; ст.108 ч.1–2',
  },
});

/** The last day of `rule`'s term counted from `from` (ISO date). */
export function deadlineOf(calendar: ProductionCalendar, rule: DeadlineRule, from: string): string {
  if (rule.workingDays) return calendar.addWorkingDays(from, rule.days);
  if (rule.months) return calendar.nextWorkingDay(addMonths(from, rule.months));
  return calendar.nextWorkingDay(addCalendarDays(from, rule.days));
}

/** `date` + `days` calendar days. */
export function addCalendarDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`);
  return new Date(t + days * 86_400_000).toISOString().slice(0, 10);
}

/** Same day `months` later; the last day of a shorter month when that day does not exist (ст.108 ч.1). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}
