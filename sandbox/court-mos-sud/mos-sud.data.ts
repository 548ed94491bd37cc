/**
 * The Moscow magistrates of the sandbox (mos-sud.ru, TARGETS.md §2.3), derived deterministically
 * from the world seed: districts (`/rs/<n>`), участки with codes 77MSnnnn (not the участок digits:
 * участок 463 → 77MS0466), and court-order cases with their «История состояний» and, once issued,
 * their executive documents.
 */
import type { CaseStatus, PartyRoleNorm } from '../../core/records.ts';
import { toRuDate } from '../data/dates.ts';
import { courtUid } from '../data/identifiers.ts';
import { generateName } from '../data/names.ts';
import { createPrng, deriveSeed, type Prng } from '../data/prng.ts';
import type { SandboxWorld } from '../data/world.types.ts';
import { planOrderLifeCycle, type OrderStep, type OrderStepAt } from '../court-mirsud-spb/order-life-cycle.ts';

export interface MosSudDistrict {
  /** `/rs/<n>`. */
  n: number;
  /** «Савеловский». */
  name: string;
}

export interface MosSudSection {
  section: number;
  code: string;
  district: number;
  /** «Судебный участок мирового судьи № 463 района Савеловский». */
  name: string;
  judge: string;
  /** Internal id of the directory JSON. */
  id: number;
}

export interface MosSudParty {
  role: 'Взыскатель' | 'Должник';
  roleNorm: PartyRoleNorm;
  name: string;
}

export interface MosSudExecDoc {
  /** «Судебный приказ от 06.12.2025 № 2-2470/463/2025». */
  title: string;
  issuedAt: string;
  subject: string;
  electronicId: string;
  status: string;
  recipient: string;
}

export interface MosSudCase {
  section: number;
  code: string;
  /** Card UUID (`/<участок>/cases/details/<uuid>`). */
  uuid: string;
  /** «2-1234/463/2026»; null for a returned application (only its material number exists). */
  caseNumber: string | null;
  /** «М-2342/463/2026». */
  materialNumber: string;
  uid: string;
  category: string;
  judge: string;
  registeredAt: string;
  issuedAt: string | null;
  effectiveAt: string | null;
  status: CaseStatus;
  parties: MosSudParty[];
  steps: OrderStepAt[];
  executionDocuments: MosSudExecDoc[];
}

export interface MosSudData {
  districts: MosSudDistrict[];
  sections: MosSudSection[];
  cases: MosSudCase[];
}

const DISTRICTS = ['Савеловский', 'Тверской', 'Басманный', 'Хамовники', 'Пресненский', 'Мещанский'];
const CATEGORY = 'Споры, возникающие из жилищных отношений: о взыскании платы за жилую площадь и коммунальные платежи';

/** «История состояний»: state and «Документ-основание» of each step. */
export const MOS_SUD_STATES: Record<OrderStep, { state: string; basis: string }> = {
  registered: { state: 'Регистрация поступившего заявления', basis: '' },
  accepted: { state: 'Заявление принято к производству', basis: '' },
  returned: { state: 'Заявление возвращено', basis: 'Определение о возвращении заявления' },
  issued: { state: 'Вынесен судебный приказ', basis: 'Судебный приказ' },
  notified: { state: 'Копия судебного приказа направлена должнику', basis: '' },
  objections: { state: 'Поступили возражения должника', basis: '' },
  cancelled: { state: 'Судебный приказ отменен', basis: 'Определение об отмене судебного приказа' },
  in_force: { state: 'Судебный приказ вступил в законную силу', basis: 'Судебный приказ' },
  archived: { state: 'Сдано в архив', basis: '' },
};

/** The Moscow magistrates of `world`, the same for the same seed. */
export function generateMosSudData(world: SandboxWorld, options: { sections?: number; casesPerSection?: number } = {}): MosSudData {
  const { sections: count = 8, casesPerSection = 6 } = options;
  const rng = createPrng(deriveSeed(world.seed, 'mos-sud'));
  const districts = DISTRICTS.map((name, i) => ({ n: i + 1, name }));
  // The hand-written участок (PLANTED_MOS_SUD_SECTION below) is never drawn again.
  const used = new Set<number>([PLANTED_MOS_SUD_SECTION.section]);
  const sections: MosSudSection[] = [];
  while (sections.length < count) {
    const section = rng.int(1, 470);
    if (used.has(section)) continue;
    used.add(section);
    const district = rng.pick(districts);
    sections.push({
      section,
      code: `77MS${String(section + rng.int(1, 4)).padStart(4, '0')}`,
      district: district.n,
      name: `Судебный участок мирового судьи № ${section} района ${district.name}`,
      judge: generateName(rng).shortName,
      id: rng.int(100_000, 999_999),
    });
  }
  sections.sort((a, b) => a.section - b.section);
  const cases: MosSudCase[] = [];
  let uidSeq = rng.int(1000, 3000);
  for (const s of sections) {
    let no = rng.int(100, 3000);
    for (let i = 0; i < casesPerSection; i++) cases.push(drawCase(rng, world, s, (no += rng.int(1, 40)), (uidSeq += rng.int(1, 30))));
  }
  // The hand-written участок and its cases come on top of the drawn ones.
  sections.push(structuredClone(PLANTED_MOS_SUD_SECTION));
  sections.sort((a, b) => a.section - b.section);
  cases.push(...structuredClone(PLANTED_MOS_SUD_CASES));
  return { districts, sections, cases };
}

function drawCase(rng: Prng, world: SandboxWorld, s: MosSudSection, no: number, uidSeq: number): MosSudCase {
  const life = planOrderLifeCycle(rng, world.asOf);
  const creditor = rng.pick(world.creditors);
  const debtor = rng.pick(world.debtors);
  const year = life.registeredAt.slice(0, 4);
  const caseNumber = life.outcome === 'returned' ? null : `2-${no}/${s.section}/${year}`;
  const executionDocuments: MosSudExecDoc[] =
    life.effectiveAt && life.issuedAt && caseNumber
      ? [{
          title: `Судебный приказ от ${toRuDate(life.issuedAt)} № ${caseNumber}`,
          issuedAt: life.effectiveAt,
          subject: 'Взыскание задолженности по оплате жилищно-коммунальных услуг',
          electronicId: `${s.code}#${caseNumber}#1`,
          status: 'Направлен взыскателю',
          recipient: creditor.name,
        }]
      : [];
  return {
    section: s.section,
    code: s.code,
    uuid: rng.uuid(),
    caseNumber,
    materialNumber: `М-${no + rng.int(100, 900)}/${s.section}/${year}`,
    uid: courtUid(s.code, Number(year), uidSeq, rng.int(10, 99)),
    category: CATEGORY,
    judge: s.judge,
    registeredAt: life.registeredAt,
    issuedAt: life.issuedAt,
    effectiveAt: life.effectiveAt,
    status: life.status,
    parties: [
      { role: 'Взыскатель', roleNorm: 'claimant', name: creditor.name },
      { role: 'Должник', roleNorm: 'debtor', name: debtor.fullName },
    ],
    steps: life.steps,
    executionDocuments,
  };
}

// ---------------------------------------------------------------------------

/**
 * A fixed part of the mos-sud.ru world, written by hand (not drawn from the seed), so that tests of
 * the search by number and by party can state their expected answers literally: участок 463
 * (code 77MS0466, as on the real portal: участок digits ≠ code digits) with three court-order cases
 * of the debtor «Кондратьева Зинаида Павловна» and one of another debtor.
 */

export const PLANTED_MOS_SUD_PARTY = 'Кондратьева Зинаида Павловна';

export const PLANTED_MOS_SUD_SECTION: MosSudSection = {
  section: 463,
  code: '77MS0466',
  district: 1,
  name: 'Судебный участок мирового судьи № 463 района Савеловский',
  judge: 'Абрамова Е. В.',
  id: 463466,
};

const PLANTED_CREDITOR = 'ГБУ «Жилищник района Савеловский»';
const plantedBase = { section: 463, code: '77MS0466', category: CATEGORY, judge: 'Абрамова Е. В.' } as const;
const plantedParties = (debtor: string) => [
  { role: 'Взыскатель' as const, roleNorm: 'claimant' as const, name: PLANTED_CREDITOR },
  { role: 'Должник' as const, roleNorm: 'debtor' as const, name: debtor },
];

export const PLANTED_MOS_SUD_CASES: MosSudCase[] = [
  {
    ...plantedBase,
    uuid: '5b2c8f0e-4a1d-4c3e-9f21-7d6e0a1b2c01',
    caseNumber: '2-1501/463/2026',
    materialNumber: 'М-1893/463/2026',
    uid: '77MS0466-01-2026-001501-17',
    registeredAt: '2026-02-10',
    issuedAt: '2026-02-20',
    effectiveAt: '2026-03-20',
    status: 'in_force',
    parties: plantedParties(PLANTED_MOS_SUD_PARTY),
    steps: [
      { step: 'registered', date: '2026-02-10', time: '10:15' },
      { step: 'accepted', date: '2026-02-12', time: '11:00' },
      { step: 'issued', date: '2026-02-20', time: '09:30' },
      { step: 'notified', date: '2026-02-25', time: '14:10' },
      { step: 'in_force', date: '2026-03-20', time: '09:00' },
    ],
    executionDocuments: [{
      title: 'Судебный приказ от 20.02.2026 № 2-1501/463/2026',
      issuedAt: '2026-03-20',
      subject: 'Взыскание задолженности по оплате жилищно-коммунальных услуг',
      electronicId: '77MS0466#2-1501/463/2026#1',
      status: 'Направлен взыскателю',
      recipient: PLANTED_CREDITOR,
    }],
  },
  {
    ...plantedBase,
    uuid: '5b2c8f0e-4a1d-4c3e-9f21-7d6e0a1b2c02',
    caseNumber: '2-1877/463/2026',
    materialNumber: 'М-2210/463/2026',
    uid: '77MS0466-01-2026-001877-40',
    registeredAt: '2026-04-03',
    issuedAt: '2026-04-14',
    effectiveAt: null,
    status: 'order_issued',
    parties: plantedParties(PLANTED_MOS_SUD_PARTY),
    steps: [
      { step: 'registered', date: '2026-04-03', time: '12:40' },
      { step: 'accepted', date: '2026-04-06', time: '10:05' },
      { step: 'issued', date: '2026-04-14', time: '15:20' },
    ],
    executionDocuments: [],
  },
  {
    ...plantedBase,
    uuid: '5b2c8f0e-4a1d-4c3e-9f21-7d6e0a1b2c03',
    caseNumber: '2-950/463/2025',
    materialNumber: 'М-1204/463/2025',
    uid: '77MS0466-01-2025-000950-08',
    registeredAt: '2025-11-20',
    issuedAt: '2025-12-01',
    effectiveAt: '2026-01-10',
    status: 'in_force',
    parties: plantedParties(PLANTED_MOS_SUD_PARTY),
    steps: [
      { step: 'registered', date: '2025-11-20', time: '09:45' },
      { step: 'accepted', date: '2025-11-21', time: '10:30' },
      { step: 'issued', date: '2025-12-01', time: '11:15' },
      { step: 'in_force', date: '2026-01-10', time: '09:00' },
    ],
    executionDocuments: [{
      title: 'Судебный приказ от 01.12.2025 № 2-950/463/2025',
      issuedAt: '2026-01-10',
      subject: 'Взыскание задолженности по оплате жилищно-коммунальных услуг',
      electronicId: '77MS0466#2-950/463/2025#1',
      status: 'Направлен взыскателю',
      recipient: PLANTED_CREDITOR,
    }],
  },
  {
    ...plantedBase,
    uuid: '5b2c8f0e-4a1d-4c3e-9f21-7d6e0a1b2c04',
    caseNumber: '2-1502/463/2026',
    materialNumber: 'М-1894/463/2026',
    uid: '77MS0466-01-2026-001502-63',
    registeredAt: '2026-02-11',
    issuedAt: null,
    effectiveAt: null,
    status: 'accepted',
    parties: plantedParties('Лаврентьев Олег Игоревич'),
    steps: [
      { step: 'registered', date: '2026-02-11', time: '10:20' },
      { step: 'accepted', date: '2026-02-13', time: '11:40' },
    ],
    executionDocuments: [],
  },
];
