/**
 * The first solver of every chain: local OCR with tesseract.js over cleaned-up variants of the
 * captcha. Free and fast, right often enough to save most paid solves (see bench/captcha-accuracy).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PSM, type WorkerParams } from 'tesseract.js';
import { z } from 'zod';
import { ALL_CLEANUP_VARIANTS, CLEANUP_VARIANTS, cleanupCaptcha, type CleanupVariant } from './captcha-cleanup.ts';
import { FSSP_CLEANUP_VARIANTS } from './fssp-cleanup.ts';
import { assertCaptchaTask, taskAlphabet, taskLength, type CaptchaSolution, type CaptchaSolver, type CaptchaTask } from './captcha-solver.ts';
import { parseStrictOptions } from './strict-options.ts';
import { TesseractPool } from './tesseract-pool.ts';

/** Where Debian's `tesseract-ocr-eng`/`-rus` put their (uncompressed, LSTM) models. */
export const DEFAULT_TESSDATA_PATH = '/usr/share/tesseract-ocr/5/tessdata';

const optionsSchema = z.strictObject({
  name: z.string().min(1).optional(),
  langPath: z.string().min(1).optional(),
  cachePath: z.string().min(1).optional(),
  workers: z.number().int().min(1).max(16).optional(),
  recycleAfter: z.number().int().min(1).optional(),
  variants: z.array(z.enum(ALL_CLEANUP_VARIANTS)).min(1).optional(),
  acceptConfidence: z.number().min(0).max(1).optional(),
  minConfidence: z.number().min(0).max(1).optional(),
  guessWhenUnread: z.boolean().optional(),
});

/** Options of {@link LocalOcrSolver}; every key is optional, unknown keys are a TypeError. */
export interface LocalOcrSolverOptions {
  /** Name recorded in `solution.solver`. Default `local-ocr`. */
  name?: string;
  /** Folder with the `.traineddata` files. Default {@link DEFAULT_TESSDATA_PATH}. */
  langPath?: string;
  /** tesseract.js cache folder. Default `<os tmpdir>/konveyer-tesseract-cache`. */
  cachePath?: string;
  /** Workers per language, created on first use and reused. Default 1 (each holds ~100 MB). */
  workers?: number;
  /** Recognitions after which a worker is replaced (tesseract.js grows in memory). Default 250. */
  recycleAfter?: number;
  /** Clean-up variants to read, in order. Default by task: {@link FSSP_CLEANUP_VARIANTS} + `grey` for `cyrillic5`, else all of {@link CLEANUP_VARIANTS}. */
  variants?: CleanupVariant[];
  /** Stop trying variants once an answer of the right length reaches this confidence (0..1). Default 0.9. */
  acceptConfidence?: number;
  /** Decline (return null) answers whose confidence is below this (0..1). Default 0. */
  minConfidence?: number;
  /**
   * When no read has the task's length, answer a guess made from the longest read (trimmed or
   * padded) instead of declining. For sites that show a new picture after a wrong answer, a cheap
   * wrong try beats handing the captcha to a person. Default false.
   */
  guessWhenUnread?: boolean;
}

interface Candidate {
  answer: string;
  confidence: number;
  variant: CleanupVariant;
}

/**
 * Local OCR captcha solver over tesseract.js (LSTM, single text line, whitelist = the task's
 * alphabet). Each variant of the cleaned image is read; answers of the wrong length are dropped; the
 * answer with the highest summed confidence over variants wins. Returns null when no variant
 * gives an answer of the right length. Call `close()` when done: it terminates the workers.
 *
 * @example
 * const ocr = new LocalOcrSolver({ workers: 1 });
 * const s = await ocr.solve({ image: png, kind: 'digits5' }); // { answer: '90299', solver: 'local-ocr', confidence: 0.87 }
 * await ocr.close();
 */
export class LocalOcrSolver implements CaptchaSolver {
  readonly name: string;
  readonly #settings: Required<Omit<LocalOcrSolverOptions, 'name' | 'variants'>> & { variants: CleanupVariant[] | null };
  readonly #pools = new Map<string, TesseractPool>();
  #closed = false;

  constructor(options: LocalOcrSolverOptions = {}) {
    const o = parseStrictOptions(optionsSchema, options, 'LocalOcrSolverOptions');
    this.name = o.name ?? 'local-ocr';
    this.#settings = {
      langPath: o.langPath ?? DEFAULT_TESSDATA_PATH,
      cachePath: o.cachePath ?? join(tmpdir(), 'konveyer-tesseract-cache'),
      workers: o.workers ?? 1,
      recycleAfter: o.recycleAfter ?? 250,
      variants: o.variants ?? null,
      acceptConfidence: o.acceptConfidence ?? 0.9,
      minConfidence: o.minConfidence ?? 0,
      guessWhenUnread: o.guessWhenUnread ?? false,
    };
  }

  /** Worker counters per language (alive, created, recycled). */
  get stats(): Record<string, { alive: number; created: number; recycled: number }> {
    return Object.fromEntries([...this.#pools].map(([lang, pool]) => [lang, pool.stats]));
  }

  async solve(task: CaptchaTask): Promise<CaptchaSolution | null> {
    if (this.#closed) throw new Error('LocalOcrSolver is closed');
    assertCaptchaTask(task);
    const alphabet = taskAlphabet(task);
    const length = taskLength(task);
    const pool = this.#pool(languageFor(alphabet));
    const candidates: Candidate[] = [];
    let longest = '';
    let reads = 0;
    // FSSP captchas (dark ink + pale shadow, JPEG) need their own clean-up (fssp-cleanup.ts).
    const variants = this.#settings.variants ?? (task.kind === 'cyrillic5' ? [...FSSP_CLEANUP_VARIANTS, 'grey' as const] : [...CLEANUP_VARIANTS]);
    for (const variant of variants) {
      const read = await this.#readLine(pool, task.image, variant, alphabet, length);
      if (read) reads++;
      if (read && read.answer.length > longest.length) longest = read.answer;
      if (!read || !read.answer || (length !== undefined && read.answer.length !== length)) continue;
      const candidate = { ...read, variant };
      candidates.push(candidate);
      if (candidate.confidence >= this.#settings.acceptConfidence) break;
    }
    const best = pickBest(candidates);
    if (!best && this.#settings.guessWhenUnread && length !== undefined && longest) {
      const guess = longest.slice(0, length).padEnd(length, longest.at(-1));
      return { answer: guess, solver: this.name, confidence: 0 };
    }
    if (!best) return null;
    const confidence = Math.max(best.confidence, agreement(candidates, best.answer, reads));
    if (confidence < this.#settings.minConfidence) return null;
    return { answer: best.answer, solver: this.name, confidence };
  }

  /** Terminates every worker; the solver cannot be used afterwards. Safe to call twice. */
  async close(): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.close()));
  }

  /** Reads one cleaned image as a single text line. */
  async #readLine(pool: TesseractPool, image: Buffer, variant: CleanupVariant, alphabet: string, length: number | undefined): Promise<{ answer: string; confidence: number } | null> {
    const cleaned = await cleanupCaptcha(image, variant, length);
    if (!cleaned) return null;
    const { data } = await pool.use(params(PSM.SINGLE_LINE, alphabet), (worker) => worker.recognize(cleaned));
    return { answer: normalise(data.text, alphabet), confidence: toUnit(data.confidence) };
  }

  #pool(lang: string): TesseractPool {
    let pool = this.#pools.get(lang);
    if (!pool) {
      const { langPath, cachePath, workers, recycleAfter } = this.#settings;
      pool = new TesseractPool({ lang, langPath, cachePath, size: workers, recycleAfter });
      this.#pools.set(lang, pool);
    }
    return pool;
  }
}

/** tesseract parameters for one kind of read. */
function params(psm: PSM, alphabet: string): Partial<WorkerParams> {
  return {
    tessedit_pageseg_mode: psm,
    tessedit_char_whitelist: whitelistOf(alphabet),
    // The cleaned images carry no density; without this tesseract warns on every call.
    user_defined_dpi: '300',
  };
}

/**
 * The characters tesseract may output for an alphabet. A lowercase Cyrillic alphabet also allows the
 * capitals (folded back by `normalise`): the real FSSP font draws «п», «ж», «т» at capital height, and
 * with only lowercase allowed tesseract dropped them (captcha_03 «п2484» read «2484»).
 */
function whitelistOf(alphabet: string): string {
  if (!/[а-яё]/.test(alphabet) || alphabet !== alphabet.toLowerCase()) return alphabet;
  const capitals = [...alphabet].filter((ch) => /[а-яё]/.test(ch)).map((ch) => ch.toUpperCase());
  return alphabet + capitals.join('');
}

function toUnit(confidence: number): number {
  return Math.max(0, Math.min(1, confidence / 100));
}

/** `rus` for Cyrillic alphabets, `eng` for Latin/digits, both when anything goes. */
function languageFor(alphabet: string): string {
  if (!alphabet) return 'rus+eng';
  return /[а-яё]/i.test(alphabet) ? 'rus' : 'eng';
}

/** Drops whitespace and characters outside the alphabet; folds case to the alphabet's case. */
function normalise(text: string, alphabet: string): string {
  let t = text.replace(/\s+/g, '');
  if (!alphabet) return t;
  if (alphabet === alphabet.toLowerCase()) t = t.toLowerCase();
  else if (alphabet === alphabet.toUpperCase()) t = t.toUpperCase();
  return [...t].filter((ch) => alphabet.includes(ch)).join('');
}

/**
 * The share of the variants read that gave `answer`, when at least three were read: differently
 * cleaned images agreeing is evidence tesseract's own line confidence misses (on the real FSSP
 * captchas it reports 0 for right answers that three of four variants agree on). Measured on 100
 * sandbox FSSP captchas: 3 or 4 of 4 agreeing → 83 % right, 2 of 4 → 50 %. Agreement is never
 * certainty: all variants agreeing gives {@link MAX_AGREEMENT}, so a threshold of 1 still means "never".
 */
function agreement(candidates: Candidate[], answer: string, reads: number): number {
  if (reads < 3) return 0;
  return (MAX_AGREEMENT * candidates.filter((c) => c.answer === answer).length) / reads;
}

/** The confidence of an answer every variant read alike (see {@link agreement}). */
const MAX_AGREEMENT = 0.95;

/**
 * The answer with the highest summed confidence over the variants that read it: agreement between
 * differently cleaned images is the best evidence available (measured better than the single most
 * confident reading). Its confidence is the best single one, so it stays within 0..1.
 */
function pickBest(candidates: Candidate[]): Candidate | undefined {
  const score = new Map<string, number>();
  for (const c of candidates) score.set(c.answer, (score.get(c.answer) ?? 0) + c.confidence + 0.01);
  let best: Candidate | undefined;
  for (const c of candidates) {
    if (!best) {
      best = c;
      continue;
    }
    const d = score.get(c.answer)! - score.get(best.answer)!;
    if (d > 0 || (d === 0 && c.confidence > best.confidence)) best = c;
  }
  return best;
}
