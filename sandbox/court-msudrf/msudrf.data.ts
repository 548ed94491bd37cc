/**
 * The magistrate courts of `*.msudrf.ru` and their court-order cases, derived deterministically from
 * the sandbox world (its seed, creditors and debtors) — the world generator itself is not touched.
 *
 * Life cycle (TARGETS.md §2, DOMAIN.md §1.1): registration of the application → left without motion
 * (sometimes) → accepted, returned («9-…») or refused → «Вынесение судебного приказа» → the debtor is
 * notified → in force 10 working days after receipt, or cancelled on objections → «Сдача в архив».
 * Working days follow the Russian production calendar (core/calendar: holidays and moved days off),
 * so the seeded deadlines are the ones the scheduler expects.
 */
import { loadProductionCalendar } from '../../core/calendar/index.ts';
import type { CaseStatus } from '../../core/records.ts';
import { addDays } from '../data/dates.ts';
import { generateName } from '../data/names.ts';
import { createPrng, deriveSeed, type Prng } from '../data/prng.ts';
import type { Creditor, Debtor, SandboxParty, SandboxWorld } from '../data/world.types.ts';

/** Card layout of a region (TARGETS.md §2.1): B = labels in `<h2>`, C = labels in `<b>`, parties transposed. */
export type MsudrfLayout = 'B' | 'C';

/** One magistrate court (судебный участок). */
export interface MsudrfCourt {
  /** `5.mo.msudrf.ru`, `okt6.ros.msudrf.ru`. */
  host: string;
  /** `50MS0005`: region + `MS` + 4 digits (not always the участок number). */
  code: string;
  /** The участок number. */
  section: number;
  name: string;
  regionCode: string;
  layout: MsudrfLayout;
  /** Event table columns in this region's order (header texts). */
  eventColumns: readonly string[];
  /** Whether the first modules.php request of a session meets the kcaptcha gate. */
  hasGate: boolean;
  judges: string[];
}

/** One row of «ДВИЖЕНИЕ ДЕЛА». */
export interface MsudrfEvent {
  name: string;
  date: string | null;
  time: string | null;
  /** «Принято решение: …» or null. */
  result: string | null;
  /** Judge who took the decision (type C «Судья» column: «Решение принял: ФИО»). */
  judge: string | null;
  publishedAt: string;
}

/** One court-order case (civil, `delo_id=1540005`). */
export interface MsudrfCase {
  host: string;
  courtCode: string;
  section: number;
  caseId: number;
  caseNumber: string;
  uid: string;
  /** Whether the card prints the UID (type C cards often do not). */
  uidShown: boolean;
  category: string;
  judge: string;
  registeredAt: string;
  decision: { date: string | null; result: string | null };
  effectiveAt: string | null;
  /** What a correct parser concludes from the card. */
  status: CaseStatus;
  creditor: Creditor;
  debtor: Debtor;
  parties: SandboxParty[];
  events: MsudrfEvent[];
}

/** The msudrf part of a sandbox world. */
export interface MsudrfWorld {
  asOf: string;
  courts: MsudrfCourt[];
  cases: MsudrfCase[];
}

const B_ORDER_ROS = ['Наименование события', 'Результат события', 'Дата события', 'Время события', 'Дата размещения'];
const B_ORDER_PERM = ['Наименование события', 'Дата события', 'Время события', 'Результат события', 'Дата размещения'];
const C_ORDER_4 = ['Наименование события', 'Дата события', 'Результат события', 'Судья'];
const C_ORDER_5 = ['Наименование события', 'Дата события', 'Результат события', 'Судья', 'Дата размещения'];

/** Region templates: host suffix, code, layout and event column order. */
const REGIONS = [
  { slug: 'mo', code: '50', layout: 'B', columns: B_ORDER_ROS, place: 'Балашихинского судебного района Московской области', sections: [5, 95], prefix: '' },
  { slug: 'ros', code: '61', layout: 'B', columns: B_ORDER_ROS, place: 'Октябрьского судебного района г. Ростова-на-Дону', sections: [6], prefix: 'okt' },
  { slug: 'perm', code: '59', layout: 'B', columns: B_ORDER_PERM, place: 'Дзержинского судебного района г. Перми Пермского края', sections: [2], prefix: '' },
  { slug: 'riz', code: '62', layout: 'C', columns: C_ORDER_4, place: 'судебного района Советского районного суда г. Рязани', sections: [57, 12], prefix: '' },
  { slug: 'tula', code: '71', layout: 'C', columns: C_ORDER_5, place: 'Центрального судебного района г. Тулы', sections: [3], prefix: '' },
] as const;

/** Event wordings of the msudrf court-order docket. */
export const MS_EV = {
  registered: 'Регистрация заявления о вынесении судебного приказа',
  withoutMotion: 'Оставление без движения',
  acceptance: 'Принятие к производству',
  returned: 'Возвращение заявления',
  refused: 'Отказ в принятии заявления',
  orderIssued: 'Вынесение судебного приказа',
  notified: 'Извещение должника о вынесении судебного приказа',
  objections: 'Поступление возражений должника относительно исполнения судебного приказа',
  cancelled: 'Отмена судебного приказа',
  inForce: 'Судебный приказ вступил в законную силу',
  archived: 'Сдача в архив',
} as const;

/** «Принято решение: …» results. */
export const MS_RESULT = {
  withoutMotion: 'Принято решение: Определение об оставлении без движения',
  accepted: 'Принято решение: Определение о принятии к производству',
  returned: 'Принято решение: Определение о возвращении заявления',
  refused: 'Принято решение: Отказано в принятии заявления',
  order: 'Принято решение: Судебный приказ',
  cancelled: 'Принято решение: Определение об отмене судебного приказа',
} as const;

const CATEGORIES = [
  'Иски о взыскании платы за жилую площадь и коммунальные платежи, тепло и электроэнергию',
  'Иски о взыскании взносов на капитальный ремонт общего имущества в многоквартирном доме',
];

const cache = new WeakMap<SandboxWorld, MsudrfWorld>();
const calendar = loadProductionCalendar();
/** `iso` plus `days` working days of the production calendar (outside 2024–2027: Monday–Friday). */
const addWorkingDays = (iso: string, days: number): string => calendar.addWorkingDays(iso, days);

/** The msudrf courts and cases of `world` (computed once per world object). */
export function msudrfWorld(world: SandboxWorld, casesPerCourt = 36): MsudrfWorld {
  const hit = cache.get(world);
  if (hit) return hit;
  const courts: MsudrfCourt[] = [];
  const rng = createPrng(deriveSeed(world.seed, 'msudrf:courts'));
  for (const r of REGIONS) {
    for (const section of r.sections) {
      const host = `${r.prefix}${section}.${r.slug}.msudrf.ru`;
      courts.push({
        host,
        code: `${r.code}MS${String(section + rng.int(0, 12)).padStart(4, '0')}`,
        section,
        name: `Судебный участок № ${section} ${r.place}`,
        regionCode: r.code,
        layout: r.layout,
        eventColumns: r.columns,
        // One court without the gate, so both paths are exercised; the real ones all gate.
        hasGate: host !== '2.perm.msudrf.ru',
        judges: [generateName(rng).fullName, generateName(rng).fullName],
      });
    }
  }
  const cases: MsudrfCase[] = [];
  for (const court of courts) cases.push(...courtCases(world, court, casesPerCourt));
  const out = { asOf: world.asOf, courts, cases };
  cache.set(world, out);
  return out;
}

type Outcome = 'issued' | 'cancelled' | 'returned' | 'refused' | 'pending';

function courtCases(world: SandboxWorld, court: MsudrfCourt, count: number): MsudrfCase[] {
  const rng = createPrng(deriveSeed(world.seed, `msudrf:${court.host}`));
  const dates = Array.from({ length: count }, () => addWorkingDays(addDays(world.asOf, -rng.int(2, 400) - 1), 1))
    .filter((d) => d <= world.asOf).sort();
  let caseId = rng.int(1_000_000, 400_000_000);
  const seq = new Map<string, number>();
  const out: MsudrfCase[] = [];
  for (const registeredAt of dates) {
    caseId += rng.int(3, 400);
    const x = rng.next();
    const outcome: Outcome = x < 0.62 ? 'issued' : x < 0.76 ? 'cancelled' : x < 0.88 ? 'returned' : x < 0.94 ? 'refused' : 'pending';
    const year = registeredAt.slice(0, 4);
    const prefix = outcome === 'returned' ? '9' : '2';
    const n = (seq.get(prefix + year) ?? rng.int(10, 90)) + rng.int(1, 30);
    seq.set(prefix + year, n);
    const creditor = rng.pick(world.creditors);
    const debtor = world.debtors.length > 0 ? rng.pick(world.debtors) : fallbackDebtor(rng, court);
    const judge = rng.pick(court.judges);
    const life = lifeCycle(rng, outcome, registeredAt, world.asOf, judge, court.layout);
    out.push({
      host: court.host,
      courtCode: court.code,
      section: court.section,
      caseId,
      caseNumber: `${prefix}-${n}/${year}`,
      uid: `${court.code}-01-${year}-${String(rng.int(1, 9999)).padStart(6, '0')}-${String(rng.int(10, 99))}`,
      uidShown: court.layout === 'B' || rng.chance(0.3),
      category: rng.pick(CATEGORIES),
      judge,
      registeredAt,
      ...life,
      creditor,
      debtor,
      parties: [
        { role: 'Взыскатель', roleNorm: 'claimant', name: creditor.name, inn: creditor.inn, kpp: null, ogrn: null, ogrnip: null },
        { role: 'Должник', roleNorm: 'debtor', name: debtor.fullName, inn: null, kpp: null, ogrn: null, ogrnip: null },
      ],
    });
  }
  return out;
}

function fallbackDebtor(rng: Prng, court: MsudrfCourt): Debtor {
  const n = generateName(rng);
  return { id: `ms-${court.code}`, ...n, birthDate: '1980-01-01', address: '', regionCode: court.regionCode };
}

interface Life {
  events: MsudrfEvent[];
  decision: { date: string | null; result: string | null };
  effectiveAt: string | null;
  status: CaseStatus;
}

/** Plans the docket of one application, then cuts it at `asOf`, deriving the visible status. */
function lifeCycle(rng: Prng, outcome: Outcome, registeredAt: string, asOf: string, judge: string, layout: MsudrfLayout): Life {
  const plan: MsudrfEvent[] = [];
  const add = (name: string, date: string, result: string | null = null): void => {
    const time = layout === 'B' && rng.chance(0.3) ? `${String(rng.int(9, 17)).padStart(2, '0')}:${rng.pick(['00', '15', '30', '45'])}` : null;
    plan.push({ name, date, time, result, judge: result ? judge : null, publishedAt: addWorkingDays(date, rng.int(0, 2)) });
  };
  add(MS_EV.registered, registeredAt);
  let day = addWorkingDays(registeredAt, rng.int(1, 3));
  if (outcome !== 'pending' && rng.chance(0.2)) {
    add(MS_EV.withoutMotion, day, MS_RESULT.withoutMotion);
    day = addWorkingDays(day, rng.int(5, 10));
  }
  if (outcome === 'pending') {
    add(MS_EV.acceptance, addWorkingDays(day, 30), MS_RESULT.accepted); // far off: usually cut away
  } else if (outcome === 'returned' || outcome === 'refused') {
    add(outcome === 'returned' ? MS_EV.returned : MS_EV.refused, day, outcome === 'returned' ? MS_RESULT.returned : MS_RESULT.refused);
    add(MS_EV.archived, addWorkingDays(day, rng.int(5, 15)));
  } else {
    add(MS_EV.acceptance, day, MS_RESULT.accepted);
    // ГПК ст. 126: the order within 5 (working) days of receipt.
    const issued = addWorkingDays(day, rng.int(0, 3));
    add(MS_EV.orderIssued, issued, MS_RESULT.order);
    const notified = addWorkingDays(issued, rng.int(1, 5));
    add(MS_EV.notified, notified);
    const received = addDays(notified, rng.int(3, 12));
    if (outcome === 'cancelled') {
      const objected = addWorkingDays(received, rng.int(1, 9));
      add(MS_EV.objections, objected);
      const cancelled = addWorkingDays(objected, rng.int(1, 3));
      add(MS_EV.cancelled, cancelled, MS_RESULT.cancelled);
      add(MS_EV.archived, addWorkingDays(cancelled, rng.int(2, 8)));
    } else {
      // ГПК ст. 128–130: 10 (working) days to object from receipt; in force the next working day.
      const effectiveAt = addWorkingDays(received, 11);
      add(MS_EV.inForce, effectiveAt);
      add(MS_EV.archived, addWorkingDays(effectiveAt, rng.int(2, 10)));
    }
  }
  const events = plan.filter((e) => e.date !== null && e.date <= asOf);
  const last = (name: string) => events.find((e) => e.name === name);
  let status: CaseStatus = 'received';
  let decision: Life['decision'] = { date: null, result: null };
  if (last(MS_EV.acceptance)) status = 'accepted';
  const order = last(MS_EV.orderIssued);
  if (order) {
    status = 'order_issued';
    decision = { date: order.date, result: 'Судебный приказ' };
  }
  const visibleEffective = last(MS_EV.inForce)?.date ?? null;
  if (visibleEffective) status = 'in_force';
  const cancelled = last(MS_EV.cancelled);
  if (cancelled) {
    status = 'cancelled';
    decision = { date: cancelled.date, result: 'Судебный приказ отменен' };
  }
  const returned = last(MS_EV.returned);
  if (returned) {
    status = 'returned';
    decision = { date: returned.date, result: 'Заявление возвращено' };
  }
  const refused = last(MS_EV.refused);
  if (refused) {
    status = 'refused';
    decision = { date: refused.date, result: 'Отказано в принятии заявления' };
  }
  return { events, decision, effectiveAt: visibleEffective, status };
}

/** The court of a host, or undefined. */
export function msudrfCourtOf(world: MsudrfWorld, host: string): MsudrfCourt | undefined {
  return world.courts.find((c) => c.host === host);
}
