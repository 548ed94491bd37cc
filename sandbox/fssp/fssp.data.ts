/**
 * The FSSP bank of the sandbox, derived deterministically from the seeded world: every court-order
 * case (kind `court_order`) that reached `order_issued`/`in_force` becomes an enforcement proceeding
 * opened after the order, with the order as executive document («Судебный приказ от DD.MM.YYYY
 * № <case number>», issuer = the court name upper-cased as FSSP prints it). A few utility
 * companies of the world are debtors too (writs of a court, for the legal-entity search).
 *
 * Shapes follow the real rows (TARGETS.md §3.2, DOMAIN.md §2.3): numbers `N/YY/RRDDD-ИП`, some
 * consolidated `-СД`, some ended («ст. 46 ч. 1 п. 3/4», «ст. 47 ч. 1 п. 1»), the enforcement fee
 * 7 % (min 1 000 руб.) with «Постановление о взыскании исполнительского сбора», UIN
 * `322` + ОСП + YY + N(7) + 3 digits. Nothing here calls Math.random or the clock.
 */
import { addDays, toRuDate } from '../data/dates.ts';
import { generateName } from '../data/names.ts';
import { createPrng, deriveSeed, type Prng } from '../data/prng.ts';
import type { SandboxCase, SandboxWorld, SudrfCourt } from '../data/world.types.ts';
import { fsspRegionTitle } from './fssp-dictionaries.ts';

/** One ОСП (department of bailiffs). */
export interface FsspDepartment {
  /** 5 digits: region (2) + department (3). */
  code: string;
  name: string;
  address: string;
  /** As the bailiff column prints it. */
  phone: string;
  regionCode: string;
  bailiffs: string[];
}

/** One proceeding of the sandbox bank, with the facts the page prints and the links tests need. */
export interface SandboxProceeding {
  ipNumber: string;
  /** ISO date the proceeding was opened. */
  ipDate: string;
  sdNumber: string | null;
  debtorKind: 'person' | 'legal';
  /** World debtor id (person) or creditor id (legal entity). */
  debtorId: string;
  debtor: { lastName: string; firstName: string; middleName: string; birthDate: string | null; name: string; birthPlace: string };
  executiveDocument: { typeId: string; type: string; date: string; number: string; issuer: string };
  /** Lines printed between the document and its issuer. */
  extraDocuments: string[];
  ended: { date: string; article: string; part: string; point: string } | null;
  /** Kopecks; `amountKopecks` null = printed without an amount (finished proceedings). */
  subjects: Array<{ type: string; amountKopecks: number | null }>;
  /** `debt-rest` in kopecks (main debt still unpaid); null when finished (no pay button). */
  debtRestKopecks: number | null;
  department: FsspDepartment;
  bailiff: string;
  regionCode: string;
  regionTitle: string;
  uin: string;
  /** The court case behind a court order (for linking tests), or null. */
  caseNumber: string | null;
  courtHost: string | null;
}

const FEE_LINE = 'Постановление о взыскании исполнительского сбора';
const SUBJECT_BY_CREDITOR: Record<string, string> = {
  uk: 'Задолженность по платежам за жилую площадь, коммунальные платежи, включая пени, за исключением задолженности по платежам за газ, тепло и электроэнергию',
  tszh: 'Задолженность по платежам за жилую площадь, коммунальные платежи, включая пени, за исключением задолженности по платежам за газ, тепло и электроэнергию',
  rso: 'Задолженность по платежам за газ, тепло и электроэнергию',
  capital_repair: 'Иные взыскания имущественного характера в пользу физических и юридических лиц',
};
const STREETS = ['ул. Ленина', 'ул. Советская', 'ул. Гагарина', 'ул. Мира', 'пр-т Октября', 'ул. Пушкина', 'ул. Кирова'];
// Real phone styles: «+73472721646», «+7(812)318-20-01».
const AREA: Record<string, string> = { '02': '347', '78': '812', '16': '843', '54': '383', '63': '846', '66': '343' };

/** Upper-cases a court name as FSSP prints issuers: «СОВЕТСКИЙ РАЙОННЫЙ СУД Г. УФЫ». */
export function fsspIssuerName(courtName: string): string {
  return courtName.toUpperCase();
}

/** The Latin `data-ip` form of an ИП number. */
export function dataIpOf(ipNumber: string): string {
  return ipNumber.replace(/-ИП$/, '-IP');
}

/** Kopecks → «10220.40» (the table's money format). */
export function rubles(kopecks: number): string {
  return `${Math.floor(kopecks / 100)}.${String(kopecks % 100).padStart(2, '0')}`;
}

function departmentsFor(rng: Prng, court: SudrfCourt, nextCode: () => number): FsspDepartment[] {
  const area = AREA[court.regionCode] ?? String(rng.int(300, 899));
  const bracketed = rng.chance(0.5);
  const phone = bracketed ? `+7(${area})${rng.digits(3)}-${rng.digits(2)}-${rng.digits(2)}` : `+7${area}${rng.digits(7)}`;
  return court.bailiffDepartments.map((name) => {
    const code = `${court.regionCode}${String(nextCode()).padStart(3, '0')}`;
    const address = `${rng.int(100, 699)}${rng.digits(3)}, Россия, г. ${court.city}, ${rng.pick(STREETS)}, д. ${rng.int(1, 120)}`;
    const bailiffs = Array.from({ length: 3 }, () => {
      const n = generateName(rng);
      return `${n.lastName.toUpperCase()} ${n.firstName[0]}. ${n.middleName[0]}.`;
    });
    return { code, name, address, phone, regionCode: court.regionCode, bailiffs };
  });
}

/** Per-(department, year) sequence of proceeding numbers, rising with the date like the real ones. */
function numberer(rng: Prng): (dept: string, yy: string) => number {
  const next = new Map<string, number>();
  return (dept, yy) => {
    const key = `${dept}/${yy}`;
    const n = (next.get(key) ?? rng.int(1_000, 90_000)) + rng.int(1, 400);
    next.set(key, n);
    return n;
  };
}

function uinOf(rng: Prng, dept: string, yy: string, n: number): string {
  return `322${dept}${yy}${String(n).padStart(7, '0')}${rng.digits(3)}`;
}

/**
 * Every proceeding of the sandbox bank, in a stable order (region, department, date).
 * Deterministic: the same world gives the same list, byte for byte.
 */
export function deriveProceedings(world: SandboxWorld): SandboxProceeding[] {
  const rng = createPrng(deriveSeed(world.seed, 'fssp'));
  const codes = new Map<string, number>();
  const depts = new Map<string, FsspDepartment[]>();
  for (const court of world.courts) {
    const nextCode = () => {
      const n = (codes.get(court.regionCode) ?? rng.int(1, 20)) + rng.int(1, 6);
      codes.set(court.regionCode, n);
      return n;
    };
    depts.set(court.host, departmentsFor(rng, court, nextCode));
  }
  const courts = new Map(world.courts.map((c) => [c.host, c]));
  const debtors = new Map(world.debtors.map((d) => [d.id, d]));
  const creditors = new Map(world.creditors.map((c) => [c.id, c]));
  const numberOf = numberer(rng);
  const out: SandboxProceeding[] = [];

  const orders = world.cases
    .filter((c) => c.kind === 'court_order' && (c.status === 'in_force' || c.status === 'order_issued') && c.decision.date)
    .sort((a, b) => (a.decision.date! < b.decision.date! ? -1 : a.decision.date! > b.decision.date! ? 1 : a.caseId - b.caseId));
  for (const c of orders) {
    const court = courts.get(c.host)!;
    const debtor = debtors.get(c.debtorId);
    if (!debtor) continue;
    const opened = addDays(c.effectiveAt ?? addDays(c.decision.date!, 30), rng.int(5, 45));
    if (opened > world.asOf) continue;
    const dept = pickDepartment(rng, c, depts.get(c.host)!);
    const kind = creditors.get(c.creditorId)?.kind ?? 'uk';
    out.push(makeProceeding(rng, world, numberOf, {
      opened, dept, regionCode: court.regionCode, debtorKind: 'person', debtorId: debtor.id,
      debtor: {
        lastName: debtor.lastName, firstName: debtor.firstName, middleName: debtor.middleName, birthDate: debtor.birthDate,
        name: debtor.fullName.toUpperCase(), birthPlace: debtor.address.toUpperCase(),
      },
      document: { typeId: '4', type: 'Судебный приказ', date: c.decision.date!, number: c.caseNumber, issuer: fsspIssuerName(court.name) },
      subject: SUBJECT_BY_CREDITOR[kind] ?? SUBJECT_BY_CREDITOR.uk!, debtKopecks: c.amountKopecks, caseNumber: c.caseNumber, courtHost: c.host,
    }));
  }

  // Legal-entity debtors: a few management companies owe a resource supplier under a writ.
  const companies = world.creditors.filter((c) => c.kind === 'uk' || c.kind === 'tszh').slice(0, 6);
  for (const company of companies) {
    const court = world.courts.find((k) => k.regionCode === company.regionCode) ?? world.courts[0]!;
    const docDate = addDays(world.asOf, -rng.int(90, 700));
    const opened = addDays(docDate, rng.int(20, 60));
    out.push(makeProceeding(rng, world, numberOf, {
      opened, dept: rng.pick(depts.get(court.host)!), regionCode: court.regionCode, debtorKind: 'legal', debtorId: company.id,
      debtor: {
        lastName: '', firstName: '', middleName: '', birthDate: null, name: company.name.toUpperCase(),
        birthPlace: `${rng.int(100, 699)}${rng.digits(3)}, РОССИЯ, Г. ${court.city.toUpperCase()}, ${rng.pick(STREETS).toUpperCase()}, Д. ${rng.int(1, 90)}`,
      },
      document: { typeId: '1', type: 'Исполнительный лист', date: docDate, number: `ФС № 0${rng.digits(8)}`, issuer: fsspIssuerName(court.name) },
      subject: SUBJECT_BY_CREDITOR.rso!, debtKopecks: rng.int(50_000, 3_000_000) * 100 + rng.int(0, 99), caseNumber: null, courtHost: null,
    }));
  }

  consolidate(rng, out);
  return out.sort((a, b) => a.regionCode.localeCompare(b.regionCode) || a.department.code.localeCompare(b.department.code) || a.ipDate.localeCompare(b.ipDate) || a.ipNumber.localeCompare(b.ipNumber));
}

/** The department the court's electronic document went to, else one of the court's departments. */
function pickDepartment(rng: Prng, c: SandboxCase, list: FsspDepartment[]): FsspDepartment {
  const recipient = c.executionDocuments[0]?.recipient;
  return list.find((d) => d.name === recipient) ?? rng.pick(list);
}

interface ProceedingSpec {
  opened: string;
  dept: FsspDepartment;
  regionCode: string;
  debtorKind: SandboxProceeding['debtorKind'];
  debtorId: string;
  debtor: SandboxProceeding['debtor'];
  document: SandboxProceeding['executiveDocument'];
  subject: string;
  debtKopecks: number;
  caseNumber: string | null;
  courtHost: string | null;
}

function makeProceeding(rng: Prng, world: SandboxWorld, numberOf: (d: string, y: string) => number, s: ProceedingSpec): SandboxProceeding {
  const yy = s.opened.slice(2, 4);
  const n = numberOf(s.dept.code, yy);
  const ipNumber = `${n}/${yy}/${s.dept.code}-ИП`;
  // Fee after the 5-day voluntary term: 7 % of the debt, at least 1 000 руб. (229-ФЗ ст. 112).
  const feeKopecks = Math.max(100_000, Math.round(s.debtKopecks * 0.07));
  const hasFee = rng.chance(0.6);
  const endDate = addDays(s.opened, rng.int(60, 500));
  let ended: SandboxProceeding['ended'] = null;
  if (endDate <= world.asOf && rng.chance(0.35)) {
    const ground = rng.pick([['46', '1', '3'], ['46', '1', '4'], ['47', '1', '1']] as const);
    ended = { date: endDate, article: ground[0], part: ground[1], point: ground[2] };
  }
  const paidKopecks = rng.chance(0.3) ? Math.floor(s.debtKopecks * rng.next() * 0.6) : 0;
  const debtRest = s.debtKopecks - paidKopecks;
  const subjects: SandboxProceeding['subjects'] = ended
    ? [{ type: s.subject, amountKopecks: null }]
    : [{ type: s.subject, amountKopecks: debtRest }, ...(hasFee ? [{ type: 'Исполнительский сбор', amountKopecks: feeKopecks }] : [])];
  return {
    ipNumber, ipDate: s.opened, sdNumber: null, debtorKind: s.debtorKind, debtorId: s.debtorId, debtor: s.debtor,
    executiveDocument: s.document, extraDocuments: hasFee && !ended ? [FEE_LINE] : [],
    ended, subjects, debtRestKopecks: ended ? null : debtRest,
    department: s.dept, bailiff: rng.pick(s.dept.bailiffs), regionCode: s.regionCode,
    regionTitle: fsspRegionTitle(s.regionCode) ?? s.regionCode, uin: uinOf(rng, s.dept.code, yy, n),
    caseNumber: s.caseNumber, courtHost: s.courtHost,
  };
}

/**
 * Consolidation (-СД): a debtor with several proceedings in one department gets them joined under
 * the first one's number; a few single ones carry their own number as -СД (both seen in real rows).
 */
function consolidate(rng: Prng, list: SandboxProceeding[]): void {
  const groups = new Map<string, SandboxProceeding[]>();
  for (const p of list) {
    const key = `${p.debtorId}|${p.department.code}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  for (const group of groups.values()) {
    if (group.length > 1) {
      const sd = group[0]!.ipNumber.replace(/-ИП$/, '-СД');
      for (const p of group) p.sdNumber = sd;
    } else if (rng.chance(0.1)) {
      group[0]!.sdNumber = group[0]!.ipNumber.replace(/-ИП$/, '-СД');
    }
  }
}

/** Lookup helpers over one derived list (built once per site). */
export class FsspBank {
  readonly proceedings: readonly SandboxProceeding[];
  constructor(world: SandboxWorld) {
    this.proceedings = deriveProceedings(world);
  }
  /** Proceedings of a person: names case-insensitive, patronymic and birth date optional. */
  byPerson(q: { lastName: string; firstName: string; middleName?: string; birthDate?: string | null; region?: string }): SandboxProceeding[] {
    const eq = (a: string, b: string) => a.trim().toLowerCase().replace(/ё/g, 'е') === b.trim().toLowerCase().replace(/ё/g, 'е');
    return this.proceedings.filter((p) => p.debtorKind === 'person'
      && eq(p.debtor.lastName, q.lastName) && eq(p.debtor.firstName, q.firstName)
      && (!q.middleName || eq(p.debtor.middleName, q.middleName))
      && (!q.birthDate || p.debtor.birthDate === q.birthDate)
      && inRegion(p, q.region));
  }
  /** By ИП number (`-ИП`) or consolidated number (`-СД`: the whole group); legacy `N/YY/DD/RR` too. */
  byIpNumber(number: string): SandboxProceeding[] {
    const t = number.trim().toUpperCase().replace(/-IP$/, '-ИП');
    const legacy = /^(\d+)\/(\d{2})\/(\d{2})\/(\d{2})$/.exec(t);
    if (legacy) return this.proceedings.filter((p) => p.ipNumber === `${legacy[1]}/${legacy[2]}/${legacy[4]}0${legacy[3]}-ИП`);
    return this.proceedings.filter((p) => p.ipNumber === t || p.sdNumber === t);
  }
  /** By executive document number (spaces and «№» ignored), optional type id, issuer substring and region. */
  byExecutiveDocument(q: { number: string; typeId?: string; issuer?: string; region?: string }): SandboxProceeding[] {
    const key = (s: string) => s.toUpperCase().replace(/[\s№]/g, '');
    return this.proceedings.filter((p) => key(p.executiveDocument.number) === key(q.number)
      && (!q.typeId || p.executiveDocument.typeId === q.typeId)
      && (!q.issuer || p.executiveDocument.issuer.includes(q.issuer.trim().toUpperCase()))
      && inRegion(p, q.region));
  }
  /** Legal entities whose name contains `name` (case-insensitive); address words must all occur. */
  byLegalEntity(q: { name: string; address?: string; region?: string }): SandboxProceeding[] {
    const name = q.name.trim().toUpperCase();
    const words = (q.address ?? '').toUpperCase().split(/[\s,]+/).filter(Boolean);
    return this.proceedings.filter((p) => p.debtorKind === 'legal' && p.debtor.name.includes(name)
      && words.every((w) => p.debtor.birthPlace.includes(w)) && inRegion(p, q.region));
  }
}

function inRegion(p: SandboxProceeding, region: string | undefined): boolean {
  return !region || region === '-1' || p.regionCode === region;
}

/** «DD.MM.YYYY» of an ISO date (re-exported for the pages). */
export { toRuDate };
