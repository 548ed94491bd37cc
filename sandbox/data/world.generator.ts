/**
 * The seeded sandbox world: `generateWorld({ seed })` always returns the same courts, companies,
 * people and cases for the same options (own PRNG, no clock, no Math.random).
 */
import type { PartyRoleNorm } from '../../core/records.ts';
import { generateCourts } from './courts.generator.ts';
import { addDays, addWorkingDays, daysBetween } from './dates.ts';
import { generateCartotekaCases } from './cartoteka-cases.generator.ts';
import { courtUid, writBlank } from './identifiers.ts';
import { drawOutcome, planLifeCycle } from './life-cycle.ts';
import { generateName } from './names.ts';
import { generateCreditors, generateDebtor } from './parties.generator.ts';
import { createPrng, deriveSeed, type Prng } from './prng.ts';
import type {
  Creditor, Debtor, SandboxCase, SandboxCaseKind, SandboxExecutionDocument, SandboxParty, SandboxWorld, SudrfCourt,
} from './world.types.ts';

/** Options of {@link generateWorld}. */
export interface GenerateWorldOptions {
  /** PRNG seed; default 42. */
  seed?: number;
  /** Number of sudrf district courts; default 6. */
  sudrfCourts?: number;
  /** Cases per court; default 120. */
  casesPerCourt?: number;
  /** The world's "today" (ISO); default `2026-06-15`. Registrations fall in the 540 days before it. */
  asOf?: string;
}

const HOUSING_ROOT = 'Жилищные споры';
const UTILITIES = 'Иски о взыскании платы за жилую площадь и коммунальные платежи, тепло и электроэнергию';
const CAPITAL_REPAIR = 'Иски о взыскании взносов на капитальный ремонт общего имущества в многоквартирном доме';

const ROLE_NORM: Record<string, PartyRoleNorm> = {
  'ИСТЕЦ': 'claimant', 'ЗАЯВИТЕЛЬ': 'claimant', 'ОТВЕТЧИК': 'debtor', 'ДОЛЖНИК': 'debtor',
  'ПРЕДСТАВИТЕЛЬ': 'representative', 'ТРЕТЬЕ ЛИЦО': 'third_party',
};

function party(role: string, name: string, org?: Creditor): SandboxParty {
  return {
    role, roleNorm: ROLE_NORM[role] ?? 'other', name,
    inn: org?.inn ?? null, kpp: org?.kpp ?? null, ogrn: org?.ogrn ?? null, ogrnip: null,
  };
}

/** Generate the world. Same options → deep-equal world. */
export function generateWorld(options: GenerateWorldOptions = {}): SandboxWorld {
  const { seed = 42, sudrfCourts = 6, casesPerCourt = 120, asOf = '2026-06-15' } = options;
  const courts = generateCourts(createPrng(deriveSeed(seed, 'courts')), sudrfCourts);
  const world: SandboxWorld = { seed, asOf, courts, creditors: [], debtors: [], cases: [], cartotekaCases: [] };
  for (const court of courts) {
    const rng = createPrng(deriveSeed(seed, `court:${court.host}`));
    const creditors = generateCreditors(rng, court, 5, court.code);
    world.creditors.push(...creditors);
    world.cases.push(...generateCourtCases(rng, court, creditors, world.debtors, casesPerCourt, asOf));
  }
  // Own PRNG stream per court: the civil world above stays what it was before other cartotekas existed.
  courts.forEach((court, i) => world.cartotekaCases.push(...generateCartotekaCases(createPrng(deriveSeed(seed, `cartoteka:${court.host}`)), court, i, asOf)));
  return world;
}

function generateCourtCases(
  rng: Prng, court: SudrfCourt, creditors: Creditor[], debtors: Debtor[], count: number, asOf: string,
): SandboxCase[] {
  const courtDebtors: Debtor[] = [];
  // Registration dates first, sorted, so numbers and ids grow with time as on a real docket.
  const dates = Array.from({ length: count }, () =>
    addDays(asOf, rng.chance(0.08) ? -rng.int(0, 6) : -rng.int(7, 540)),
  ).map((d) => addWorkingDays(addDays(d, -1), 1)).filter((d) => d <= asOf).sort();
  while (dates.length < count) dates.push(addWorkingDays(addDays(asOf, -10), 1));
  dates.sort();
  const seq = new Map<string, { num: number; material: number; uid: number }>();
  let caseId = rng.int(10_000_000, 300_000_000);
  const cases: SandboxCase[] = [];
  for (const registeredAt of dates) {
    const year = Number(registeredAt.slice(0, 4));
    const s = seq.get(String(year)) ?? { num: rng.int(20, 600), material: rng.int(100, 2000), uid: rng.int(100, 4000) };
    s.num += rng.int(1, 25); s.material += rng.int(1, 40); s.uid += rng.int(1, 60);
    seq.set(String(year), s);
    caseId += rng.int(1, 400);
    const kind: SandboxCaseKind = rng.chance(0.7) ? 'court_order' : 'claim';
    const creditor = rng.pick(creditors);
    let debtor: Debtor;
    if (courtDebtors.length > 3 && rng.chance(0.15)) debtor = rng.pick(courtDebtors);
    else {
      debtor = generateDebtor(rng, court, `${court.code}-d${courtDebtors.length + 1}`, asOf);
      courtDebtors.push(debtor);
      debtors.push(debtor);
    }
    const caseNumber = `2-${s.num}/${year}`;
    const materialNumber = rng.chance(0.8) ? `М-${s.material}/${year}` : null;
    const previousNumbers = kind === 'claim' && rng.chance(0.08) ? [`2-${rng.int(100, 9000)}/${year - 1}`] : [];
    const displayNumber = `${caseNumber}${previousNumbers.length ? ` (${previousNumbers.join('; ')};)` : ''}${materialNumber ? ` ~ ${materialNumber}` : ''}`;
    const categoryChain = [HOUSING_ROOT, creditor.kind === 'capital_repair' ? CAPITAL_REPAIR : UTILITIES];
    const life = planLifeCycle(rng, { kind, outcome: drawOutcome(rng, kind), registeredAt, asOf, court });
    const parties: SandboxParty[] = [
      party(kind === 'court_order' ? 'ЗАЯВИТЕЛЬ' : 'ИСТЕЦ', creditor.name, creditor),
      party(kind === 'court_order' ? 'ДОЛЖНИК' : 'ОТВЕТЧИК', debtor.fullName),
    ];
    if (rng.chance(0.4)) parties.push(party('ПРЕДСТАВИТЕЛЬ', generateName(rng).fullName));
    if (kind === 'claim' && rng.chance(0.25)) {
      parties.push(party('ТРЕТЬЕ ЛИЦО', rng.chance(0.5) ? generateName(rng).fullName : `Государственная жилищная инспекция (${court.regionName})`));
    }
    cases.push({
      host: court.host, courtCode: court.code, kind, cartoteka: 'civil1',
      srvNum: court.srvNum > 1 && rng.chance(0.35) ? 2 : 1,
      caseNumber, materialNumber, previousNumbers, displayNumber,
      uid: courtUid(court.code, year, s.uid, rng.int(0, 99)),
      caseId, caseUid: rng.uuid(),
      categoryChain, category: categoryChain.join(' → '),
      judge: rng.pick(court.judges),
      registeredAt,
      decision: life.decision,
      effectiveAt: life.effectiveAt,
      status: life.status,
      cardStatus: life.status === 'in_force' ? (kind === 'court_order' ? 'order_issued' : 'decided') : life.status,
      creditorId: creditor.id, debtorId: debtor.id,
      amountKopecks: rng.int(3_000, 150_000) * 100 + rng.int(0, 99),
      parties,
      events: life.events,
      executionDocuments: executionDocuments(rng, court, caseNumber, kind, life.effectiveAt, asOf),
    });
  }
  return cases;
}

function executionDocuments(
  rng: Prng, court: SudrfCourt, caseNumber: string, kind: SandboxCaseKind, effectiveAt: string | null, asOf: string,
): SandboxExecutionDocument[] {
  if (effectiveAt === null) return [];
  const docs: SandboxExecutionDocument[] = [];
  let n = 0;
  const electronic = (issuedAt: string): SandboxExecutionDocument => ({
    issuedAt, seriesNumber: null, electronicId: `${court.code}#${caseNumber}#${++n}`, status: 'Выдан',
    recipient: rng.pick(court.bailiffDepartments),
  });
  const first = addWorkingDays(effectiveAt, rng.int(1, 6));
  if (kind === 'court_order') docs.push(electronic(first));
  else {
    docs.push({ issuedAt: first, seriesNumber: writBlank(rng), electronicId: null, status: 'Выдан', recipient: 'Взыскатель' });
    n++;
    if (rng.chance(0.5)) docs.push(electronic(addWorkingDays(first, rng.int(1, 20))));
  }
  return docs.filter((d) => daysBetween(d.issuedAt, asOf) >= 0);
}

/** How a test or robot names a case: by display number, UID, or sudrf `case_id`. */
export type CaseKey = { caseNumber: string } | { uid: string } | { caseId: number | string };

/** Find one case of a court (`host` without port). Case numbers match the number, material or display form. */
export function findCase(world: SandboxWorld, host: string, key: CaseKey): SandboxCase | undefined {
  const bare = host.replace(/:\d+$/, '').toLowerCase();
  return [...world.cases, ...world.cartotekaCases].find((c) => {
    if (c.host !== bare) return false;
    if ('caseNumber' in key) return [c.caseNumber, c.materialNumber, c.displayNumber].includes(key.caseNumber.trim());
    if ('uid' in key) return c.uid === key.uid.trim();
    return String(c.caseId) === String(key.caseId);
  });
}
