import type { CaseStatus } from '../../core/records.ts';

/** What {@link deriveCaseStatus} looks at: the decision and the events of one card. */
export interface CaseStatusInput {
  decisionResult?: string | null;
  decisionDate?: string | null;
  effectiveAt?: string | null;
  registeredAt?: string | null;
  events?: ReadonlyArray<{ name?: string | null; result?: string | null; basis?: string | null }>;
}

// «Судебный приказ ОТМЕНЕН», «Вынесено определение об отмене судебного приказа»; not «Заявление об отмене …».
const ORDER_CANCELLED =
  /приказ\S*\s+(?:\S+\s+){0,2}отмен[её]н|отмен[её]н\S*\s+(?:\S+\s+){0,2}приказ|(?:определени\S*|вынесено)\s+об\s+отмене\s+(?:судебного\s+)?приказа/i;
// «Отказано в принятии», «Определение об отказе в принятии» (msudrf_typeB_10sah_…_refused), «… в выдаче судебного приказа».
const REFUSED = /отказ\S*\s+в\s+(?:принятии|выдаче\s+судебного\s+приказа)/i;
const RETURNED = /возвращ/i;
const IN_FORCE = /вступил\S*\s+в\s+законную\s+силу/i;
// In a decision result any «судебный приказ» is the outcome; in events only «Вынесен судебный приказ»
// counts, since «Заявление о вынесении судебного приказа» is merely the application.
const ORDER_IN_DECISION = /судебн\S*\s+приказ/i;
// «Вынесение судебного приказа» (mirsud print form) is the act; «о вынесении …» is the application.
const ORDER_IN_EVENT = /вынесен[оа]?\s+судебн\S*\s+приказ|(?:^|\s)вынесени[ея]\s+судебн\S*\s+приказ|^\s*судебный\s+приказ/i;
const ACCEPTED = /принят\S*\s+к\s+производству|передача\s+(?:материалов|дела)\s+судье|принятии[^.;]*к\s+рассмотрению/i;
const REGISTERED = /регистрац|поступлен/i;

/**
 * The state of a case from what its card shows, most final first:
 * cancelled (a court order cancelled: «отмен…» together with «приказ») → refused («Отказано в
 * принятии») → returned («возвращ…» in the decision or an event *result*; event names such as
 * «Возвращено из вышестоящей инстанции» are not a return of the claim, nor is a return followed by
 * «принят к производству») → in_force (effectiveAt
 * present or «вступил в законную силу») → order_issued («Судебный приказ» / «Вынесен судебный
 * приказ») → decided (any decision result or date) → accepted («принят к производству», «Передача
 * материалов судье», «… о принятии … к рассмотрению») → received (registration only) → unknown.
 * A decision «… ОТМЕНЕНО» of an appeal is `decided`, not `cancelled`: only an order is cancelled.
 */
export function deriveCaseStatus(input: CaseStatusInput): CaseStatus {
  const events = input.events ?? [];
  const decision = input.decisionResult ?? '';
  const eventResults = events.map((e) => `${e.result ?? ''} ${e.basis ?? ''}`);
  const eventNames = events.map((e) => e.name ?? '');
  const everything = [decision, ...eventResults, ...eventNames];
  const outcomes = [decision, ...eventResults];

  if (everything.some((t) => ORDER_CANCELLED.test(t))) return 'cancelled';
  if (outcomes.some((t) => REFUSED.test(t))) return 'refused';
  if (outcomes.some((t) => RETURNED.test(t)) && !ACCEPTED.test(outcomes.join(' '))) return 'returned';
  if (input.effectiveAt || everything.some((t) => IN_FORCE.test(t))) return 'in_force';
  if (ORDER_IN_DECISION.test(decision) || [...eventResults, ...eventNames].some((t) => ORDER_IN_EVENT.test(t))) {
    return 'order_issued';
  }
  if (decision.trim() || input.decisionDate) return 'decided';
  if (everything.some((t) => ACCEPTED.test(t))) return 'accepted';
  if (input.registeredAt || eventNames.some((t) => REGISTERED.test(t))) return 'received';
  return 'unknown';
}

/**
 * A card record completed with the entry-into-force date a results list showed for it (the
 * «Дата вступления в законную силу» column; real sudrf cards seldom carry that row). The date counts
 * as shown; the status is derived again with it. A date the card itself shows is kept.
 */
export function withListedEffectiveAt<R extends CaseStatusInput & { effectiveAt: string | null; effectiveAtSource?: 'shown' | 'derived' | null; status: CaseStatus; decision: { date: string | null; result: string | null } }>(
  record: R,
  listedEffectiveAt: string | null | undefined,
): R {
  if (record.effectiveAt || !listedEffectiveAt) return record;
  const status = deriveCaseStatus({
    decisionResult: record.decision.result, decisionDate: record.decision.date, effectiveAt: listedEffectiveAt,
    registeredAt: record.registeredAt, events: record.events,
  });
  return { ...record, effectiveAt: listedEffectiveAt, effectiveAtSource: 'shown', status };
}
