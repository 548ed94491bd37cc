/**
 * Figures of the captcha chain (issue 15 §2): answers sent per lookup, share of lookups solved by
 * local OCR / the service / an operator, service cost per 1 000 lookups, operator hand-offs.
 *
 *   npx tsx bench/captcha-chain.bench.ts [lookups=60] [serviceAccuracy=0.9] [operatorResponseSecs=30]
 *
 * A "lookup" is a site that draws a new captcha after every wrong answer (sudrf, FSSP, kcaptcha all
 * do), answered through the product's chain as the pool builds it (buildCaptchaChain: CAPTCHA_CHAIN,
 * CAPTCHA_LOCAL_MIN_CONFIDENCE, CAPTCHA_MAX_TRIES, RUCAPTCHA_PRICE_RUB from the environment),
 * inside one escalation scope per lookup. Local OCR is the real solver; the service is the
 * rucaptcha HTTP API (a local fake whose worker is right with probability `serviceAccuracy`, an
 * assumption: the real one is paid); the operator is a stand-in that is always right. The operator's
 * response time is not measured here (a person): the wait per lookup is modelled as
 * hand-offs × `operatorResponseSecs`. Populations: sandbox sudrf and FSSP pictures, and the real
 * labelled sudrf captchas (../shared/fixtures/real/sudrf/captcha, the redraws cycle through them).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/index.ts';
import { createLogger } from '../core/logger.ts';
import { createPrng } from '../sandbox/data/prng.ts';
import { buildCaptchaChain } from '../robots/runtime/captcha/build-chain.ts';
import { withCaptchaEscalation, type CaptchaKind, type CaptchaSolution, type CaptchaSolver, type CaptchaTask } from '../robots/runtime/captcha/index.ts';
import { drawFsspCaptcha, fsspCaptchaAnswer } from '../sandbox/fssp/captcha-image.ts';
import { drawSudrfCaptcha, sudrfCaptchaAnswer } from '../sandbox/sudrf/captcha-image.ts';
import { startFakeRucaptcha } from '../test/fakes/rucaptcha.fake.ts';
import { figureOf, type BenchReport, type Figure } from './support/report.ts';

const lookups = Number(process.argv[2] ?? 60);
const serviceAccuracy = Number(process.argv[3] ?? 0.9);
const operatorResponseSecs = Number(process.argv[4] ?? 30);

interface Picture {
  image: Buffer;
  answer: string;
}
type Draw = (lookup: number, attempt: number) => Promise<Picture>;

// What the fake service's worker "sees": the answer of each picture sent, by its bytes.
const known = new Map<string, string>();
const rng = createPrng(15);
const wrongOf = (a: string) => (a[0] === '2' ? '3' : '2') + a.slice(1);
const fake = await startFakeRucaptcha({
  key: 'bench-key',
  notReadyPolls: 1,
  answer: (image) => {
    const right = known.get(image.toString('base64')) ?? null;
    return right && rng.next() >= serviceAccuracy ? wrongOf(right) : right;
  },
});

/** The operator stand-in: answers what the picture shows. */
class OperatorStandIn implements CaptchaSolver {
  readonly name = 'operator';
  async solve(task: CaptchaTask): Promise<CaptchaSolution | null> {
    const answer = known.get(task.image.toString('base64'));
    return answer ? { answer, solver: this.name, confidence: 1 } : null;
  }
}

const config = loadConfig({ ...process.env, RUCAPTCHA_KEY: 'bench-key', RUCAPTCHA_URL: fake.url, RUCAPTCHA_POLL_MS: '10', LOG_LEVEL: 'silent' });
const log = createLogger({ level: 'silent' });
// No captcha_tasks store here: the stand-in is the operator, asked last (as `extraSolvers` are).
const chainConfig = { ...config.captcha, chain: config.captcha.chain.filter((m) => m !== 'operator') };
const withOperator = config.captcha.chain.includes('operator');

interface Run {
  label: string;
  lookups: number;
  answers: number;
  solvedBy: Record<string, number>;
  failed: number;
  serviceAnswers: number;
  serviceBad: number;
  handoffs: number;
  ms: number;
}

async function run(label: string, kind: CaptchaKind, draw: Draw, n: number): Promise<Run> {
  const built = await buildCaptchaChain(chainConfig, { log, extraSolvers: withOperator ? [new OperatorStandIn()] : [] });
  const out: Run = { label, lookups: n, answers: 0, solvedBy: {}, failed: 0, serviceAnswers: 0, serviceBad: 0, handoffs: 0, ms: 0 };
  const started = performance.now();
  try {
    for (let i = 0; i < n; i++) {
      await withCaptchaEscalation(async () => {
        for (let attempt = 0; attempt < config.captcha.maxTries; attempt++) {
          const picture = await draw(i, attempt);
          known.set(picture.image.toString('base64'), picture.answer);
          const solution = await built.chain.solve({ image: picture.image, kind });
          if (!solution) break;
          out.answers++;
          if (solution.solver === 'operator') out.handoffs++;
          const ok = solution.answer === picture.answer;
          await built.chain.report(solution, ok);
          if (ok) {
            out.solvedBy[solution.solver] = (out.solvedBy[solution.solver] ?? 0) + 1;
            return;
          }
        }
        out.failed++;
      });
    }
    const stats = built.chain.stats();
    out.serviceAnswers = stats.rucaptcha?.answered ?? 0;
    out.serviceBad = stats.rucaptcha?.wrong ?? 0;
  } finally {
    out.ms = performance.now() - started;
    await built.close();
  }
  return out;
}

const runs: Run[] = [];
runs.push(await run('sandbox sudrf', 'digits5', async (i, a) => {
  const seed = 50_000 + i * 100 + a;
  const answer = sudrfCaptchaAnswer(seed);
  return { image: await drawSudrfCaptcha(answer, seed), answer };
}, lookups));
runs.push(await run('sandbox fssp', 'cyrillic5', async (i, a) => {
  const answer = fsspCaptchaAnswer(createPrng(70_000 + i * 100 + a));
  return { image: await drawFsspCaptcha(answer, 70_000 + i * 100 + a), answer };
}, lookups));
const dir = fileURLToPath(new URL('../../shared/fixtures/real/sudrf/captcha/', import.meta.url));
if (existsSync(join(dir, 'labels.csv'))) {
  const [, ...rows] = readFileSync(join(dir, 'labels.csv'), 'utf8').trim().split(/\r?\n/);
  const real = rows.map((row) => {
    const [file, answer] = row.split(',');
    return { image: readFileSync(join(dir, file!)), answer: answer! };
  });
  runs.push(await run('real sudrf (labelled)', 'digits5', async (i, a) => real[(i + a) % real.length]!, real.length));
}
await fake.close();

const price = config.captcha.servicePriceRub;
const figures: Figure[] = [];
console.log(`chain ${config.captcha.chain.join(',')}, local min confidence ${config.captcha.localMinConfidence}, max tries ${config.captcha.maxTries}, service accuracy ${serviceAccuracy} (assumed), price ${price} RUB/solve`);
for (const r of runs) {
  const share = (s: string) => (r.solvedBy[s] ?? 0) / r.lookups;
  // Answers reported bad are refunded by the service (rucaptcha's reportbad).
  const costPer1000 = ((r.serviceAnswers - r.serviceBad) * price * 1000) / r.lookups;
  const handoffsPerLookup = r.handoffs / r.lookups;
  console.log(
    `${r.label.padEnd(22)} lookups ${String(r.lookups).padStart(4)}  answers/lookup ${(r.answers / r.lookups).toFixed(2)}  ` +
      `solved: local ${(share('local-ocr') * 100).toFixed(0)}%  service ${(share('rucaptcha') * 100).toFixed(0)}%  operator ${(share('operator') * 100).toFixed(0)}%  failed ${((r.failed / r.lookups) * 100).toFixed(0)}%  ` +
      `service ${costPer1000.toFixed(1)} RUB/1000 lookups  operator hand-offs ${handoffsPerLookup.toFixed(2)}/lookup ≈ ${(handoffsPerLookup * operatorResponseSecs).toFixed(1)} s wait/lookup  ${(r.ms / r.lookups).toFixed(0)} ms/lookup`,
  );
  const tag = r.label;
  figures.push(figureOf(`${tag}: captcha answers per lookup`, 'answers', [r.answers / r.lookups]));
  figures.push(figureOf(`${tag}: solved by local OCR`, '%', [share('local-ocr') * 100]));
  figures.push(figureOf(`${tag}: solved by the service`, '%', [share('rucaptcha') * 100]));
  figures.push(figureOf(`${tag}: solved by an operator`, '%', [share('operator') * 100]));
  figures.push(figureOf(`${tag}: service cost per 1000 lookups`, 'RUB', [costPer1000]));
  figures.push(figureOf(`${tag}: operator wait per lookup (modelled)`, 's', [handoffsPerLookup * operatorResponseSecs]));
}
const report: BenchReport = {
  bench: 'captcha-chain',
  figures,
  notes: [
    `chain ${config.captcha.chain.join(',')}; CAPTCHA_LOCAL_MIN_CONFIDENCE ${config.captcha.localMinConfidence}; CAPTCHA_MAX_TRIES ${config.captcha.maxTries}`,
    `service: local fake of the rucaptcha API, worker right with p=${serviceAccuracy} (assumed); ${price} RUB per solve, reportbad refunded`,
    `operator wait modelled as hand-offs × ${operatorResponseSecs} s (a person's response time is not measured here)`,
  ],
  rounds: runs,
};
console.log(JSON.stringify(report));
