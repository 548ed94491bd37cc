/**
 * An external captcha-solving service with the rucaptcha / 2captcha HTTP API (the second link of
 * the chain, DESIGN.md §Politeness, captcha, humans): `in.php` takes the image (method=base64) and
 * answers `OK|<id>`; `res.php?action=get&id=` answers `CAPCHA_NOT_READY` until a worker typed it,
 * then `OK|<answer>`; `reportbad` / `reportgood` tell the service the verdict (wrong answers are
 * refunded). It is a paid remote service: used only when a key is configured.
 */
import { z } from 'zod';
import { assertCaptchaTask, taskAlphabet, taskLength, type CaptchaSolution, type CaptchaSolver, type CaptchaTask } from './captcha-solver.ts';
import { parseStrictOptions } from './strict-options.ts';

const optionsSchema = z.strictObject({
  key: z.string().min(1),
  baseUrl: z.string().url().optional(),
  pollMs: z.number().int().positive().optional(),
  firstPollMs: z.number().int().nonnegative().optional(),
  timeoutMs: z.number().int().positive().optional(),
  requestTimeoutMs: z.number().int().positive().optional(),
  name: z.string().min(1).optional(),
});

/** Options of {@link RucaptchaSolver}; unknown keys are a TypeError. */
export interface RucaptchaSolverOptions {
  /** The account's API key. */
  key: string;
  /** Service root; `in.php` and `res.php` are under it. Default `https://rucaptcha.com`. */
  baseUrl?: string;
  /** Interval between `res.php` polls, ms. Default 5000 (the service asks for ≥ 5 s). */
  pollMs?: number;
  /** Wait before the first poll, ms. Default = pollMs. */
  firstPollMs?: number;
  /** Give up (decline) after this long, ms. Default 120 000. */
  timeoutMs?: number;
  /** Per HTTP request, ms. Default 30 000. */
  requestTimeoutMs?: number;
  /** Solver name in the chain. Default `rucaptcha`. */
  name?: string;
}

/** Errors of the service that mean "this captcha will not be solved": decline, do not throw. */
const UNSOLVABLE = new Set(['ERROR_CAPTCHA_UNSOLVABLE', 'ERROR_BAD_DUPLICATES', 'ERROR_IMAGE_TYPE_NOT_SUPPORTED', 'ERROR_TOO_BIG_CAPTCHA_FILESIZE', 'ERROR_ZERO_CAPTCHA_FILESIZE']);

/** What the service answers to a key it does not take. */
const KEY_REFUSED = new Set(['ERROR_KEY_DOES_NOT_EXIST', 'ERROR_WRONG_USER_KEY', 'ERROR_IP_NOT_ALLOWED', 'IP_BANNED']);

/** The service refused the API key (a configuration error: the process stops at start-up). */
export class RucaptchaKeyRefusedError extends Error {
  constructor(readonly serviceAnswer: string) {
    super(`the captcha service refused the key: ${serviceAnswer}`);
    this.name = 'RucaptchaKeyRefusedError';
  }
}

/**
 * The rucaptcha-compatible solver. Declines (`null`) when the service says the captcha is
 * unsolvable, when no answer comes in time, or when the answer cannot be right (wrong length or
 * alphabet — then it is reported bad at once). Throws on account and transport errors (bad key,
 * zero balance, service down): the chain counts them and moves on to the operator.
 */
export class RucaptchaSolver implements CaptchaSolver {
  readonly name: string;
  readonly #o: Required<Omit<RucaptchaSolverOptions, 'name'>>;
  /** Service ids of recent answers, for `report` (the chain hands back a copy of the solution). */
  readonly #ids = new Map<string, string>();

  constructor(options: RucaptchaSolverOptions) {
    const o = parseStrictOptions(optionsSchema, options, 'RucaptchaSolverOptions');
    this.name = o.name ?? 'rucaptcha';
    const pollMs = o.pollMs ?? 5000;
    this.#o = {
      key: o.key,
      baseUrl: (o.baseUrl ?? 'https://rucaptcha.com').replace(/\/+$/, ''),
      pollMs,
      firstPollMs: o.firstPollMs ?? pollMs,
      timeoutMs: o.timeoutMs ?? 120_000,
      requestTimeoutMs: o.requestTimeoutMs ?? 30_000,
    };
  }

  async solve(task: CaptchaTask): Promise<CaptchaSolution | null> {
    assertCaptchaTask(task);
    const started = Date.now();
    const form = new URLSearchParams({ key: this.#o.key, method: 'base64', body: task.image.toString('base64'), soft_id: '0', ...hintsFor(task) });
    const submitted = await this.#call('in.php', { method: 'POST', body: form });
    if (UNSOLVABLE.has(submitted)) return null;
    const id = okValue(submitted, 'in.php');
    await sleep(this.#o.firstPollMs);
    for (;;) {
      const res = await this.#call(`res.php?${new URLSearchParams({ key: this.#o.key, action: 'get', id })}`);
      if (res === 'CAPCHA_NOT_READY' || res === 'CAPTCHA_NOT_READY') {
        if (Date.now() - started + this.#o.pollMs > this.#o.timeoutMs) return null;
        await sleep(this.#o.pollMs);
        continue;
      }
      if (UNSOLVABLE.has(res)) return null;
      const answer = okValue(res, 'res.php').trim().toLowerCase();
      if (!fits(answer, task)) {
        // An answer that cannot be right is not worth a request to the site (nor the money).
        await this.#report(id, false).catch(() => undefined);
        return null;
      }
      this.#remember(answer, id);
      return { answer, solver: this.name, confidence: 0.9 };
    }
  }

  /**
   * The account balance (`res.php?action=getbalance`), asked once at start-up: it proves the
   * service takes the key. Throws {@link RucaptchaKeyRefusedError} when the service refuses the key,
   * a plain Error when it cannot be reached.
   */
  async balance(): Promise<number> {
    const res = await this.#call(`res.php?${new URLSearchParams({ key: this.#o.key, action: 'getbalance' })}`);
    if (KEY_REFUSED.has(res)) throw new RucaptchaKeyRefusedError(res);
    const n = Number(res);
    if (!Number.isFinite(n)) throw new Error(`rucaptcha getbalance: ${res || 'empty answer'}`);
    return n;
  }

  async report(solution: CaptchaSolution, correct: boolean): Promise<void> {
    const id = this.#ids.get(solution.answer);
    if (!id) return;
    this.#ids.delete(solution.answer);
    await this.#report(id, correct);
  }

  async #report(id: string, correct: boolean): Promise<void> {
    const res = await this.#call(`res.php?${new URLSearchParams({ key: this.#o.key, action: correct ? 'reportgood' : 'reportbad', id })}`);
    if (!res.startsWith('OK_REPORT')) throw new Error(`rucaptcha ${correct ? 'reportgood' : 'reportbad'}: ${res}`);
  }

  #remember(answer: string, id: string): void {
    this.#ids.set(answer, id);
    // Keep it bounded: an answer never reported (the robot died) must not pile up.
    if (this.#ids.size > 1000) this.#ids.delete(this.#ids.keys().next().value!);
  }

  async #call(path: string, init: { method?: 'GET' | 'POST'; body?: URLSearchParams } = {}): Promise<string> {
    const res = await fetch(`${this.#o.baseUrl}/${path}`, { ...init, signal: AbortSignal.timeout(this.#o.requestTimeoutMs) });
    const text = (await res.text()).trim();
    if (!res.ok) throw new Error(`rucaptcha ${path.split('?')[0]}: HTTP ${res.status}`);
    return text;
  }
}

/** The service's hints for a task: length, Cyrillic or digits (workers type what they are told). */
function hintsFor(task: CaptchaTask): Record<string, string> {
  const out: Record<string, string> = { regsense: '0' };
  const length = taskLength(task);
  if (length !== undefined) Object.assign(out, { min_len: String(length), max_len: String(length) });
  if (task.kind === 'digits5') out.numeric = '1';
  if (task.kind === 'cyrillic5') Object.assign(out, { language: '1', numeric: '4', textinstructions: 'строчные русские буквы и цифры' });
  return out;
}

function fits(answer: string, task: CaptchaTask): boolean {
  const length = taskLength(task);
  if (length !== undefined && [...answer].length !== length) return false;
  const alphabet = taskAlphabet(task);
  return alphabet === '' || [...answer].every((ch) => alphabet.includes(ch));
}

function okValue(res: string, where: string): string {
  if (res.startsWith('OK|')) return res.slice(3);
  throw new Error(`rucaptcha ${where}: ${res || 'empty answer'}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
