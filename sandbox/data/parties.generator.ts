/**
 * Creditors (utility companies with valid INN/ОГРН) and debtors (persons with agreeing ФИО, birth
 * date and address) of one region.
 */
import { generateOgrn, generateOrgInn, kppFor } from './identifiers.ts';
import { generateName } from './names.ts';
import type { Prng } from './prng.ts';
import type { Creditor, CreditorKind, Debtor, SudrfCourt } from './world.types.ts';

const UK_WORDS = ['Жилкомфорт', 'Уютный дом', 'Домсервис', 'Жилищник', 'Комфорт-Сервис', 'Наш дом', 'Стандарт', 'ЖЭУ-5'];
const TSZH_WORDS = ['Рассвет', 'Северное', 'Солнечный', 'Берёзка', 'Надежда', 'Садовое', 'Луч'];
const RSO_NAMES = [
  'АО "Теплоэнерго"', 'ООО "Водоканал"', 'МУП "Тепловые сети"', 'ПАО "Энергосбыт"',
  'АО "Газпром межрегионгаз"', 'ООО "Расчётный центр ЖКХ"',
];
const STREETS = ['Ленина', 'Мира', 'Советская', 'Гагарина', 'Пушкина', 'Молодёжная', 'Садовая', 'Лесная', 'Школьная', 'Заводская'];

function creditorName(rng: Prng, kind: CreditorKind, court: SudrfCourt): string {
  switch (kind) {
    case 'uk':
      return `ООО "Управляющая компания "${rng.pick(UK_WORDS)}"`;
    case 'tszh':
      return `ТСЖ "${rng.pick(TSZH_WORDS)}"`;
    case 'rso':
      return rng.pick(RSO_NAMES);
    case 'capital_repair':
      return `НО "Региональный фонд капитального ремонта многоквартирных домов" (${court.regionName})`;
  }
}

/** Creditors of one court's region: one capital-repair operator plus a mix of УК, ТСЖ and РСО. */
export function generateCreditors(rng: Prng, court: SudrfCourt, count: number, idPrefix: string): Creditor[] {
  const kinds: CreditorKind[] = ['capital_repair'];
  while (kinds.length < count) kinds.push(rng.pick(['uk', 'uk', 'tszh', 'rso'] as const));
  const names = new Set<string>();
  const out: Creditor[] = [];
  for (const kind of kinds) {
    // A few redraws avoid twins; same-named companies with different INNs exist in life too.
    let name = creditorName(rng, kind, court);
    for (let tries = 0; names.has(name) && tries < 5; tries++) name = creditorName(rng, kind, court);
    names.add(name);
    const inn = generateOrgInn(rng, court.regionCode);
    out.push({ id: `${idPrefix}-c${out.length + 1}`, kind, name, inn, kpp: kppFor(inn), ogrn: generateOgrn(rng, court.regionCode), regionCode: court.regionCode });
  }
  return out;
}

/** A debtor living in the court's city. */
export function generateDebtor(rng: Prng, court: SudrfCourt, id: string, asOf: string): Debtor {
  const name = generateName(rng);
  const year = Number(asOf.slice(0, 4)) - rng.int(19, 80);
  const birthDate = `${year}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
  const postcode = `${court.regionCode === '78' ? '19' : '4'}${rng.digits(court.regionCode === '78' ? 4 : 5)}`;
  return {
    id,
    lastName: name.lastName,
    firstName: name.firstName,
    middleName: name.middleName,
    gender: name.gender,
    fullName: name.fullName,
    birthDate,
    address: `${postcode}, г. ${court.city}, ул. ${rng.pick(STREETS)}, д. ${rng.int(1, 120)}, кв. ${rng.int(1, 240)}`,
    regionCode: court.regionCode,
  };
}
