import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/index.ts';

describe('CAPTCHA_CHAIN', () => {
  it('defaults to local, service, operator in that order', () => {
    expect(loadConfig({}).captcha.chain).toEqual(['local', 'service', 'operator']);
  });
  it('can leave local OCR out', () => {
    expect(loadConfig({ CAPTCHA_CHAIN: 'service, operator' }).captcha.chain).toEqual(['service', 'operator']);
  });
  it('an unknown member is a start-up error naming the variable', () => {
    expect(() => loadConfig({ CAPTCHA_CHAIN: 'local,anticaptcha' })).toThrow(ConfigError);
    expect(() => loadConfig({ CAPTCHA_CHAIN: 'local,anticaptcha' })).toThrow(/CAPTCHA_CHAIN/);
  });
});
