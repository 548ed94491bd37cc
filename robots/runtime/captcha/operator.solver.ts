/**
 * The last link of the captcha chain: a person (DESIGN.md §Politeness, captcha, humans). The
 * captcha becomes a task in `captcha_tasks` that `konveyer captcha list|answer` (and the dashboard)
 * show and answer.
 *
 * Design choice — both, in this order:
 * 1. the robot waits in-process for an answer up to `waitMs` (CAPTCHA_OPERATOR_WAIT_SECS): an
 *    operator at the dashboard answers within seconds and the job simply goes on;
 * 2. then, if the robot runs the lookup inside {@link withCaptchaHandoff}, the task keeps the site
 *    session (cookies + the request waiting for the code) and stays open; the solver declines, the
 *    flow parks the lookup as `needs_human`, and the operator's answer re-enqueues it
 *    (queues/captcha-handoff.ts `answerCaptchaTask`); the robot then restores the session and sends the code
 *    in the SAME site session. Without a hand-off context the task expires when the wait ends.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { CaptchaTaskSession, CaptchaTaskStore } from '../../../storage/captcha-tasks.types.ts';
import { assertCaptchaTask, type CaptchaSolution, type CaptchaSolver, type CaptchaTask } from './captcha-solver.ts';

/** What a parked lookup needs to be resumed: who it is and the site session to keep. */
export interface CaptchaHandoff {
  lookupId: string;
  jobName: string;
  /** Read when the captcha is handed to a person: the session to resume in. */
  session: () => Promise<CaptchaTaskSession>;
  /** Set by the solver when it left a task open for this lookup (the flow names it in the error). */
  parkedTaskId?: string;
}

const handoffs = new AsyncLocalStorage<CaptchaHandoff>();

/** Runs `fn` so that an operator hand-off inside it keeps `handoff`'s session for a resume. */
export function withCaptchaHandoff<T>(handoff: CaptchaHandoff, fn: () => Promise<T>): Promise<T> {
  return handoffs.run(handoff, fn);
}

export interface OperatorSolverOptions {
  tasks: CaptchaTaskStore;
  /** In-process wait for an answer, ms (0 = hand off at once). */
  waitMs: number;
  /** How long an open task is worth answering, ms. */
  taskTtlMs: number;
  pollMs?: number;
  name?: string;
}

/** Hands the captcha to an operator through `captcha_tasks`. */
export class OperatorSolver implements CaptchaSolver {
  readonly name: string;
  /** Task ids of answers given, for `report` (the chain hands back a copy of the solution). */
  readonly #taskOf = new Map<string, string>();
  constructor(private readonly options: OperatorSolverOptions) {
    if (!Number.isInteger(options.waitMs) || options.waitMs < 0) throw new TypeError('OperatorSolverOptions: waitMs must be a non-negative integer');
    this.name = options.name ?? 'operator';
  }

  async solve(task: CaptchaTask): Promise<CaptchaSolution | null> {
    assertCaptchaTask(task);
    const handoff = handoffs.getStore();
    const session = handoff ? await handoff.session() : null;
    const doc = await this.options.tasks.create({
      image: task.image,
      kind: task.kind,
      target: task.target ?? null,
      lookupId: handoff?.lookupId ?? null,
      jobName: handoff?.jobName ?? null,
      session,
      ttlMs: this.options.taskTtlMs,
    });
    const answered = this.options.waitMs > 0 ? await this.options.tasks.waitForAnswer(doc._id, this.options.waitMs, this.options.pollMs) : null;
    if (answered?.answer) {
      this.#taskOf.set(answered.answer, doc._id);
      if (this.#taskOf.size > 1000) this.#taskOf.delete(this.#taskOf.keys().next().value!);
      return { answer: answered.answer, solver: this.name, confidence: 1 };
    }
    if (handoff) {
      // Stays open with the session: the lookup parks and the answer resumes it.
      handoff.parkedTaskId = doc._id;
    } else {
      await this.options.tasks.expire(doc._id);
    }
    return null;
  }

  async report(solution: CaptchaSolution, correct: boolean): Promise<void> {
    const id = this.#taskOf.get(solution.answer);
    if (!id) return;
    this.#taskOf.delete(solution.answer);
    await this.options.tasks.markConsumed(id, correct);
  }
}
