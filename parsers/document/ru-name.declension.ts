/**
 * Genitive → nominative for the names FSSP prose puts in the genitive («в отношении должника
 * Смирновой Елены Викторовны», «взыскателя общества с ограниченной ответственностью …»,
 * «на основании судебного приказа»). A small rule set, no dictionary package (none is installed;
 * DOMAIN.md §3.1 names lvovich/petrovich, which decline the other way, nominative → cases).
 * A person's name is declined only when its patronymic shows the genitive (-вича, -ича, -вны,
 * -чны): that is the one reliable signal, so a nominative name is never touched. Letter case is
 * kept as printed (ИВАНОВОЙ → ИВАНОВА). Pure.
 */

/** Apply the letter case of `model` (all caps, Capitalised, lower) to `word`. */
function withCaseOf(model: string, word: string): string {
  const modelParts = model.split('-');
  const wordParts = word.split('-');
  if (modelParts.length > 1 && modelParts.length === wordParts.length) return wordParts.map((w, i) => withCaseOf(modelParts[i]!, w)).join('-');
  if (model === model.toUpperCase() && model !== model.toLowerCase()) return word.toUpperCase();
  if (model[0] && model[0] === model[0].toUpperCase()) return word[0]!.toUpperCase() + word.slice(1);
  return word;
}

const HARD_GK = /[гкхжшчщ]$/;

/** Irregular male first names (fleeting vowel) and a few others: genitive → nominative. */
const MALE_FIRST: Record<string, string> = { петра: 'петр', пётра: 'пётр', павла: 'павел', льва: 'лев', игоря: 'игорь' };
const FEMALE_FIRST: Record<string, string> = { любови: 'любовь' };

function maleFirst(w: string): string {
  if (MALE_FIRST[w]) return MALE_FIRST[w]!;
  if (/ия$/.test(w)) return w.replace(/ия$/, 'ий');
  if (/ея$/.test(w)) return w.replace(/ея$/, 'ей');
  if (/ая$/.test(w)) return w.replace(/ая$/, 'ай');
  if (/оя$/.test(w)) return w.replace(/оя$/, 'ой');
  if (/ьи$/.test(w)) return w.replace(/ьи$/, 'ья');
  if (/ы$/.test(w)) return w.replace(/ы$/, 'а');
  if (/и$/.test(w) && HARD_GK.test(w.slice(0, -1))) return w.replace(/и$/, 'а');
  if (/[бвгджзклмнпрстфхцчшщ]я$/.test(w)) return w.replace(/я$/, 'ь');
  if (/[бвгджзклмнпрстфхцчшщ]а$/.test(w)) return w.slice(0, -1);
  return w;
}

function femaleFirst(w: string): string {
  if (FEMALE_FIRST[w]) return FEMALE_FIRST[w]!;
  if (/ии$/.test(w)) return w.replace(/ии$/, 'ия');
  if (/ьи$/.test(w)) return w.replace(/ьи$/, 'ья');
  if (/ы$/.test(w)) return w.replace(/ы$/, 'а');
  if (/и$/.test(w)) return w.replace(/и$/, HARD_GK.test(w.slice(0, -1)) ? 'а' : 'я');
  return w;
}

function maleSurname(w: string): string {
  return w.split('-').map((part) => {
    if (/(ск|цк)ого$/.test(part)) return part.replace(/ого$/, 'ий');
    if (/[гкх]ого$/.test(part)) return part.replace(/ого$/, 'ий');
    if (/ого$/.test(part)) return part.replace(/ого$/, 'ой');
    if (/его$/.test(part)) return part.replace(/его$/, 'ий');
    if (/(ов|ев|ёв|ин|ын)а$/.test(part)) return part.slice(0, -1);
    if (/[бвгджзклмнпрстфхцчшщ]а$/.test(part)) return part.slice(0, -1);
    if (/[бвгджзклмнпрстфхцчшщ]я$/.test(part)) return part.replace(/я$/, 'ь');
    return part;
  }).join('-');
}

function femaleSurname(w: string): string {
  return w.split('-').map((part) => {
    if (/(ов|ев|ёв|ин|ын)ой$/.test(part)) return part.replace(/ой$/, 'а');
    if (/(ск|цк)ой$/.test(part)) return part.replace(/ой$/, 'ая');
    if (/ой$/.test(part)) return part.replace(/ой$/, 'ая');
    return part;
  }).join('-');
}

/** True when the three words look like a ФИО whose patronymic is in the genitive. */
function genitiveGender(patronymic: string): 'm' | 'f' | null {
  const p = patronymic.toLowerCase();
  if (/(вич|ич)а$/.test(p)) return 'm';
  if (/(вн|чн)ы$/.test(p)) return 'f';
  return null;
}

/**
 * A person's «Фамилия Имя Отчество» in the nominative; other strings unchanged.
 * @example personToNominative('Смирновой Елены Викторовны') // 'Смирнова Елена Викторовна'
 * @example personToNominative('БЕЛОУСОВА АНДРЕЯ СЕРГЕЕВИЧА') // 'БЕЛОУСОВ АНДРЕЙ СЕРГЕЕВИЧ'
 */
export function personToNominative(name: string): string {
  const words = name.trim().split(/\s+/);
  if (words.length !== 3) return name;
  const [surname, first, patronymic] = words as [string, string, string];
  const gender = genitiveGender(patronymic);
  if (!gender) return name;
  const low = (s: string) => s.toLowerCase();
  const out = gender === 'm'
    ? [maleSurname(low(surname)), maleFirst(low(first)), low(patronymic).slice(0, -1)]
    : [femaleSurname(low(surname)), femaleFirst(low(first)), low(patronymic).replace(/ы$/, 'а')];
  return [withCaseOf(surname, out[0]!), withCaseOf(first, out[1]!), withCaseOf(patronymic, out[2]!)].join(' ');
}

/** Legal forms written in full, genitive → nominative (the abbreviations ООО, АО … do not decline). */
const LEGAL_FORMS: Array<[RegExp, string]> = [
  [/^публичного акционерного общества(?![\p{L}])/iu, 'публичное акционерное общество'],
  [/^непубличного акционерного общества(?![\p{L}])/iu, 'непубличное акционерное общество'],
  [/^акционерного общества(?![\p{L}])/iu, 'акционерное общество'],
  [/^общества с ограниченной ответственностью(?![\p{L}])/iu, 'общество с ограниченной ответственностью'],
  [/^товарищества собственников (жилья|недвижимости)(?![\p{L}])/iu, 'товарищество собственников $1'],
  [/^индивидуального предпринимателя(?![\p{L}])/iu, 'индивидуальный предприниматель'],
  [/^муниципального унитарного предприятия(?![\p{L}])/iu, 'муниципальное унитарное предприятие'],
  [/^государственного унитарного предприятия(?![\p{L}])/iu, 'государственное унитарное предприятие'],
  [/^некоммерческой организации(?![\p{L}])/iu, 'некоммерческая организация'],
];

/**
 * A party's name (person or organisation) in the nominative.
 * @example partyToNominative('общества с ограниченной ответственностью "УК"') // 'общество с ограниченной ответственностью "УК"'
 */
export function partyToNominative(name: string): string {
  for (const [re, nominative] of LEGAL_FORMS) {
    const m = re.exec(name);
    if (m) {
      const replaced = m[0].replace(re, nominative);
      return withCaseOf(m[0], replaced) + name.slice(m[0].length);
    }
  }
  return personToNominative(name);
}

/** Kinds of executive documents, genitive → nominative (229-ФЗ ст. 12). */
const DOCUMENT_TYPES: Array<[RegExp, string]> = [
  [/^судебного приказа$/i, 'судебный приказ'],
  [/^исполнительного листа$/i, 'исполнительный лист'],
  [/^акта по делу об административном правонарушении$/i, 'акт по делу об административном правонарушении'],
  [/^постановления по делу об административном правонарушении$/i, 'постановление по делу об административном правонарушении'],
  [/^постановления судебного пристава-исполнителя$/i, 'постановление судебного пристава-исполнителя'],
  [/^удостоверения комиссии по трудовым спорам$/i, 'удостоверение комиссии по трудовым спорам'],
  [/^нотариальной надписи$/i, 'нотариальная надпись'],
];

/** The type of an executive document in the nominative, letter case kept. */
export function documentTypeToNominative(type: string): string {
  for (const [re, nominative] of DOCUMENT_TYPES) if (re.test(type)) return withCaseOf(type, nominative);
  return type;
}

/**
 * «Л.Р. Хабибуллина» / «Хабибуллина Л.Р.» → «Хабибуллина Л. Р.» (FSSP's own spacing); a full
 * ФИО is kept as written (nominative: the пристав is the subject of the opening sentence).
 */
export function normalizeOfficerName(raw: string): string {
  const s = raw.trim().replace(/\s+/g, ' ');
  const before = /^([А-ЯЁ])\.\s?([А-ЯЁ])\.\s?([А-ЯЁ][А-ЯЁа-яё-]+)$/u.exec(s);
  if (before) return `${before[3]} ${before[1]}. ${before[2]}.`;
  const after = /^([А-ЯЁ][А-ЯЁа-яё-]+)\s([А-ЯЁ])\.\s?([А-ЯЁ])\.$/u.exec(s);
  if (after) return `${after[1]} ${after[2]}. ${after[3]}.`;
  return s;
}
