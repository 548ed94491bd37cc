/**
 * Bad captcha configuration stops `konveyer robots` at start-up, naming the variable: an unknown
 * CAPTCHA_CHAIN member (config parsing), and a RUCAPTCHA_KEY the service refuses (checked against
 * the service before any job is taken; the service is a local fake of the paid one).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRucaptcha, type FakeRucaptcha } from '../fakes/rucaptcha.fake.ts';
import { serviceUrls, testPrefix } from '../helpers/services.ts';

const bin = new URL('../../bin/konveyer.mjs', import.meta.url).pathname;
let fake: FakeRucaptcha;
beforeAll(async () => {
  fake = await startFakeRucaptcha({ key: 'the-right-key', answer: () => '12345' });
});
afterAll(async () => fake?.close());

async function robots(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  const full = {
    ...process.env,
    REDIS_URL: serviceUrls().redisUrl,
    MONGODB_URI: serviceUrls().mongoUri,
    QUEUE_PREFIX: testPrefix('captcha-cli'),
    ROLE_HEALTH_PORT: '0',
    LOG_LEVEL: 'warn',
    ...env,
  } as Record<string, string>;
  try {
    const { stderr } = await promisify(execFile)(process.execPath, [bin, 'robots', '--only', 'fssp.search'], { encoding: 'utf8', env: full, timeout: 90_000 });
    return { code: 0, stderr };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

describe('konveyer robots with bad captcha configuration', () => {
  it('stops naming CAPTCHA_CHAIN when it names an unknown member', { timeout: 120_000 }, async () => {
    const res = await robots({ CAPTCHA_CHAIN: 'local,anticaptcha' });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/CAPTCHA_CHAIN: unknown member "anticaptcha" \(CAPTCHA_CHAIN members are local, service, operator\)/);
  });

  it('stops naming RUCAPTCHA_KEY when the service refuses the key', { timeout: 120_000 }, async () => {
    const res = await robots({ RUCAPTCHA_KEY: 'a-wrong-key', RUCAPTCHA_URL: fake.url });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/RUCAPTCHA_KEY: the captcha service at http:\/\/127\.0\.0\.1:\d+ refused the key \(ERROR_KEY_DOES_NOT_EXIST\)/);
    expect(fake.calls).toContain('GET /res.php?getbalance');
  });
});
