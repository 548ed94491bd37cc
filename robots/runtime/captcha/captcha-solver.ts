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
 * Default alphabets by kind. The FSSP set is what the real site serves: the 15 answers it accepted
 * in the cached session of fixtures `fssp/ajax_search_session_index_2021-08-30.json` («длб9т»,
 * «пр4лм», «п2484», «ж8пж9», «лбпж7», «ллтт2», «джд6д», «ж766т», «л8м5к», «псм7м», «дкбт2», «л4пг7»,
 * «дт7бж», «пгб86», «жд78т») and «жсд4л» of `fssp/fssp_captcha_screenshot_rpassp.png` use 18 characters, 80 drawn, 1 to 8 times each; no 0, 1, 3 and
 * no other letter ever appears (a character of a 20-character set would be missing from 80 draws
 * with probability < 2 %). Allowing the rest of the Cyrillic alphabet made the OCR read «п» as «1»,
 * «4» as «а», «7» as «1» on the real images.
 */
export const CAPTCHA_ALPHABETS: Readonly<Record<CaptchaKind, string>> = Object.freeze({
  digits5: '0123456789',
  cyrillic5: 'бгджклмпрст2456789',
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
