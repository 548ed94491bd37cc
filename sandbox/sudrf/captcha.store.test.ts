import { describe, expect, it } from 'vitest';
import { CAPTCHA_TTL_MS, CaptchaStore } from './captcha.store.ts';

describe('CaptchaStore', () => {
  it('keeps a solved pair valid for 30 minutes, then refuses it', () => {
    let now = 1_000_000;
    const store = new CaptchaStore({ seed: 1, now: () => now });
    const { id, answer } = store.issue('a.sudrf.ru');
    expect(store.check('a.sudrf.ru', undefined, undefined)).toBe('missing');
    expect(store.check('a.sudrf.ru', id, answer)).toBe('ok');
    now += CAPTCHA_TTL_MS - 1;
    expect(store.check('a.sudrf.ru', id, answer)).toBe('ok');
    now += 2;
    expect(store.check('a.sudrf.ru', id, answer)).toBe('wrong');
  });

  it('issues distinct 5-digit answers and ids', () => {
    const store = new CaptchaStore({ seed: 2 });
    const issued = Array.from({ length: 20 }, () => store.issue('b.sudrf.ru'));
    expect(new Set(issued.map((i) => i.id)).size).toBe(20);
    for (const i of issued) expect(i.answer).toMatch(/^\d{5}$/);
  });
});
