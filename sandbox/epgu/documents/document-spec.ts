/**
 * Document specs derived from the FSSP sandbox bank (`deriveProceedings(world)`): the answer the
 * ОСП of a proceeding would send through EPGU, as a `FsspDocumentSpec`. Deterministic by seed.
 */
import { addDays } from '../../data/dates.ts';
import { createPrng, deriveSeed } from '../../data/prng.ts';
import type { SandboxWorld } from '../../data/world.types.ts';
import type { SandboxProceeding } from '../../fssp/fssp.data.ts';
import { FSSP_DOCUMENT_LAYOUTS, type FsspDocumentKind, type FsspDocumentSpec } from './fssp-document.types.ts';

const MOTIONS = [
  'Прошу направить запросы в банки и кредитные организации о наличии счетов должника',
  'Прошу обратить взыскание на заработную плату и иные доходы должника',
  'Прошу установить временное ограничение на выезд должника из Российской Федерации',
  'Прошу предоставить сведения о ходе исполнительного производства',
  'Прошу наложить арест на имущество должника по месту его жительства',
];

/** Resource suppliers used as creditor of a writ when the world gives none (legal-entity debtors). */
const SUPPLIERS = [
  { name: 'ПАО "ТЕПЛОСЕТЬ"', inn: '7701234564' },
  { name: 'АО "ГОРОДСКОЙ ВОДОКАНАЛ"', inn: '7702345671' },
  { name: 'ООО "ЭНЕРГОСБЫТ"', inn: '7703456788' },
];

/** The creditor of a proceeding: the claimant of the court case behind it when the world has it. */
function creditorOf(p: SandboxProceeding, world: SandboxWorld | undefined, pick: <T>(xs: readonly T[]) => T): { name: string; inn: string } {
  const c = world && p.caseNumber ? world.cases.find((k) => k.host === p.courtHost && k.caseNumber === p.caseNumber) : undefined;
  const creditor = c && world!.creditors.find((k) => k.id === c.creditorId);
  return creditor ? { name: creditor.name, inn: creditor.inn } : pick(SUPPLIERS);
}

const BIRTH_TOWNS = ['Г. УФА', 'Г. СТЕРЛИТАМАК БАШКИРСКОЙ АССР', 'С. ЧЕКМАГУШ', 'Г. КАЗАНЬ', 'Г. ОРЕНБУРГ', 'ПОС. ПРИЮТОВО БЕЛЕБЕЕВСКОГО Р-НА'];
const STREETS = ['УЛ. ЛЕНИНА', 'УЛ. МИРА', 'ПР-Т ОКТЯБРЯ', 'УЛ. КОММУНИСТИЧЕСКАЯ', 'УЛ. ЦЮРУПЫ'];

/**
 * The presentation of a document (layout, stamp) and the facts only some layouts print (birth
 * place, creditor address, a writ's case number), seeded apart from the facts so they stay put.
 */
export function presentationOf(spec: FsspDocumentSpec, seed: number, caseNumber: string | null): Pick<FsspDocumentSpec, 'layout' | 'stamp' | 'debtor' | 'creditor' | 'executiveDocument'> {
  const rng = createPrng(deriveSeed(seed, `layout:${spec.ipNumber}:${spec.kind}`));
  const person = !!spec.debtor.birthDate;
  const city = /Г\. ?([А-ЯЁ-]+)/i.exec(spec.department.address)?.[1]?.toUpperCase() ?? 'УФА';
  const isWrit = /лист/i.test(spec.executiveDocument.type);
  return {
    layout: rng.pick(FSSP_DOCUMENT_LAYOUTS),
    stamp: rng.chance(0.4),
    debtor: { ...spec.debtor, birthPlace: person && rng.chance(0.7) ? rng.pick(BIRTH_TOWNS) : null },
    creditor: { ...spec.creditor, address: rng.chance(0.8) ? `${rng.int(450000, 453999)}, Г. ${city}, ${rng.pick(STREETS)}, Д. ${rng.int(1, 120)}` : null },
    executiveDocument: { ...spec.executiveDocument, caseNumber: isWrit ? caseNumber : null },
  };
}

/**
 * The spec of one document about `proceeding`. `world` (optional) names the real creditor of the
 * court case; without it a resource supplier is picked by seed. Amount = the main debt in rubles.
 * @example documentSpecFromProceeding(deriveProceedings(world)[0], 'ip_opened', 7, world)
 */
export function documentSpecFromProceeding(proceeding: SandboxProceeding, kind: FsspDocumentKind, seed: number, world?: SandboxWorld): FsspDocumentSpec {
  const rng = createPrng(deriveSeed(seed, `doc:${proceeding.ipNumber}:${kind}`));
  const main = proceeding.subjects.find((s) => s.type !== 'Исполнительский сбор');
  const kopecks = main?.amountKopecks ?? proceeding.debtRestKopecks ?? rng.int(3_000, 250_000) * 100 + rng.int(0, 99);
  const e = proceeding.executiveDocument;
  const decisionDate = kind === 'ip_opened' ? proceeding.ipDate
    : kind === 'ip_ended' && proceeding.ended ? proceeding.ended.date
    : addDays(proceeding.ipDate, rng.int(20, 200));
  const ended = proceeding.ended;
  const endGround = kind !== 'ip_ended' ? undefined
    : ended && ended.article === '46' ? `ст. ${ended.article} ч. ${ended.part} п. ${ended.point}`
    : `ст. 46 ч. 1 п. ${rng.pick(['3', '4'])}`;
  const spec: FsspDocumentSpec = {
    kind,
    ipNumber: proceeding.ipNumber,
    ipDate: proceeding.ipDate,
    department: { name: proceeding.department.name, address: proceeding.department.address, code: proceeding.department.code },
    bailiff: proceeding.bailiff,
    debtor: { name: proceeding.debtor.name, birthDate: proceeding.debtor.birthDate, address: proceeding.debtor.birthPlace },
    creditor: creditorOf(proceeding, world, (xs) => rng.pick(xs)),
    executiveDocument: { type: e.type, number: e.number, date: e.date, issuer: e.issuer },
    amount: kopecks / 100,
    decisionDate,
    ...(endGround ? { endGround } : {}),
    ...(kind === 'motion_granted' || kind === 'motion_refused' ? { motionText: rng.pick(MOTIONS) } : {}),
    subject: main?.type,
  };
  return { ...spec, ...presentationOf(spec, seed, proceeding.caseNumber ?? null) };
}
