/**
 * The life of one case as «ДВИЖЕНИЕ ДЕЛА» shows it (DOMAIN.md §1.1, TARGETS.md §1.4): a planned
 * timeline is drawn for a chosen outcome, then cut at the world's `asOf` date, and the status a
 * correct parser should report is derived from what is left visible.
 */
import type { CaseStatus } from '../../core/records.ts';
import { addDays, addWorkingDays, toWorkingDay } from './dates.ts';
import type { Prng } from './prng.ts';
import type { SandboxCaseKind, SandboxEvent, SudrfCourt } from './world.types.ts';

/** Event and result wordings, as real sudrf cards print them. */
export const EV = {
  registered: 'Регистрация иска (заявления, жалобы) в суде',
  toJudge: 'Передача материалов судье',
  acceptance: 'Решение вопроса о принятии иска (заявления, жалобы) к рассмотрению',
  preparation: 'Вынесено определение о подготовке дела к судебному разбирательству',
  scheduling: 'Вынесено определение о назначении дела к судебному разбирательству',
  hearing: 'Судебное заседание',
  orderIssued: 'Вынесен судебный приказ',
  copySent: 'Направление копии судебного приказа должнику',
  objections: 'Поступили возражения должника относительно исполнения судебного приказа',
  orderCancelled: 'Судебный приказ отменен',
  motivated: 'Изготовлено мотивированное решение в окончательной форме',
  archived: 'Дело сдано в отдел судебного делопроизводства',
} as const;

export const RESULT = {
  accepted: 'Иск (заявление, жалоба) принят к производству',
  returned: 'Иск (заявление, жалоба) ВОЗВРАЩЕН заявителю',
  refused: 'Отказано в принятии иска (заявления, жалобы)',
  orderIssued: 'Вынесен судебный приказ',
  orderCancelled: 'Судебный приказ ОТМЕНЕН',
  decided: 'Вынесено решение по делу',
  decidedInAbsentia: 'Вынесено заочное решение по делу',
  satisfied: 'Иск (заявление, жалоба) УДОВЛЕТВОРЕН',
  partly: 'Иск (заявление, жалоба) УДОВЛЕТВОРЕН ЧАСТИЧНО',
  postponed: 'Отложено',
} as const;

/** Which way a case goes; the visible part depends on asOf. */
export type Outcome = 'issued' | 'cancelled' | 'returned' | 'refused' | 'decided';

/** The visible life of a case. */
export interface LifeCycle {
  events: SandboxEvent[];
  decision: { date: string | null; result: string | null };
  effectiveAt: string | null;
  status: CaseStatus;
}

interface Planned extends SandboxEvent {
  /** The day the court enters the row (a hearing is listed when it is scheduled). */
  visibleFrom: string;
}

function time(rng: Prng, fromHour = 9, toHour = 17): string {
  return `${String(rng.int(fromHour, toHour)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}`;
}

/** Draw an outcome for a case kind. */
export function drawOutcome(rng: Prng, kind: SandboxCaseKind): Outcome {
  const x = rng.next();
  if (kind === 'court_order') return x < 0.68 ? 'issued' : x < 0.8 ? 'cancelled' : x < 0.92 ? 'returned' : 'refused';
  return x < 0.8 ? 'decided' : x < 0.92 ? 'returned' : 'refused';
}

/** Plan the whole timeline, then cut it at `asOf`. */
export function planLifeCycle(
  rng: Prng,
  opts: { kind: SandboxCaseKind; outcome: Outcome; registeredAt: string; asOf: string; court: SudrfCourt },
): LifeCycle {
  const { kind, outcome, registeredAt, asOf, court } = opts;
  const plan: Planned[] = [];
  const add = (name: string, date: string, extra: Partial<SandboxEvent> = {}, visibleFrom?: string): void => {
    // A scheduled hearing is published when it is scheduled (real cards: «Дата размещения» before the date).
    const publishedAt = visibleFrom ?? addWorkingDays(date, rng.int(0, 1));
    plan.push({
      name, date, time: time(rng), place: null, result: null, basis: null, note: null,
      ...extra, publishedAt, visibleFrom: visibleFrom ?? publishedAt,
    });
  };
  let day = registeredAt;
  add(EV.registered, day, {}, day); // listed the day it arrives, so no case is invisible
  day = addWorkingDays(day, 1);
  add(EV.toJudge, day);
  day = addWorkingDays(day, rng.int(1, 3));
  let effectiveAt: string | null = null;
  if (outcome === 'returned' || outcome === 'refused') {
    const result = outcome === 'returned' ? RESULT.returned : RESULT.refused;
    add(EV.acceptance, day, { result });
    add(EV.archived, addWorkingDays(day, rng.int(3, 10)));
  } else if (kind === 'court_order') {
    add(EV.acceptance, day, { result: RESULT.accepted });
    const issued = addWorkingDays(day, rng.int(0, 2));
    add(EV.orderIssued, issued, { result: RESULT.orderIssued });
    const copy = addWorkingDays(issued, rng.int(1, 5));
    add(EV.copySent, copy);
    // Received by post within 3–12 days; objections due in 10 working days from the next day.
    const objectionDeadline = addWorkingDays(addDays(copy, rng.int(3, 12)), 10);
    if (outcome === 'cancelled') {
      const objected = addWorkingDays(copy, rng.int(4, 9));
      add(EV.objections, objected);
      const cancelled = addWorkingDays(objected, rng.int(1, 3));
      add(EV.orderCancelled, cancelled, { result: RESULT.orderCancelled });
      add(EV.archived, addWorkingDays(cancelled, rng.int(2, 8)));
    } else {
      effectiveAt = addDays(objectionDeadline, 1);
      add(EV.archived, addWorkingDays(effectiveAt, rng.int(1, 6)));
    }
  } else {
    add(EV.acceptance, day, { result: RESULT.accepted });
    add(EV.preparation, day);
    const scheduledOn = addWorkingDays(day, rng.int(3, 12));
    add(EV.scheduling, scheduledOn);
    let hearing = toWorkingDay(addDays(scheduledOn, rng.int(14, 40)));
    const room = rng.pick(court.rooms);
    if (rng.chance(0.3)) {
      add(EV.hearing, hearing, { time: time(rng, 9, 16), place: room, result: RESULT.postponed }, scheduledOn);
      hearing = toWorkingDay(addDays(hearing, rng.int(14, 30)));
    }
    const inAbsentia = rng.chance(0.6);
    const basis = rng.chance(0.8) ? RESULT.satisfied : RESULT.partly;
    add(EV.hearing, hearing, {
      time: time(rng, 9, 16), place: room, result: inAbsentia ? RESULT.decidedInAbsentia : RESULT.decided, basis,
    }, scheduledOn);
    const motivated = addWorkingDays(hearing, rng.int(2, 10));
    add(EV.motivated, motivated);
    // Appeal period: one month from the motivated decision (+ the in-absentia week when absent).
    effectiveAt = addDays(addDays(motivated, inAbsentia ? 7 : 0), 31);
    add(EV.archived, addWorkingDays(motivated, rng.int(1, 5)));
  }
  return cutAt(plan, asOf, { effectiveAt, kind });
}

function cutAt(
  plan: Planned[],
  asOf: string,
  full: { effectiveAt: string | null; kind: SandboxCaseKind },
): LifeCycle {
  const events: SandboxEvent[] = plan
    .filter((e) => e.visibleFrom <= asOf)
    .map(({ visibleFrom: _v, ...e }) => (e.date > asOf ? { ...e, result: null, basis: null } : e));
  // The decision is the latest outcome that has already happened (a cancellation overrides the order).
  let decision: LifeCycle['decision'] = { date: null, result: null };
  const outcomes: string[] = [RESULT.returned, RESULT.refused, RESULT.orderIssued, RESULT.orderCancelled];
  for (const e of events) {
    if (e.date > asOf) continue;
    if (e.result !== null && outcomes.includes(e.result)) decision = { date: e.date, result: e.result };
    if (e.name === EV.hearing && e.basis !== null) decision = { date: e.date, result: e.basis };
  }
  const effectiveAt = full.effectiveAt !== null && full.effectiveAt <= asOf ? full.effectiveAt : null;
  let status: CaseStatus;
  if (decision.result === RESULT.returned) status = 'returned';
  else if (decision.result === RESULT.refused) status = 'refused';
  else if (decision.result === RESULT.orderCancelled) status = 'cancelled';
  else if (decision.result !== null) status = effectiveAt ? 'in_force' : full.kind === 'court_order' ? 'order_issued' : 'decided';
  else if (events.some((e) => e.result === RESULT.accepted)) status = 'accepted';
  else status = 'received';
  return { events, decision, effectiveAt, status };
}
