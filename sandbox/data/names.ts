/**
 * Generated Russian full names (ФИО) with correct gender agreement: the surname and the patronymic
 * take the feminine form for women. Lists are common words, combined at random: no real person.
 */
import type { Prng } from './prng.ts';

export type Gender = 'm' | 'f';

/** A generated person's name in its parts plus the two display forms courts use. */
export interface PersonName {
  lastName: string;
  firstName: string;
  middleName: string;
  gender: Gender;
  /** «Фамилия Имя Отчество». */
  fullName: string;
  /** «Фамилия И.О.», as judges and short lists show names. */
  shortName: string;
}

// Masculine base forms; feminineSurname() derives the women's form.
const SURNAMES = [
  'Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Васильев', 'Петров', 'Соколов', 'Михайлов', 'Новиков',
  'Фёдоров', 'Морозов', 'Волков', 'Алексеев', 'Лебедев', 'Семёнов', 'Егоров', 'Павлов', 'Козлов',
  'Степанов', 'Николаев', 'Орлов', 'Андреев', 'Макаров', 'Никитин', 'Захаров', 'Зайцев', 'Соловьёв',
  'Борисов', 'Яковлев', 'Григорьев', 'Романов', 'Воробьёв', 'Сергеев', 'Фролов', 'Калинин', 'Гусев',
  'Титов', 'Кудрявцев', 'Баранов', 'Куликов', 'Белов', 'Комаров', 'Киселёв', 'Ильин', 'Тихонов',
  'Виноградов', 'Ковалевский', 'Каменский', 'Заречный', 'Луговской', 'Шевченко', 'Ковальчук',
  'Савченко', 'Черных', 'Седых', 'Гарипов', 'Хабибуллин', 'Сафин', 'Галиев', 'Мухаметов',
];

const MALE_FIRST = [
  'Александр', 'Алексей', 'Андрей', 'Антон', 'Артём', 'Борис', 'Вадим', 'Валерий', 'Виктор',
  'Владимир', 'Дмитрий', 'Евгений', 'Иван', 'Игорь', 'Кирилл', 'Константин', 'Максим', 'Михаил',
  'Никита', 'Николай', 'Олег', 'Павел', 'Роман', 'Руслан', 'Сергей', 'Станислав', 'Юрий', 'Ринат',
];

const FEMALE_FIRST = [
  'Александра', 'Алина', 'Анастасия', 'Анна', 'Валентина', 'Вера', 'Виктория', 'Галина', 'Дарья',
  'Екатерина', 'Елена', 'Ирина', 'Ксения', 'Лариса', 'Людмила', 'Марина', 'Мария', 'Надежда',
  'Наталья', 'Нина', 'Оксана', 'Ольга', 'Светлана', 'Татьяна', 'Юлия', 'Гульнара', 'Лилия',
];

// Father's name → [masculine, feminine] patronymic; irregular ones (Илья, Никита, Лев…) written out.
const PATRONYMICS: ReadonlyArray<readonly [string, string]> = [
  ['Александрович', 'Александровна'], ['Алексеевич', 'Алексеевна'], ['Андреевич', 'Андреевна'],
  ['Борисович', 'Борисовна'], ['Васильевич', 'Васильевна'], ['Викторович', 'Викторовна'],
  ['Владимирович', 'Владимировна'], ['Геннадьевич', 'Геннадьевна'], ['Дмитриевич', 'Дмитриевна'],
  ['Евгеньевич', 'Евгеньевна'], ['Иванович', 'Ивановна'], ['Игоревич', 'Игоревна'],
  ['Ильич', 'Ильинична'], ['Львович', 'Львовна'], ['Михайлович', 'Михайловна'],
  ['Никитич', 'Никитична'], ['Николаевич', 'Николаевна'], ['Олегович', 'Олеговна'],
  ['Павлович', 'Павловна'], ['Петрович', 'Петровна'], ['Сергеевич', 'Сергеевна'],
  ['Юрьевич', 'Юрьевна'], ['Рашидович', 'Рашидовна'], ['Фаритович', 'Фаритовна'],
];

/** The feminine form of a masculine surname; invariable surnames (-ко, -ук, -их…) stay as they are. */
export function feminineSurname(surname: string): string {
  if (/(ов|ев|ёв|ин|ын)$/.test(surname)) return `${surname}а`;
  if (/(ский|цкий)$/.test(surname)) return `${surname.slice(0, -2)}ая`;
  if (/ной$/.test(surname)) return `${surname.slice(0, -2)}ая`;
  if (/(ый|ий)$/.test(surname)) return `${surname.slice(0, -2)}ая`;
  if (/ской$/.test(surname)) return `${surname.slice(0, -2)}ая`;
  return surname;
}

/** Whether the three parts agree with `gender` (used by the tests and as a generator self-check). */
export function agreesInGender(name: Pick<PersonName, 'lastName' | 'firstName' | 'middleName' | 'gender'>): boolean {
  const female = name.gender === 'f';
  if (female !== /на$/.test(name.middleName)) return false;
  if (!female && !/(ич)$/.test(name.middleName)) return false;
  if (female !== FEMALE_FIRST.includes(name.firstName)) return false;
  const masculine = SURNAMES.find((s) => s === name.lastName || feminineSurname(s) === name.lastName);
  if (masculine === undefined) return false;
  return name.lastName === (female ? feminineSurname(masculine) : masculine);
}

/** Draw a name of the given gender (or a random one). */
export function generateName(rng: Prng, gender: Gender = rng.chance(0.5) ? 'm' : 'f'): PersonName {
  const base = rng.pick(SURNAMES);
  const lastName = gender === 'f' ? feminineSurname(base) : base;
  const firstName = rng.pick(gender === 'f' ? FEMALE_FIRST : MALE_FIRST);
  const pair = rng.pick(PATRONYMICS);
  const middleName = gender === 'f' ? pair[1] : pair[0];
  return {
    lastName,
    firstName,
    middleName,
    gender,
    fullName: `${lastName} ${firstName} ${middleName}`,
    shortName: `${lastName} ${firstName[0]}.${middleName[0]}.`,
  };
}
