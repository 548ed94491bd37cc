import { describe, expect, it } from 'vitest';
import { documentTypeToNominative, normalizeOfficerName, partyToNominative, personToNominative } from './ru-name.declension.ts';

describe('genitive → nominative', () => {
  it.each([
    ['Смирновой Елены Викторовны', 'Смирнова Елена Викторовна'],
    ['Белоусова Андрея Сергеевича', 'Белоусов Андрей Сергеевич'],
    ['Кравченко Натальи Ильиничны', 'Кравченко Наталья Ильинична'],
    ['ИВАНОВОЙ АННЫ СЕРГЕЕВНЫ', 'ИВАНОВА АННА СЕРГЕЕВНА'],
    ['Петрова Павла Игоревича', 'Петров Павел Игоревич'],
    ['Горского Игоря Дмитриевича', 'Горский Игорь Дмитриевич'],
    ['Белой Ольги Николаевны', 'Белая Ольга Николаевна'],
    ['Салтыкова-Щедрина Михаила Евграфовича', 'Салтыков-Щедрин Михаил Евграфович'],
    ['Кузьмина Никиты Ильича', 'Кузьмин Никита Ильич'],
    ['Соколовой Марии Андреевны', 'Соколова Мария Андреевна'],
    ['Ким Любови Олеговны', 'Ким Любовь Олеговна'],
  ])('%s → %s', (genitive, nominative) => {
    expect(personToNominative(genitive)).toBe(nominative);
  });

  it('leaves a nominative name and a company alone', () => {
    expect(personToNominative('ИВАНОВА АННА СЕРГЕЕВНА')).toBe('ИВАНОВА АННА СЕРГЕЕВНА');
    expect(personToNominative('Галиев Рустем Ильдарович')).toBe('Галиев Рустем Ильдарович');
    expect(partyToNominative('ООО "УК ЖИЛСЕРВИС"')).toBe('ООО "УК ЖИЛСЕРВИС"');
  });

  it('declines legal forms written in full and kinds of executive documents, case kept', () => {
    expect(partyToNominative('общества с ограниченной ответственностью "ЛЕВОБЕРЕЖНАЯ УК"')).toBe('общество с ограниченной ответственностью "ЛЕВОБЕРЕЖНАЯ УК"');
    expect(partyToNominative('АКЦИОНЕРНОГО ОБЩЕСТВА "ВОДОКАНАЛ"')).toBe('АКЦИОНЕРНОЕ ОБЩЕСТВО "ВОДОКАНАЛ"');
    expect(documentTypeToNominative('судебного приказа')).toBe('судебный приказ');
    expect(documentTypeToNominative('Исполнительного листа')).toBe('Исполнительный лист');
  });

  it('writes officers as FSSP prints them', () => {
    expect(normalizeOfficerName('Л.Р. Хабибуллина')).toBe('Хабибуллина Л. Р.');
    expect(normalizeOfficerName('Дорофеев С.С.')).toBe('Дорофеев С. С.');
    expect(normalizeOfficerName('ЯКУПОВА ГУЛЬНАРА ФАНИСОВНА')).toBe('ЯКУПОВА ГУЛЬНАРА ФАНИСОВНА');
  });
});
