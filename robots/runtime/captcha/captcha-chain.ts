/**
 * Captcha solvers in a chain (DESIGN.md §Politeness, captcha, humans): local OCR first, then an
 * external service, then an operator. The first solver that answers wins; the chain records which
 * one did, forwards the robot's verdict to it, and keeps per-solver counters for the dashboard.
 *
 * Escalation: inside {@link withCaptchaEscalation} (the robot pool runs every job in one), a solver
 * whose answer the site refused is not asked again in that job — the next captcha (the sites draw
 * a new one after a wrong answer) goes to the next solver. The last solver of the chain is never
 * passed over: it is asked again (an operator can mistype; local OCR alone retries a new picture).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
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

/** Solvers passed over in one job, per chain (a job may meet two chains in tests). */
const escalations = new AsyncLocalStorage<WeakMap<CaptchaChain, Set<string>>>();

/**
 * Runs `fn` (one job attempt) with its own escalation memory: a solver refused by the site is
 * skipped by the chain for the rest of `fn`. Outside it, the chain has no memory and asks its
 * solvers in order every time.
 */
export function withCaptchaEscalation<T>(fn: () => Promise<T>): Promise<T> {
  return escalations.run(new WeakMap(), fn);
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
  /** Times it was passed over because the site had refused its answer earlier in the same job. */
  skipped: number;
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
      this.#stats.set(s.name, { attempts: 0, answered: 0, declined: 0, errors: 0, correct: 0, wrong: 0, skipped: 0 });
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

  /** Names of the solvers, in the order they are asked. */
  get solverNames(): string[] {
    return this.#solvers.map((s) => s.name);
  }

  async solve(task: CaptchaTask): Promise<CaptchaSolution | null> {
    assertCaptchaTask(task);
    const passedOver = this.#passedOver();
    for (const solver of this.#solvers) {
      const stats = this.#stats.get(solver.name)!;
      if (passedOver?.has(solver.name)) {
        stats.skipped++;
        continue;
      }
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
    // Escalate: a refused solver is passed over for the rest of the job, unless it is the last one.
    if (!correct && solver !== this.#solvers.at(-1)) this.#passedOver(true)?.add(solver.name);
    await solver.report?.(solution, correct);
  }

  /** This job's set of solvers to pass over (created when `create`), or undefined outside a job scope. */
  #passedOver(create = false): Set<string> | undefined {
    const scope = escalations.getStore();
    if (!scope) return undefined;
    let set = scope.get(this);
    if (!set && create) scope.set(this, (set = new Set()));
    return set;
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
