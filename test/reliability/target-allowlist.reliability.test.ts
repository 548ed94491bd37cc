/**
 * The target allowlist of the robots (robots/runtime/targets.ts), crafted hosts and ports.
 * Regression: in sandbox mode a target host on another port reached any port of the sandbox's
 * address (e.g. Redis on 127.0.0.1) — found by soak/scenarios/security.scenario.ts.
 */
import { describe, expect, it } from 'vitest';
import { TargetRouter } from '../../robots/runtime/targets.ts';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('target allowlist', () => {
  const sandboxed = new TargetRouter({ hosts: ['*.sudrf.ru'], sandboxOrigin: 'http://127.0.0.1:4100' });
  const real = new TargetRouter({ hosts: ['*.sudrf.ru'] });

  it('refuses a target host on any port but the sandbox port in sandbox mode', () => {
    expect(code(() => sandboxed.assertAllowed('http://a.sudrf.ru:6379/'))).toBe('forbidden_target');
    expect(code(() => sandboxed.assertAllowed('http://a.sudrf.ru/'))).toBe('forbidden_target');
    expect(sandboxed.assertAllowed('http://a.sudrf.ru:4100/x').host).toBe('a.sudrf.ru:4100');
    expect(sandboxed.assertAllowed(sandboxed.urlFor('a.sudrf.ru', '/modules.php')).port).toBe('4100');
  });

  it('refuses IPs, look-alike hosts, userinfo tricks and other schemes', () => {
    for (const router of [sandboxed, real]) {
      for (const url of ['http://127.0.0.1:4100/', 'http://2130706433/', 'http://[::1]/', 'http://169.254.169.254/', 'http://a.sudrf.ru.evil.example/', 'http://evilsudrf.ru/', 'http://a.sudrf.ru@127.0.0.1:4100/', 'file:///etc/passwd', 'gopher://a.sudrf.ru/']) {
        expect(code(() => router.assertAllowed(url)), url).toBe('forbidden_target');
      }
    }
  });
});
