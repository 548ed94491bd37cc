/**
 * Terms that start when a letter is received (issue 17, DOMAIN.md §1.1): the day a court or an ОСП
 * receives the farm's letter is the day its term begins — not the day the application was filed.
 * "Дни" of ГПК and of 229-ФЗ are working days (ГПК ст.107 ч.3; 229-ФЗ ст.15 ч.2); a term counted
 * from an event starts the next day, so each step is `calendar.addWorkingDays(from, n)`.
 */
import type { ProductionCalendar } from './calendar/index.ts';

/** What a letter is linked to (queues/post-tracking.payload.ts PostalLink, repeated to keep core free of queues). */
export interface LetterLink {
  kind: 'court-case' | 'ip' | 'epgu' | 'ref';
  id: string;
}

/** One term a delivered letter starts. */
export interface LetterDeadline {
  kind: 'court-case' | 'ip' | 'epgu';
  /** The linked record: `court_cases._id`, ИП number, `epgu_requests._id`. */
  id: string;
  rule: 'issue_order_from_receipt' | 'ip_opened_from_receipt' | 'epgu_answer_from_receipt';
  /** What the addressee should have done by `due`. */
  event: 'order_issued' | 'ip_opened' | 'answer';
  /** The receipt date (local date of the delivery operation), ISO. */
  from: string;
  /** Intermediate step (ИП: the ОСП passes the document to a пристав by then), ISO; else null. */
  stepDue: string | null;
  /** Last day of the term, ISO. */
  due: string;
  source: string;
}

/** Sources quoted with each term. */
export const LETTER_RULE_SOURCES = {
  issue_order_from_receipt: 'ГПК РФ ст.126 ч.1 (приказ — в течение пяти дней со дня поступления заявления в суд); ст.107 ч.3 (рабочие дни)',
  ip_opened_from_receipt: '229-ФЗ ст.30 ч.7 (три дня со дня поступления в подразделение — передача приставу), ч.8 (три дня со дня поступления к приставу — постановление о возбуждении); ст.15 ч.2 (рабочие дни)',
  epgu_answer_from_receipt: '229-ФЗ ст.64.1 ч.5 (десять дней со дня поступления заявления); ст.15 ч.2 (рабочие дни)',
} as const;

/** Receipt date of a delivery operation date: its local calendar date (`2026-01-15T10:20:00+05:00` → `2026-01-15`). */
export const receiptDateOf = (deliveredAt: string): string => deliveredAt.slice(0, 10);

/**
 * The terms a letter delivered at `deliveredAt` starts for each of its links (`ref` links start none).
 * @param epguAnswerWorkingDays the EPGU answer term (EPGU_ANSWER_WORKING_DAYS, 10).
 */
export function letterDeadlines(calendar: ProductionCalendar, links: readonly LetterLink[], deliveredAt: string, epguAnswerWorkingDays = 10): LetterDeadline[] {
  const from = receiptDateOf(deliveredAt);
  const out: LetterDeadline[] = [];
  for (const link of links) {
    if (link.kind === 'court-case') {
      out.push({ kind: link.kind, id: link.id, rule: 'issue_order_from_receipt', event: 'order_issued', from, stepDue: null, due: calendar.addWorkingDays(from, 5), source: LETTER_RULE_SOURCES.issue_order_from_receipt });
    } else if (link.kind === 'ip') {
      const passed = calendar.addWorkingDays(from, 3);
      out.push({ kind: link.kind, id: link.id, rule: 'ip_opened_from_receipt', event: 'ip_opened', from, stepDue: passed, due: calendar.addWorkingDays(passed, 3), source: LETTER_RULE_SOURCES.ip_opened_from_receipt });
    } else if (link.kind === 'epgu') {
      out.push({ kind: link.kind, id: link.id, rule: 'epgu_answer_from_receipt', event: 'answer', from, stepDue: null, due: calendar.addWorkingDays(from, epguAnswerWorkingDays), source: LETTER_RULE_SOURCES.epgu_answer_from_receipt });
    }
  }
  return out;
}
