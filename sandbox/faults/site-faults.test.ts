import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../server.ts';
import { spoilCaptchaAnswers } from './site-faults.ts';

let sandbox: RunningSandbox;
let host: string;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 3 });
  host = sandbox.world.courts[0]!.host;
});
afterAll(() => sandbox.close());

const get = (path = '/modules.php?name=sud_delo&srv_num=1&name_op=sf', timeoutMs = 2000) =>
  request(`${sandbox.url}${path}`, { headers: { host: `${host}:${sandbox.port}` }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });

describe('sandbox transport faults', () => {
  it('answers 429 with Retry-After', async () => {
    sandbox.setFaults({ host, rate429: 1, retryAfterSecs: 7 });
    const res = await get();
    await res.body.arrayBuffer();
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
  });

  it('hangs until the client gives up', async () => {
    sandbox.setFaults({ host, timeoutRate: 1 });
    const t0 = Date.now();
    await expect(get(undefined, 500)).rejects.toThrow();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
  });

  it('cuts the body mid-page: the client sees an error, not a short page', async () => {
    sandbox.setFaults({ host, truncateRate: 1 });
    const res = await get();
    expect(res.statusCode).toBe(200);
    await expect(res.body.arrayBuffer()).rejects.toThrow();
  });

  it('delays slow pages by slowMs', async () => {
    sandbox.setFaults({ host, slowMs: 400 });
    const t0 = Date.now();
    const res = await get();
    await res.body.arrayBuffer();
    expect(res.statusCode).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
  });

  it('clears per host, and rejects rates outside 0..1', () => {
    sandbox.setFaults({ host });
    expect(sandbox.setFaults.bind(null, { rate429: 2 })).toThrow(RangeError);
  });

  it('spoils captcha answers of a storm and nothing else', () => {
    expect(spoilCaptchaAnswers('name=sud_delo&captcha=12345&captchaid=abc')).toBe('name=sud_delo&captcha=12345x&captchaid=abc');
    expect(spoilCaptchaAnswers('code=ab12&is[last_name]=x')).toBe('code=ab12x&is[last_name]=x');
    expect(spoilCaptchaAnswers('a=1')).toBe('a=1');
  });
});
