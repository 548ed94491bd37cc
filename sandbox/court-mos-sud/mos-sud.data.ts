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
  const used = new Set<number>();
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
