import type { Config } from '../../config/index.ts';
import type { Logger } from '../../core/logger.ts';
import { countedSolver } from '../../core/metrics.ts';
import type { CaptchaTaskStore } from '../../storage/index.ts';
import { OperatorSolver } from '../runtime/captcha/operator.solver.ts';
import { RucaptchaSolver } from '../runtime/captcha/rucaptcha.solver.ts';
import { CaptchaChain, LocalOcrSolver, type CaptchaSolver } from '../runtime/captcha/index.ts';

/**
 * The process's captcha chain: local OCR → rucaptcha (when a key is configured) → extra solvers →
 * operator (last, when the process has the `captcha_tasks` store). `ocr` is returned for closing.
 */
export function buildCaptchaChain(
  config: Config,
  options: { localOcr?: boolean; extraSolvers?: CaptchaSolver[]; captchaTasks?: CaptchaTaskStore; log: Logger },
): { chain: CaptchaChain; ocr: LocalOcrSolver } {
  const ocr = new LocalOcrSolver({ langPath: config.captcha.tessdataDir, workers: 1, guessWhenUnread: true });
  const rucaptcha = config.captcha.rucaptcha;
  const chain = new CaptchaChain(
    [
      ...(options.localOcr === false ? [] : [countedSolver(ocr)]),
      ...(rucaptcha.key
        ? [countedSolver(new RucaptchaSolver({ key: rucaptcha.key, baseUrl: rucaptcha.url, pollMs: rucaptcha.pollMs, timeoutMs: rucaptcha.timeoutMs }))]
        : []),
      ...(options.extraSolvers ?? []).map(countedSolver),
      ...(options.captchaTasks
        ? [countedSolver(new OperatorSolver({ tasks: options.captchaTasks, waitMs: config.captcha.operator.waitMs, taskTtlMs: config.captcha.operator.taskTtlMs }))]
        : []),
    ],
    { onSolverError: (solver, err) => options.log.warn({ solver, err }, 'captcha solver failed') },
  );
  return { chain, ocr };
}
