/**
 * The captcha solver contract shared by every robot: a solver takes a picture and a description of
 * what it shows, and answers or declines (`null`). Solvers are tried in a chain (captcha-chain.ts):
 * local OCR first, then a paid service, then an operator (DESIGN.md §Politeness, captcha, humans).
 */

/** What a captcha looks like, so that a solver can pick its alphabet, language and length. */
export type CaptchaKind = 'digits5' | 'cyrillic5' | 'text';

/** One captcha to solve. */
export interface CaptchaTask {
  /** The image as the site sent it (PNG, JPEG…). */
  image: Buffer;
  /** `digits5`: sudrf search (5 digits); `cyrillic5`: FSSP (5 of lowercase Cyrillic + digits); `text`: anything else. */
  kind: CaptchaKind;
  /** Exact answer length; defaults to 5 for the `*5` kinds, unknown for `text`. */
  length?: number;
  /** Characters the answer may contain; defaults by kind (see {@link CAPTCHA_ALPHABETS}). */
  alphabet?: string;
  /** Host or site the captcha belongs to, for statistics and external services (not used by OCR). */
  target?: string;
}

/** A solver's answer. */
export interface CaptchaSolution {
  answer: string;
  /** Name of the solver that produced the answer. */
  solver: string;
  /** 0..1, the solver's own belief; comparable only between answers of the same solver. */
  confidence: number;
}

/** A captcha solver (local OCR, a rucaptcha-compatible service, an operator hand-off…). */
export interface CaptchaSolver {
  /** Stable name, recorded with every answer (`solution.solver`). */
  readonly name: string;
  /** Answers the captcha, or `null` when this solver cannot (the chain then asks the next one). */
  solve(task: CaptchaTask): Promise<CaptchaSolution | null>;
  /** Told by the robot whether the site accepted the answer (paid services refund wrong ones). */
  report?(solution: CaptchaSolution, correct: boolean): void | Promise<void>;
}

/**
 * Default alphabets by kind. The FSSP set is the lowercase Cyrillic letters without the ones that
 * read like digits or each other (ё й ъ ь) — the answers seen were «дт7бж», «п2484», «ж8пж9».
 */
export const CAPTCHA_ALPHABETS: Readonly<Record<CaptchaKind, string>> = Object.freeze({
  digits5: '0123456789',
  cyrillic5: 'абвгдежзиклмнопрстуфхцчшщыэюя0123456789',
  text: '',
});

/** The alphabet a task allows ('' = anything). */
export function taskAlphabet(task: CaptchaTask): string {
  return task.alphabet ?? CAPTCHA_ALPHABETS[task.kind];
}

/** The answer length a task requires, or `undefined` when any length goes. */
export function taskLength(task: CaptchaTask): number | undefined {
  if (task.length !== undefined) return task.length;
  return task.kind === 'text' ? undefined : 5;
}

/** Throws a TypeError when a task is malformed (checked once, at the edge of each solver). */
export function assertCaptchaTask(task: CaptchaTask): void {
  if (!task || !Buffer.isBuffer(task.image) || task.image.length === 0) {
    throw new TypeError('CaptchaTask: image must be a non-empty Buffer');
  }
  if (!(task.kind in CAPTCHA_ALPHABETS)) {
    throw new TypeError(`CaptchaTask: kind must be one of ${Object.keys(CAPTCHA_ALPHABETS).join(', ')}, got ${String(task.kind)}`);
  }
  if (task.length !== undefined && (!Number.isInteger(task.length) || task.length < 1)) {
    throw new TypeError(`CaptchaTask: length must be a positive integer, got ${String(task.length)}`);
  }
}
