/** Captcha solving shared by every robot: the solver contract, local OCR, and the solver chain. */
export {
  CAPTCHA_ALPHABETS,
  assertCaptchaTask,
  taskAlphabet,
  taskLength,
  type CaptchaKind,
  type CaptchaSolution,
  type CaptchaSolver,
  type CaptchaTask,
} from './captcha-solver.ts';
export { CaptchaChain, withCaptchaEscalation, type CaptchaChainOptions, type CaptchaSolverStats } from './captcha-chain.ts';
export { DEFAULT_TESSDATA_PATH, LocalOcrSolver, type LocalOcrSolverOptions } from './local-ocr.solver.ts';
export { CLEANUP_VARIANTS, cleanupCaptcha, estimateInk, type CleanupVariant } from './captcha-cleanup.ts';
export { parseStrictOptions } from './strict-options.ts';
