import { describe, expect, it } from 'vitest';
import { documentPlainText, expectedFieldsOf, FSSP_DOCUMENT_KINDS, FSSP_DOCUMENT_LAYOUTS, type FsspDocumentSpec } from '../../sandbox/epgu/documents/index.ts';
import { classifyDocument, extractDocumentFields } from './document-fields.parser.ts';
import { normalizeOcrText } from './ocr-text.normalize.ts';

const base: FsspDocumentSpec = {
  kind: 'ip_opened',
  ipNumber: '54237/25/02016-ИП',
  ipDate: '2025-02-26',
  department: { name: 'Советское районное отделение судебных приставов г. Уфы', address: '450077, Россия, г. Уфа, ул. Пушкина, д. 8', code: '02016' },
  bailiff: 'ПАВЛОВ П. И.',
  debtor: { name: 'ИВАНОВА АННА СЕРГЕЕВНА', birthDate: '1981-04-13', address: '450001, Г. УФА, УЛ. ЛЕСНАЯ, Д. 5, КВ. 148' },
  creditor: { name: 'ООО "УК "СТАНДАРТ"', inn: '0226270680' },
  executiveDocument: { type: 'Судебный приказ', number: '2-402/2024', date: '2025-01-07', issuer: 'СУДЕБНЫЙ УЧАСТОК № 3 ПО СОВЕТСКОМУ РАЙОНУ Г. УФЫ' },
  amount: 12345.67,
  decisionDate: '2025-02-26',
};

/** What a correct reader must report for a spec (the spec is the truth the document was made from). */
const expected = expectedFieldsOf;

describe('extractDocumentFields on the text of every form', () => {
  for (const kind of FSSP_DOCUMENT_KINDS) {
    it(`reads every field of ${kind}`, () => {
      const spec: FsspDocumentSpec = {
        ...base, kind, decisionDate: kind === 'ip_opened' ? base.ipDate : '2025-09-30',
        ...(kind === 'ip_ended' ? { endGround: 'ст. 46 ч. 1 п. 4' } : {}),
        ...(kind === 'ip_terminated' ? { endGround: 'ст. 43 ч. 1 п. 1' } : {}),
        ...(kind.startsWith('motion') ? { motionText: 'Прошу обратить взыскание на заработную плату должника' } : {}),
      };
      expect(extractDocumentFields(documentPlainText(spec))).toEqual(expected(spec));
    });
  }

  for (const layout of FSSP_DOCUMENT_LAYOUTS) {
    it(`reads every field in the ${layout} layout, with a signature stamp`, () => {
      const spec: FsspDocumentSpec = {
        ...base, kind: 'ip_ended', decisionDate: '2025-11-28', endGround: 'ст. 46 ч. 1 п. 3', layout, stamp: true,
        debtor: { ...base.debtor, birthPlace: 'Г. СТЕРЛИТАМАК' }, creditor: { ...base.creditor, address: '450005, Г. УФА, УЛ. МИРА, Д. 7' },
      };
      expect(extractDocumentFields(documentPlainText(spec))).toEqual(expected(spec));
    });
  }

  it('reads a writ, a legal-entity debtor without birth date and a 12-digit INN', () => {
    const spec: FsspDocumentSpec = {
      ...base, debtor: { name: 'ООО "УПРАВЛЯЮЩАЯ КОМПАНИЯ "СТАНДАРТ"', birthDate: null, address: '163102, РОССИЯ, Г. УФА, УЛ. МИРА, Д. 34' },
      creditor: { name: 'ИП СИДОРОВ И. И.', inn: '027612345678' },
      executiveDocument: { type: 'Исполнительный лист', number: 'ФС № 026543134', date: '2025-01-15', issuer: 'СОВЕТСКИЙ РАЙОННЫЙ СУД Г. УФЫ' },
      amount: 948809.56,
    };
    expect(extractDocumentFields(documentPlainText(spec))).toEqual(expected(spec));
  });

  it('survives OCR slips: Latin look-alikes, О for 0, spaces inside numbers and dates, curly quotes', () => {
    const spec: FsspDocumentSpec = { ...base, kind: 'ip_ended', decisionDate: '2025-10-01', endGround: 'ст. 46 ч. 1 п. 3' };
    const slipped = documentPlainText(spec)
      .replace('ПОСТАНОВЛЕНИЕ', 'ПОСТAНОВЛЕНИЕ') // Latin A
      .replace('окончании', 'oкончании') // Latin o
      .replace(/54237\/25\/02016-ИП/g, '54237 / 25 / О2016-ИП') // Cyrillic О for zero, spaces
      .replace('26.02.2025', '26. 02.2025')
      .replace('12 345,67', '12 345, 67'.replace(', ', ','))
      .replace(/"/g, '”');
    const got = extractDocumentFields(slipped);
    expect(got.kind).toBe('ip_ended');
    expect(got.fields.ipNumber).toBe('54237/25/02016-ИП');
    expect(got.fields.ipDate).toBe('2025-02-26');
    expect(got.fields.amount).toBe(12345.67);
    expect(got.fields.creditor).toEqual({ name: 'ООО "УК "СТАНДАРТ"', address: null, inn: '0226270680' });
    expect(got.fields.endGround).toBe('ст. 46 ч. 1 п. 3');
  });

  it('gives kind other and null fields for text that is not an FSSP document', () => {
    const got = extractDocumentFields('Счёт на оплату № 15 от 01.02.2025\nИтого: 1 200,00 руб.');
    expect(got.kind).toBe('other');
    expect(got.fields).toMatchObject({ ipNumber: null, debtor: null, creditor: null, executiveDocument: null, endGround: null, bailiff: null });
  });

  it('classifies the refusal apart from the grant (both say «удовлетворении»)', () => {
    expect(classifyDocument('ПОСТАНОВЛЕНИЕ\nоб отказе в удовлетворении заявления (ходатайства)')).toBe('motion_refused');
    expect(classifyDocument('ПОСТАНОВЛЕНИЕ\nоб удовлетворении заявления (ходатайства)')).toBe('motion_granted');
  });

  it('classifies прекращение, отказ в возбуждении, окончание with the return of the writ, a letter-spaced title', () => {
    expect(classifyDocument('ПОСТАНОВЛЕНИЕ\nо прекращении исполнительного производства')).toBe('ip_terminated');
    expect(classifyDocument('ПОСТАНОВЛЕНИЕ\nоб отказе в возбуждении исполнительного производства')).toBe('ip_refused');
    expect(classifyDocument('ПОСТАНОВЛЕНИЕ № 1\nоб окончании и возвращении ИД взыскателю')).toBe('ip_ended');
    expect(classifyDocument('П О С Т А Н О В Л Е Н И Е\nО ВОЗБУЖДЕНИИ ИСПОЛНИТЕЛЬНОГО ПРОИЗВОДСТВА')).toBe('ip_opened');
  });

  it('takes the stated ground of ending over the ст. 47 reference when OCR lost the ст. 46 one', () => {
    // From a scan: «п. 3» read as «0.3», so only «п. 3 ч. 1 ст. 47» survives in the law clause.
    const text = 'ПОСТАНОВЛЕНИЕ\nоб окончании исполнительного производства\nРуководствуясь ст. 6, 14, 0.3 ч. 1 ст. 46, п. 3 ч. 1 ст. 47 Федерального закона,\n' +
      'ПОСТАНОВИЛ:\n1. Окончить исполнительное производство № 1/25/02016-ИП. Основание окончания: ст. 46 ч. 1 п. 3.';
    expect(extractDocumentFields(text).fields.endGround).toBe('ст. 46 ч. 1 п. 3');
  });

  it('reads a two-column header whose columns a text layer interleaved line by line', () => {
    // Typed by hand: the ОСП on the left, the addressee on the right, read across (no column split).
    const text = [
      'ГУФССП России по Свердловской области Взыскатель:',
      'Октябрьский районный отдел АО "ЕКАТЕРИНБУРГЭНЕРГОСБЫТ"',
      'судебных приставов г. Екатеринбурга 620017, г. Екатеринбург,',
      '620014, г. Екатеринбург, ул. Восточная, д. 56 ул. Кировградская, д. 2',
      '26.05.2025 № 66005/25/912337 Должник: Смирнова Е. В.',
      'ПОСТАНОВЛЕНИЕ',
      'о возбуждении исполнительного производства',
      'Судебный пристав-исполнитель Октябрьского РОСП г. Екатеринбурга Кожевникова Т. А., рассмотрев исполнительный лист серии ФС № 041225873',
      'от 14.04.2025, выданный Октябрьским районным судом г. Екатеринбурга по делу № 2-1877/2025, о взыскании задолженности в размере 61 204,10 рублей',
      'в отношении должника Смирновой Елены Викторовны, 03.11.1985 года рождения, уроженки г. Нижний Тагил, проживающей по адресу: 620102, г. Екатеринбург,',
      'ул. Белореченская, д. 15, кв. 77, в пользу взыскателя АО "ЕКАТЕРИНБУРГЭНЕРГОСБЫТ" (адрес: 620017, г. Екатеринбург, ул. Кировградская, д. 2),',
      'УСТАНОВИЛ:',
      '1. Возбудить исполнительное производство № 118764/25/66005-ИП.',
    ].join('\n');
    const got = extractDocumentFields(text);
    expect(got.kind).toBe('ip_opened');
    expect(got.fields).toMatchObject({
      ipNumber: '118764/25/66005-ИП', ipDate: '2025-05-26', decisionDate: '2025-05-26', amount: 61204.1,
      department: { name: 'Октябрьского РОСП г. Екатеринбурга', address: '620014, г. Екатеринбург, ул. Восточная, д. 56', code: '66005' },
      bailiff: { name: 'Кожевникова Т. А.' },
      debtor: { name: 'Смирнова Елена Викторовна', birthDate: '1985-11-03', birthPlace: 'г. Нижний Тагил', address: '620102, г. Екатеринбург, ул. Белореченская, д. 15, кв. 77' },
      creditor: { name: 'АО "ЕКАТЕРИНБУРГЭНЕРГОСБЫТ"', address: '620017, г. Екатеринбург, ул. Кировградская, д. 2' },
      executiveDocument: { type: 'исполнительный лист', number: 'ФС № 041225873', date: '2025-04-14', issuer: 'Октябрьским районным судом г. Екатеринбурга', caseNumber: '2-1877/2025' },
    });
  });
});

describe('normalizeOcrText', () => {
  it('repairs look-alikes only where they are slips', () => {
    expect(normalizeOcrText('ПОСТAНОВЛЕНИЕ № 54237 / 25 / О2016-ИП от 2б.О2.2025')).toBe('ПОСТАНОВЛЕНИЕ № 54237/25/02016-ИП от 26.02.2025');
    expect(normalizeOcrText('06 окончании, ПАВЛОВ II. И., п. З ч. 1 ст. 46')).toBe('об окончании, ПАВЛОВ П. И., п. 3 ч. 1 ст. 46');
    // A Latin word and a Cyrillic «ООО» stay as they are.
    expect(normalizeOcrText('PDF ООО "УК"')).toBe('PDF ООО "УК"');
  });
});
