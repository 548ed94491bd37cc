import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeHtml } from './decode-html.ts';
import { parseRuDate, findRuDate, parseTime } from './ru-date.ts';
import { normalizeRole } from './party-role.ts';
import { splitCaseNumber, findCourtUid } from './case-number.ts';
import { deriveCaseStatus, withListedEffectiveAt } from './case-status.ts';
import { mapColumns } from './columns.ts';
import { normalizeSpace } from './text.ts';

const PAGE = '<html><head><meta charset="windows-1251"></head><body>Иванов Иван Иванович</body></html>';

describe('decodeHtml', () => {
  it('decodes CP1251 bytes declared by the meta tag', () => {
    expect(decodeHtml(iconv.encode(PAGE, 'windows-1251'))).toContain('Иванов Иван Иванович');
  });
  it('falls back to CP1251 when nothing is declared and the bytes are not UTF-8', () => {
    const bytes = iconv.encode('<p>ООО "УК Жилсервис"</p>', 'windows-1251');
    expect(decodeHtml(bytes)).toBe('<p>ООО "УК Жилсервис"</p>');
  });
  it('reads valid UTF-8 as UTF-8 even when the meta tag says windows-1251 (saved copies)', () => {
    expect(decodeHtml(Buffer.from(PAGE, 'utf8'))).toContain('Иванов Иван Иванович');
  });
  it('lets the Content-Type header win over everything', () => {
    const bytes = iconv.encode('Жилсервис', 'koi8-r');
    expect(decodeHtml(bytes, 'text/html; charset=KOI8-R')).toBe('Жилсервис');
    expect(decodeHtml(iconv.encode(PAGE, 'windows-1251'), 'text/html; charset=windows-1251')).toContain('Иванов');
  });
  it('uses a non-default meta charset when bytes are not UTF-8', () => {
    const bytes = iconv.encode('<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"><p>Жилсервис</p>', 'koi8-r');
    expect(decodeHtml(bytes)).toContain('Жилсервис');
  });
  it('accepts a Uint8Array and strips a BOM', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('Дело', 'utf8')]);
    expect(decodeHtml(bytes)).toBe('Дело');
  });
});

describe('dates and times', () => {
  it('parses numeric and genitive dates', () => {
    expect(parseRuDate('13.07.2020')).toBe('2020-07-13');
    expect(parseRuDate('\u00a0 1.7.2020 ')).toBe('2020-07-01');
    expect(parseRuDate('12 марта 2024 г.')).toBe('2024-03-12');
    expect(parseRuDate('31 декабря 2023 года')).toBe('2023-12-31');
    expect(parseRuDate('1 мая 2025')).toBe('2025-05-01');
  });
  it('rejects impossible dates and surrounding text', () => {
    expect(parseRuDate('31.02.2024')).toBeNull();
    expect(parseRuDate('Срок до 11.09.2025')).toBeNull();
    expect(parseRuDate('')).toBeNull();
    expect(findRuDate('Срок до 11.09.2025')).toBe('2025-09-11');
  });
  it('parses times', () => {
    expect(parseTime('9:05')).toBe('09:05');
    expect(parseTime('16:39')).toBe('16:39');
    expect(parseTime('25:00')).toBeNull();
    expect(parseTime('')).toBeNull();
  });
});

describe('normalizeRole', () => {
  it.each([
    ['ИСТЕЦ', 'claimant'], ['Заявитель', 'claimant'], ['ВЗЫСКАТЕЛЬ', 'claimant'], ['АДМИНИСТРАТИВНЫЙ ИСТЕЦ', 'claimant'],
    ['ОТВЕТЧИК', 'debtor'], ['Должник', 'debtor'], ['ПРЕДСТАВИТЕЛЬ', 'representative'], ['Представитель истца', 'representative'],
    ['ТРЕТЬЕ ЛИЦО', 'third_party'], ['ТРЕТЬЕ ЛИЦО, ЗАЯВЛЯЮЩЕЕ САМОСТОЯТЕЛЬНЫЕ ТРЕБОВАНИЯ', 'third_party'],
    ['ПРОКУРОР', 'other'], ['ДОЛЖНОСТНОЕ ЛИЦО', 'other'], ['', 'other'],
  ] as const)('%s → %s', (raw, norm) => expect(normalizeRole(raw)).toBe(norm));
});

describe('splitCaseNumber', () => {
  it('splits current, previous and material numbers', () => {
    expect(splitCaseNumber('ДЕЛО № 2-5/2026 (2-13/2025; 2-2935/2024;) ~ М-2773/2024')).toEqual({
      caseNumber: '2-5/2026', previousNumbers: ['2-13/2025', '2-2935/2024'], materialNumber: 'М-2773/2024',
    });
    expect(splitCaseNumber('2-7212/2025 ~ М-5922/2025')).toEqual({ caseNumber: '2-7212/2025', previousNumbers: [], materialNumber: 'М-5922/2025' });
  });
  it('keeps the cassation bracket and fixes Latin look-alikes', () => {
    expect(splitCaseNumber('8Г-2430/2026 [88-4097/2026]').caseNumber).toBe('8Г-2430/2026 [88-4097/2026]');
    expect(splitCaseNumber('2a-15/2026 ~ M-3/2026')).toEqual({ caseNumber: '2а-15/2026', previousNumbers: [], materialNumber: 'М-3/2026' });
  });
  it('finds a UID and ignores a masked one', () => {
    expect(findCourtUid('УИД 11RS0001-01-2025-000001-01 ')).toBe('11RS0001-01-2025-000001-01');
    expect(findCourtUid('УИД 68RS0№-27')).toBeNull();
  });
  it('normalises NBSP and runs of whitespace', () => expect(normalizeSpace(' a\u00a0\n b ')).toBe('a b'));
});

describe('deriveCaseStatus', () => {
  const ev = (name: string, result: string | null = null) => ({ name, result });
  it.each([
    [{ decisionResult: 'Вынесен судебный приказ' }, 'order_issued'],
    [{ events: [ev('Вынесен судебный приказ')] }, 'order_issued'],
    [{ events: [ev('Регистрация заявления о вынесении судебного приказа')], registeredAt: '2025-01-01' }, 'received'],
    [{ decisionResult: 'Вынесен судебный приказ', effectiveAt: '2025-02-01' }, 'in_force'],
    [{ events: [ev('Судебный приказ вступил в законную силу')] }, 'in_force'],
    [{ events: [ev('Вынесено определение об отмене судебного приказа')], decisionResult: 'Вынесен судебный приказ' }, 'cancelled'],
    [{ decisionResult: 'Отказано в принятии заявления' }, 'refused'],
    [{ events: [ev('Решение вопроса о принятии заявления', 'Заявление возвращено заявителю')] }, 'returned'],
    [{ decisionResult: 'АПЕЛЛЯЦИОННОЕ ОПРЕДЕЛЕНИЕ ОТМЕНЕНО' }, 'decided'],
    [{ decisionResult: 'Иск УДОВЛЕТВОРЕН' }, 'decided'],
    [{ events: [ev('Регистрация иска в суде'), ev('Передача материалов судье')] }, 'accepted'],
    [{ events: [ev('Решение вопроса о принятии иска', 'Иск (заявление, жалоба) принят к производству')] }, 'accepted'],
    [{ events: [ev('Регистрация иска (заявления, жалобы) в суде')] }, 'received'],
    [{}, 'unknown'],
  ] as const)('%j → %s', (input, status) => expect(deriveCaseStatus(input)).toBe(status));
});

describe('mapColumns', () => {
  it('prefers exact headers, then prefixes, and gives each column to one field', () => {
    const headers = ['Наименование события', 'Дата события', 'Время слушания', 'Дата размещения Информация о …'];
    expect(mapColumns(headers, { publishedAt: ['Дата размещения'], name: ['Наименование события'], date: ['Дата', 'Дата события'], time: ['Время', 'Время слушания'] }))
      .toEqual({ name: 0, date: 1, time: 2, publishedAt: 3 });
  });
  it('leaves a field unmapped when no header fits, and can forbid substrings', () => {
    expect(mapColumns(['ИНН'], { kpp: ['КПП'] })).toEqual({});
    expect(mapColumns(['Мировой судья первой инстанции'], { judge: ['судья'] }, { allowSubstring: false })).toEqual({});
    expect(mapColumns(['Мировой судья первой инстанции'], { judge: ['судья'] })).toEqual({ judge: 0 });
  });
});

describe('withListedEffectiveAt', () => {
  const card = {
    decision: { date: '2026-02-02', result: 'Иск удовлетворен' }, registeredAt: '2026-01-10', events: [],
    effectiveAt: null as string | null, effectiveAtSource: null as 'shown' | 'derived' | null, status: 'decided' as const,
  };
  it('takes the date a results list shows for a card without the row, as shown, and derives the status again', () => {
    expect(withListedEffectiveAt(card, '2026-03-05')).toMatchObject({ effectiveAt: '2026-03-05', effectiveAtSource: 'shown', status: 'in_force' });
  });
  it('keeps the card as it is without a listed date or with a date of its own', () => {
    expect(withListedEffectiveAt(card, null)).toBe(card);
    const own = { ...card, effectiveAt: '2026-03-01', effectiveAtSource: 'shown' as const, status: 'in_force' as const };
    expect(withListedEffectiveAt(own, '2026-03-05')).toBe(own);
  });
  it('does not turn a cancelled order into one in force', () => {
    const cancelled = { ...card, decision: { date: '2026-02-02', result: 'Судебный приказ отменен' }, status: 'cancelled' as const };
    expect(withListedEffectiveAt(cancelled, '2026-03-05').status).toBe('cancelled');
  });
});
