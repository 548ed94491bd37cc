/**
 * The letters of the sandbox world, as the tracking replica serves them: every application a
 * creditor sent to a court (one per case: delivered on the day the court registered it), every
 * executive document sent to an ОСП (one per proceeding: delivered three working days before the ИП
 * date), and the copy of a court order the court sent to the debtor (one case in three returned to
 * the court after 30 days in storage). Operation sequences follow the real dictionary
 * (parsers/post-tracking/operation-codes.ts): 1.1 accepted → 8.1/8.3/8.4 sorting → 8.2 arrived →
 * (12.1 failed attempt) → 2.1 delivered, or → 3.1 return after the storage term → 8.x → 2.2 handed to the sender.
 * Dates are local times of the office with its offset (`+03:00` Moscow, `+05:00` Ufa …).
 */
import { withDomesticCheckDigit } from '../../core/postal-identifiers.ts';
import { addDays, addWorkingDays } from '../data/dates.ts';
import { createPrng, deriveSeed, type Prng } from '../data/prng.ts';
import type { SandboxWorld } from '../data/world.types.ts';
import { FsspBank } from '../fssp/fssp.data.ts';

/** One operation of a sandbox letter. */
export interface SandboxOperation {
  type: number;
  attr: number;
  /** Local date-time `YYYY-MM-DDTHH:mm:00` without offset; `offset` gives it. */
  local: string;
  offset: string;
  index: string;
  place: string;
}

/** What a sandbox letter is for (the link tests check). */
export type SandboxLetterKind = 'application_to_court' | 'document_to_osp' | 'order_copy_to_debtor' | 'scripted';

export interface SandboxLetter {
  barcode: string;
  kind: SandboxLetterKind;
  /** World case (host + case number) or ИП number it belongs to. */
  caseKey: string | null;
  ipNumber: string | null;
  sender: string;
  recipient: string;
  mailType: string;
  mailCategory: string;
  operations: SandboxOperation[];
}

/** UTC offsets of region codes the world uses (hours); others Moscow. */
const OFFSET_BY_REGION: Record<string, string> = { '02': '+05:00', '16': '+03:00', '54': '+07:00', '63': '+04:00', '66': '+05:00', '78': '+03:00', '77': '+03:00' };
const offsetOf = (region: string) => OFFSET_BY_REGION[region] ?? '+03:00';

/** The instant of a sandbox operation (for "has it happened yet" against the sandbox clock). */
export const operationInstant = (op: SandboxOperation): number => Date.parse(`${op.local}${op.offset}`);

const time = (rng: Prng, from: number, to: number) => `${String(rng.int(from, to)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00`;

/** A 14-digit identifier of an office index, with a valid check digit. */
function barcodeOf(index: string, month: number, serial: number): string {
  return withDomesticCheckDigit(`${index}${String(month).padStart(2, '0')}${String(serial % 100_000).padStart(5, '0')}`);
}

interface Trip { fromIndex: string; fromPlace: string; toIndex: string; toPlace: string; offset: string }

/** Acceptance `days` before `deliveryDay`, two sorting steps, arrival, maybe a failed attempt, delivery (or a return). */
function journey(rng: Prng, trip: Trip, deliveryDay: string, outcome: 'delivered' | 'returned'): SandboxOperation[] {
  const o = trip.offset;
  const sortIndex = `${trip.toIndex.slice(0, 3)}960`;
  const accepted = addDays(deliveryDay, -rng.int(3, 6));
  const ops: SandboxOperation[] = [
    { type: 1, attr: 1, local: `${accepted}T${time(rng, 9, 12)}`, offset: o, index: trip.fromIndex, place: trip.fromPlace },
    { type: 8, attr: 1, local: `${accepted}T${time(rng, 17, 19)}`, offset: o, index: trip.fromIndex, place: trip.fromPlace },
    { type: 8, attr: 3, local: `${addDays(accepted, 1)}T${time(rng, 3, 6)}`, offset: o, index: sortIndex, place: `Сортировочный центр ${sortIndex}` },
    { type: 8, attr: 4, local: `${addDays(accepted, 1)}T${time(rng, 20, 23)}`, offset: o, index: sortIndex, place: `Сортировочный центр ${sortIndex}` },
  ];
  const arrival = addDays(deliveryDay, outcome === 'returned' ? 0 : -1);
  ops.push({ type: 8, attr: 2, local: `${arrival}T${time(rng, 7, 9)}`, offset: o, index: trip.toIndex, place: trip.toPlace });
  if (outcome === 'delivered') {
    if (rng.chance(0.25)) ops.push({ type: 12, attr: 1, local: `${arrival}T${time(rng, 13, 16)}`, offset: o, index: trip.toIndex, place: trip.toPlace });
    ops.push({ type: 2, attr: 1, local: `${deliveryDay}T${time(rng, 10, 15)}`, offset: o, index: trip.toIndex, place: trip.toPlace });
    return ops;
  }
  // Not collected: notice, 30 days in storage, back to the sender.
  ops.push({ type: 8, attr: 17, local: `${arrival}T${time(rng, 10, 12)}`, offset: o, index: trip.toIndex, place: trip.toPlace });
  const back = addDays(arrival, 30);
  ops.push({ type: 3, attr: 1, local: `${back}T${time(rng, 9, 11)}`, offset: o, index: trip.toIndex, place: trip.toPlace });
  ops.push({ type: 8, attr: 4, local: `${addDays(back, 1)}T${time(rng, 20, 23)}`, offset: o, index: sortIndex, place: `Сортировочный центр ${sortIndex}` });
  ops.push({ type: 2, attr: 2, local: `${addDays(back, 4)}T${time(rng, 10, 15)}`, offset: o, index: trip.fromIndex, place: trip.fromPlace });
  return ops;
}

/** Derives every letter of the world (deterministic for a seed). */
export function deriveLetters(world: SandboxWorld): SandboxLetter[] {
  const rng = createPrng(deriveSeed(world.seed, 'post-tracking'));
  const courts = new Map(world.courts.map((c) => [c.host, c]));
  const creditors = new Map(world.creditors.map((c) => [c.id, c]));
  const debtors = new Map(world.debtors.map((d) => [d.id, d]));
  const out: SandboxLetter[] = [];
  let serial = rng.int(1000, 9000);
  const officeOf = (region: string, n: number) => `${region === '77' ? '1' : String(Number(region) % 9 + 1)}${region.padStart(2, '0').slice(-2)}${String(n % 1000).padStart(3, '0')}`;
  for (const c of world.cases) {
    const court = courts.get(c.host);
    const creditor = creditors.get(c.creditorId);
    const debtor = debtors.get(c.debtorId);
    if (!court || !creditor || !debtor) continue;
    const region = court.regionCode;
    const trip: Trip = { fromIndex: officeOf(region, rng.int(1, 99)), fromPlace: `${court.city} ${rng.int(1, 99)}`, toIndex: officeOf(region, rng.int(100, 199)), toPlace: `${court.city} ${rng.int(100, 199)}`, offset: offsetOf(region) };
    const month = Number(c.registeredAt.slice(5, 7));
    out.push({
      barcode: barcodeOf(trip.fromIndex, month, serial++), kind: 'application_to_court', caseKey: `${c.host}|${c.caseNumber}`, ipNumber: null,
      sender: creditor.name.toUpperCase(), recipient: court.name.toUpperCase(), mailType: 'Письмо', mailCategory: 'Заказное',
      operations: journey(rng, trip, c.registeredAt, 'delivered'),
    });
    if (c.kind === 'court_order' && c.decision.date) {
      const sent = addWorkingDays(c.decision.date, 2);
      const back: Trip = { fromIndex: trip.toIndex, fromPlace: trip.toPlace, toIndex: officeOf(region, rng.int(200, 299)), toPlace: `${court.city} ${rng.int(200, 299)}`, offset: trip.offset };
      const outcome = rng.chance(1 / 3) ? 'returned' : 'delivered';
      out.push({
        barcode: barcodeOf(back.fromIndex, Number(sent.slice(5, 7)), serial++), kind: 'order_copy_to_debtor', caseKey: `${c.host}|${c.caseNumber}`, ipNumber: null,
        sender: court.name.toUpperCase(), recipient: debtor.fullName.toUpperCase(), mailType: 'Письмо', mailCategory: 'Заказное',
        operations: journey(rng, back, addDays(sent, rng.int(4, 7)), outcome),
      });
    }
  }
  for (const p of new FsspBank(world).proceedings) {
    const region = p.regionCode;
    const trip: Trip = { fromIndex: officeOf(region, rng.int(1, 99)), fromPlace: `${p.department.name.split(' ').slice(-1)[0]} ${rng.int(1, 99)}`, toIndex: officeOf(region, rng.int(300, 399)), toPlace: p.department.address.split(',')[0] ?? p.department.name, offset: offsetOf(region) };
    const delivered = addWorkingDays(p.ipDate, -3);
    out.push({
      barcode: barcodeOf(trip.fromIndex, Number(delivered.slice(5, 7)), serial++), kind: 'document_to_osp', caseKey: p.courtHost && p.caseNumber ? `${p.courtHost}|${p.caseNumber}` : null, ipNumber: p.ipNumber,
      sender: 'ВЗЫСКАТЕЛЬ', recipient: p.department.name.toUpperCase(), mailType: 'Письмо', mailCategory: 'Заказное',
      operations: journey(rng, trip, delivered, 'delivered'),
    });
  }
  return out;
}

/** The letters by identifier, plus letters tests script (a sequence reaching into the sandbox's future). */
export class PostOffice {
  readonly letters: SandboxLetter[];
  private readonly byBarcode = new Map<string, SandboxLetter>();
  constructor(world: SandboxWorld) {
    this.letters = deriveLetters(world);
    for (const l of this.letters) this.byBarcode.set(l.barcode, l);
  }

  get(barcode: string): SandboxLetter | undefined {
    return this.byBarcode.get(barcode);
  }

  /** Adds or replaces a letter (tests, demos): its operations show as the sandbox clock reaches them. */
  put(letter: SandboxLetter): void {
    if (!this.byBarcode.has(letter.barcode)) this.letters.push(letter);
    else this.letters.splice(this.letters.findIndex((l) => l.barcode === letter.barcode), 1, letter);
    this.byBarcode.set(letter.barcode, letter);
  }

  /** Letters of a world case (`host|caseNumber`). */
  ofCase(host: string, caseNumber: string): SandboxLetter[] {
    return this.letters.filter((l) => l.caseKey === `${host}|${caseNumber}`);
  }
}
