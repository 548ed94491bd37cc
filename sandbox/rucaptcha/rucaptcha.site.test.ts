/**
 * The sandbox's replica of the captcha-solving service: the rucaptcha API the product's solver
 * speaks (robots/runtime/captcha/rucaptcha.solver.ts), answering the pictures this sandbox drew.
 */
import * as cheerio from 'cheerio';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RucaptchaKeyRefusedError, RucaptchaSolver } from '../../robots/runtime/captcha/rucaptcha.solver.ts';
import { generateWorld } from '../data/world.generator.ts';
import { drawSudrfCaptcha } from '../sudrf/captcha-image.ts';
import { startSandbox, type RunningSandbox } from '../server.ts';
import { getAs } from '../test-support/sandbox-client.ts';
import { SANDBOX_RUCAPTCHA_KEY } from './rucaptcha.site.ts';

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await startSandbox({ world: generateWorld({ seed: 42, sudrfCourts: 4, casesPerCourt: 20 }) });
});
afterAll(async () => sb.close());

const solver = (key = SANDBOX_RUCAPTCHA_KEY) => new RucaptchaSolver({ key, baseUrl: `${sb.url}/__sandbox/rucaptcha`, pollMs: 10 });

describe('sandbox rucaptcha replica', () => {
  it('answers a sudrf search captcha the sandbox drew, after one not-ready poll, and counts the verdict', async () => {
    const court = sb.world.courts.find((c) => c.hasSearchCaptcha)!;
    const form = await getAs(sb.port, court.host, '/modules.php?name=sud_delo&srv_num=1&name_op=sf&delo_id=1540005');
    const $ = cheerio.load(form.text);
    const id = $('input[name="captchaid"]').attr('value')!;
    const png = Buffer.from($('img[src^="data: image/png"]').attr('src')!.replace(/^data: image\/png;base64, /, ''), 'base64');
    const s = solver();
    const solution = await s.solve({ image: png, kind: 'digits5' });
    expect(solution?.answer).toBe(sb.captchaAnswer(id));
    await s.report(solution!, false);
    const stats = (await (await fetch(`${sb.url}/__sandbox/rucaptcha/stats`)).json()) as Record<string, number>;
    expect(stats).toMatchObject({ submitted: 1, answered: 1, reportedBad: 1 });
  });

  it('finds a picture again by its pixels after re-encoding (a screenshot), not only by its bytes', async () => {
    const court = sb.world.courts.find((c) => c.hasSearchCaptcha)!;
    const form = await getAs(sb.port, court.host, '/modules.php?name=sud_delo&srv_num=1&name_op=sf&delo_id=1540005');
    const $ = cheerio.load(form.text);
    const id = $('input[name="captchaid"]').attr('value')!;
    const png = Buffer.from($('img[src^="data: image/png"]').attr('src')!.replace(/^data: image\/png;base64, /, ''), 'base64');
    const reencoded = await sharp(png).png({ compressionLevel: 1 }).toBuffer();
    expect(reencoded.equals(png)).toBe(false);
    expect(await sb.readCaptcha(reencoded)).toBe(sb.captchaAnswer(id));
    // An element screenshot with a 1 px CSS border around the picture and a baseline gap below it
    // (the kcaptcha gate's <img>: Chromium gives 162×63 for the 160×60 picture).
    const framed = await sharp(png).extend({ top: 1, bottom: 2, left: 1, right: 1, background: '#a5a5a5' }).png().toBuffer();
    expect(await sb.readCaptcha(framed)).toBe(sb.captchaAnswer(id));
    // A screenshot at device pixel ratio 2.
    const doubled = await sharp(png).resize(200, 60).png().toBuffer();
    expect(await sb.readCaptcha(doubled)).toBe(sb.captchaAnswer(id));
  });

  it('says unsolvable for a picture it did not draw, and refuses another key', async () => {
    const blank = await sharp({ create: { width: 100, height: 30, channels: 3, background: '#000000' } }).png().toBuffer();
    expect(await solver().solve({ image: blank, kind: 'digits5' })).toBeNull();
    // A picture in the same style and size that this sandbox never sent is not taken for one it did.
    const stranger = await drawSudrfCaptcha('13579', 4242);
    expect(await sb.readCaptcha(stranger)).toBeNull();
    expect(await sb.readCaptcha(await sharp(stranger).resize(200, 60).png().toBuffer())).toBeNull();
    await expect(solver('someone-elses-key').balance()).rejects.toBeInstanceOf(RucaptchaKeyRefusedError);
    expect(await solver().balance()).toBeGreaterThan(0);
  });
});
