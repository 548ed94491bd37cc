/**
 * EPGU building blocks: TOTP against the RFC 6238 vectors, AES-256-GCM sealing, the due date of
 * an application across the May holidays (production calendar), and the job payload's refusals.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadProductionCalendar } from '../../core/calendar/index.ts';
import { CryptoError, parseEncryptionKey, seal, unseal } from '../../core/crypto.ts';
import { base32Decode, base32Encode, hotp, totp, verifyTotp } from '../../core/totp.ts';
import { epguRequestInputSchema } from '../../queues/epgu-request.payload.ts';
import { dueAfterRegistration, provisionalDue } from '../../robots/epgu/request.flow.ts';
import type { EpguRobotServices } from '../../robots/runtime/robot-services.ts';

describe('TOTP (RFC 6238, SHA-1)', () => {
  const secret = base32Encode(Buffer.from('12345678901234567890'));
  it('matches the RFC 6238 appendix B vectors (8 digits) and HOTP RFC 4226 vectors', () => {
    expect(totp(secret, 59_000, 30, 8)).toBe('94287082');
    expect(totp(secret, 1_111_111_109_000, 30, 8)).toBe('07081804');
    expect(totp(secret, 2_000_000_000_000, 30, 8)).toBe('69279037');
    expect(hotp(Buffer.from('12345678901234567890'), 1)).toBe('287082');
  });
  it('round-trips base32, accepts one step of drift, refuses others', () => {
    expect(base32Decode(secret).toString()).toBe('12345678901234567890');
    const t = 1_700_000_000_000;
    expect(verifyTotp(secret, totp(secret, t - 30_000), t)).toBe(true);
    expect(verifyTotp(secret, totp(secret, t - 90_000), t)).toBe(false);
    expect(() => base32Decode('not base32 !')).toThrow(/base32/);
  });
});

describe('AES-256-GCM sealing', () => {
  const key = randomBytes(32);
  it('opens with the same key and owner only; tampering is detected', () => {
    const sealed = seal(key, '[{"name":"ACC_SID","value":"secret"}]', 'epgu:acc1');
    expect(sealed).not.toContain('secret');
    expect(unseal(key, sealed, 'epgu:acc1').toString()).toContain('ACC_SID');
    expect(() => unseal(key, sealed, 'epgu:acc2')).toThrow(CryptoError);
    expect(() => unseal(randomBytes(32), sealed, 'epgu:acc1')).toThrow(CryptoError);
    const parts = sealed.split('.');
    parts[3] = Buffer.from('x' + Buffer.from(parts[3]!, 'base64url').toString('latin1'), 'latin1').toString('base64url');
    expect(() => unseal(key, parts.join('.'), 'epgu:acc1')).toThrow(CryptoError);
  });
  it('parses hex and base64 keys and refuses a short one', () => {
    expect(parseEncryptionKey(key.toString('hex'))).toEqual(key);
    expect(parseEncryptionKey(key.toString('base64'))).toEqual(key);
    expect(() => parseEncryptionKey('abcd')).toThrow(/32 bytes/);
  });
});

describe('due dates (229-ФЗ ст.64.1: 10 working days)', () => {
  const epgu = { calendar: loadProductionCalendar(), answerWorkingDays: 10 } as EpguRobotServices;
  it('skips the May 2025 holidays (1–4 and 8–11 May off)', () => {
    // Plain weekdays would give 2025-05-14; the production calendar gives 20 May.
    expect(dueAfterRegistration(epgu, new Date('2025-04-30T07:00:00Z'))).toBe('2025-05-20');
    // The Moscow date counts: 22:30 UTC on 5 May is 6 May in Moscow, one working day later.
    expect(dueAfterRegistration(epgu, new Date('2025-05-05T07:00:00Z'))).toBe('2025-05-21');
    expect(dueAfterRegistration(epgu, new Date('2025-05-05T22:30:00Z'))).toBe('2025-05-22');
  });
  it('across the New Year holidays, and 3 + 10 before registration is known', () => {
    expect(dueAfterRegistration(epgu, new Date('2025-12-30T07:00:00Z'))).toBe('2026-01-23');
    expect(provisionalDue(epgu, new Date('2025-04-30T07:00:00Z'))).toBe('2025-05-23');
  });
});

describe('epgu.request payload', () => {
  it('normalizes the ИП number and accepts a kind code or its Russian label', () => {
    const ok = epguRequestInputSchema.parse({ account: 'acc1', ipNumber: ' 102021/20/02003-ип ', kind: 'О розыске должника' });
    expect(ok).toMatchObject({ ipNumber: '102021/20/02003-ИП', kind: 'search_debtor', text: '' });
  });
  it('refuses a malformed ИП number, an unknown kind, an account that looks like a login, unknown fields', () => {
    const issues = (input: unknown) => epguRequestInputSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(issues({ account: 'acc1', ipNumber: '102021/20/2003-ИП', kind: 'info_progress' })[0]).toMatch(/^ipNumber: malformed ИП number/);
    expect(issues({ account: 'acc1', ipNumber: '102021/20/02003-ИП', kind: 'refund' })[0]).toMatch(/^kind: unknown request kind/);
    expect(issues({ account: 'user@mail.ru', ipNumber: '102021/20/02003-ИП', kind: 'info_progress' })[0]).toMatch(/^account: malformed account id/);
    expect(issues({ account: 'acc1', ipNumber: '102021/20/02003-ИП', kind: 'info_progress', password: 'x' })[0]).toMatch(/unknown field|password/);
  });
});
