/**
 * Captcha solvers in a chain (DESIGN.md §Politeness, captcha, humans): local OCR first, then an
 * external service, then an operator. The first solver that answers wins; the chain records which
 * one did, forwards the robot's verdict to it, and keeps per-solver counters for the dashboard.
 */
import { z } from 'zod';
import { assertCaptchaTask, type CaptchaSolution, type CaptchaSolver, type CaptchaTask } from './captcha-solver.ts';
import { parseStrictOptions } from './strict-options.ts';

const optionsSchema = z.strictObject({
  name: z.string().min(1).optional(),
  solverTimeoutMs: z.number().int().positive().optional(),
  onSolverError: z.function().optional(),
});

/** Options of {@link CaptchaChain}; unknown keys are a TypeError. */
export interface CaptchaChainOptions {
  /** Name of the chain itself (it is a solver too). Default `chain`. */
  name?: string;
  /** Per-solver time limit, ms; a solver over it counts as an error and the next is asked. Default: none. */
  solverTimeoutMs?: number;
  /** Told about a solver that threw or timed out, before the chain moves on (for logs and metrics). */
  onSolverError?: (solverName: string, error: unknown) => void;
}

/** Counters of one solver in the chain. */
export interface CaptchaSolverStats {
  /** Times the chain asked it. */
  attempts: number;
  /** Times it gave an answer (which the chain then used). */
  answered: number;
  /** Times it declined (`null`). */
  declined: number;
  /** Times it threw or timed out. */
  errors: number;
  /** Verdicts reported back by robots. */
  correct: number;
  wrong: number;
}

/**
 * Tries its solvers in order and returns the first non-null answer (`solution.solver` names the
 * solver that gave it); null when every solver declined or failed — the job then needs a human.
 * A solver that throws does not stop the chain: it is counted, reported to `onSolverError`, and the
 * next solver is asked (an external service being down must not block the operator hand-off).
 *
 * @example
 * const chain = new CaptchaChain([localOcr, rucaptcha, operator]);
 * const s = await chain.solve({ image, kind: 'digits5' });
 * if (s) await chain.report(s, siteAccepted);
 */
export class CaptchaChain implements CaptchaSolver {
  readonly name: string;
  readonly #solvers: readonly CaptchaSolver[];
  readonly #timeoutMs: number | undefined;
  readonly #onSolverError: ((solverName: string, error: unknown) => void) | undefined;
  readonly #stats = new Map<string, CaptchaSolverStats>();

  constructor(solvers: readonly CaptchaSolver[], options: CaptchaChainOptions = {}) {
    const o = parseStrictOptions(optionsSchema, options, 'CaptchaChainOptions');
    if (solvers.length === 0) throw new TypeError('CaptchaChain: at least one solver is required');
    const names = new Set<string>();
    for (const s of solvers) {
      if (names.has(s.name)) throw new TypeError(`CaptchaChain: duplicate solver name ${JSON.stringify(s.name)}`);
      names.add(s.name);
      this.#stats.set(s.name, { attempts: 0, answered: 0, declined: 0, errors: 0, correct: 0, wrong: 0 });
    }
    this.name = o.name ?? 'chain';
    this.#solvers = [...solvers];
    this.#timeoutMs = o.solverTimeoutMs;
    this.#onSolverError = options.onSolverError;
  }

  /** A copy of the per-solver counters, keyed by solver name. */
  stats(): Record<string, CaptchaSolverStats> {
    return Object.fromEntries([...this.#stats].map(([name, s]) => [name, { ...s }]));
  }

  async solve(task: CaptchaTask): Promise<CaptchaSolution | null> {
    assertCaptchaTask(task);
    for (const solver of this.#solvers) {
      const stats = this.#stats.get(solver.name)!;
      stats.attempts++;
      let solution: CaptchaSolution | null;
      try {
        solution = await this.#withTimeout(solver, task);
      } catch (err) {
        stats.errors++;
        this.#onSolverError?.(solver.name, err);
        continue;
      }
      if (solution === null) {
        stats.declined++;
        continue;
      }
      stats.answered++;
      // The chain records who answered: the solution always names the solver that produced it.
      return { ...solution, solver: solver.name };
    }
    return null;
  }

  /** Forwards the site's verdict to the solver that answered, and counts it. */
  async report(solution: CaptchaSolution, correct: boolean): Promise<void> {
    const solver = this.#solvers.find((s) => s.name === solution.solver);
    if (!solver) throw new TypeError(`CaptchaChain: no solver named ${JSON.stringify(solution.solver)} in this chain`);
    const stats = this.#stats.get(solver.name)!;
    if (correct) stats.correct++;
    else stats.wrong++;
    await solver.report?.(solution, correct);
  }

  async #withTimeout(solver: CaptchaSolver, task: CaptchaTask): Promise<CaptchaSolution | null> {
    if (this.#timeoutMs === undefined) return solver.solve(task);
    let timer: NodeJS.Timeout | undefined;
    const limit = this.#timeoutMs;
    try {
      return await Promise.race([
        solver.solve(task),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`captcha solver ${solver.name} took over ${limit} ms`)), limit);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
