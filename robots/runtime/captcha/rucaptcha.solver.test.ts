import { afterEach, describe, expect, it } from 'vitest';
import { startFakeRucaptcha, type FakeRucaptcha } from '../../../test/fakes/rucaptcha.fake.ts';
import { CaptchaChain } from './captcha-chain.ts';
import { RucaptchaSolver } from './rucaptcha.solver.ts';

const image = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
let fake: FakeRucaptcha | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const solverFor = (f: FakeRucaptcha, key = 'k-test') => new RucaptchaSolver({ key, baseUrl: f.url, pollMs: 10, firstPollMs: 5, timeoutMs: 2000 });

describe('RucaptchaSolver against the fake rucaptcha API', () => {
  it('sends the image as base64 with Cyrillic hints, polls past CAPCHA_NOT_READY, answers, reports good', async () => {
    fake = await startFakeRucaptcha({ key: 'k-test', answer: () => 'дт7бж', notReadyPolls: 2 });
    const solver = solverFor(fake);
    const s = await solver.solve({ image, kind: 'cyrillic5', target: 'is.fssp.gov.ru' });
    expect(s).toEqual({ answer: 'дт7бж', solver: 'rucaptcha', confidence: 0.9 });
    expect(fake.captchas[0]!.image.equals(image)).toBe(true);
    expect(fake.captchas[0]!.params).toMatchObject({ method: 'base64', language: '1', min_len: '5', max_len: '5' });
    expect(fake.calls).toEqual(['POST /in.php', 'GET /res.php?get', 'GET /res.php?get', 'GET /res.php?get']);
    await solver.report(s!, true);
    expect(fake.captchas[0]!.report).toBe('good');
  });

  it('a wrong answer is reported bad through the chain (the service refunds it)', async () => {
    fake = await startFakeRucaptcha({ key: 'k-test', answer: () => '12345' });
    const chain = new CaptchaChain([solverFor(fake)]);
    const s = (await chain.solve({ image, kind: 'digits5' }))!;
    expect(s.answer).toBe('12345');
    expect(fake.captchas[0]!.params).toMatchObject({ numeric: '1' });
    await chain.report(s, false);
    expect(fake.captchas[0]!.report).toBe('bad');
    expect(fake.calls.at(-1)).toBe('GET /res.php?reportbad');
    expect(chain.stats().rucaptcha).toMatchObject({ answered: 1, wrong: 1 });
  });

  it('declines an unsolvable captcha and an answer that cannot fit (reporting that one bad at once)', async () => {
    const answers = [null, 'abc'];
    fake = await startFakeRucaptcha({ key: 'k-test', answer: () => answers.shift()! });
    const solver = solverFor(fake);
    expect(await solver.solve({ image, kind: 'cyrillic5' })).toBeNull();
    expect(await solver.solve({ image, kind: 'cyrillic5' })).toBeNull();
    expect(fake.captchas.map((c) => c.report)).toEqual([null, 'bad']);
  });

  it('declines when the answer does not come in time', async () => {
    fake = await startFakeRucaptcha({ key: 'k-test', answer: () => '12345', notReadyPolls: 1000 });
    const solver = new RucaptchaSolver({ key: 'k-test', baseUrl: fake.url, pollMs: 20, firstPollMs: 5, timeoutMs: 150 });
    const started = Date.now();
    expect(await solver.solve({ image, kind: 'digits5' })).toBeNull();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(fake.captchas[0]!.polls).toBeGreaterThan(1);
  });

  it('throws on a bad key or zero balance, so the chain moves on to the next solver', async () => {
    fake = await startFakeRucaptcha({ key: 'k-test', answer: () => '12345', balance: 1 });
    await expect(solverFor(fake, 'wrong').solve({ image, kind: 'digits5' })).rejects.toThrow(/ERROR_KEY_DOES_NOT_EXIST/);
    await solverFor(fake).solve({ image, kind: 'digits5' });
    const errors: string[] = [];
    const next = { name: 'operator', solve: async () => ({ answer: '55555', solver: 'operator', confidence: 1 }) };
    const chain = new CaptchaChain([solverFor(fake), next], { onSolverError: (n, e) => errors.push(`${n}: ${(e as Error).message}`) });
    expect((await chain.solve({ image, kind: 'digits5' }))?.solver).toBe('operator');
    expect(errors).toEqual(['rucaptcha: rucaptcha in.php: ERROR_ZERO_BALANCE']);
  });

  it('checks its options', () => {
    // @ts-expect-error: misspelt key
    expect(() => new RucaptchaSolver({ key: 'k', pollMS: 5 })).toThrow(/RucaptchaSolverOptions: unknown option "pollMS"/);
    expect(() => new RucaptchaSolver({ key: '' })).toThrow(TypeError);
  });
});
