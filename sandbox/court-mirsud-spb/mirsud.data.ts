/**
 * The St Petersburg magistrates of the sandbox (mirsud.spb.ru, TARGETS.md §2.2), derived
 * deterministically from the world seed: участки with their court codes (78MSnnnn, whose digits
 * differ from the участок number), judges, and court-order cases between the world's creditors
 * and debtors. Nothing here is stored in the world itself: the same seed gives the same data.
 */
import type { CaseStatus, PartyRoleNorm } from '../../core/records.ts';
import { courtUid } from '../data/identifiers.ts';
import { generateName } from '../data/names.ts';
import { createPrng, deriveSeed, type Prng } from '../data/prng.ts';
import type { SandboxWorld } from '../data/world.types.ts';
import { planOrderLifeCycle, type OrderStepAt } from './order-life-cycle.ts';

/** One magistrate участок of St Petersburg. */
export interface MirsudSection {
  /** Участок number as in the URL path, e.g. 98. */
  section: number;
  /** Court code, e.g. `78MS0096` (not the участок digits). */
  code: string;
  /** «Судебный участок № 98 Санкт-Петербурга». */
  name: string;
  district: string;
  judge: string;
}

export interface MirsudParty {
  /** «Истец» / «Ответчик» as the print form writes them. */
  role: string;
  roleNorm: PartyRoleNorm;
  name: string;
}

/** One court-order case of a участок. */
export interface MirsudCase {
  section: number;
  code: string;
  /** «2-2976/2026-98»; returned applications are materials «9-…/2026-98». */
  caseNumber: string;
  uid: string;
  category: string;
  judge: string;
  registeredAt: string;
  acceptedAt: string | null;
  issuedAt: string | null;
  effectiveAt: string | null;
  status: CaseStatus;
  /** «Статус» row of the print form. */
  statusText: string;
  parties: MirsudParty[];
  steps: OrderStepAt[];
}

export interface MirsudData {
  sections: MirsudSection[];
  cases: MirsudCase[];
}

const DISTRICTS = ['Адмиралтейский', 'Василеостровский', 'Выборгский', 'Калининский', 'Кировский', 'Московский', 'Невский', 'Приморский', 'Фрунзенский', 'Центральный'];
const CATEGORIES = [
  'О взыскании задолженности по оплате жилищно-коммунальных услуг',
  'О взыскании задолженности по взносам на капитальный ремонт',
  'О взыскании задолженности за тепловую энергию',
];

/** Options of {@link generateMirsudData}. */
export interface MirsudDataOptions {
  /** Участки served; default 8. */
  sections?: number;
  /** Cases per участок; default 6. */
  casesPerSection?: number;
}

/** The St Petersburg magistrates of `world`, the same for the same seed. */
export function generateMirsudData(world: SandboxWorld, options: MirsudDataOptions = {}): MirsudData {
  const { sections: count = 8, casesPerSection = 6 } = options;
  const rng = createPrng(deriveSeed(world.seed, 'mirsud-spb'));
  // The hand-written участок (PLANTED_MIRSUD_SECTION below) is never drawn again.
  const used = new Set<number>([PLANTED_MIRSUD_SECTION.section]);
  const sections: MirsudSection[] = [];
  while (sections.length < count) {
    const section = rng.int(3, 211);
    if (used.has(section)) continue;
    used.add(section);
    // Участок ≠ code digits (участок 126 → 78MS0124): numbering drifted as участки were created.
    const code = `78MS${String(section - rng.int(1, 2)).padStart(4, '0')}`;
    sections.push({ section, code, name: `Судебный участок № ${section} Санкт-Петербурга`, district: rng.pick(DISTRICTS), judge: generateName(rng).shortName });
  }
  sections.sort((a, b) => a.section - b.section);
  const year = Number(world.asOf.slice(0, 4));
  const cases: MirsudCase[] = [];
  let uidSeq = rng.int(1000, 3000);
  for (const s of sections) {
    let no = rng.int(500, 2500);
    for (let i = 0; i < casesPerSection; i++) cases.push(drawCase(rng, world, s, year, (no += rng.int(1, 40)), (uidSeq += rng.int(1, 30))));
  }
  // The hand-written участок and its cases come on top of the drawn ones.
  sections.push(structuredClone(PLANTED_MIRSUD_SECTION));
  sections.sort((a, b) => a.section - b.section);
  cases.push(...structuredClone(PLANTED_MIRSUD_CASES));
  return { sections, cases };
}

function drawCase(rng: Prng, world: SandboxWorld, s: MirsudSection, year: number, no: number, uidSeq: number): MirsudCase {
  const life = planOrderLifeCycle(rng, world.asOf);
  const creditor = rng.pick(world.creditors);
  const debtor = rng.pick(world.debtors);
  const regYear = Number(life.registeredAt.slice(0, 4)) || year;
  const prefix = life.outcome === 'returned' ? '9' : '2';
  return {
    section: s.section,
    code: s.code,
    caseNumber: `${prefix}-${no}/${regYear}-${s.section}`,
    uid: courtUid(s.code, regYear, uidSeq, rng.int(10, 99)),
    category: rng.pick(CATEGORIES),
    judge: s.judge,
    registeredAt: life.registeredAt,
    acceptedAt: life.acceptedAt,
    issuedAt: life.issuedAt,
    effectiveAt: life.effectiveAt,
    status: life.status,
    statusText: statusText(life.status),
    parties: [
      { role: 'Истец', roleNorm: 'claimant', name: creditor.name },
      { role: 'Ответчик', roleNorm: 'debtor', name: debtor.fullName },
    ],
    steps: life.steps,
  };
}

/** «Статус» as the portal shows it. */
function statusText(status: CaseStatus): string {
  switch (status) {
    case 'received':
      return 'Зарегистрировано';
    case 'accepted':
      return 'Рассмотрение';
    case 'returned':
      return 'Возвращено';
    case 'cancelled':
      return 'Судебный приказ отменен';
    case 'in_force':
      return 'Вступило в законную силу';
    default:
      return 'Судебный приказ';
  }
}

/** Event wording of the print form: «Описание события / Результат события» already joined by the portal. */
export const MIRSUD_EVENT_TEXT: Record<OrderStepAt['step'], string> = {
  registered: 'Регистрация заявления о вынесении судебного приказа',
  accepted: 'Принятие заявления / Принято к производству',
  returned: 'Возвращение заявления / Заявление возвращено',
  issued: 'Вынесение судебного приказа / Судебный приказ',
  notified: 'Извещение должника о вынесении судебного приказа',
  objections: 'Поступление возражений должника относительно исполнения судебного приказа',
  cancelled: 'Отмена судебного приказа / Судебный приказ отменен',
  in_force: 'Судебный приказ вступил в законную силу',
  archived: 'Сдача в архив',
};

/** The case of участок `section` with number `id`, if any. */
export function findMirsudCase(data: MirsudData, section: number, id: string): MirsudCase | undefined {
  return data.cases.find((c) => c.section === section && c.caseNumber === id.trim());
}

// ---------------------------------------------------------------------------

/**
 * A fixed part of the mirsud.spb.ru world, written by hand (not drawn from the seed), so that a
 * test of the search by party can state its expected answer literally: участок 98 (code 78MS0096)
 * with three court-order cases of «Кондратьева Зинаида Павловна» and one of another defendant.
 */

export const PLANTED_MIRSUD_PARTY = 'Кондратьева Зинаида Павловна';

export const PLANTED_MIRSUD_SECTION: MirsudSection = {
  section: 98,
  code: '78MS0096',
  name: 'Судебный участок № 98 Санкт-Петербурга',
  district: 'Невский',
  judge: 'Седова О. Н.',
};

const PLANTED_CREDITOR = 'ООО «Жилкомсервис № 2 Невского района»';
const plantedBase = { section: 98, code: '78MS0096', category: 'О взыскании задолженности по оплате жилищно-коммунальных услуг', judge: 'Седова О. Н.' } as const;
const plantedParties = (defendant: string) => [
  { role: 'Истец', roleNorm: 'claimant' as const, name: PLANTED_CREDITOR },
  { role: 'Ответчик', roleNorm: 'debtor' as const, name: defendant },
];

export const PLANTED_MIRSUD_CASES: MirsudCase[] = [
  {
    ...plantedBase,
    caseNumber: '2-2976/2026-98',
    uid: '78MS0096-01-2026-003970-97',
    registeredAt: '2026-03-02',
    acceptedAt: '2026-03-04',
    issuedAt: '2026-03-16',
    effectiveAt: null,
    status: 'order_issued',
    statusText: 'Судебный приказ',
    parties: plantedParties(PLANTED_MIRSUD_PARTY),
    steps: [
      { step: 'registered', date: '2026-03-02', time: '10:00' },
      { step: 'accepted', date: '2026-03-04', time: '11:30' },
      { step: 'issued', date: '2026-03-16', time: '12:00' },
    ],
  },
  {
    ...plantedBase,
    caseNumber: '2-3310/2026-98',
    uid: '78MS0096-01-2026-004402-15',
    registeredAt: '2026-05-12',
    acceptedAt: '2026-05-14',
    issuedAt: null,
    effectiveAt: null,
    status: 'accepted',
    statusText: 'Рассмотрение',
    parties: plantedParties(PLANTED_MIRSUD_PARTY),
    steps: [
      { step: 'registered', date: '2026-05-12', time: '09:20' },
      { step: 'accepted', date: '2026-05-14', time: '10:10' },
    ],
  },
  {
    ...plantedBase,
    caseNumber: '2-412/2025-98',
    uid: '78MS0096-01-2025-000530-44',
    registeredAt: '2025-10-01',
    acceptedAt: '2025-10-03',
    issuedAt: '2025-10-15',
    effectiveAt: null,
    status: 'order_issued',
    statusText: 'Судебный приказ',
    parties: plantedParties(PLANTED_MIRSUD_PARTY),
    steps: [
      { step: 'registered', date: '2025-10-01', time: '09:00' },
      { step: 'accepted', date: '2025-10-03', time: '10:00' },
      { step: 'issued', date: '2025-10-15', time: '11:00' },
    ],
  },
  {
    ...plantedBase,
    caseNumber: '2-2977/2026-98',
    uid: '78MS0096-01-2026-003971-50',
    registeredAt: '2026-03-02',
    acceptedAt: '2026-03-04',
    issuedAt: null,
    effectiveAt: null,
    status: 'accepted',
    statusText: 'Рассмотрение',
    parties: plantedParties('Лаврентьев Олег Игоревич'),
    steps: [
      { step: 'registered', date: '2026-03-02', time: '10:05' },
      { step: 'accepted', date: '2026-03-04', time: '11:35' },
    ],
  },
];
