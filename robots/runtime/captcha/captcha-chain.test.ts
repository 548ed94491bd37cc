import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { drawSudrfCaptcha } from '../../../sandbox/sudrf/captcha-image.ts';
import { CaptchaChain, withCaptchaEscalation } from './captcha-chain.ts';
import type { CaptchaSolution, CaptchaSolver, CaptchaTask } from './captcha-solver.ts';
import { LocalOcrSolver } from './local-ocr.solver.ts';

/** Stands for the operator hand-off: answers what it is told and remembers the verdicts. */
class ScriptedSolver implements CaptchaSolver {
  readonly reports: Array<[string, boolean]> = [];
  calls = 0;
  constructor(
    readonly name: string,
    private readonly behave: (task: CaptchaTask) => Promise<string | null>,
  ) {}
  async solve(task: CaptchaTask): Promise<CaptchaSolution | null> {
    this.calls++;
    const answer = await this.behave(task);
    return answer === null ? null : { answer, solver: this.name, confidence: 1 };
  }
  report(solution: CaptchaSolution, correct: boolean): void {
    this.reports.push([solution.answer, correct]);
  }
}

const cachePath = mkdtempSync(join(tmpdir(), 'konveyer-chain-test-'));
const ocr = new LocalOcrSolver({ cachePath, variants: ['upright', 'grey'] });
afterAll(async () => {
  await ocr.close();
  rmSync(cachePath, { recursive: true, force: true });
});

describe('CaptchaChain', () => {
  it('falls through to the next solver when local OCR declines', { timeout: 30_000 }, async () => {
    const blank = await sharp({ create: { width: 100, height: 30, channels: 3, background: '#f3f3f3' } }).png().toBuffer();
    const operator = new ScriptedSolver('operator', async () => '13579');
    const chain = new CaptchaChain([ocr, operator]);
    const solution = await chain.solve({ image: blank, kind: 'digits5' });
    expect(solution).toEqual({ answer: '13579', solver: 'operator', confidence: 1 });
    expect(operator.calls).toBe(1);
    expect(chain.stats()).toMatchObject({
      'local-ocr': { attempts: 1, declined: 1, answered: 0 },
      operator: { attempts: 1, answered: 1 },
    });
  });

  it('stops at the first solver that answers', { timeout: 30_000 }, async () => {
    const operator = new ScriptedSolver('operator', async () => '00000');
    const chain = new CaptchaChain([ocr, operator]);
    const solution = await chain.solve({ image: await drawSudrfCaptcha('24680', 3), kind: 'digits5' });
    expect(solution?.solver).toBe('local-ocr');
    expect(solution?.answer).toMatch(/^\d{5}$/);
    expect(operator.calls).toBe(0);
  });

  it('moves past a solver that throws or times out, and tells onSolverError', async () => {
    const errors: string[] = [];
    const broken = new ScriptedSolver('service', async () => {
      throw new Error('ECONNREFUSED');
    });
    const slow = new ScriptedSolver('slow', () => new Promise((resolve) => setTimeout(() => resolve('11111'), 500)));
    const operator = new ScriptedSolver('operator', async () => '22222');
    const chain = new CaptchaChain([broken, slow, operator], {
      solverTimeoutMs: 50,
      onSolverError: (name, err) => errors.push(`${name}: ${(err as Error).message}`),
    });
    const solution = await chain.solve({ image: Buffer.from('png'), kind: 'digits5' });
    expect(solution?.answer).toBe('22222');
    expect(errors).toEqual(['service: ECONNREFUSED', 'slow: captcha solver slow took over 50 ms']);
    expect(chain.stats().service!.errors).toBe(1);
    expect(chain.stats().slow!.errors).toBe(1);
  });

  it('returns null when every solver declines', async () => {
    const a = new ScriptedSolver('a', async () => null);
    const b = new ScriptedSolver('b', async () => null);
    expect(await new CaptchaChain([a, b]).solve({ image: Buffer.from('png'), kind: 'cyrillic5' })).toBeNull();
    expect([a.calls, b.calls]).toEqual([1, 1]);
  });

  it('forwards the verdict to the solver that answered and counts it', async () => {
    const first = new ScriptedSolver('first', async () => null);
    const second = new ScriptedSolver('second', async () => '33333');
    const chain = new CaptchaChain([first, second]);
    const solution = (await chain.solve({ image: Buffer.from('png'), kind: 'digits5' }))!;
    await chain.report(solution, false);
    expect(second.reports).toEqual([['33333', false]]);
    expect(first.reports).toEqual([]);
    expect(chain.stats().second).toMatchObject({ wrong: 1, correct: 0 });
    await expect(chain.report({ ...solution, solver: 'nobody' }, true)).rejects.toThrow(TypeError);
  });

  it('checks its options and solvers', () => {
    const a = new ScriptedSolver('a', async () => null);
    // @ts-expect-error: misspelt key
    expect(() => new CaptchaChain([a], { timeoutMs: 5 })).toThrow(new TypeError('CaptchaChainOptions: unknown option "timeoutMs"'));
    expect(() => new CaptchaChain([])).toThrow(TypeError);
    expect(() => new CaptchaChain([a, new ScriptedSolver('a', async () => null)])).toThrow(/duplicate solver name/);
  });
});

describe('CaptchaChain escalation within a job', () => {
  const task = { image: Buffer.from('png'), kind: 'digits5' } as const;

  it('passes over a solver the site refused, for the rest of the job, and never the last one', async () => {
    const local = new ScriptedSolver('local', async () => '11111');
    const service = new ScriptedSolver('service', async () => '22222');
    const operator = new ScriptedSolver('operator', async () => '33333');
    const chain = new CaptchaChain([local, service, operator]);
    const asked = await withCaptchaEscalation(async () => {
      const answers: string[] = [];
      for (let i = 0; i < 4; i++) {
        const s = (await chain.solve(task))!;
        answers.push(s.solver);
        await chain.report(s, false);
      }
      return answers;
    });
    expect(asked).toEqual(['local', 'service', 'operator', 'operator']);
    expect(local.reports).toEqual([['11111', false]]);
    expect(service.reports).toEqual([['22222', false]]);
    expect(chain.stats()).toMatchObject({ local: { attempts: 1, skipped: 3 }, service: { attempts: 1, skipped: 2 }, operator: { attempts: 2, wrong: 2 } });
  });

  it('starts afresh in the next job, and keeps asking the first solver while it is right', async () => {
    const local = new ScriptedSolver('local', async () => '11111');
    const operator = new ScriptedSolver('operator', async () => '33333');
    const chain = new CaptchaChain([local, operator]);
    await withCaptchaEscalation(async () => {
      await chain.report((await chain.solve(task))!, false);
      expect((await chain.solve(task))!.solver).toBe('operator');
    });
    const next = await withCaptchaEscalation(async () => {
      const a = (await chain.solve(task))!;
      await chain.report(a, true);
      return [a.solver, (await chain.solve(task))!.solver];
    });
    expect(next).toEqual(['local', 'local']);
  });

  it('keeps no memory outside a job scope', async () => {
    const local = new ScriptedSolver('local', async () => '11111');
    const operator = new ScriptedSolver('operator', async () => '33333');
    const chain = new CaptchaChain([local, operator]);
    await chain.report((await chain.solve(task))!, false);
    expect((await chain.solve(task))!.solver).toBe('local');
  });
});
