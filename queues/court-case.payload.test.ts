import { describe, expect, it } from 'vitest';
import { courtCaseInputSchema } from './court-case.payload.ts';
import { describeIssues } from './payloads.ts';

const messages = (input: unknown) => {
  const r = courtCaseInputSchema.safeParse(input);
  return r.success ? [] : describeIssues(r.error);
};

describe('court.case input', () => {
  it('accepts each way of naming a case and normalizes it', () => {
    const byNumber = courtCaseInputSchema.parse({ court: 'Leninsky--UFA.sudrf.ru', number: ' 2a-15/2026 ' });
    expect(byNumber).toEqual({ court: 'leninsky--ufa.sudrf.ru', number: '2а-15/2026' });
    expect(courtCaseInputSchema.parse({ court: 'x.bkr.sudrf.ru', uid: '02rs0004-01-2025-001234-56' }).uid).toBe('02RS0004-01-2025-001234-56');
    expect(courtCaseInputSchema.parse({ court: 'x.bkr.sudrf.ru', caseId: '243107959', caseUid: '073eab46-a666-41ee-a683-42ecd1272adb' }).caseId).toBe('243107959');
  });

  it('refuses an unknown court host, naming the field and the expected format', () => {
    expect(messages({ court: 'example.com', number: '2-1/2025' })[0]).toMatch(/^court: unknown court host: expected .*sudrf\.ru/);
    expect(messages({ court: 'www.sudrf.ru', number: '2-1/2025' })[0]).toMatch(/^court:/);
  });

  it('refuses malformed numbers and UIDs with the expected format', () => {
    expect(messages({ court: 'a.bkr.sudrf.ru', number: '12345' })[0]).toMatch(/^number: malformed case number: expected .*2-1234\/2025/);
    expect(messages({ court: 'a.bkr.sudrf.ru', uid: '11RS0001-2025-011255' })[0]).toMatch(/^uid: malformed UID: expected/);
  });

  it('wants exactly one way, and no unknown fields', () => {
    expect(messages({ court: 'a.bkr.sudrf.ru' })[0]).toMatch(/exactly one of/);
    expect(messages({ court: 'a.bkr.sudrf.ru', number: '2-1/2025', uid: '11RS0001-01-2025-011255-03' })[0]).toMatch(/exactly one of/);
    expect(messages({ court: 'a.bkr.sudrf.ru', caseId: '1' })[0]).toMatch(/caseUid: caseId and caseUid go together/);
    expect(messages({ court: 'a.bkr.sudrf.ru', number: '2-1/2025', debtor: 'x' })[0]).toMatch(/unknown field\(s\) debtor/);
  });
});

describe('court.case input on magistrate portals', () => {
  it('takes a mos-sud.ru case by number, with or without its участок, but not with a uid or card UUID besides', () => {
    expect(courtCaseInputSchema.parse({ court: 'mos-sud.ru', number: '2-1877/463/2026' })).toEqual({ court: 'mos-sud.ru', number: '2-1877/463/2026' });
    expect(courtCaseInputSchema.parse({ court: 'mos-sud.ru', number: 'M-2210/463/2026', section: '463' })).toEqual({ court: 'mos-sud.ru', number: 'М-2210/463/2026', section: '463' });
    expect(messages({ court: 'mos-sud.ru', number: '2-1877/463/2026', uid: '77MS0466-01-2026-001877-40' })[0]).toMatch(/mos-sud.ru needs uid, or number/);
    expect(messages({ court: 'mos-sud.ru', number: '2-1877/463/2026', section: '463', caseUid: '5b2c8f0e-4a1d-4c3e-9f21-7d6e0a1b2c02' })[0]).toMatch(/mos-sud.ru needs/);
    expect(messages({ court: 'mos-sud.ru', section: '463' })[0]).toMatch(/mos-sud.ru needs/);
  });

  it('addresses an msudrf card by caseId alone, but sudrf still needs caseId + caseUid', () => {
    expect(courtCaseInputSchema.parse({ court: '5.mo.msudrf.ru', caseId: '12345' })).toEqual({ court: '5.mo.msudrf.ru', caseId: '12345' });
    expect(messages({ court: 'a.bkr.sudrf.ru', caseId: '12345' })[0]).toMatch(/caseUid: caseId and caseUid go together/);
  });
});

describe('court host names (issue 13: labels of 70 and 300 characters, leading hyphen)', () => {
  it('refuses a label over 63 characters, a name over 253, and a hyphen at either end of a label', () => {
    const label70 = 'a'.repeat(70);
    expect(messages({ court: `${label70}.bkr.sudrf.ru`, number: '2-1/2025' })[0]).toMatch(/^court: malformed court host: host label "a+…" is 70 characters long; at most 63/);
    const long = `${Array.from({ length: 5 }, () => 'b'.repeat(60)).join('.')}.sudrf.ru`;
    expect(long.length).toBeGreaterThan(253);
    expect(messages({ court: long, number: '2-1/2025' })[0]).toMatch(/^court: malformed court host: host name is \d+ characters long; at most 253/);
    expect(messages({ court: '-lenin.bkr.sudrf.ru', number: '2-1/2025' })[0]).toMatch(/^court: malformed court host: host label "-lenin" starts or ends with a hyphen/);
    expect(messages({ court: 'lenin-.bkr.sudrf.ru', number: '2-1/2025' })[0]).toMatch(/starts or ends with a hyphen/);
    expect(messages({ court: '5.mo-.msudrf.ru', number: '2-1/2025' })[0]).toMatch(/starts or ends with a hyphen/);
  });

  it('still accepts a 63-character label and the double hyphen inside sudrf names', () => {
    expect(messages({ court: `${'c'.repeat(63)}.bkr.sudrf.ru`, number: '2-1/2025' })).toEqual([]);
    expect(messages({ court: 'leninsky--ufa.sudrf.ru', number: '2-1/2025' })).toEqual([]);
  });
});
