/**
 * The robot pool's captcha chain, built from config (CAPTCHA_CHAIN, issue 15 §2): its members in the
 * configured order, local OCR answering only when sure, the service only with a key the service
 * takes, the operator last. Who is asked after a refused answer: captcha-chain.ts (escalation).
 */
import { ConfigError, type Config } from '../../../config/index.ts';
import type { Logger } from '../../../core/logger.ts';
import type { CaptchaTaskStore } from '../../../storage/captcha-tasks.types.ts';
import { CaptchaChain } from './captcha-chain.ts';
import type { CaptchaSolver } from './captcha-solver.ts';
import { LocalOcrSolver } from './local-ocr.solver.ts';
import { OperatorSolver } from './operator.solver.ts';
import { RucaptchaKeyRefusedError, RucaptchaSolver } from './rucaptcha.solver.ts';

/** What the chain is built with besides config. */
export interface CaptchaChainDeps {
  /** The operator's task store; absent = no `operator` member (a process without MongoDB). */
  captchaTasks?: CaptchaTaskStore;
  /** Solvers given in code (tests, plug-ins), asked just before the operator (at the end without one). */
  extraSolvers?: CaptchaSolver[];
  /** Wraps each member (metrics: core/metrics.ts `countedSolver`). Default: none. */
  wrap?: (solver: CaptchaSolver) => CaptchaSolver;
  log: Logger;
}

/** A built chain and what it owns. */
export interface BuiltCaptchaChain {
  chain: CaptchaChain;
  /** Member names in the order asked (`local-ocr`, `rucaptcha`, …, `operator`). */
  members: string[];
  /** Ends the OCR workers. */
  close(): Promise<void>;
}

/**
 * Builds the chain in CAPTCHA_CHAIN order:
 * - `local`: tesseract OCR answering at or above CAPTCHA_LOCAL_MIN_CONFIDENCE, declining below it.
 *   When it is the last member (nothing to escalate to, e.g. `CAPTCHA_CHAIN=local`) it guesses
 *   when unsure: the sites draw a new picture after a wrong answer, and a guess is then the only
 *   way through.
 * - `service`: the rucaptcha-compatible service, when RUCAPTCHA_KEY is set (else left out, logged).
 *   The key is checked once here (`getbalance`): a key the service refuses stops the start-up with
 *   a ConfigError naming RUCAPTCHA_KEY; a service that cannot be reached only logs (it may come back).
 * - `operator`: a person through `captcha_tasks`, when the store is given.
 * @throws ConfigError when the chain would be empty or the service refuses the key.
 */
export async function buildCaptchaChain(config: Config['captcha'], deps: CaptchaChainDeps): Promise<BuiltCaptchaChain> {
  const wrap = deps.wrap ?? ((s: CaptchaSolver) => s);
  const extra = deps.extraSolvers ?? [];
  const hasOperator = config.chain.includes('operator') && !!deps.captchaTasks;
  const service = config.chain.includes('service') && config.rucaptcha.key ? await checkedService(config, deps.log) : null;
  if (config.chain.includes('service') && !config.rucaptcha.key) deps.log.info('captcha chain: no RUCAPTCHA_KEY, the service member is left out');
  const effective = config.chain.filter((m) => (m === 'service' ? service : m === 'operator' ? hasOperator : true));
  const localIsLast = effective.at(-1) === 'local' && extra.length === 0;
  let ocr: LocalOcrSolver | null = null;
  const members: CaptchaSolver[] = [];
  for (const member of effective) {
    if (member === 'local') {
      ocr = new LocalOcrSolver({
        langPath: config.tessdataDir,
        workers: 1,
        ...(localIsLast ? { guessWhenUnread: true } : { minConfidence: config.localMinConfidence }),
      });
      members.push(wrap(ocr));
    } else if (member === 'service') {
      members.push(wrap(service!));
    } else {
      members.push(...extra.map(wrap));
      members.push(wrap(new OperatorSolver({ tasks: deps.captchaTasks!, waitMs: config.operator.waitMs, taskTtlMs: config.operator.taskTtlMs })));
    }
  }
  if (!hasOperator) members.push(...extra.map(wrap));
  if (members.length === 0) {
    throw new ConfigError([`CAPTCHA_CHAIN: none of ${config.chain.join(', ')} can run here (service needs RUCAPTCHA_KEY, operator needs MongoDB)`]);
  }
  const chain = new CaptchaChain(members, { onSolverError: (solver, err) => deps.log.warn({ solver, err }, 'captcha solver failed') });
  deps.log.info({ captchaChain: chain.solverNames, localMinConfidence: localIsLast ? 'guesses (last member)' : config.localMinConfidence }, 'captcha chain');
  return { chain, members: chain.solverNames, close: async () => ocr?.close() };
}

async function checkedService(config: Config['captcha'], log: Logger): Promise<RucaptchaSolver> {
  const r = config.rucaptcha;
  const solver = new RucaptchaSolver({ key: r.key!, baseUrl: r.url, pollMs: r.pollMs, timeoutMs: r.timeoutMs, requestTimeoutMs: 10_000 });
  try {
    const balance = await solver.balance();
    log.info({ service: r.url, balance }, 'captcha service takes the key');
  } catch (err) {
    if (err instanceof RucaptchaKeyRefusedError) {
      throw new ConfigError([`RUCAPTCHA_KEY: the captcha service at ${r.url} refused the key (${err.serviceAnswer})`]);
    }
    log.warn({ err, service: r.url }, 'captcha service not reachable at start-up; the chain moves past it while it is down');
  }
  return solver;
}
