import { describe, expect, it } from 'vitest';
import { fsspSearchInputSchema } from './fssp-search.payload.ts';
import { describeIssues } from './payloads.ts';

const messages = (input: unknown) => {
  const r = fsspSearchInputSchema.safeParse(input);
  return r.success ? [] : describeIssues(r.error);
};

describe('fssp.search input', () => {
  it('accepts the four kinds and normalizes them', () => {
    expect(fsspSearchInputSchema.parse({ kind: 'person', lastName: ' Иванова ', firstName: 'Мария', birthDate: '05.03.1971', region: '2' })).toEqual({
      kind: 'person',
      lastName: 'Иванова',
      firstName: 'Мария',
      birthDate: '1971-03-05',
      region: '02',
    });
    expect(fsspSearchInputSchema.parse({ kind: 'person', lastName: 'А', firstName: 'Б', patronymic: 'В', birthDate: '1980-12-31', region: 'ALL' })).toMatchObject({ region: 'all' });
    expect(fsspSearchInputSchema.parse({ kind: 'ip', ipNumber: ' 79515/20/02016-IP' })).toEqual({ kind: 'ip', ipNumber: '79515/20/02016-ИП' });
    expect(fsspSearchInputSchema.parse({ kind: 'ip', ipNumber: '1234/15/03/02' }).kind).toBe('ip');
    expect(fsspSearchInputSchema.parse({ kind: 'document', number: '2-2470/2019', type: 'Судебный приказ', region: '02' })).toMatchObject({ type: '4' });
    expect(fsspSearchInputSchema.parse({ kind: 'document', number: 'ФС 018384864', type: 1, issuer: 'Калининский районный суд', region: '78' })).toMatchObject({ type: '1' });
    expect(fsspSearchInputSchema.parse({ kind: 'legal', name: 'ООО "Ромашка"', region: '77' })).toEqual({ kind: 'legal', name: 'ООО "Ромашка"', region: '77' });
  });

  it('refuses a malformed ИП number with the format', () => {
    expect(messages({ kind: 'ip', ipNumber: '102021/20/2003-ИП' })[0]).toMatch(/^ipNumber: malformed ИП number: expected .*102021\/20\/02003-ИП/);
    expect(messages({ kind: 'ip', ipNumber: '102021-ИП' })[0]).toMatch(/^ipNumber:/);
    expect(messages({ kind: 'ip' })[0]).toMatch(/^ipNumber:/);
  });

  it('refuses a birth date that is not a date or lies in the future', () => {
    const person = { kind: 'person', lastName: 'А', firstName: 'Б', region: '02' };
    expect(messages({ ...person, birthDate: '31.02.1980' })[0]).toMatch(/^birthDate: not a date: expected .*DD\.MM\.YYYY/);
    expect(messages({ ...person, birthDate: 'вчера' })[0]).toMatch(/^birthDate: not a date/);
    expect(messages({ ...person, birthDate: '19.06.4021' })[0]).toMatch(/^birthDate: birth date lies in the future/);
    expect(messages({ ...person })[0]).toMatch(/^birthDate:/);
  });

  it('refuses an unknown region code, document type, kind, or field', () => {
    expect(messages({ kind: 'legal', name: 'ООО', region: '80' })[0]).toMatch(/^region: unknown region: expected .*2-digit/);
    expect(messages({ kind: 'legal', name: 'ООО', region: '100' })[0]).toMatch(/^region:/);
    expect(messages({ kind: 'legal', name: 'ООО' })[0]).toMatch(/^region:/);
    expect(messages({ kind: 'document', number: '1', type: '9', region: '02' })[0]).toMatch(/^type: unknown executive document type: expected .*4 Судебный приказ/);
    expect(messages({ kind: 'passport', number: '1' })[0]).toMatch(/^kind: kind must be one of person, ip, document, legal/);
    expect(messages({ lastName: 'x' })[0]).toMatch(/^kind:/);
    expect(messages({ kind: 'ip', ipNumber: '1/20/02003-ИП', region: '02' })[0]).toMatch(/unknown field\(s\) region/);
    expect(messages({ kind: 'person', lastName: ' ', firstName: 'Б', birthDate: '01.01.1990', region: '02' })[0]).toMatch(/^lastName: lastName must not be empty/);
  });
});
