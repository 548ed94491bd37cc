import { describe, expect, it } from 'vitest';
import { ForbiddenTargetError } from '../../core/errors.ts';
import { TargetRouter } from './targets.ts';
import { encodeQuery } from './url-encoding.ts';

describe('TargetRouter', () => {
  const router = new TargetRouter({ hosts: ['*.sudrf.ru', 'mos-sud.ru'] });

  it('allows only configured target hosts', () => {
    expect(router.isAllowed('leninsky--ufa.sudrf.ru')).toBe(true);
    expect(router.isAllowed('a.b.sudrf.ru')).toBe(true);
    expect(router.isAllowed('sudrf.ru.evil.com')).toBe(false);
    expect(router.isAllowed('evilsudrf.ru')).toBe(false);
    expect(router.isAllowed('127.0.0.1')).toBe(false);
    expect(() => router.assertAllowed('http://169.254.169.254/latest/meta-data')).toThrow(ForbiddenTargetError);
    expect(() => router.assertAllowed('file:///etc/passwd')).toThrow(ForbiddenTargetError);
  });

  it('sends target hosts to the sandbox, keeping their names', () => {
    const sandboxed = new TargetRouter({ hosts: ['*.sudrf.ru'], sandboxOrigin: 'http://127.0.0.1:4100' });
    expect(sandboxed.urlFor('x--spb.sudrf.ru', '/modules.php?a=1')).toBe('http://x--spb.sudrf.ru:4100/modules.php?a=1');
    expect(sandboxed.addressFor('x--spb.sudrf.ru')).toBe('127.0.0.1');
    expect(sandboxed.addressFor('example.com')).toBeNull();
    expect(router.urlFor('x--spb.sudrf.ru', '/')).toBe('https://x--spb.sudrf.ru/');
  });
});

describe('encodeQuery', () => {
  it('percent-encodes values in CP1251 as sudrf expects', () => {
    expect(encodeQuery([['Submit', 'Найти'], ['n', '2-1/2025']])).toBe('Submit=%CD%E0%E9%F2%E8&n=2-1%2F2025');
  });
});
