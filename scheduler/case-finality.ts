/**
 * When a court case is final, from what its page shows or, failing that, by law.
 *
 * Real sudrf cards almost never carry a «Дата вступления в законную силу» row, so a decided case
 * would be re-checked for ever if only that row counted. Here, in order:
 * 1. ended: refused, returned, order cancelled — final without an entry into force;
 * 2. shown: the card's (or the results list's) entry-into-force date, a movement row «… вступил(о) в
 *    законную силу», an executive document issued (or msudrf's «Обращение к исполнению») after the decision (a writ is issued once the
 *    act is in force, ГПК ст.428 ч.1; one issued on the decision's own day is immediate execution or
 *    an interim measure and does not count);
 * 3. derived: the date the law gives, counted from the decision and the deadlines, with the rule id
 *    and what was assumed (the scheduler re-checks such a case once after the date to confirm).
 * Pure: no clock, no I/O; working days from the production calendar. Legal rules follow DOMAIN.md
 * §1.1 ([V]/[K] marks there); the ones DOMAIN.md does not cover are marked [K] in their `source`.
 */
import type { ProductionCalendar } from '../core/calendar/index.ts';
import type { CaseEvent, CaseStatus, ExecutionDocument } from '../core/records.ts';
import { addCalendarDays, addMonths } from './deadline-rules.ts';

/** How the entry into force was obtained: read off a page, or counted by law. */
export type EffectiveAtSource = 'shown' | 'derived';

/** Which fact or legal rule gave the final state. */
export type FinalityRuleId =
  | 'ended'
  | 'shown_card'
  | 'shown_results_list'
  | 'shown_event'
  | 'shown_execution_document'
  | 'gpk-209-321-decision'
  | 'gpk-237-default-judgment'
  | 'gpk-128-130-order'
  | 'gpk-329-appeal-ruling'
  | 'gpk-390-cassation-ruling'
  | 'koap-30.3-31.1';

/** A complaint against the decision (the card's «ОБЖАЛОВАНИЕ РЕШЕНИЙ» tab), when the parser gives it. */
export interface CaseAppealInput {
  /** «Апелляционная жалоба (на не вступивший в силу судебный акт)»; complaints against acts in force are ignored. */
  kind?: string | null;
  filedAt: string | null;
  /** Day the higher court ruled, null while pending. */
  decidedAt?: string | null;
  result?: string | null;
}

/** What finality reads of a case. */
export interface FinalityInput {
  status: CaseStatus;
  caseNumber?: string | null;
  instance?: string | null;
  category?: string | null;
  decision: { date: string | null; result: string | null };
  /** Entry into force as the page showed it (a stored derived date is passed with source `derived`). */
  effectiveAt: string | null;
  effectiveAtSource?: EffectiveAtSource | null;
  /** `shown_card` / `shown_results_list` when the parser or search row says where it was shown. */
  effectiveAtRule?: string | null;
  events: ReadonlyArray<Pick<CaseEvent, 'name' | 'date' | 'result'>>;
  executionDocuments?: ReadonlyArray<Pick<ExecutionDocument, 'issuedAt' | 'status'>>;
  appeals?: ReadonlyArray<CaseAppealInput>;
}

/** One dated step of a derivation, for the record and for a person checking it. */
export interface FinalityStep {
  what: string;
  date: string;
  assumed: boolean;
}

/** The final state of a case. */
export interface CaseFinality {
  /**
   * `ended` (no entry into force: refused, returned, cancelled), `in_force` (shown), `derived` (a
   * date by law, to be confirmed), `open` (nothing decided yet, or objections / an appeal pending),
   * `unknown` (decided, but no rule here covers the kind of case).
   */
  state: 'ended' | 'in_force' | 'derived' | 'open' | 'unknown';
  /** No more re-checks needed: ended or shown. A derived date becomes final once confirmed (scheduler). */
  final: boolean;
  effectiveAt: string | null;
  source: EffectiveAtSource | null;
  rule: FinalityRuleId | null;
  /** Article(s) the rule follows. */
  legalSource: string | null;
  /** What was assumed where the page did not show it (receipt date, final-form date), else null. */
  assumption: string | null;
  steps: FinalityStep[];
  /** Why the case is open or unknown. */
  reason: string | null;
}

/** Rule texts: article, edition notes, and the assumption each makes where the page is silent. */
export const FINALITY_RULES: Readonly<Record<Exclude<FinalityRuleId, 'ended' | `shown_${string}`>, { source: string }>> = Object.freeze({
  'gpk-209-321-decision': {
    source: 'ГПК РФ ст.209 ч.1 (в силу по истечении срока апелляционного обжалования), ст.321 ч.2 (месяц со дня принятия решения в окончательной форме), ст.199 ч.2 (окончательная форма — до 10 дней), ст.108 ч.1–2; КАС ст.186, ст.298 — то же',
  },
  'gpk-237-default-judgment': {
    source: 'ГПК РФ ст.236 (копия — не позднее 3 дней), ст.237 ч.1–2 (7 дней на заявление об отмене со дня вручения, затем месяц на апелляцию), ст.209, ст.108 [K]',
  },
  'gpk-128-130-order': {
    source: 'ГПК РФ ст.128 (копия в 5 дней; возражения — 10 дней со дня получения), ст.129, ст.130; ППВС №62 от 27.12.2016 п.30–34; ст.107 ч.3; ГК РФ ст.165.1',
  },
  'gpk-329-appeal-ruling': { source: 'ГПК РФ ст.329 ч.5 (апелляционное определение вступает в законную силу со дня его принятия)' },
  'gpk-390-cassation-ruling': { source: 'ГПК РФ ст.390 ч.5 (определение кассационного суда вступает в законную силу со дня его вынесения) [K]' },
  'koap-30.3-31.1': {
    source: 'КоАП РФ ст.29.11 ч.2 (копия — в течение 3 дней), ст.30.3 ч.1 (жалоба — 10 дней со дня вручения или получения копии), ст.31.1 п.1, ст.4.8 ч.3 (дни календарные; последний день на нерабочем — следующий рабочий) [K]',
  },
});

/** Days a letter of class «судебное» waits at the post office before it is returned (counts as received). */
export const POSTAL_STORAGE_DAYS = 7;

const ORDER_ISSUED = /вынесен\S*\s+судебн\S*\s+приказ|^\s*судебный\s+приказ\s*$|принято\s+решение:\s*судебный\s+приказ/i;
const COPY_SENT = /(направлен|высылк|выслан)\S*\s+(?:\S+\s+){0,3}копи\S*/i;
const RECEIVED = /(получ|вручен)\S*\s+(?:\S+\s+){0,4}(должник|копи|лиц)|должник\S*\s+(?:\S+\s+){0,3}(получ|вручен)|возвращ\S*\s+(?:\S+\s+){0,4}истечени\S*\s+срока\s+хранения/i;
const OBJECTIONS = /возражени\S*\s+(?:\S+\s+){0,3}(должник|относительно)/i;
const FINAL_FORM = /мотивированн\S*\s+(?:\S+\s+){0,2}(решени|определени|постановлени)|в\s+окончательной\s+форме/i;
const IN_FORCE_EVENT = /вступ\S*\s+в\s+(?:законную\s+)?силу/i;
const NOT_IN_FORCE = /не\s+вступ/i;
const APPEAL_EVENT = /(апелляционн|частн)\S*\s+жалоб|жалоб\S*\s+(?:\S+\s+){0,3}(поступ|регистрац)|регистрац\S*\s+жалоб|направлен\S*\s+(?:\S+\s+){0,3}(вышестоящ|апелляц)|апелляционн\S*\s+(?:\S+\s+){0,2}представлени/i;
const DEFAULT_JUDGMENT = /заочн/i;
const REMANDED = /нов\S*\s+рассмотрени|направлен\S*\s+на\s+новое|направить\s+на\s+новое/i;
const WRIT_DONE = /выдан|направлен|исполн|возвращ/i;

const firstDate = (events: FinalityInput['events'], re: RegExp, after?: string | null): string | null =>
  events
    .filter((e) => e.date && (re.test(e.name) || re.test(e.result ?? '')) && (!after || e.date >= after))
    .map((e) => e.date!)
    .sort()[0] ?? null;

/** Kind of proceedings, from the number and the instance title. */
export type ProceedingKind = 'civil' | 'appeal' | 'cassation' | 'koap' | 'koap_appeal' | 'criminal' | 'other';

/** Kind of proceedings a case is, from its number («2-», «33-», «8Г-», «5-», «12-», «1-») and instance title. */
export function proceedingKind(c: Pick<FinalityInput, 'caseNumber' | 'instance' | 'category'>): ProceedingKind {
  const no = (c.caseNumber ?? '').trim();
  const inst = c.instance ?? '';
  if (/^8[ГгaаА]?[-]|^88[аa]?-/.test(no) || /кассац/i.test(inst)) return 'cassation';
  if (/^33[аa]?-/.test(no) || /апелляц/i.test(inst)) return 'appeal';
  if (/^12-/.test(no)) return 'koap_appeal';
  if (/^5-/.test(no) || /административн\S*\s+правонаруш|КоАП/i.test(`${inst} ${c.category ?? ''}`)) return 'koap';
  if (/^(1|22|10|4)-/.test(no) || /уголовн/i.test(inst)) return 'criminal';
  if (/^(2|2а|2a|9|13|М|м)-/.test(no) || no === '' || /гражданск|административн/i.test(inst)) return 'civil';
  return 'other';
}

/**
 * The final state of a case and its entry into force, shown or derived (see the file comment).
 * @example a decision in final form on Thu 25 Apr 2025, not appealed: the month ends Sun 25 May,
 *   moved to Mon 26 May (ст.108 ч.2); in force Tue 27 May 2025, source `derived`, rule `gpk-209-321-decision`.
 */
export function caseFinality(c: FinalityInput, calendar: ProductionCalendar): CaseFinality {
  const none = { effectiveAt: null, source: null, rule: null, legalSource: null, assumption: null, steps: [] as FinalityStep[] };
  if (c.status === 'refused' || c.status === 'returned' || c.status === 'cancelled') {
    return { ...none, state: 'ended', final: true, rule: 'ended', reason: null };
  }
  const shown = (effectiveAt: string | null, rule: FinalityRuleId): CaseFinality =>
    ({ ...none, state: 'in_force', final: true, effectiveAt, source: 'shown', rule, reason: null });
  if (c.effectiveAt && c.effectiveAtSource !== 'derived') {
    return shown(c.effectiveAt, c.effectiveAtRule === 'shown_results_list' ? 'shown_results_list' : 'shown_card');
  }
  const inForceEvent = c.events.filter((e) => e.date && IN_FORCE_EVENT.test(`${e.name} ${e.result ?? ''}`) && !NOT_IN_FORCE.test(`${e.name} ${e.result ?? ''}`)).map((e) => e.date!).sort()[0];
  if (inForceEvent) return shown(inForceEvent, 'shown_event');
  const decided = c.decision.date;
  // msudrf's «Обращение к исполнению» row is not a sign of force: on the real type C cards it stands
  // undated right after the order (alimony, immediate execution), before any objection term ran.
  const writ = (c.executionDocuments ?? [])
    .filter((d) => d.issuedAt && (!d.status || WRIT_DONE.test(d.status)) && decided && d.issuedAt > decided)
    .map((d) => d.issuedAt!).sort()[0];
  if (c.status === 'in_force' && !writ) return shown(c.effectiveAt, 'shown_card');

  const open = (reason: string): CaseFinality => ({ ...none, state: 'open', final: false, reason });
  const kind = proceedingKind(c);
  const isOrder = c.status === 'order_issued' || firstDate(c.events, ORDER_ISSUED) !== null || ORDER_ISSUED.test(c.decision.result ?? '');

  const appeal = pendingOrDecidedAppeal(c, decided);
  if (appeal && kind !== 'appeal' && kind !== 'cassation') {
    if (!appeal.decidedAt) return open('an appeal is pending');
    if (REMANDED.test(appeal.result ?? '')) return open('sent back for a new hearing');
    return derived(calendar, 'gpk-329-appeal-ruling', appeal.decidedAt, [{ what: 'appeal ruling', date: appeal.decidedAt, assumed: false }], null);
  }

  const byLaw = lawFinality(c, calendar, kind, isOrder, decided);
  if (!writ) return byLaw;
  // A writ issued before the earliest day the law allows is immediate execution or an interim
  // measure (ГПК ст.211, 212, 142): no sign of force. On or after it, the derived date is confirmed.
  if (byLaw.state === 'derived') return writ >= byLaw.effectiveAt! ? { ...byLaw, final: true, reason: `confirmed by a writ issued ${writ}` } : byLaw;
  // No date by law (kind not covered): in force no later than the writ's day.
  return byLaw.state === 'open' && byLaw.reason !== 'no decision yet' ? byLaw : shown(writ, 'shown_execution_document');
}

function lawFinality(c: FinalityInput, calendar: ProductionCalendar, kind: ProceedingKind, isOrder: boolean, decided: string | null): CaseFinality {
  const none = { effectiveAt: null, source: null, rule: null, legalSource: null, assumption: null, steps: [] as FinalityStep[] };
  const open = (reason: string): CaseFinality => ({ ...none, state: 'open', final: false, reason });
  if (isOrder) return orderInForce(c, calendar);
  if (!decided || c.decision.result === null && c.status !== 'decided') return open('no decision yet');
  switch (kind) {
    case 'appeal':
      return derived(calendar, 'gpk-329-appeal-ruling', decided, [{ what: 'appeal ruling', date: decided, assumed: false }], null);
    case 'cassation':
      return derived(calendar, 'gpk-390-cassation-ruling', decided, [{ what: 'cassation ruling', date: decided, assumed: false }], null);
    case 'koap':
      return koapInForce(c, calendar, decided);
    case 'civil':
      return decisionInForce(c, calendar, decided);
    default:
      return { ...none, state: 'unknown', final: false, reason: `no entry-into-force rule for ${kind} proceedings` };
  }
}

function derived(calendar: ProductionCalendar, rule: Exclude<FinalityRuleId, 'ended' | `shown_${string}`>, effectiveAt: string, steps: FinalityStep[], assumption: string | null): CaseFinality {
  void calendar;
  return {
    state: 'derived', final: false, effectiveAt, source: 'derived', rule, legalSource: FINALITY_RULES[rule].source,
    assumption, steps: [...steps, { what: 'in force', date: effectiveAt, assumed: false }], reason: null,
  };
}

// Complaints that do not hold the decision back: against an act already in force (cassation,
// supervisory), remarks on the record, and appeals returned or withdrawn.
const NOT_SUSPENSIVE = /на\s+вступивш|кассац|надзор|замечани/i;
const APPEAL_DROPPED = /возвращен|отозван/i;

function pendingOrDecidedAppeal(c: FinalityInput, decided: string | null): CaseAppealInput | null {
  const listed = (c.appeals ?? [])
    .filter((a) => !NOT_SUSPENSIVE.test((a as { kind?: string | null }).kind ?? '') && !APPEAL_DROPPED.test(a.result ?? ''))
    .filter((a) => !decided || !a.filedAt || a.filedAt >= decided);
  if (listed.length > 0) return listed.find((a) => !a.decidedAt) ?? listed.at(-1)!;
  const filed = decided ? firstDate(c.events, APPEAL_EVENT, decided) : null;
  return filed ? { filedAt: filed, decidedAt: null } : null;
}

/** Court order: copy sent → received (or returned after storage) → 10 working days of objections → in force the next day. */
function orderInForce(c: FinalityInput, calendar: ProductionCalendar): CaseFinality {
  const issued = firstDate(c.events, ORDER_ISSUED) ?? c.decision.date;
  if (!issued) return { effectiveAt: null, source: null, rule: null, legalSource: null, assumption: null, steps: [], state: 'open', final: false, reason: 'order date not shown' };
  if (firstDate(c.events, OBJECTIONS, issued)) {
    return { effectiveAt: null, source: null, rule: null, legalSource: null, assumption: null, steps: [], state: 'open', final: false, reason: 'objections filed: the order may be cancelled' };
  }
  const assumed: string[] = [];
  const steps: FinalityStep[] = [{ what: 'order issued', date: issued, assumed: false }];
  let sent = firstDate(c.events, COPY_SENT, issued);
  if (!sent) {
    sent = calendar.addWorkingDays(issued, 5);
    assumed.push('copy sent on the last day of the 5 working days of ст.128');
  }
  steps.push({ what: 'copy sent to the debtor', date: sent, assumed: assumed.length > 0 });
  let received = firstDate(c.events, RECEIVED, sent);
  if (!received) {
    received = addCalendarDays(sent, POSTAL_STORAGE_DAYS);
    assumed.push(`copy received ${POSTAL_STORAGE_DAYS} days after dispatch (the storage of «судебное» letters; an uncollected letter returned counts as received, ГК ст.165.1)`);
    steps.push({ what: 'copy received by the debtor', date: received, assumed: true });
  } else steps.push({ what: 'copy received by the debtor', date: received, assumed: false });
  const lastDay = calendar.addWorkingDays(received, 10);
  steps.push({ what: 'last day for objections', date: lastDay, assumed: false });
  return derived(calendar, 'gpk-128-130-order', addCalendarDays(lastDay, 1), steps, assumed.length ? assumed.join('; ') : null);
}

/** First-instance decision: a month from the final form (ст.108: same date, moved off a day off) → in force the next day. */
function decisionInForce(c: FinalityInput, calendar: ProductionCalendar, decided: string): CaseFinality {
  const assumed: string[] = [];
  const steps: FinalityStep[] = [{ what: 'decision', date: decided, assumed: false }];
  let finalForm = firstDate(c.events, FINAL_FORM, decided);
  if (!finalForm) {
    finalForm = calendar.addWorkingDays(decided, 10);
    assumed.push('decision in final form on the last of the 10 working days of ст.199 ч.2 (no such row on the card)');
  }
  steps.push({ what: 'decision in final form', date: finalForm, assumed: assumed.length > 0 });
  const isDefault = DEFAULT_JUDGMENT.test(c.decision.result ?? '') || c.events.some((e) => e.date === decided && DEFAULT_JUDGMENT.test(`${e.name} ${e.result ?? ''}`));
  let from = finalForm;
  let rule: 'gpk-209-321-decision' | 'gpk-237-default-judgment' = 'gpk-209-321-decision';
  if (isDefault) {
    rule = 'gpk-237-default-judgment';
    let received = firstDate(c.events, RECEIVED, finalForm);
    if (!received) {
      const sent = calendar.addWorkingDays(finalForm, 3);
      received = addCalendarDays(sent, POSTAL_STORAGE_DAYS);
      assumed.push(`copy sent on the last of the 3 working days of ст.236 and received ${POSTAL_STORAGE_DAYS} days later`);
    }
    steps.push({ what: 'copy received by the defendant', date: received, assumed: assumed.length > 0 });
    from = calendar.addWorkingDays(received, 7);
    steps.push({ what: 'last day to apply for cancellation (ст.237 ч.1)', date: from, assumed: false });
  }
  const lastDay = calendar.nextWorkingDay(addMonths(from, 1));
  steps.push({ what: 'last day for an appeal', date: lastDay, assumed: false });
  return derived(calendar, rule, addCalendarDays(lastDay, 1), steps, assumed.length ? assumed.join('; ') : null);
}

/** КоАП постановление: 10 days (calendar, last one moved off a day off) from receipt of the copy → in force the next day. */
function koapInForce(c: FinalityInput, calendar: ProductionCalendar, decided: string): CaseFinality {
  const assumed: string[] = [];
  const steps: FinalityStep[] = [{ what: 'постановление', date: decided, assumed: false }];
  let received = firstDate(c.events, RECEIVED, decided);
  if (!received) {
    received = addCalendarDays(addCalendarDays(decided, 3), POSTAL_STORAGE_DAYS);
    assumed.push(`copy sent on the 3rd day (ст.29.11 ч.2) and received ${POSTAL_STORAGE_DAYS} days later (a copy handed over at the hearing would make it earlier)`);
  }
  steps.push({ what: 'copy received', date: received, assumed: assumed.length > 0 });
  const lastDay = calendar.nextWorkingDay(addCalendarDays(received, 10));
  steps.push({ what: 'last day for a complaint', date: lastDay, assumed: false });
  return derived(calendar, 'koap-30.3-31.1', addCalendarDays(lastDay, 1), steps, assumed.length ? assumed.join('; ') : null);
}
