/**
 * CAPTCHA_CHAIN and the chain the robot pool builds from it (robots/runtime/captcha/build-chain.ts):
 * members and order by config, local OCR switched off by leaving it out, the service only with a
 * key the service takes (a refused key stops the start-up naming RUCAPTCHA_KEY).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/index.ts';
import { createLogger } from '../../core/logger.ts';
import { buildCaptchaChain } from '../../robots/runtime/captcha/build-chain.ts';
import type { CaptchaTaskStore } from '../../storage/captcha-tasks.types.ts';
import { startFakeRucaptcha, type FakeRucaptcha } from '../fakes/rucaptcha.fake.ts';

const log = createLogger({ level: 'silent' });
// The operator member needs a store only to exist; nothing here asks it.
const captchaTasks = {} as CaptchaTaskStore;
let fake: FakeRucaptcha;
beforeAll(async () => {
  fake = await startFakeRucaptcha({ key: 'good-key', answer: () => '12345' });
});
afterAll(async () => fake?.close());

describe('CAPTCHA_CHAIN', () => {
  it('defaults to local, service, operator in that order', () => {
    expect(loadConfig({}).captcha.chain).toEqual(['local', 'service', 'operator']);
    expect(loadConfig({}).captcha.localMinConfidence).toBe(0.6);
  });
  it('can leave local OCR out', () => {
    expect(loadConfig({ CAPTCHA_CHAIN: 'service, operator' }).captcha.chain).toEqual(['service', 'operator']);
  });
  it('an unknown member is a start-up error naming the variable', () => {
    expect(() => loadConfig({ CAPTCHA_CHAIN: 'local,anticaptcha' })).toThrow(ConfigError);
    expect(() => loadConfig({ CAPTCHA_CHAIN: 'local,anticaptcha' })).toThrow(/CAPTCHA_CHAIN/);
    expect(() => loadConfig({ CAPTCHA_CHAIN: 'local,local' })).toThrow(/CAPTCHA_CHAIN names a member twice/);
  });
});

describe('buildCaptchaChain', () => {
  const config = (env: Record<string, string>) => loadConfig({ RUCAPTCHA_URL: fake.url, ...env }).captcha;

  it('builds the members in the configured order; the service only with a key', async () => {
    const all = await buildCaptchaChain(config({ RUCAPTCHA_KEY: 'good-key' }), { captchaTasks, log });
    expect(all.members).toEqual(['local-ocr', 'rucaptcha', 'operator']);
    expect(fake.calls).toContain('GET /res.php?getbalance');
    await all.close();
    const noKey = await buildCaptchaChain(config({}), { captchaTasks, log });
    expect(noKey.members).toEqual(['local-ocr', 'operator']);
    await noKey.close();
    const reordered = await buildCaptchaChain(config({ RUCAPTCHA_KEY: 'good-key', CAPTCHA_CHAIN: 'service,local' }), { captchaTasks, log });
    expect(reordered.members).toEqual(['rucaptcha', 'local-ocr']);
    await reordered.close();
  });

  it('leaves local OCR out when CAPTCHA_CHAIN does not name it', async () => {
    const built = await buildCaptchaChain(config({ RUCAPTCHA_KEY: 'good-key', CAPTCHA_CHAIN: 'service,operator' }), { captchaTasks, log });
    expect(built.members).toEqual(['rucaptcha', 'operator']);
  });

  it('stops the start-up naming RUCAPTCHA_KEY when the service refuses the key', async () => {
    const refused = buildCaptchaChain(config({ RUCAPTCHA_KEY: 'not-my-key' }), { captchaTasks, log });
    await expect(refused).rejects.toThrow(ConfigError);
    await expect(buildCaptchaChain(config({ RUCAPTCHA_KEY: 'not-my-key' }), { captchaTasks, log })).rejects.toThrow(/RUCAPTCHA_KEY: .*refused the key \(ERROR_KEY_DOES_NOT_EXIST\)/);
  });

  it('starts when the service cannot be reached (it may come back; the chain moves past it meanwhile)', async () => {
    const built = await buildCaptchaChain(loadConfig({ RUCAPTCHA_KEY: 'good-key', RUCAPTCHA_URL: 'http://127.0.0.1:9' }).captcha, { captchaTasks, log });
    expect(built.members).toEqual(['local-ocr', 'rucaptcha', 'operator']);
  });

  it('refuses a chain none of whose members can run', async () => {
    await expect(buildCaptchaChain(config({ CAPTCHA_CHAIN: 'service' }), { log })).rejects.toThrow(/CAPTCHA_CHAIN: none of service can run here/);
  });
});
